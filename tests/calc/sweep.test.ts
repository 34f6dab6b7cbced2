// Sweeps worked out by hand: KV of Gemma 3 27B (sliding windows) against Mistral Small 3.1 (all global) across
// context, per-device KV across devices, and the perf metrics equal to what `perf` computes at each point.
import {describe, expect, it} from 'vitest'
import {prefillFlops} from '../../src/calc/flops.js'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {defaultLayout} from '../../src/calc/parallel.js'
import {costEstimate, defaultPerfOptions, perfEstimate} from '../../src/calc/perf.js'
import {sweep, sweepSeries, type SweepModel, type SweepOptions} from '../../src/calc/sweep.js'
import {listModelIds, loadHardware, loadModel} from '../../src/presets/load.js'
import type {ModelSpec} from '../../src/schema/model.js'

const gemma = loadModel('gemma-3-27b-it')
const mistral = loadModel('mistral-small-3.1-24b-instruct-2503')
const llama = loadModel('llama-3.1-8b')
const h100 = loadHardware('h100') // 3.35e12 B/s, $3.99 per hour
const model = (spec: ModelSpec): SweepModel => ({spec, scenario: defaultScenario(spec)})
const base: Omit<SweepOptions, 'axis' | 'metric'> = {hardware: null, devices: null, memoryUtilization: 1, perf: defaultPerfOptions, outputTokens: 512, pricePerHourUsd: null}
const ys = (series: {points: {y: number | null}[]}) => series.points.map((p) => p.y)

describe('kv across context: sliding windows against global attention', () => {
  // Gemma 3 27B: 62 layers, 52 sliding (window 1024) + 10 global; 16 KV heads x 128 dims x (K, V) x bf16
  const gemmaPerLayerToken = 16 * 128 * 2 * 2 // 8,192 bytes
  // Mistral Small 3.1: 40 global layers x 8 KV heads x 128 dims x (K, V) x bf16
  const mistralPerToken = 40 * 8 * 128 * 2 * 2 // 163,840 bytes
  const [g, m] = sweep([model(gemma), model(mistral)], {...base, metric: 'kv', axis: {name: 'context', values: [1024, 4096, 32768]}})

  it('Gemma: every layer holds all tokens up to the window, then only the 10 global layers grow', () => {
    expect(ys(g!)).toEqual([
      62 * 1024 * gemmaPerLayerToken, // 520,093,696 = 496 MiB
      (10 * 4096 + 52 * 1024) * gemmaPerLayerToken, // 771,751,936 = 736 MiB
      (10 * 32768 + 52 * 1024) * gemmaPerLayerToken, // 3,120,562,176 = 2.91 GiB
    ])
    expect(ys(g!)).toEqual([520_093_696, 771_751_936, 3_120_562_176])
  })
  it('Mistral: all 40 layers grow with the context', () => {
    expect(ys(m!)).toEqual([1024 * mistralPerToken, 4096 * mistralPerToken, 32768 * mistralPerToken])
    expect(ys(m!)).toEqual([160 * 2 ** 20, 640 * 2 ** 20, 5 * 2 ** 30])
  })
  it('Gemma holds more at 1k and 4k, less from 8k on', () => {
    expect(g!.points[0]!.y!).toBeGreaterThan(m!.points[0]!.y!)
    expect(g!.points[1]!.y!).toBeGreaterThan(m!.points[1]!.y!)
    expect(g!.points[2]!.y!).toBeLessThan(m!.points[2]!.y!)
    const [g8, m8] = sweep([model(gemma), model(mistral)], {...base, metric: 'kv', axis: {name: 'context', values: [8192]}})
    expect(g8!.points[0]!.y).toBe((10 * 8192 + 52 * 1024) * gemmaPerLayerToken) // 1.03 GiB
    expect(m8!.points[0]!.y).toBe(8192 * mistralPerToken) // 1.25 GiB
  })
  it('marks points past the maximum context (131,072 for both) and computes them all the same', () => {
    const [s] = sweep([model(gemma)], {...base, metric: 'kv', axis: {name: 'context', values: [131072, 262144]}})
    expect(s!.maxContextTokens).toBe(131072)
    expect(s!.points.map((p) => p.pastMaximum)).toEqual([false, true])
    expect(s!.points[1]!.y).toBe((10 * 262144 + 52 * 1024) * gemmaPerLayerToken)
  })
})

describe('kv across batch and devices', () => {
  it('batch multiplies the cache', () => {
    const s = sweepSeries({spec: mistral, scenario: {...defaultScenario(mistral), contextTokens: 4096}}, {...base, metric: 'kv', axis: {name: 'batch', values: [1, 4, 32]}})
    expect(ys(s)).toEqual([1, 4, 32].map((b) => b * 4096 * 40 * 8 * 128 * 2 * 2))
  })
  it('devices: 8 KV heads split over up to 8 tensor-parallel ranks, then pipeline stages split the layers', () => {
    const ctx = 32768
    const total = ctx * 32 * 8 * 128 * 2 * 2 // Llama 3.1 8B: 32 layers, 8 KV heads
    const s = sweepSeries({spec: llama, scenario: {...defaultScenario(llama), contextTokens: ctx}}, {...base, metric: 'kv', axis: {name: 'devices', values: [1, 2, 4, 8, 16]}})
    expect(ys(s)).toEqual([total, total / 2, total / 4, total / 8, total / 16])
  })
  it('devices: the MLA latent is replicated on every tensor-parallel rank (DeepSeek-V3: 61 layers x 576 values)', () => {
    const ds = loadModel('deepseek-v3')
    const s = sweepSeries({spec: ds, scenario: {...defaultScenario(ds), contextTokens: 8192}}, {...base, metric: 'kv', axis: {name: 'devices', values: [1, 8, 16]}})
    const total = 8192 * 61 * 576 * 2
    expect(ys(s)).toEqual([total, total, total / 2])
  })
})

describe('memory', () => {
  it('is memoryEstimate at each point: the total on one device, per device on several', () => {
    const s = defaultScenario(llama)
    const one = sweepSeries({spec: llama, scenario: s}, {...base, metric: 'memory', axis: {name: 'context', values: [1024, 65536]}})
    expect(ys(one)).toEqual([memoryEstimate(llama, {...s, contextTokens: 1024}).totalBytes, memoryEstimate(llama, {...s, contextTokens: 65536}).totalBytes])
    const many = sweepSeries({spec: llama, scenario: s}, {...base, metric: 'memory', axis: {name: 'devices', values: [1, 4]}})
    expect(many.points[1]!.y).toBe(memoryEstimate(llama, {...s, layout: defaultLayout(4, false)}).perDevice.totalBytes)
    expect(many.points[1]!.y!).toBeLessThan(many.points[0]!.y!)
  })
  it('grows with context by exactly the KV cache when nothing else changes (Mistral, 1k -> 32k)', () => {
    const s = sweepSeries(model(mistral), {...base, metric: 'memory', axis: {name: 'context', values: [1024, 32768]}})
    expect(s.points[1]!.y! - s.points[0]!.y!).toBe((32768 - 1024) * 40 * 8 * 128 * 2 * 2)
  })
})

describe('decode-tps and cost', () => {
  const perfBase = {...base, hardware: h100}
  it('Llama 3.1 8B on one H100, prompt 1k + 512 output: one decode step reads the weights and the KV at 1k + 256', () => {
    const s = sweepSeries(model(llama), {...perfBase, metric: 'decode-tps', axis: {name: 'context', values: [1024]}})
    const weightBytes = (8_030_261_248 - 128256 * 4096) * 2 // all but the embedding lookup, bf16
    const kvBytes = (1024 + 256) * 32 * 8 * 128 * 2 * 2
    const kernels = 32 * 6 * 6.5e-6 // 32 layers x 6 kernels x 6.5 us each (src/calc/serving/latency.ts)
    const tps = 1 / ((weightBytes + kvBytes) / (3.35e12 * 0.7) + kernels)
    expect(s.points[0]!.y).toBeCloseTo(tps, 9) // about 129.5 tokens/s
    const c = sweepSeries(model(llama), {...perfBase, metric: 'cost', axis: {name: 'context', values: [1024]}})
    // Cost counts the whole request: the 1k prefill (compute-bound, one step) then 511 decode steps.
    const ttft = prefillFlops(llama, 1024) / (989.4e12 * 0.5) + kernels
    const outputPerSecond = 512 / (ttft + 511 / tps)
    expect(c.points[0]!.y).toBeCloseTo((3.99 / 3600 / outputPerSecond) * 1e6, 9) // about $8.61 per 1M output tokens at batch 1
  })
  it('equals perf at every point (MoE over batch)', () => {
    const moe = loadModel('qwen3-30b-a3b')
    const s0 = {...defaultScenario(moe), contextTokens: 2048}
    const tps = sweepSeries({spec: moe, scenario: s0}, {...perfBase, metric: 'decode-tps', axis: {name: 'batch', values: [1, 8, 64]}})
    const cost = sweepSeries({spec: moe, scenario: s0}, {...perfBase, metric: 'cost', axis: {name: 'batch', values: [1, 8, 64]}})
    ;[1, 8, 64].forEach((batch, i) => {
      const ps = {...s0, batch, contextTokens: 2048 + 512, promptTokens: 2048, outputTokens: 512}
      const p = perfEstimate(moe, ps, h100, defaultPerfOptions)
      expect(tps.points[i]!.y).toBe(p.tokensPerSecond)
      expect(cost.points[i]!.y).toBe(costEstimate(p, ps, h100, 1, null).costPerMillionOutputTokens)
    })
    expect(tps.points[2]!.y!).toBeLessThan(tps.points[0]!.y!)
    expect(cost.points[2]!.y!).toBeLessThan(cost.points[0]!.y!)
  })
  it('null where the model does not fit on the devices given (DeepSeek-V3 at a 2k prompt: not on 1, 4 or 8 H100s of 79.19 GiB, on 16)', () => {
    const ds = loadModel('deepseek-v3')
    const s = sweepSeries({spec: ds, scenario: {...defaultScenario(ds), contextTokens: 2048}}, {...perfBase, metric: 'decode-tps', axis: {name: 'devices', values: [1, 4, 8, 16]}})
    expect(s.points[0]!.y).toBeNull()
    expect(s.points[1]!.y).toBeNull()
    expect(s.points[2]!.y).toBeNull()
    expect(s.points[3]!.y!).toBeGreaterThan(0)
  })
  it('needs hardware', () => {
    expect(() => sweep([model(llama)], {...base, metric: 'cost', axis: {name: 'context', values: [1024]}})).toThrow(/needs hardware/)
  })
})

describe('speed', () => {
  it('kv: every preset x 1,000 contexts in well under a second', () => {
    const models = listModelIds().map((id) => model(loadModel(id)))
    const values = Array.from({length: 1000}, (_, i) => Math.round(1024 * 1024 ** (i / 999)))
    const start = performance.now()
    const series = sweep(models, {...base, metric: 'kv', axis: {name: 'context', values}})
    const ms = performance.now() - start
    expect(series).toHaveLength(models.length)
    expect(series.every((s) => s.points.length === 1000 && s.points.every((p) => typeof p.y === 'number' && p.y > 0))).toBe(true)
    expect(ms).toBeLessThan(500)
  })
})
