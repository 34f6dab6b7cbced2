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
  it('--verbose lists what was read and what was ignored; an unknown key is refused, naming it', () => {
    const r = runCli(['import', 'presets/sources/qwen3-8b.config.json', '--verbose'])
    expect(r.stderr).toMatch(/^read \(they change the cost\): .*num_key_value_heads/m)
    expect(r.stderr).toMatch(/^ignored \(no effect on parameters, KV cache or FLOPs\): .*bos_token_id/m)
    const magic = runCli(['import', write('magic.json', {...qwenConfig, magic_experts: 4})])
    expect(magic.code).toBe(2)
    expect(magic.stderr).toMatch(/"magic_experts" .* unknown/)
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
