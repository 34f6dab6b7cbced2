// Parallel layouts: only those the engines accept (vLLM's own checks), the automatic choice on N devices and the
// fewest devices, and the layout flags. Figures reasoned by hand from the presets' dimensions.
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {anyLayout, fewestDevices, layoutOn, layoutOnDevices, memoryScenarioFor, type ParallelRequest} from '../../src/calc/deployment.js'
import {legalLayout, paddedVocab} from '../../src/calc/layout-rules.js'
import {defaultScenario} from '../../src/calc/memory.js'
import {devicesOf, dpOf, layoutText, paramsPerDevice, type Layout} from '../../src/calc/parallel.js'
import {paramCounts} from '../../src/calc/params.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import type {ModelSpec} from '../../src/schema/model.js'

const h100 = loadHardware('h100') // 80 GiB
const llama8b = loadModel('llama-3.1-8b') // 32 heads, 8 KV heads, FFN 14336, 32 layers, vocab 128256
const layout = (tp: number, pp = 1, dp = 1, ep = 1): Layout => ({tp, ep, pp, ...(dp > 1 ? {dp} : {})})
const request = (r: Partial<ParallelRequest>): ParallelRequest => ({...anyLayout, ...r})
const input = (flags: Record<string, string> = {}) => scenarioInput(flags)

describe('legalLayout: the engine rules, each named', () => {
  it('Llama 3.1 8B: tp 1, 2, 4, 8 are legal; tp 3 breaks the heads rule (32 % 3 = 2)', () => {
    for (const tp of [1, 2, 4, 8]) expect(legalLayout(llama8b, layout(tp))).toBeNull()
    expect(legalLayout(llama8b, layout(3))).toBe(
      "tensor parallel 3 does not divide Llama-3.1-8B's 32 attention heads (vLLM requires num_attention_heads % tensor_parallel_size == 0)",
    )
  })
  it('tp 16 on 8 KV heads is legal: 32 heads / 16 = 2, 16 % 8 = 0 so each KV head is replicated twice, 14336 / 16 = 896, 128256 / 16 = 8016', () => {
    expect(legalLayout(llama8b, layout(16))).toBeNull()
    expect(legalLayout(llama8b, layout(64))).toMatch(/tensor parallel 64 does not divide .* 32 attention heads/)
  })
  it('KV heads: OLMo 2 32B has 40 heads and 8 KV heads; tp 5 divides 40 but neither divides nor is a multiple of 8', () => {
    expect(legalLayout(loadModel('olmo-2-0325-32b'), layout(5))).toMatch(/tensor parallel 5 neither divides OLMo-2-0325-32B's 8 KV heads nor is a multiple of them/)
  })
  it('FFN width: Llama 3.2 3B (24 heads, 8 KV heads) at tp 24 passes heads (24/24) and KV (24 % 8 = 0) but 8192 % 24 = 8', () => {
    expect(legalLayout(loadModel('llama-3.2-3b-instruct'), layout(24))).toMatch(/tensor parallel 24 does not divide .* FFN width 8192/)
  })
  it('vocabulary: padded to a multiple of 64 only, then split over tp (151936 = 64 x 2374, and 151936 % 3 = 1)', () => {
    expect(paddedVocab(128256)).toBe(128256)
    expect(paddedVocab(32001)).toBe(32064)
    const qwen = loadModel('qwen3-8b') // FFN 12288 = 3 x 4096
    const spec: ModelSpec = {...qwen, attention: {...qwen.attention, heads: 48, kvHeads: 24}}
    expect(legalLayout(spec, layout(3))).toMatch(/tensor parallel 3 does not divide Qwen3-8B's vocabulary of 151936 padded to 151936/)
  })
  it("linear attention: Qwen3-Next's 16 key and 32 value heads split at tp 16; 8 key heads would not", () => {
    const next = loadModel('qwen3-next-80b-a3b-thinking')
    expect(legalLayout(next, layout(16, 1, 1, 16))).toBeNull()
    const spec: ModelSpec = {...next, linearAttention: {...next.linearAttention!, keyHeads: 8}}
    expect(legalLayout(spec, layout(16, 1, 1, 16))).toMatch(/8 linear-attention key heads and 32 value heads/)
  })
  it('expert parallel: 1, tp or tp x dp (vLLM); a dense model has none; at most one rank per expert', () => {
    const qwen = loadModel('qwen3-30b-a3b') // 128 experts
    expect(legalLayout(qwen, layout(8, 1, 1, 8))).toBeNull()
    expect(legalLayout(qwen, layout(1, 1, 8, 8))).toBeNull() // --data-parallel-size 8 --enable-expert-parallel
    expect(legalLayout(qwen, layout(8, 1, 1, 4))).toMatch(/expert parallel 4 must be 1 or the tensor-parallel degree 8/)
    expect(legalLayout(llama8b, layout(2, 1, 1, 2))).toMatch(/expert parallel 2 needs routed experts; Llama-3.1-8B is a dense model/)
    const mixtral = loadModel('mixtral-8x7b-v0.1')
    expect(legalLayout(mixtral, layout(16, 1, 1, 16))).toMatch(/expert parallel 16 exceeds Mixtral-8x7B-v0.1's 8 routed experts/)
    expect(legalLayout(mixtral, layout(16))).toBeNull() // experts tensor-split: 14336 / 16 = 896
  })
  it('pipeline: at most one stage per layer (Llama 3.2 1B has 16)', () => {
    const small = loadModel('llama-3.2-1b-instruct')
    expect(legalLayout(small, layout(1, 16))).toBeNull()
    expect(legalLayout(small, layout(1, 17))).toMatch(/pipeline parallel 17 exceeds Llama-3.2-1B-Instruct's 16 layers/)
  })
})

describe('the automatic choice on N devices', () => {
  const on = (spec: ModelSpec, n: number, flags: Record<string, string> = {}) => memoryScenarioFor(spec, input(flags), {hardware: h100, devices: n}).scenario.layout

  it('Llama 3.1 8B on 3 H100: never tp3 (32 % 3); one H100 holds it, so three replicas: tp1 dp3', () => {
    const l = on(llama8b, 3)
    expect(l).toEqual(layout(1, 1, 3))
    expect(layoutText(l)).toBe('tp1 dp3')
  })
  it('Llama 3.1 70B (141 GB in bf16) on 3 H100: tp1 holds it on no single device, so tp1 pp3', () => {
    expect(on(loadModel('llama-3.1-70b'), 3)).toEqual(layout(1, 3))
  })
  it('Llama 3.1 405B on 3 H100 holds nowhere: the largest replica, tp1 pp3, shown as not fitting', () => {
    expect(on(loadModel('llama-3.1-405b'), 3)).toEqual(layout(1, 3))
  })
  it('Llama 3.1 405B (810 GB) on 32 H100: tp8 x pp1 (101 GB each) does not hold it, tp8 x pp2 does: two replicas', () => {
    const l = on(loadModel('llama-3.1-405b'), 32)
    expect(l).toEqual(layout(8, 2, 2))
    expect(layoutText(l)).toBe('tp8 pp2 dp2')
  })
  it('a 16-layer model on 1,000,000 devices: never pp125000; tp8 replicas, or one line with --dp 1', () => {
    const small = loadModel('llama-3.2-1b-instruct')
    const l = on(small, 1_000_000)
    expect(l).toEqual(layout(8, 1, 125_000))
    expect(devicesOf(l)).toBe(1_000_000)
    expect(() => on(small, 1_000_000, {dp: '1'})).toThrow(/^1000000 devices cannot all be used by Llama-3.2-1B-Instruct's 16 layers with --dp 1: .*tp8 x pp16 = 128 devices per replica/)
  })
  it('Gemma 3 1B has 4 attention heads: 8 devices are tp4 dp2, never tp8', () => {
    expect(on(loadModel('gemma-3-1b-it'), 8)).toEqual(layout(4, 1, 2))
  })
  it('DeepSeek-V3 (128 heads, 61 layers, 256 experts) on 16 H100 (80 GiB): still tp8 ep8 pp2', () => {
    const spec = loadModel('deepseek-v3')
    const s = {...defaultScenario(spec), contextTokens: 32768}
    expect(layoutOn(spec, s, {hardware: h100, devices: 16}, 1)).toEqual({tp: 8, ep: 8, pp: 2})
  })
  it('every preset on 1-16, 24, 48 and 1000 devices: a legal layout of exactly that many devices, pp within the layers', () => {
    const ids = readdirSync('presets/models').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5))
    for (const id of ids) {
      const spec = loadModel(id)
      for (const n of [...Array.from({length: 16}, (_, i) => i + 1), 24, 48, 1000]) {
        const l = layoutOnDevices(spec, n, anyLayout, null)
        expect(legalLayout(spec, l), `${id} on ${n}`).toBeNull()
        expect(devicesOf(l), `${id} on ${n}`).toBe(n)
        expect(l.pp).toBeLessThanOrEqual(spec.layers)
        expect(l.tp).toBeLessThanOrEqual(8)
      }
    }
  })
})

describe('the layout flags', () => {
  it('--tp 3 on Llama 3.1 8B is refused with the heads rule, with or without a device count', () => {
    expect(() => memoryScenarioFor(llama8b, input({tp: '3'}))).toThrow(/^tensor parallel 3 does not divide Llama-3.1-8B's 32 attention heads/)
    expect(() => memoryScenarioFor(llama8b, input({tp: '3'}), {hardware: h100, devices: 3})).toThrow(/attention heads/)
  })
  it('--tp 16 on 8 KV heads is taken as given (16 devices, KV replicated)', () => {
    expect(memoryScenarioFor(llama8b, input({tp: '16'})).scenario.layout).toEqual(layout(16))
  })
  it('with 8xh100 the degrees given must make 8 devices', () => {
    expect(() => layoutOnDevices(llama8b, 8, request({tp: 4, pp: 4}), null)).toThrow(/^--tp 4 --pp 4 need a multiple of 16 devices, but the hardware gives 8/)
    expect(() => layoutOnDevices(llama8b, 8, request({tp: 2, pp: 2, dp: 1}), null)).toThrow(/^--tp 2 --pp 2 --dp 1 use 4 devices, but the hardware gives 8/)
    expect(layoutOnDevices(llama8b, 8, request({tp: 2}), () => true)).toEqual(layout(2, 1, 4))
  })
  it('Qwen3-30B-A3B with --ep 8: the fewest devices are 8 (tp8 ep8: 32 heads / 8, 4 KV heads replicated); with --tp 1 --dp 8 the replicas share the experts', () => {
    const spec = loadModel('qwen3-30b-a3b')
    const s = defaultScenario(spec)
    expect(fewestDevices(spec, s, h100, 1, request({ep: 8}))).toEqual(layout(8, 1, 1, 8))
    const shared = layoutOn(spec, s, {hardware: h100, devices: 8, parallel: request({tp: 1, dp: 8, ep: 8})}, 1)!
    expect(shared).toEqual(layout(1, 1, 8, 8))
    expect(dpOf(shared)).toBe(8)
    // Each device holds the whole attention (tp1) and 1/8 of the routed experts.
    const b = paramCounts(spec).breakdown
    const perDevice = paramsPerDevice(b, shared)
    expect(perDevice.attention).toBe(b.attention)
    expect(perDevice.routedExperts).toBe(b.routedExperts / 8)
  })
  it('--ep on a dense model, and --pp past the layers, are refused', () => {
    expect(() => memoryScenarioFor(llama8b, input({ep: '2'}))).toThrow(/needs routed experts/)
    expect(() => memoryScenarioFor(loadModel('deepseek-v3'), input({pp: '100'}))).toThrow(/^pipeline parallel 100 exceeds DeepSeek-V3's 61 layers/)
  })
})
