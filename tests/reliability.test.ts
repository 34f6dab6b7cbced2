// Exact big numbers and deterministic output.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {PrecisionError} from '../src/calc/exact.js'
import {paramCounts} from '../src/calc/params.js'
import {loadModel} from '../src/presets/load.js'
import {formatFlops} from '../src/render/format.js'
import {runCli} from './cli/run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-rel-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe('big numbers', () => {
  it('every preset count is an exact integer below 2^53', () => {
    const ds = paramCounts(loadModel('kimi-k2-instruct'))
    expect(Number.isSafeInteger(ds.totalParams)).toBe(true)
    expect(ds.totalParams).toBe(1_026_408_232_448)
  })
  it('a count past 2^53 is refused loudly, never rounded (exit 2, one line)', () => {
    const spec = JSON.parse(readFileSync('presets/models/llama-3.1-8b.json', 'utf8'))
    // Within the dimension bounds (widths <= 2^20, layers <= 10,000), yet past 2^53: the dense FFNs alone are
    // 3 (gate, up, down) x 2^20 hidden x 2^20 intermediate x 4096 layers = 3 x 2^52 parameters.
    spec.hiddenSize = 2 ** 20
    spec.ffn.intermediateSize = 2 ** 20
    spec.layers = 4096
    spec.layerGroups = [{...spec.layerGroups[0], count: 4096}]
    const file = join(dir, 'huge.json')
    writeFileSync(file, JSON.stringify(spec))
    expect(() => paramCounts(loadModel(file))).toThrow(PrecisionError)
    const r = runCli(['params', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/is not an exact integer below 2\^53; refusing to print a rounded count/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
  it('FLOP counts past 2^53 print in SI or scientific form, three significant digits', () => {
    expect(formatFlops(7.68e14)).toBe('768 TFLOP')
    expect(formatFlops(4.2196e24)).toBe('4.22e+24 FLOP')
    expect(formatFlops(123456789012345680000)).toBe('123 EFLOP')
  })
})

describe('determinism', () => {
  it('the same command gives byte-identical output on every run', () => {
    for (const args of [['compare', '--format', 'csv'], ['perf', 'qwen3-30b-a3b', '--hardware', 'h100', '--json'], ['kv', 'gemma-3-27b-it']]) {
      const a = runCli(args)
      const b = runCli(args, {LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', TZ: 'Asia/Tokyo'})
      expect(a.code).toBe(0)
      expect(b.stdout).toBe(a.stdout)
    }
  })
  it('no formatting depends on locale or time', () => {
    for (const file of ['src/render/format.ts', 'src/render/render.ts', 'src/render/chart.ts']) {
      const text = readFileSync(file, 'utf8')
      expect(text).not.toMatch(/toLocale|Intl\.|new Date|Date\.now/)
    }
  })
})
