// plan as a user runs it: the example answers with options, their layout and $/1M; --json matches the
// published schema; nothing meeting the targets is an answer (exit 0, one line naming what binds); bad input exits 2
// with one line.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {afterAll, describe, expect, it} from 'vitest'
import {planOutputSchema} from '../../src/schema/results/plan.js'
import {expectOneLineRefusal, runCli} from './run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-plan-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const example = ['plan', 'qwen3-30b-a3b', '--isl', '2k', '--osl', '512', '--ttft', '2s', '--tpot', '50ms', '--throughput', '5000']

describe('plan: the example of the issue', () => {
  it('answers with options, each with its layout, replicas, users and $/1M; then the frontier and its chart', () => {
    const r = runCli(example, {COLUMNS: '160'})
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^Cheapest 10 of \d+ options for qwen3-30b-a3b: 5,000 output tok\/s, TTFT <= 2\.00 s, TPOT <= 50\.0 ms/)
    expect(r.stdout).toMatch(/│ +1 │ \S+ +│ +\d+ \(tp\d[^)]*\) │ +\d+ │ +[\d,]+ of [\d,]+ │/)
    for (const header of ['Devices/replica', 'Replicas', 'Users/replica', 'TTFT', 'TPOT', '$/hour', '$/1M out']) expect(r.stdout).toContain(header)
    expect(r.stdout).toContain('replicas = ceil(5,000 output tok/s')
    expect(r.stdout).toContain('Pareto frontier: tokens/s per device against tokens/s per user')
    expect(r.stdout).toContain('Output tokens/s per device, log scale')
    expect(r.stdout).toContain('Output tokens/s per user')
  })

  it('--json: options best first with the fields the issue names, valid against the published schema', () => {
    const r = runCli([...example, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['options', 'frontier', 'binding', 'warnings']))
    expect(result.binding).toBeNull()
    expect(result.options.length).toBe(10)
    const first = result.options[0]
    for (const key of ['hardware', 'devices', 'layout', 'replicas', 'concurrency', 'ttftSeconds', 'tpotSeconds', 'tokensPerSecondPerUser', 'aggregateTokensPerSecond', 'pricePerHourUsd', 'costPerMillionOutputTokens', 'engine'])
      expect(first, key).toHaveProperty(key)
    for (let i = 1; i < result.options.length; i++) expect(result.options[i].pricePerHourUsd).toBeGreaterThanOrEqual(result.options[i - 1].pricePerHourUsd)
    for (const o of result.options) {
      expect(o.ttftSeconds).toBeLessThanOrEqual(2)
      expect(o.tpotSeconds).toBeLessThanOrEqual(0.05)
      expect(o.aggregateTokensPerSecond).toBeGreaterThanOrEqual(5000)
      expect(o.replicas).toBe(Math.ceil(5000 / o.tokensPerSecondPerReplica))
      expect(o.devices).toBe(o.layout.tp * o.layout.pp * (o.layout.dp ?? 1))
    }
    expect(planOutputSchema.safeParse(result).success).toBe(true)
    const published = runCli(['schema', 'result', 'plan'])
    expect(published.code).toBe(0)
    const validate = new Ajv2020({strict: false}).compile(JSON.parse(published.stdout))
    expect(validate(result), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
  })

  it('--top 3 keeps the three cheapest; --price-per-hour prices every device', () => {
    const r = runCli(['plan', 'llama-3.1-8b', '--tpot', '50ms', '--users', '100', '--hardware', 'h100,l40s', '--top', '3', '--price-per-hour', '2', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.options).toHaveLength(3)
    for (const o of result.options) expect(o.pricePerHourUsd).toBeCloseTo(o.replicas * o.devices * 2, 10)
  })

  it('--out writes the frontier chart as SVG or HTML, one series per profile', () => {
    for (const file of ['frontier.svg', 'frontier.html']) {
      const path = join(dir, file)
      const r = runCli(['plan', 'llama-3.1-8b', '--tpot', '50ms', '--rps', '10', '--hardware', 'h100,mi300x', '--out', path])
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toBe(`wrote ${path}\n`)
      expect(existsSync(path)).toBe(true)
      const text = readFileSync(path, 'utf8')
      expect(text).toContain('data-series="h100"')
      expect(text).toContain('data-series="mi300x"')
    }
  })
})

describe('plan: nothing meets the targets', () => {
  it('--tpot 0.1ms: exit 0, one line saying TPOT binds, binding "tpot" in JSON', () => {
    const line = ['plan', 'qwen3-30b-a3b', '--ttft', '2s', '--tpot', '0.1ms', '--throughput', '5000', '--hardware', 'h100,h200']
    const r = runCli(line)
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n')[0]).toMatch(/^No option meets the targets: TPOT binds: the lowest any replica reaches is [\d.]+ ms \(h\d+0\), above --tpot 100 µs$/)
    const json = JSON.parse(runCli([...line, '--json']).stdout)
    expect(json.options).toEqual([])
    expect(json.binding.constraint).toBe('tpot')
    expect(json.binding.message).toBe(r.stdout.split('\n')[0])
    expect(planOutputSchema.safeParse(json).success).toBe(true)
  })

  it('deepseek-v3 on up to 8 RTX 4090: memory binds', () => {
    const r = runCli(['plan', 'deepseek-v3', '--hardware', 'rtx4090', '--max-devices', '8', '--throughput', '100', '--json'])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout)
    expect(json.binding).toMatchObject({constraint: 'memory', message: 'No option meets the targets: memory binds: deepseek-v3 fits on no layout of up to 8 devices per replica of rtx4090 (2k + 512 tokens per sequence)'})
    expect(json.frontier).toEqual([])
    const table = runCli(['plan', 'deepseek-v3', '--hardware', 'rtx4090', '--max-devices', '8', '--throughput', '100'])
    expect(table.code).toBe(0)
    expect(table.stdout.split('\n')[0]).toBe(json.binding.message)
  })
})

describe('plan: bad input exits 2 with one line', () => {
  const base = ['plan', 'llama-3.1-8b']
  it.each([
    [['--ttft', 'abc', '--throughput', '5000'], /--ttft "abc" is not a duration/],
    [['--tpot', '50', '--throughput', '5000'], /--tpot "50" needs a unit/],
    [['--throughput=-1'], /--throughput must be a positive number, got "-1"/],
    [['--throughput', '-1'], /--throughput must be a positive number, got "-1"/], // a negative number after a flag is its value
    [['--users', '200', '--rps', '10'], /--users and --rps both give the load; give one of them/],
    [['--throughput', '1', '--users', '2', '--rps', '3'], /--throughput, --users and --rps all give the load/],
    [['--ttft', '2s'], /plan needs the load: --throughput 5000/],
    [['--users', '0'], /--users must be a positive integer/],
    [['--users', '10', '--hardware', 'rtx3090ti'], /--hardware rtx3090ti: no hourly price in its profile; give one with --price-per-hour/],
    [['--users', '10', '--max-devices', '2048'], /--max-devices 2048: at most 1024 devices per replica/],
    [['--users', '10', '--out', 'chart.png'], /--out "chart.png": write the chart as .svg or .html/],
    [['--users', '10', '--top', '0'], /--top must be a positive integer/],
  ])('%j', (flags, message) => {
    expectOneLineRefusal(runCli([...base, ...flags]), message)
  })

  it('no model', () => {
    expectOneLineRefusal(runCli(['plan', '--users', '10']), /missing model/)
  })
})
