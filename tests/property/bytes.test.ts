// Any byte string given as a config.json, a preset or a checkpoint (safetensors, GGUF) ends in exit 0, 1 or 2,
// within bounded time and memory, with one line on stderr when it is refused and never an internal error (issue
// #15). Byte strings are random, or a valid file with a few bytes flipped, inserted or removed (which reaches far
// deeper into the parsers than noise does). The cases run in one child process (tests/property/run-cases.mjs,
// through the CLI's own execute()) under a 500 MB heap, so that a case that builds something huge fails the test
// instead of slowing it; four spawned cases check the real entry point as well.
import fc from 'fast-check'
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {tinyLlamaGgufMetadata, tinyLlamaGgufTensors, tinyLlamaHfTensors, tinyLlamaPreset, writeGguf, writeSafetensors} from '../checkpoint/writers.js'
import {runCli} from '../cli/run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-bytes-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const seed = 20261130

const bases = {
  config: [readFileSync('presets/sources/qwen3-8b.config.json'), readFileSync('presets/sources/deepseek-v3.config.json'), readFileSync('presets/sources/llama-4-maverick-17b-128e-instruct.config.json')],
  preset: [readFileSync('presets/models/qwen3-8b.json'), readFileSync('presets/models/deepseek-v3.json')],
  safetensors: [written('base.safetensors', (file) => writeSafetensors(file, tinyLlamaHfTensors(), {format: 'pt'}))],
  gguf: [written('base.gguf', (file) => writeGguf(file, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors()))],
}
const tinyPreset = join(dir, 'tiny-llama.json')
writeFileSync(tinyPreset, JSON.stringify(tinyLlamaPreset()))

function written(name: string, write: (file: string) => void): Buffer {
  const file = join(dir, name)
  write(file)
  return readFileSync(file)
}

type Edit = {at: number; op: 'flip' | 'set' | 'insert' | 'delete'; byte: number}

/** A few edits at random places; `focus` bytes at the start (a checkpoint's header) take most of them. */
const edits = (focus: number) =>
  fc.array(fc.record({at: fc.oneof(fc.nat({max: focus}), fc.nat()), op: fc.constantFrom<Edit['op']>('flip', 'set', 'insert', 'delete'), byte: fc.integer({min: 0, max: 255})}), {minLength: 1, maxLength: 6})

function edited(base: Buffer, list: Edit[]): Buffer {
  let bytes = Buffer.from(base)
  for (const e of list) {
    const at = e.at % Math.max(bytes.length, 1)
    if (e.op === 'flip') bytes[at] = bytes[at]! ^ (1 << e.byte % 8)
    else if (e.op === 'set') bytes[at] = e.byte
    else if (e.op === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([e.byte]), bytes.subarray(at)])
    else bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)])
  }
  return bytes
}

/** Random bytes, or a base file edited. */
const byteStrings = (kind: keyof typeof bases, focus: number) =>
  fc.oneof(
    {weight: 1, arbitrary: fc.uint8Array({maxLength: 600}).map((a) => Buffer.from(a))},
    {weight: 4, arbitrary: fc.tuple(fc.constantFrom(...bases[kind]), edits(focus)).map(([base, list]) => edited(base, list))},
  )

const kinds = [
  {kind: 'config' as const, ext: '.config.json', focus: 4096, runs: 500, command: (f: string) => ['params', f]},
  {kind: 'preset' as const, ext: '.json', focus: 8192, runs: 500, command: (f: string) => ['kv', f, '--contexts', '4k,128k']},
  {kind: 'safetensors' as const, ext: '.safetensors', focus: 2048, runs: 500, command: (f: string) => ['verify', tinyPreset, '--checkpoint', f]},
  {kind: 'gguf' as const, ext: '.gguf', focus: 1024, runs: 500, command: (f: string) => ['verify', tinyPreset, '--checkpoint', f]},
]

describe('any byte string as a config, a preset or a checkpoint', () => {
  const cases: string[][] = []
  for (const k of kinds) {
    fc.sample(byteStrings(k.kind, k.focus), {numRuns: k.runs, seed}).forEach((bytes, i) => {
      const file = join(dir, `${k.kind}-${i}${k.ext}`)
      writeFileSync(file, bytes)
      cases.push(k.command(file))
    })
  }

  it(`${cases.length} cases end in exit 0, 1 or 2, each within 2 s, one line when refused, under a 500 MB heap`, () => {
    const list = join(dir, 'cases.json')
    writeFileSync(list, JSON.stringify(cases))
    const child = spawnSync(process.execPath, ['--max-old-space-size=500', 'tests/property/run-cases.mjs', list], {encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 2 ** 20})
    expect(child.status, child.stderr).toBe(0)
    const {results, maxRssKb} = JSON.parse(child.stdout) as {results: {args: string[]; code: number; ms: number; stderr: string; stdoutBytes: number}[]; maxRssKb: number}
    expect(results).toHaveLength(cases.length)
    const outcomes = {0: 0, 1: 0, 2: 0} as Record<number, number>
    for (const r of results) {
      const what = `${r.args.join(' ')}: ${r.stderr}`
      expect([0, 1, 2], what).toContain(r.code)
      expect(r.ms, what).toBeLessThan(2_000)
      expect(r.stderr, what).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/)
      expect(r.stderr, what).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|NaN|Infinity/)
      if (r.code === 2) expect(r.stderr.split('\n').filter((l) => !l.startsWith('warning:')), what).toHaveLength(1)
      outcomes[r.code]!++
    }
    // The generator must reach the parsers' depths: some edited files still read (exit 0 or 1), most are refused.
    expect(outcomes[0]! + outcomes[1]!).toBeGreaterThan(cases.length / 50)
    expect(outcomes[2]!).toBeGreaterThan(cases.length / 2)
    expect(maxRssKb).toBeLessThan(800 * 1024) // the heap is capped at 500 MB; RSS adds code and buffers
  }, 300_000)

  it.each(kinds.map((k) => [k.kind, k] as const))('spawned: an edited %s ends in 0, 1 or 2 with at most one line and no stack', (_kind, k) => {
    const [bytes] = fc.sample(fc.tuple(fc.constantFrom(...bases[k.kind]), edits(k.focus)).map(([base, list]) => edited(base, list)), {numRuns: 1, seed: seed + 1})
    const file = join(dir, `spawned-${k.kind}${k.ext}`)
    writeFileSync(file, bytes!)
    const started = Date.now()
    const r = runCli(k.command(file), {NODE_OPTIONS: '--max-old-space-size=500'})
    expect([0, 1, 2]).toContain(r.code)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    if (r.code === 2) expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))).toHaveLength(1)
  })
})
