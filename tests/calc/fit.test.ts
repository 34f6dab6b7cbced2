// Fit arithmetic on a hand-made 80 GiB device (tests/fixtures/test-gpu.json).
import {describe, expect, it} from 'vitest'
import {fewestDevices} from '../../src/calc/deployment.js'
import {kvCacheCapacityTokens, maxConcurrency, maxContextTokens} from '../../src/calc/fit.js'
import {activationBytes, defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'

const gpu = loadHardware('tests/fixtures/test-gpu.json')
const GiB = 2 ** 30

describe('Llama 3.1 8B on one 80 GiB device, bf16', () => {
  const spec = loadModel('llama-3.1-8b')
  const s = {...defaultScenario(spec), contextTokens: 8192, batch: 1}
  const weights = paramCounts(spec).totalParams * 2
  const kvPerToken = 32 * 2 * 8 * 128 * 2 // layers x (K,V) x heads x dim x bytes = 131072
  const budget = 80 * GiB - (weights + Math.ceil(activationBytes(spec, {...s, contextTokens: 1})) + GiB)

  it('fits on one device', () => {
    expect(fewestDevices(spec, s, gpu, 1)).toEqual({tp: 1, ep: 1, pp: 1})
  })
  it('longest context is the model maximum (128k needs 16 GiB of KV)', () => {
    expect(131072 * kvPerToken).toBe(16 * GiB)
    expect(maxContextTokens(spec, s, gpu, 1)).toBe(131072)
  })
  it('concurrency at 8k = KV budget / one sequence', () => {
    expect(maxConcurrency(spec, s, gpu, 1)).toBe(budget / (8192 * kvPerToken))
  })
  it('vLLM-style KV capacity: whole 16-token pages of the budget at 90% utilization', () => {
    const budget90 = Math.floor(80 * GiB * 0.9) - (weights + Math.ceil(activationBytes(spec, {...s, contextTokens: 1})) + GiB)
    expect(kvCacheCapacityTokens(spec, {...s, engine: 'vllm'}, gpu, 0.9)).toBe(Math.floor(budget90 / kvPerToken / 16) * 16)
  })
})

describe('a model too big for one device', () => {
  it('DeepSeek-V3 (FP8, 627 GiB of weights) needs 16 devices of 80 GiB at 32k', () => {
    const spec = loadModel('deepseek-v3')
    const s = {...defaultScenario(spec), contextTokens: 32768}
    const layout = fewestDevices(spec, s, gpu, 1)
    expect(layout).toEqual({tp: 8, ep: 8, pp: 2})
    expect(memoryEstimate(spec, {...s, layout: {tp: 8, ep: 8, pp: 1}}).perDevice.totalBytes).toBeGreaterThan(80 * GiB)
  })
  it('a context that does not fit gives 0, never a negative', () => {
    const spec = loadModel('llama-3.1-405b')
    const s = defaultScenario(spec)
    expect(maxContextTokens(spec, s, gpu, 1)).toBe(0)
    expect(maxConcurrency(spec, s, gpu, 1)).toBe(0)
  })
})
