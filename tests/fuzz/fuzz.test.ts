// Fuzzing: random invalid presets, config.json files and command lines. Every case ends in a result with finite,
// non-negative figures or in a UserError (exit 2 at the CLI) — never another exception, a stack trace, NaN or a hang.
import fc from 'fast-check'
import {readdirSync, readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {PrecisionError} from '../../src/calc/exact.js'
import {decodeFlopsPerToken} from '../../src/calc/flops.js'
import {kvCache} from '../../src/calc/kv.js'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {UserError} from '../../src/errors.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import type {ModelSpec} from '../../src/schema/model.js'
import {runCli} from '../cli/run.js'

const presets = readdirSync('presets/models').map((f) => JSON.parse(readFileSync(`presets/models/${f}`, 'utf8')))
const configs = readdirSync('presets/sources').filter((f) => f.endsWith('.config.json')).map((f) => {
  const {_provenance: _p, ...c} = parseJsonText(readFileSync(`presets/sources/${f}`, 'utf8')) as Record<string, unknown> // a bare Infinity (Nemotron-H)
  return c
})

/** Junk of every kind: wrong types, negative, zero, huge, NaN, Infinity, strings, nested objects. */
const junk = fc.oneof(
  fc.constantFrom(0, -1, -4096, 1.5, 2 ** 53, 1e308, Number.NaN, Number.POSITIVE_INFINITY, null, true, '', '128', [], {}, [1, 2], {a: {b: {c: 1}}}),
  fc.integer({min: -1e9, max: 1e12}),
  fc.string({maxLength: 12}),
  fc.double(),
)

/** Paths of every value in a JSON tree. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix]
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value)
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))]
}

function mutate(root: unknown, path: (string | number)[], action: 'set' | 'delete' | 'add', value: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>
  if (path.length === 0) return action === 'set' ? value : copy
  let node = copy as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1]!
  if (action === 'delete') Array.isArray(node) ? node.splice(last as number, 1) : delete node[last]
  else if (action === 'add' && typeof node === 'object') (node as Record<string, unknown>)[`fuzz_${String(last)}`] = value
  else node[last] = value
  return copy
}

const finiteFigures = (spec: ModelSpec) => {
  const p = paramCounts(spec)
  const figures = [p.totalParams, p.activeParams, kvCache(spec, 4096, 2, {kvFormat: 'bf16', mlaCache: 'latent'}).totalBytes, memoryEstimate(spec, defaultScenario(spec)).totalBytes, decodeFlopsPerToken(spec, 4096)]
  return figures.every((x) => Number.isFinite(x) && x >= 0)
}

/** Either a usable result with finite figures, or a refusal the CLI turns into exit 2. */
function endsWell(attempt: () => ModelSpec): boolean {
  try {
    return finiteFigures(attempt())
  } catch (error) {
    if (error instanceof UserError || error instanceof PrecisionError) return true
    throw error
  }
}

const mutation = (roots: unknown[]) =>
  fc
    .nat({max: roots.length - 1})
    .chain((i) => fc.tuple(fc.constant(roots[i]), fc.constantFrom(...paths(roots[i])), fc.constantFrom('set', 'delete', 'add') as fc.Arbitrary<'set' | 'delete' | 'add'>, junk))

describe('fuzzed presets', () => {
  it('a mutated preset validates to usable figures or is refused with a UserError', () => {
    fc.assert(fc.property(mutation(presets), ([root, path, action, value]) => endsWell(() => parseModelSpec(mutate(root, path, action, value), 'fuzz.json'))), {numRuns: 400, seed: 20261125})
  })
  it('arbitrary JSON values are refused cleanly', () => {
    fc.assert(fc.property(fc.jsonValue({maxDepth: 6}), (value) => endsWell(() => parseModelSpec(value, 'fuzz.json'))), {numRuns: 200, seed: 7})
  })
})

describe('fuzzed config.json files', () => {
  it('a mutated config imports to usable figures or is refused with a UserError', () => {
    fc.assert(fc.property(mutation(configs), ([root, path, action, value]) => endsWell(() => importHfConfig(mutate(root, path, action, value), {id: 'fuzz'}))), {numRuns: 400, seed: 11})
  })
})

describe('fuzzed command lines', () => {
  const commands = ['params', 'show', 'compare', 'kv', 'memory', 'fit', 'flops', 'perf', 'explain', 'validate', 'check', 'diff', 'sweep', 'import', 'plan']
  const flags = ['--context', '--batch', '--hardware', '--weights', '--kv-dtype', '--engine', '--format', '--memory-utilization', '--output', '--over', '--metric', '--max-total', '--columns', '--concurrency', '--request-rate', '--disaggregate', '--speculative', '--ttft', '--throughput']
  const values = ['-1', '0', 'NaN', 'Infinity', '1e999', '99999999999999999999', 'h100', '8xh100', 'zz', '', '../../etc/passwd', '32k', '\u00ff\u0007', 'json'] // NUL cannot be passed on a command line
  const cases = fc.sample(
    fc.record({command: fc.constantFrom(...commands), model: fc.constantFrom('qwen3-8b', 'nope', 'deepseek-v3', 'presets/models/gemma-3-1b-it.json', '/dev/null'), flag: fc.constantFrom(...flags), value: fc.constantFrom(...values)}),
    {numRuns: 24, seed: 42},
  )
  it.each(cases.map((c) => [`${c.command} ${c.model} ${c.flag} ${JSON.stringify(c.value)}`, c] as const))('%s', (_name, c) => {
    const r = runCli([c.command, c.model, c.flag, c.value])
    expect([0, 1, 2]).toContain(r.code)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/) // no stack trace
    expect(r.stdout).not.toMatch(/\bNaN\b|Infinity/)
    if (r.code !== 0) expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))).toHaveLength(1)
  })
  const corpus = JSON.parse(readFileSync('tests/fuzz/corpus/cli.json', 'utf8')).cases as {args: string[]; found: string; message?: string; env?: Record<string, string>}[]
  // A 500 MB heap: a run that tries to build something huge dies (exit 134) instead of passing slowly.
  const bounded = {NODE_OPTIONS: '--max-old-space-size=500'}
  it.each(corpus.map((c) => [c.args.join(' ').replace(/[\u0000-\u001f]/g, '?'), c] as const))('corpus: %s', (_name, c) => {
    const started = Date.now()
    const r = runCli(c.args, {...bounded, ...c.env})
    expect(r.code, `${c.found}\n${r.stderr}`).toBe(2)
    expect(Date.now() - started, c.found).toBeLessThan(5_000)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    // Nothing from a file or an argument reaches the terminal raw: C0 but the final newline, C1, bidi controls.
    expect(r.stderr.trimEnd()).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    if (c.message) expect(r.stderr, c.found).toMatch(new RegExp(c.message))
  })
})
