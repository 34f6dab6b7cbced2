// sweep as a user runs it: JSON with hand-worked KV, the table with the chart under it, --out files, and bad
// input exiting 2 with one line.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli, expectOneLineRefusal} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-sweep-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const pair = ['gemma-3-27b-it', 'mistral-small-3.1-24b-instruct-2503']

describe('sweep --json', () => {
  it('gives metric, axis, unit and one series per model; KV worked out by hand', () => {
    const r = runCli(['sweep', ...pair, '--over', 'context=1k,4k,32k', '--json'])
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result).toMatchObject({metric: 'kv', axis: 'context', unit: 'bytes', hardware: null})
    expect(result.series.map((s: {id: string}) => s.id)).toEqual(pair)
    const gemma = 16 * 128 * 2 * 2 // per layer per token
    const mistral = 40 * 8 * 128 * 2 * 2 // per token, all layers
    expect(result.series[0].points).toEqual([
      {x: 1024, y: 62 * 1024 * gemma, pastMaximum: false},
      {x: 4096, y: (10 * 4096 + 52 * 1024) * gemma, pastMaximum: false},
      {x: 32768, y: (10 * 32768 + 52 * 1024) * gemma, pastMaximum: false},
    ])
    expect(result.series[1].points.map((p: {y: number}) => p.y)).toEqual([1024, 4096, 32768].map((c) => c * mistral))
  })
  it('decode-tps needs --hardware and then gives tokens/s', () => {
    const r = runCli(['sweep', 'llama-3.1-8b', '--metric', 'decode-tps', '--hardware', 'h100', '--over', 'batch=1..8', '--json'])
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.unit).toBe('tokens/s')
    expect(result.series[0].points.map((p: {x: number}) => p.x)).toEqual([1, 2, 4, 8])
    for (const p of result.series[0].points) expect(p.y).toBeGreaterThan(100)
  })
})

describe('sweep tables and chart', () => {
  it('prints one row per context, one column per model, notes, and the chart under the table', () => {
    const r = runCli(['sweep', ...pair, '--over', 'context=1k..1M'], {COLUMNS: '100'})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/│\s+1k │\s+496\.00 MiB │\s+160\.00 MiB │/)
    expect(r.stdout).toMatch(/│\s+1M │\s+80\.41 GiB │\s+160\.00 GiB │/)
    expect(r.stdout).toContain("past the model's maximum context, computed all the same")
    expect(r.stdout).toContain('gemma-3-27b-it from 256k (maximum 131,072 tokens)')
    const chart = r.stdout.slice(r.stdout.indexOf('KV cache against context'))
    expect(chart).toContain('Context (tokens), log scale')
    expect(chart).toContain('  A gemma-3-27b-it   B mistral-small-3.1-24b-instruct-2503')
    expect(chart).toContain('lower case: past the model')
    for (const line of chart.split('\n')) expect([...line].length).toBeLessThanOrEqual(100)
  })
  it('machine formats carry the numbers only, no chart', () => {
    const r = runCli(['sweep', ...pair, '--over', 'context=1k,4k', '--format', 'csv'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(['context_tokens,gemma-3-27b-it_bytes,mistral-small-3.1-24b-instruct-2503_bytes', '1024,520093696,167772160', '4096,771751936,671088640', ''].join('\n'))
  })
  it('--log puts the y axis on a log scale', () => {
    const r = runCli(['sweep', ...pair, '--over', 'context=1k..128k', '--log'])
    expect(r.stdout).toContain('KV cache, log scale')
  })
})

describe('sweep --out', () => {
  it('writes a self-contained SVG with one polyline per model', () => {
    const file = join(dir, 'kv.svg')
    const r = runCli(['sweep', ...pair, 'llama-3.1-8b', '--over', 'context=1k..128k', '--out', file, '--json'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`wrote ${file}`)
    JSON.parse(r.stdout) // stdout stays pure JSON
    const svg = readFileSync(file, 'utf8')
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.match(/<polyline /g)).toHaveLength(3)
    expect(svg).toContain('KV cache against context (bf16 KV, batch 1)')
  })
  it('writes an HTML page with the chart inline and the values', () => {
    const file = join(dir, 'memory.html')
    const r = runCli(['sweep', 'qwen3-8b', '--metric', 'memory', '--hardware', 'h100', '--over', 'batch=1..16', '--out', file])
    expect(r.code).toBe(0)
    const html = readFileSync(file, 'utf8')
    expect(html).toContain('<svg xmlns=')
    expect(html).toContain('h100 usable memory (79.19 GiB)') // the CUDA total, 85,028,896,768 bytes
    expect(html).not.toMatch(/<script|src=|href=/)
  })
})

describe('bad sweep input: one line naming the flag, exit 2, nothing on stdout', () => {
  it.each([
    [['sweep', 'qwen3-8b', '--over', '1k..1M'], /--over "1k..1M" names no axis/],
    [['sweep', 'qwen3-8b', '--over', 'layers=1..8'], /unknown axis "layers"/],
    [['sweep', 'qwen3-8b', '--over', 'context=1M..1k'], /runs downwards/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--points', '1'], /--points must be from 2 to 1000/],
    [['sweep', 'qwen3-8b'], /sweep needs --over, e.g. --over context=1k..1M/],
    [['sweep', '--over', 'context=1k..1M'], /at least one model id/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--context', '8k'], /--context and --over context=1k..1M both set the context/],
    [['sweep', 'qwen3-8b', '--over', 'batch=1..8', '--batch', '4'], /--batch and --over batch=1..8 both set the batch/],
    [['sweep', 'qwen3-8b', '--over', 'devices=1..8', '--hardware', '8xh100'], /sets the device count; give --hardware without one/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--metric', 'decode-tps'], /--metric decode-tps needs --hardware/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--metric', 'cost', '--hardware', 'm3-ultra'], /m3-ultra has no hourly price.*--price-per-hour/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--hardware', 'h100,h200'], /--hardware takes one profile/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--metric', 'speed'], /metric/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--out', 'chart.png'], /--out "chart.png": write the chart as .svg or .html/],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..1M', '--out', join(dir, 'no', 'such', 'dir', 'c.svg')], /--out ".*c\.svg": cannot write it \(ENOENT\)/],
  ])('%j', (args, message) => {
    expectOneLineRefusal(runCli(args), message)
  })
  it('writes nothing for a bad --out', () => {
    expect(existsSync('chart.png')).toBe(false)
  })
})
