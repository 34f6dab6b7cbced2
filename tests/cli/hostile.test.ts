// Hostile input, end to end (issue #15): a Hub that sends too much or stalls, --out over existing files and over
// the command's own input, parallel writers, stdout that fails, control bytes in what is printed, and CI formats
// that must stay parseable. Each ends in one line on stderr and exit 2 (or quietly, for a closed pipe).
import {spawn, spawnSync} from 'node:child_process'
import {createServer, type Server} from 'node:http'
import {closeSync, existsSync, linkSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {jsonDepth} from '../../src/files.js'
import {githubAnnotations, junitXml} from '../../src/render/ci.js'
import {printable} from '../../src/text.js'
import {tinyLlamaGgufMetadata, tinyLlamaGgufTensors, tinyLlamaPreset, writeGguf} from '../checkpoint/writers.js'
import {expectOneLineRefusal, runCli, runCliAsync} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-hostile-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const qwenConfig = readFileSync('presets/sources/qwen3-8b.config.json', 'utf8')
const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

describe('import --hf against a hostile server', () => {
  let server: Server
  let endpoint = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/big/')) {
        // 64 MiB in 1 MiB chunks, no content-length (chunked): the body cap must stop it, not the end of the body.
        res.writeHead(200, {'content-type': 'application/json'})
        const chunk = Buffer.alloc(1 << 20, 0x20)
        let sent = 0
        const pump = () => {
          while (sent < 64) {
            sent++
            if (!res.write(chunk)) return void res.once('drain', pump)
          }
          res.end()
        }
        res.on('error', () => undefined)
        pump()
      } else if (req.url?.startsWith('/declared/')) {
        res.writeHead(200, {'content-length': String(8 * 2 ** 20)})
        res.write('{')
      } else if (req.url?.startsWith('/stall/')) {
        res.writeHead(200, {'content-type': 'application/json'})
        res.write('{"model_type": "qwen3",') // and nothing more
      } else if (req.url?.startsWith('/error/')) {
        res.writeHead(502).end()
      } else res.writeHead(404).end()
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    return new Promise<void>((done) => server.close(() => done()))
  })

  it('a chunked body past 4 MiB is cut off with one line naming the limit', async () => {
    const started = Date.now()
    const r = await runCliAsync(['import', '--hf', 'big/model'], {HF_ENDPOINT: endpoint, NODE_OPTIONS: '--max-old-space-size=500'})
    expectOneLineRefusal(r, /big\/model\/config.json: the answer passed 4 MiB, more than a config.json may have/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
  it('a content-length past 4 MiB is refused before the body is read', async () => {
    expectOneLineRefusal(await runCliAsync(['import', '--hf', 'declared/model'], {HF_ENDPOINT: endpoint}), /the answer is 8388608 bytes, larger than the 4 MiB/)
  })
  it('a stalled body times out with one line naming the timeout', async () => {
    const started = Date.now()
    const r = await runCliAsync(['import', '--hf', 'stall/model'], {HF_ENDPOINT: endpoint, HF_HUB_DOWNLOAD_TIMEOUT: '1'})
    expectOneLineRefusal(r, /cannot fetch stall\/model\/config.json from http:\/\/127.0.0.1:\d+: no complete answer within 1 s \(timeout/)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
  it('an HTTP error names the status', async () => {
    expectOneLineRefusal(await runCliAsync(['import', '--hf', 'error/model'], {HF_ENDPOINT: endpoint}), /the Hub answered HTTP 502/)
  })
  it('a timeout that is not a number of seconds is refused', async () => {
    expectOneLineRefusal(await runCliAsync(['import', '--hf', 'stall/model'], {HF_ENDPOINT: endpoint, HF_HUB_DOWNLOAD_TIMEOUT: 'soon'}), /HF_HUB_DOWNLOAD_TIMEOUT "soon"/)
  })
})

describe('--out never replaces a file silently, never an input, and never leaves half a file', () => {
  const config = () => {
    const file = join(mkdtempSync(join(dir, 'out-')), 'qwen3-8b.config.json')
    writeFileSync(file, qwenConfig)
    return file
  }
  it('an existing file needs --force; with it, the file is replaced', () => {
    const input = config()
    const out = join(dir, 'existing.json')
    writeFileSync(out, 'keep me')
    expectOneLineRefusal(runCli(['import', input, '--out', out]), /--out ".*existing.json": the file exists; add --force to replace it/)
    expect(readFileSync(out, 'utf8')).toBe('keep me')
    expect(runCli(['import', input, '--out', out, '--force']).code).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8')).id).toBe('qwen3-8b')
  })
  it('the input itself is refused even with --force, by its real path', () => {
    const input = config()
    const r = runCli(['import', input, '--out', join(input, '..', '.', 'qwen3-8b.config.json'), '--force'])
    expectOneLineRefusal(r, /is also an input of this command/)
    expect(readFileSync(input, 'utf8')).toBe(qwenConfig)
    // by a symlink and by a hard link as well
    symlinkSync(input, join(dir, 'symlinked.json'))
    linkSync(input, join(dir, 'hardlinked.json'))
    for (const name of ['symlinked.json', 'hardlinked.json']) expectOneLineRefusal(runCli(['import', input, '--out', join(dir, name), '--force']), /is also an input of this command/)
    expect(readFileSync(input, 'utf8')).toBe(qwenConfig)
  })
  it("sweep --out over one of the command's inputs (a preset read from that path) is refused", () => {
    const preset = join(dir, 'model.svg') // a preset file, read by its path whatever its name
    writeFileSync(preset, readFileSync('presets/models/qwen3-0.6b.json'))
    const r = runCli(['sweep', preset, '--over', 'context=1k..4k', '--out', preset, '--force'])
    expectOneLineRefusal(r, /is also an input of this command/)
    expect(JSON.parse(readFileSync(preset, 'utf8')).id).toBe('qwen3-0.6b')
  })
  it('20 parallel writers: without --force exactly one wins; with it every one succeeds; the file is always whole JSON', async () => {
    const input = config()
    for (const force of [false, true]) {
      const folder = mkdtempSync(join(dir, 'parallel-'))
      const out = join(folder, 'preset.json')
      const runs = await Promise.all(Array.from({length: 20}, (_, i) => runCliAsync(['import', input, '--out', out, '--id', `writer-${i}`, ...(force ? ['--force'] : [])])))
      const codes = runs.map((r) => r.code)
      if (force) expect(codes.every((c) => c === 0)).toBe(true)
      else {
        expect(codes.filter((c) => c === 0)).toHaveLength(1)
        expect(codes.filter((c) => c === 2)).toHaveLength(19)
      }
      expect(JSON.parse(readFileSync(out, 'utf8')).id).toMatch(/^writer-\d+$/)
      expect(readdirSync(folder)).toEqual(['preset.json']) // no temporary file left behind
    }
  }, 60_000)
  it('--out into a folder that does not exist is one line', () => {
    expectOneLineRefusal(runCli(['import', config(), '--out', join(dir, 'no-such-folder', 'x.json')]), /--out ".*x.json": cannot write it \(ENOENT\); check that its folder exists/)
  })
})

describe('files that are not regular files', () => {
  it('a FIFO given as a preset, a hardware profile or a checkpoint is refused at once instead of blocking', () => {
    const fifo = join(dir, 'fifo.json')
    if (spawnSync('mkfifo', [fifo]).status !== 0) return
    const started = Date.now()
    expectOneLineRefusal(runCli(['params', fifo]), /fifo.json: not a regular file/)
    expectOneLineRefusal(runCli(['fit', 'qwen3-8b', '--hardware', fifo]), /fifo.json: not a regular file/)
    expectOneLineRefusal(runCli(['verify', 'qwen3-8b', '--checkpoint', fifo]), /not a regular file/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })
  it('JSON nested a million deep (a preset, a safetensors header) is refused before anything walks it', () => {
    const deep = join(dir, 'deep.json')
    writeFileSync(deep, `{"layers": ${'['.repeat(1e6)}${']'.repeat(1e6)}}`)
    expectOneLineRefusal(runCli(['params', deep]), /deep.json: not a preset or config.json: arrays or objects nested more than 64 deep/)
    const header = Buffer.from(`{"__metadata__": {"a": ${'['.repeat(1e6)}${']'.repeat(1e6)}}}`)
    const length = Buffer.alloc(8)
    length.writeBigUInt64LE(BigInt(header.length))
    const checkpoint = join(dir, 'deep.safetensors')
    writeFileSync(checkpoint, Buffer.concat([length, header]))
    expectOneLineRefusal(runCli(['verify', 'qwen3-8b', '--checkpoint', checkpoint]), /its header nests more than 64 deep/)
    expect(jsonDepth('{"a": "[[[[{{{{\\"[[[", "b": [[1]]}')).toBe(3) // brackets inside strings (and escaped quotes) do not count
  })
  it('a config past 4 MiB is refused before it is read', () => {
    const big = join(dir, 'big.config.json')
    writeFileSync(big, `{"model_type": "qwen3", "pad": "${'x'.repeat(5 * 2 ** 20)}"}`)
    expectOneLineRefusal(runCli(['params', big]), /big.config.json: \d+ bytes, larger than the 4 MiB a preset or config.json may have/)
  })
})

describe('stdout that fails', () => {
  it('ENOSPC (stdout on /dev/full) is one line and exit 2, on both paths', () => {
    if (!existsSync('/dev/full')) return
    for (const env of [{}, {ARCHCOST_NO_FAST: '1'}]) {
      const r = spawnToFile(['compare'], '/dev/full', env)
      expect(r.code).toBe(2)
      expect(r.stderr.trim()).toBe('archcost: cannot write the output: no space left on device (ENOSPC)')
    }
  })
  it('EPIPE (the reader leaves, as `| head -1` does) ends quietly with exit 0', async () => {
    for (const env of [{}, {ARCHCOST_NO_FAST: '1'}]) {
      const r = await closedEarly(['compare', '--format', 'csv'], env)
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
    }
  })
})

describe('control bytes never reach the terminal raw; CI formats stay parseable', () => {
  const evil = 'evil\u001b[2J\u0007\u202e\u0000\u0085 &<>"\'\ud800'
  const presetFile = () => {
    const preset = JSON.parse(readFileSync('presets/models/qwen3-8b.json', 'utf8'))
    preset.name = evil
    preset.reported.totalParams = '9B' // one failing check, so that a message is written
    const file = join(dir, 'evil\u001b]0;title\u0007.json')
    writeFileSync(file, JSON.stringify(preset))
    return file
  }
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
  it('validate --format junit is well-formed XML 1.0 (no forbidden character, even as a reference)', () => {
    const r = runCli(['validate', presetFile(), '--format', 'junit'])
    expect(r.code).toBe(1)
    expectWellFormedXml(r.stdout)
    expect(r.stdout).toContain('evil\\x1b]0;title\\x07.json')
  })
  it('validate --format github escapes its data and properties', () => {
    const r = runCli(['validate', presetFile(), '--format', 'github'])
    expect(r.stdout).not.toMatch(raw)
    expect(r.stdout).toMatch(/^::error file=.*evil\\x1b]0;title\\x07.json,title=/m)
  })
  it('the junit and github writers escape every kind of hostile text themselves', () => {
    const line = {subject: evil, rule: `r${evil}`, status: 'fail' as const, measured: null, limit: null, unit: null, message: `m${evil}\r\n\t`, file: `f${evil}`}
    const xml = junitXml(`n${evil}`, [line, {...line, status: 'error'}])
    expectWellFormedXml(xml)
    expect(xml).toContain('evil\\x1b[2J\\x07\\u202e\\x00\\x85 &amp;&lt;&gt;&quot;&apos;\ufffd')
    const github = githubAnnotations([line])
    expect(github).not.toMatch(raw)
    // one workflow command per line: CR and LF inside the data are %0D/%0A (a CR from a file is shown as \x0d first)
    expect(github.trimEnd().split('\n')).toHaveLength(2)
    expect(github).toContain('title=archcost r') // properties: ":" and "," escaped
    expect(github).toMatch(/::error file=fevil\\x1b\[2J/)
  })
  it('printable() escapes C0 (but tab and newline when not one line), DEL, C1 and the bidi controls, and nothing else', () => {
    expect(printable('a\u0000\u0007\u001b\u007f\u0085\u009b\u061c\u200e\u202a\u202e\u2066\u2069b')).toBe('a\\x00\\x07\\x1b\\x7f\\x85\\x9b\\u061c\\u200e\\u202a\\u202e\\u2066\\u2069b')
    expect(printable('tab\there\nline', false)).toBe('tab\there\nline')
    expect(printable('tab\there\nline')).toBe('tab\\x09here\\x0aline')
    expect(printable('Qwen3 · 8B 模型 é')).toBe('Qwen3 · 8B 模型 é')
  })
  it('GGUF metadata (general.name, model keys) is shown escaped by verify, in every format', () => {
    const file = join(dir, 'evil.gguf')
    const metadata = {...tinyLlamaGgufMetadata(), 'general.name': {type: 'string' as const, value: `tiny${evil}`}}
    writeGguf(file, metadata, tinyLlamaGgufTensors())
    const preset = join(dir, 'tiny-llama.json')
    writeFileSync(preset, JSON.stringify(tinyLlamaPreset()))
    for (const format of ['table', 'csv', 'json']) {
      const r = runCli(['verify', preset, '--checkpoint', file, '--format', format])
      expect([0, 1]).toContain(r.code)
      expect(r.stdout).not.toMatch(raw)
      expect(r.stdout).toContain(format === 'json' ? 'tinyevil\\u001b[2J' : 'tinyevil\\x1b[2J')
    }
  })
  it.each([['table'], ['csv'], ['md'], ['json']])('show --format %s shows the name escaped', (format) => {
    const r = runCli(['show', presetFile(), '--format', format])
    expect(r.code).toBe(0)
    expect(r.stdout).not.toMatch(raw)
    expect(r.stdout).toContain(format === 'json' ? 'evil\\u001b[2J\\u0007\\u202e' : 'evil\\x1b[2J\\x07\\u202e')
  })
})

/** stdout straight onto the file (as `> /dev/full` does), stderr captured. */
function spawnToFile(args: string[], file: string, env: NodeJS.ProcessEnv): {code: number; stderr: string} {
  const fd = openSync(file, 'w')
  try {
    const r = spawnSync(process.execPath, [bin, ...args], {stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...env}, timeout: 30_000})
    return {code: r.status ?? -1, stderr: r.stderr}
  } finally {
    closeSync(fd)
  }
}

/** The reader closes the pipe after the first chunk. */
function closedEarly(args: string[], env: NodeJS.ProcessEnv): Promise<{code: number; stderr: string}> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], {env: {...process.env, NO_COLOR: '1', ...env}})
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.stdout.once('data', () => child.stdout.destroy())
    child.on('close', (code) => done({code: code ?? -1, stderr}))
  })
}

/** A strict check of the XML subset the junit writer emits: declaration, elements, double-quoted attributes. */
function expectWellFormedXml(text: string): void {
  // XML 1.0 Char: no C0 but tab, LF, CR; no U+FFFE/U+FFFF; no lone surrogate.
  expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/)
  // Character references to forbidden characters are not allowed either.
  for (const ref of text.matchAll(/&#(x[0-9a-f]+|\d+);/gi)) {
    const code = ref[1]!.startsWith('x') ? parseInt(ref[1]!.slice(1), 16) : Number(ref[1])
    expect(code === 9 || code === 10 || code === 13 || code >= 0x20).toBe(true)
  }
  const body = text.replace(/^<\?xml version="1.0" encoding="UTF-8"\?>\n/, '')
  const stack: string[] = []
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/y
  let at = 0
  while (at < body.length) {
    if (body[at] !== '<') {
      const next = body.indexOf('<', at)
      const textPart = body.slice(at, next === -1 ? undefined : next)
      expect(textPart.trim()).toBe('')
      at = next === -1 ? body.length : next
      continue
    }
    tag.lastIndex = at
    const m = tag.exec(body)
    expect(m, `malformed markup at ${body.slice(at, at + 60)}`).not.toBeNull()
    for (const amp of m![3]!.matchAll(/&/g)) expect(m![3]!.slice(amp.index)).toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i)
    if (m![1]) expect(stack.pop()).toBe(m![2])
    else if (!m![4]) stack.push(m![2]!)
    at = tag.lastIndex
  }
  expect(stack).toEqual([])
}
