// explain: for every preset and quantity, the formula shown evaluates (with mathjs) to the calculator's figure.
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {fewestDevices} from '../src/calc/deployment.js'
import {defaultScenario} from '../src/calc/memory.js'
import {defaultPerfOptions} from '../src/calc/perf.js'
import {paramCounts} from '../src/calc/params.js'
import {checkSteps} from '../src/explain/check.js'
import {explain, explainQuantities} from '../src/explain/steps.js'
import {loadHardware, loadModel} from '../src/presets/load.js'
import {runCli} from './cli/run.js'

const ids = readdirSync('presets/models').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()
const h100 = loadHardware('h100')

describe.each(ids)('%s', (id) => {
  it('every quantity: each step formula agrees with the calculator', async () => {
    const spec = loadModel(id)
    const base = {...defaultScenario(spec), contextTokens: Math.min(4096, spec.maxContextTokens), promptTokens: 2048, outputTokens: 256}
    const layout = fewestDevices(spec, base, h100, 1)!
    for (const quantity of explainQuantities) {
      const e = explain(spec, quantity, {scenario: {...base, layout}, hardware: h100, perf: defaultPerfOptions, price: null})
      const steps = await checkSteps(e.steps)
      expect(steps.length).toBeGreaterThan(0)
    }
  })
})

describe('explain', () => {
  it('params ends with the exact total (Llama 3.1 8B: 8,030,261,248)', () => {
    const spec = loadModel('llama-3.1-8b')
    const e = explain(spec, 'params', {scenario: {...defaultScenario(spec), promptTokens: 1, outputTokens: 1}, hardware: null, perf: defaultPerfOptions, price: null})
    expect(e.result).toBe(8_030_261_248)
    expect(e.result).toBe(paramCounts(spec).totalParams)
  })
  it('a formula that disagrees with the calculator is caught', async () => {
    await expect(checkSteps([{name: 'bad', formula: 'a + b', values: {a: 1, b: 2}, result: 4, unit: 'params', source: 'test', exact: true}])).rejects.toThrow(/gives 3 but the calculator gives 4/)
  })
  it('CLI: the KV explanation of DeepSeek-V3 shows the latent formula with its values', () => {
    const r = runCli(['explain', 'deepseek-v3', 'kv', '--context', '128k'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/rkv \+ dr\n\s+= 512 \+ 64\n\s+= 576/)
  })
  it('CLI: perf quantities need --hardware; unknown quantities are refused', () => {
    expect(runCli(['explain', 'llama-3.1-8b', 'tpot']).stderr).toMatch(/needs --hardware/)
    const r = runCli(['explain', 'llama-3.1-8b', 'speed'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('mathjs is configured safely', () => {
  it('the known escapes from the mathjs security guide are refused', async () => {
    const {safeMath} = await import('../src/explain/check.js')
    const {evaluate} = await safeMath()
    expect(evaluate('2 * (3 + 4)', {})).toBe(14)
    for (const attack of [
      'import({x: 1}, {override: true})',
      'createUnit("foo")',
      'evaluate("1 + 1")',
      'parse("1 + 1")',
      'simplify("x + x")',
      'derivative("x^2", "x")',
      'compile("1")',
      'resolve(parse("x"), {x: 1})',
      'cos.constructor("return process")()',
      '[].constructor.constructor("return process")()',
      'f(x) = x; f.constructor("return process")()',
    ])
      expect(() => evaluate(attack, {}), attack).toThrow()
  })
})
