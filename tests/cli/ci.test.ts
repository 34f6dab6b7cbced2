// import (files and a local stand-in for the Hub), validate (every rule, every exit code) and check (every budget).
import {createServer, type Server} from 'node:http'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli, runCliAsync} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-ci-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const write = (name: string, value: unknown) => {
  const file = join(dir, name)
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
  return file
}
const preset = JSON.parse(readFileSync('presets/models/llama-3.1-8b.json', 'utf8'))
const qwenConfig = JSON.parse(readFileSync('presets/sources/qwen3-8b.config.json', 'utf8'))

describe('import', () => {
  it('a config.json becomes the same preset the curated one is (Qwen3-8B), printed or written', () => {
    const r = runCli(['import', 'presets/sources/qwen3-8b.config.json', '--id', 'qwen3-8b', '--name', 'Qwen3-8B'])
    expect(r.code).toBe(0)
    const curated = JSON.parse(readFileSync('presets/models/qwen3-8b.json', 'utf8'))
    const imported = JSON.parse(r.stdout)
    for (const key of ['hiddenSize', 'layers', 'attention', 'ffn', 'layerGroups', 'embeddings']) expect(imported[key]).toEqual(curated[key])
    const out = join(dir, 'out.json')
    // A copy named qwen3-8b.json, since without --id the id comes from the file name.
    expect(runCli(['import', write('qwen3-8b.json', qwenConfig), '--out', out]).code).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8')).id).toBe('qwen3-8b')
  })
  it('any command takes a config.json where it takes an id', () => {
    const [p] = JSON.parse(runCli(['params', 'presets/sources/qwen3-8b.config.json', '--json']).stdout).models
    expect(p.totalParams).toBe(8_190_735_360)
  })
  it('--verbose lists what was read and what was ignored; an unknown key is a warning naming it, refused with --strict', () => {
    const r = runCli(['import', 'presets/sources/qwen3-8b.config.json', '--verbose'])
    expect(r.stderr).toMatch(/^read \(they change the cost\): .*num_key_value_heads/m)
    expect(r.stderr).toMatch(/^ignored \(no effect on parameters, KV cache or FLOPs\): .*bos_token_id/m)
    const file = write('magic.json', {...qwenConfig, magic_experts: 4})
    const magic = runCli(['import', file])
    expect(magic.code).toBe(0)
    expect(JSON.parse(magic.stdout).id).toBe('magic')
    expect(magic.stderr).toBe(`warning: ${file}: key "magic_experts" of model_type "qwen3" is unknown to the importer: assumed to change no cost; --strict refuses it\n`)
    const strict = runCli(['import', file, '--strict'])
    expect(strict.code).toBe(2)
    expect(strict.stderr.trim().split('\n')).toHaveLength(1)
    expect(strict.stderr).toMatch(/"magic_experts" .* unknown/)
  })
  it('any command reading a llama config with unknown keys: a warning on stderr and under `warnings` in JSON, exit 0; --strict exit 2', () => {
    const llama = JSON.parse(readFileSync('presets/sources/llama-3.2-1b-instruct.config.json', 'utf8'))
    const file = write('llama-extra.json', {...llama, my_custom_field: 1, unsloth_fixed: true, sliding_window: 4096})
    const warning = `${file}: keys "my_custom_field", "unsloth_fixed", "sliding_window" of model_type "llama" are unknown to the importer: assumed to change no cost; --strict refuses them`
    const params = runCli(['params', file, '--json'])
    expect(params.code).toBe(0)
    expect(JSON.parse(params.stdout).warnings).toEqual([warning])
    expect(params.stderr).toBe(`warning: ${warning}\n`)
    const github = runCli(['check', file, '--max-total', '2B', '--format', 'github'])
    expect(github.stdout).toContain(`::warning title=archcost::${warning}\n`)
    // validate reports a config that does not import as a failed rule (exit 1), as it always has
    for (const [args, strictCode] of [[['params', file], 2], [['kv', file], 2], [['show', file], 2], [['check', file, '--max-total', '2B'], 2], [['validate', file], 1]] as const) {
      expect(runCli([...args]).code).toBe(0)
      const strict = runCli([...args, '--strict'])
      expect(strict.code).toBe(strictCode)
      expect(strict.stderr + strict.stdout).toMatch(/"my_custom_field", "unsloth_fixed", "sliding_window" of model_type "llama" are unknown/)
    }
  })
  it('an unsupported model_type is one line naming it, exit 2', () => {
    const r = runCli(['import', write('odd.json', {model_type: 'not_a_model', hidden_size: 8})])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/model_type "not_a_model" is not supported/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('import --hf, against a local server standing in for the Hub', () => {
  let server: Server
  let endpoint = ''
  const seen: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization ?? ''}`)
      if (req.url === '/Qwen/Qwen3-8B/resolve/main/config.json') {
        res.writeHead(200, {'content-type': 'application/json'})
        res.end(JSON.stringify(qwenConfig))
      } else if (req.url?.startsWith('/gated/')) {
        res.writeHead(401).end()
      } else res.writeHead(404).end()
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((done) => server.close(() => done())))

  it('fetches config.json from {endpoint}/{repo}/resolve/{revision}/config.json, sending HF_TOKEN', async () => {
    const r = await runCliAsync(['import', '--hf', 'Qwen/Qwen3-8B'], {HF_ENDPOINT: endpoint, HF_TOKEN: 'secret'})
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).id).toBe('qwen3-8b')
    expect(seen).toContain('/Qwen/Qwen3-8B/resolve/main/config.json Bearer secret')
  })
  it('a missing repository, a gated one, and an unreachable Hub are each one clear line, exit 2', async () => {
    const missing = await runCliAsync(['import', '--hf', 'nobody/nothing'], {HF_ENDPOINT: endpoint})
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/no config.json at revision "main" \(HTTP 404\)/)
    expect((await runCliAsync(['import', '--hf', 'gated/model'], {HF_ENDPOINT: endpoint})).stderr).toMatch(/HF_TOKEN/)
    const offline = await runCliAsync(['import', '--hf', 'Qwen/Qwen3-8B'], {HF_ENDPOINT: 'http://127.0.0.1:39'})
    expect(offline.code).toBe(2)
    expect(offline.stderr).toMatch(/cannot fetch Qwen\/Qwen3-8B\/config.json from http:\/\/127.0.0.1:39: connection refused \(ECONNREFUSED\)/)
    expect(offline.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('validate: every rule and exit code', () => {
  const variant = (name: string, change: (p: Record<string, any>) => void) => {
    const copy = structuredClone(preset)
    change(copy)
    return write(name, copy)
  }
  it('0 when every file passes (presets and config.json files)', () => {
    const r = runCli(['validate', 'presets/models/llama-3.1-8b.json', 'presets/models/deepseek-v3.json', 'presets/sources/gemma-3-27b-it.config.json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/all \d+ passed/)
  })
  it.each([
    ['schema: an unknown key', (p: Record<string, any>) => (p.magic = 1), /schema/],
    ['schema: a dimension that is not a positive integer', (p: Record<string, any>) => (p.hiddenSize = -4096), /hiddenSize/],
    ['consistency: heads not a multiple of KV heads', (p: Record<string, any>) => (p.attention.kvHeads = 3), /multiple of kvHeads/],
    ['consistency: the layer pattern does not add up to the layer count', (p: Record<string, any>) => (p.layers = 33), /add up to 32/],
    ['consistency: a window not smaller than the maximum context', (p: Record<string, any>) => (p.layerGroups = [{count: 32, mixer: 'sliding', windowTokens: 131072, rope: true, ffn: 'dense'}]), /not smaller than maxContextTokens/],
    ['reported: a vendor figure the computed count does not match', (p: Record<string, any>) => (p.reported.totalParams = '9B'), /does not agree/],
  ])('1 for %s', (name, change, message) => {
    const r = runCli(['validate', variant(`${name.replace(/\W+/g, '-')}.json`, change)])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(message)
  })
  it('1 for top-k above the expert count', () => {
    const moe = JSON.parse(readFileSync('presets/models/qwen3-30b-a3b.json', 'utf8'))
    moe.moe.topK = 200
    const r = runCli(['validate', write('topk.json', moe)])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/topK \(200\) exceeds routedExperts \(128\)/)
  })
  it('2 for a file that is missing or not JSON; 2 wins over 1', () => {
    expect(runCli(['validate', join(dir, 'absent.json')]).code).toBe(2)
    const junk = write('junk.json', '{"truncated": ')
    expect(runCli(['validate', junk, variant('bad-kv.json', (p) => (p.attention.kvHeads = 3))]).code).toBe(2)
  })
  it('github annotations and JUnit XML', () => {
    const bad = variant('annotate.json', (p) => (p.attention.kvHeads = 3))
    const gh = runCli(['validate', bad, '--format', 'github'])
    expect(gh.stdout).toMatch(new RegExp(`^::error file=${bad.replaceAll('/', '\\/')},title=archcost consistency%3A .*::attention.kvHeads%3A|^::error file=`, 'm'))
    expect(gh.stdout).toMatch(/::notice title=archcost::1 of 1 checks failed/)
    const junit = runCli(['validate', bad, 'presets/models/qwen3-8b.json', '--format', 'junit'])
    expect(junit.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="archcost validate" tests="4" failures="1" errors="0">/)
    expect(junit.stdout).toMatch(/<failure message="attention.kvHeads: heads \(32\) must be a multiple of kvHeads \(3\)"\/>/)
  })
})

describe('check: every budget, pass and fail', () => {
  it('parameters, KV per token and fit, worked out by hand for Llama 3.1 8B at 32k', () => {
    // total 8,030,261,248; KV per token 32 layers x 2 x 8 KV heads x 128 x 2 bytes = 131,072 B = 128 KiB
    const pass = runCli(['check', 'llama-3.1-8b', '--max-total', '8.1B', '--max-active', '8.1B', '--max-kv-per-token', '128KiB', '--fits', '1xh100', '--context', '32k', '--json'])
    expect(pass.code).toBe(0)
    const fail = runCli(['check', 'llama-3.1-8b', '--max-total', '8B', '--max-kv-per-token', '127KiB', '--fits', '1xl4', '--context', '128k', '--batch', '4', '--json'])
    expect(fail.code).toBe(1)
    const lines = JSON.parse(fail.stdout).checks
    expect(lines.map((l: {rule: string; status: string}) => `${l.rule}:${l.status}`)).toEqual(['max-total:fail', 'max-kv-per-token:fail', 'fits:fail'])
  })
  it('memory per device, decode speed and TTFT on hardware', () => {
    const r = runCli(['check', 'llama-3.1-8b', '--hardware', 'h100', '--max-memory', '20GiB', '--min-decode-tps', '1000', '--max-ttft', '10', '--context', '4k', '--json'])
    expect(r.code).toBe(1)
    const lines = JSON.parse(r.stdout).checks
    // weights alone are 16,060,522,496 B (14.96 GiB); a batch-1 decode step reads ~15 GB at 3.35 TB/s x 0.7: ~150 tokens/s, far below 1000
    expect(lines.map((l: {rule: string; status: string}) => `${l.rule}:${l.status}`)).toEqual(['max-memory:pass', 'min-decode-tps:fail', 'max-ttft:pass'])
  })
  it('no budget, a speed budget without hardware, or a malformed limit: exit 2 with one line', () => {
    for (const args of [['check', 'llama-3.1-8b'], ['check', 'llama-3.1-8b', '--min-decode-tps', '50'], ['check', 'llama-3.1-8b', '--max-total', 'lots']]) {
      const r = runCli(args)
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
  })
})

describe('check in csv', () => {
  it('carries the raw measured and limit numbers with their unit, not the formatted figures', () => {
    const r = runCli(['check', 'qwen3-8b', '--max-total', '10B', '--format', 'csv'])
    const [header, row] = r.stdout.trim().split('\n')
    expect(header).toBe('subject,rule,status_text,measured,limit,unit,message')
    expect(row).toBe('qwen3-8b,max-total,pass,8190735360,10000000000,params,total parameters of the text model')
  })
})

describe('check: a config that cannot be used still gets a CI report (exit 2)', () => {
  const llama = () => JSON.parse(readFileSync('presets/sources/llama-3.2-1b-instruct.config.json', 'utf8'))
  const unusable = () => [
    [write('truncated.json', '{"model_type": "llama", "hidden_size": '), /not valid JSON/],
    [write('odd-type.json', {model_type: 'not_a_model', hidden_size: 8}), /model_type "not_a_model" is not supported/],
    [write('negative.json', {...llama(), hidden_size: -5}), /"hidden_size" must be a non-negative integer, found -5/],
  ] as const
  it('github: an ::error annotation on the file, the other models still checked, the line on stderr too', () => {
    for (const [file, message] of unusable()) {
      const r = runCli(['check', file, 'qwen3-8b', '--max-total', '10B', '--format', 'github'])
      expect(r.code).toBe(2)
      const [error, notice] = r.stdout.trim().split('\n')
      expect(error).toMatch(new RegExp(`^::error file=${file.replaceAll('/', '\\/')},title=archcost model%3A .*::`))
      expect(error).toMatch(message)
      expect(notice).toBe('::notice title=archcost::1 of 2 checks failed')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
  })
  it('junit: an <error> test case, in well-formed XML', () => {
    for (const [file, message] of unusable()) {
      const r = runCli(['check', file, 'qwen3-8b', '--max-total', '10B', '--format', 'junit'])
      expect(r.code).toBe(2)
      expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="archcost check" tests="2" failures="0" errors="1">/)
      const testcase = /<testcase classname="[^"]*" name="model"><error message="([^"]*)"\/><\/testcase>/.exec(r.stdout)
      expect(testcase?.[1]?.replaceAll('&quot;', '"')).toMatch(message)
      // every element opened is closed
      const opened = [...r.stdout.matchAll(/<(testsuites|testsuite|testcase)[\s>]/g)].length
      const closed = [...r.stdout.matchAll(/<\/(testsuites|testsuite|testcase)>|<testcase [^>]*\/>/g)].length
      expect(closed).toBe(opened)
    }
  })
  it('table and json: the one line on stderr, nothing on stdout, as any bad input', () => {
    const [[file, message]] = unusable()
    const r = runCli(['check', file, '--max-total', '10B'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(message)
  })
  it('a bad flag in github or junit: one error, so the job still has a report', () => {
    const gh = runCli(['check', 'qwen3-8b', '--max-total', 'lots', '--format', 'github'])
    expect(gh.code).toBe(2)
    expect(gh.stdout).toMatch(/^::error title=archcost input%3A check::--max-total "lots" is not a parameter count/)
    const junit = runCli(['check', 'qwen3-8b', '--max-totl', '10B', '--format', 'junit'])
    expect(junit.code).toBe(2)
    expect(junit.stdout).toMatch(/<testcase classname="archcost check.check" name="input"><error message="unknown flag --max-totl/)
  })
})

describe('check --baseline', () => {
  // Qwen3-8B: total = active = 8,190,735,360; KV per token at any context = 36 layers x 2 (K, V) x 8 KV heads x 128 x 2 bytes = 147,456 B
  const total = 8_190_735_360
  const kvPerToken = 36 * 2 * 8 * 128 * 2
  const params = () => write('params-baseline.json', runCli(['params', 'qwen3-8b', '--json']).stdout)
  const rules = (stdout: string) => JSON.parse(stdout).checks.map((l: {rule: string; status: string}) => `${l.rule}:${l.status}`)

  it('the same figures: pass; parameters and KV per token are recorded, so the output is a complete baseline', () => {
    const r = runCli(['check', 'qwen3-8b', '--baseline', params(), '--json'])
    expect(r.code).toBe(0)
    const lines = JSON.parse(r.stdout).checks
    expect(rules(r.stdout)).toEqual(['baseline-total:pass', 'baseline-active:pass', 'baseline-kv-per-token:pass'])
    expect(lines[0]).toMatchObject({measured: total, limit: total, message: 'total parameters: 8,190,735,360 -> 8,190,735,360, ±0 (0.00%); tolerance 0%'})
    expect(lines[2]).toMatchObject({measured: kvPerToken, limit: null})
    const next = runCli(['check', 'qwen3-8b', '--baseline', write('check-baseline.json', r.stdout), '--json'])
    expect(rules(next.stdout)).toEqual(['baseline-total:pass', 'baseline-active:pass', 'baseline-kv-per-token:pass'])
    expect(JSON.parse(next.stdout).checks[2]).toMatchObject({measured: kvPerToken, limit: kvPerToken})
  })
  it('a regression fails (exit 1) with old, new, delta and percent; --tolerance lets it pass', () => {
    const before = JSON.parse(runCli(['check', 'qwen3-8b', '--max-total', '10B', '--max-kv-per-token', '1MiB', '--json']).stdout)
    before.checks[0].measured = total - 8_190_735 // 0.1% fewer parameters before
    before.checks[1].measured = kvPerToken / 2 // half the KV before (147,456 / 2 = 73,728)
    const file = write('regressed.json', before)
    const r = runCli(['check', 'qwen3-8b', '--baseline', file, '--json'])
    expect(r.code).toBe(1)
    const lines = JSON.parse(r.stdout).checks
    // active was not budgeted before: recorded, not compared
    expect(rules(r.stdout)).toEqual(['baseline-total:fail', 'baseline-active:pass', 'baseline-kv-per-token:fail'])
    // 8,190,735 / 8,182,544,625 = 0.1001%
    expect(lines[0].message).toBe('total parameters: 8,182,544,625 -> 8,190,735,360, +8,190,735 (+0.10%); tolerance 0%')
    expect(lines[2].message).toBe('KV bytes per token: 73,728 B -> 147,456 B, +73,728 B (+100.00%); tolerance 0%')
    const tolerant = runCli(['check', 'qwen3-8b', '--baseline', file, '--tolerance', '100', '--json'])
    expect(tolerant.code).toBe(0)
    expect(JSON.parse(tolerant.stdout).checks[2].limit).toBe(73_728 * 2)
    expect(rules(runCli(['check', 'qwen3-8b', '--baseline', file, '--tolerance', '0.5%', '--json']).stdout)).toEqual(['baseline-total:pass', 'baseline-active:pass', 'baseline-kv-per-token:fail'])
    const gh = runCli(['check', 'qwen3-8b', '--baseline', file, '--format', 'github'])
    expect(gh.code).toBe(1)
    expect(gh.stdout).toMatch(/^::error title=archcost baseline-total%3A qwen3-8b::total parameters%3A|^::error title=archcost baseline-total%3A qwen3-8b::total parameters: 8,182,544,625 -> 8,190,735,360/m)
    const junit = runCli(['check', 'qwen3-8b', '--baseline', file, '--format', 'junit'])
    expect(junit.stdout).toMatch(/<testcase classname="archcost check.qwen3-8b" name="baseline-kv-per-token"><failure message="KV bytes per token: 73,728 B -&gt; 147,456 B/)
  })
  it('a budget of the baseline this run does not give: a warning naming it; given, it is compared too', () => {
    const file = write('memory-baseline.json', runCli(['check', 'qwen3-8b', '--max-memory', '80GiB', '--json']).stdout)
    const without = runCli(['check', 'qwen3-8b', '--baseline', file, '--json'])
    expect(without.code).toBe(0)
    expect(JSON.parse(without.stdout).warnings).toEqual([`${file}: qwen3-8b's memory (--max-memory) not compared: this run does not measure it; give --max-memory as the baseline's run did`])
    const given = runCli(['check', 'qwen3-8b', '--baseline', file, '--max-memory', '80GiB', '--json'])
    expect(rules(given.stdout)).toEqual(['max-memory:pass', 'baseline-total:pass', 'baseline-active:pass', 'baseline-kv-per-token:pass', 'baseline-memory:pass'])
  })
  it('a baseline that does not parse, is not a result, or is of another model: one line, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['--baseline', write('cut.json', '{"checks": [')], /cut\.json: not a baseline \(the --json output of check or params\): not valid JSON/],
      [['--baseline', write('preset-not-result.json', preset)], /not the JSON of `archcost check --json` or `archcost params --json`/],
      [['--baseline', join(dir, 'absent.json')], /absent\.json: cannot read it/],
      [['--tolerance', '5'], /--tolerance goes with --baseline/],
      [['--baseline', params(), '--tolerance', 'lots'], /--tolerance must be a percent/],
      [['--baseline', params(), '--tolerance=-1'], /--tolerance must be a percent/],
    ]
    for (const [args, message] of cases) {
      const r = runCli(['check', 'qwen3-8b', ...args])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(message)
    }
    const other = runCli(['check', 'llama-3.1-8b', '--baseline', params()])
    expect(other.code).toBe(2)
    expect(other.stderr.trim()).toBe(`archcost: --baseline ${join(dir, 'params-baseline.json')}: holds figures of "qwen3-8b", not of "llama-3.1-8b"; give a baseline of the same model`)
  })
})
