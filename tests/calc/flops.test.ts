// FLOP counts and roofline times worked out by hand from the configs and hardware profiles.
import {describe, expect, it} from 'vitest'
import {decodeFlopsPerToken, keysSeenPrefill, matmulParamsPerToken, prefillFlops, trainFlopsPerToken} from '../../src/calc/flops.js'
import {defaultScenario} from '../../src/calc/memory.js'
import {decodeStepTime, defaultPerfOptions, expectedExpertsHit, perfEstimate, ridgeBatch, weightBytesRead} from '../../src/calc/perf.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'

const llama = loadModel('llama-3.1-8b')
// Llama 3.1 8B: total 8,030,261,248 = embed 128256 x 4096 + 32 layers + final norm + untied head
const llamaMatmul = 8_030_261_248 - 128256 * 4096 - (32 * 2 * 4096 + 4096) // drop the embedding lookup and the norm scales

describe('forward FLOPs per token', () => {
  it('2 x the parameters multiplied: every active matrix and the LM head; lookups and norm scales excluded', () => {
    expect(matmulParamsPerToken(llama)).toBe(llamaMatmul)
  })
  it('plus 2 x heads x (qk + v dims) per key seen in every attention layer (Llama 3.1 8B decode at 8k)', () => {
    const perKey = 2 * 32 * (128 + 128)
    expect(decodeFlopsPerToken(llama, 8192)).toBe(2 * llamaMatmul + 32 * perKey * 8192)
  })
  it('prefill counts the causal half: position i sees i + 1 keys', () => {
    const perKey = 2 * 32 * 256
    expect(prefillFlops(llama, 4096)).toBe(4096 * 2 * llamaMatmul + 32 * perKey * ((4096 * 4097) / 2))
  })
  it('sliding layers see at most the window, chunked layers the keys since their chunk began', () => {
    const gemma = loadModel('gemma-3-27b-it')
    const sliding = gemma.layerGroups.find((g) => g.mixer === 'sliding')!
    expect(keysSeenPrefill(sliding, 3000)).toBe((1024 * 1025) / 2 + (3000 - 1024) * 1024)
    const scout = loadModel('llama-4-scout-17b-16e-instruct')
    const chunked = scout.layerGroups.find((g) => g.mixer === 'chunked')!
    expect(keysSeenPrefill(chunked, 20000)).toBe(2 * ((8192 * 8193) / 2) + (3616 * 3617) / 2) // 20000 = 2 x 8192 + 3616
  })
  it('MLA: absorbed decode works in the latent (2 x 128 heads x (512 + 64 + 512) per key), expanded in per-head dims (2 x 128 x (192 + 128))', () => {
    const ds = loadModel('deepseek-v3')
    const base = 2 * matmulParamsPerToken(ds)
    expect(decodeFlopsPerToken(ds, 1000, {mlaPrefill: 'expanded', mlaDecode: 'absorbed'})).toBe(base + 61 * 2 * 128 * 1088 * 1000)
    expect(decodeFlopsPerToken(ds, 1000, {mlaPrefill: 'expanded', mlaDecode: 'expanded'})).toBe(base + 61 * 2 * 128 * 320 * 1000)
  })
  it('training per token is 3 x the forward averaged over the sequence, 4 x with recomputation', () => {
    expect(trainFlopsPerToken(llama, 4096)).toBeCloseTo((3 * prefillFlops(llama, 4096)) / 4096, 0)
    expect(trainFlopsPerToken(llama, 4096, true) / trainFlopsPerToken(llama, 4096)).toBeCloseTo(4 / 3, 12)
  })
})

describe('seed comparisons', () => {
  it('DeepSeek-V3 vs Llama 4 Maverick: active parameters drive decode FLOPs (37B vs 17B active)', () => {
    const ds = matmulParamsPerToken(loadModel('deepseek-v3'))
    const mav = matmulParamsPerToken(loadModel('llama-4-maverick-17b-128e-instruct'))
    // both without the input embedding lookup: DeepSeek 37.55B - 0.93B, Maverick 17.18B - 1.03B (untied heads kept)
    expect(ds / mav).toBeGreaterThan(2.2)
    expect(ds / mav).toBeLessThan(2.3)
  })
  it('Qwen3 0.6B (28 layers x 16 heads x 256) pays more per key than Llama 3.2 1B (16 x 32 x 128) despite half the parameters', () => {
    const qwen = loadModel('qwen3-0.6b')
    const small = loadModel('llama-3.2-1b-instruct')
    const qwenPerKey = 28 * 2 * 16 * (128 + 128)
    const llamaPerKey = 16 * 2 * 32 * (64 + 64)
    expect(decodeFlopsPerToken(qwen, 32768) - 2 * matmulParamsPerToken(qwen)).toBe(qwenPerKey * 32768)
    expect(decodeFlopsPerToken(small, 32768) - 2 * matmulParamsPerToken(small)).toBe(llamaPerKey * 32768)
    expect(qwenPerKey / llamaPerKey).toBe(1.75) // deeper and with wider heads: 28 x 16 x 256 against 16 x 32 x 128
  })
})

describe('roofline', () => {
  const h100 = loadHardware('h100') // 3.35e12 B/s, bf16 989.4e12 FLOP/s dense
  it('dense 8B at batch 1 on one H100 in bf16: a decode step reads the weights once (time = weight bytes / bandwidth)', () => {
    const s = {...defaultScenario(llama), batch: 1}
    const weightBytes = (8_030_261_248 - 128256 * 4096) * 2 // everything but the embedding lookup, bf16
    const kvBytes = 2048 * 32 * 2 * 8 * 128 * 2
    const t = decodeStepTime(llama, s, h100, 2048, defaultPerfOptions)
    expect(t.bound).toBe('memory')
    expect(t.bytes).toBe(weightBytes + kvBytes)
    expect(t.seconds).toBeCloseTo((weightBytes + kvBytes) / (3.35e12 * 0.7), 12)
    expect(t.seconds * 1000).toBeGreaterThan(6) // about 6.5 ms per token
    expect(t.seconds * 1000).toBeLessThan(7)
  })
  it('MoE at growing batch: bytes read approach all experts; a dense model reads the same at any batch', () => {
    const moe = loadModel('qwen3-30b-a3b')
    const s = defaultScenario(moe)
    const one = weightBytesRead(moe, s, 1)
    const many = weightBytesRead(moe, s, 4096)
    const all = weightBytesRead(moe, s, 1e9)
    expect(expectedExpertsHit(128, 8, 1)).toBeCloseTo(8, 12)
    expect(expectedExpertsHit(128, 8, 64)).toBeCloseTo(128 * (1 - (120 / 128) ** 64), 9)
    expect(one).toBeLessThan(many)
    expect(all - many).toBeLessThan(1e-6 * all)
    expect(weightBytesRead(llama, defaultScenario(llama), 1)).toBe(weightBytesRead(llama, defaultScenario(llama), 4096))
  })
  it('the ridge: the smallest batch whose decode step is compute-bound (Llama 3.1 8B at a 16-token context)', () => {
    const s = defaultScenario(llama)
    const ridge = ridgeBatch(llama, s, h100, 16, defaultPerfOptions)!
    // B x flopsPerSeq / peak >= (weightBytes + B x kvPerSeq) / (bandwidth x MBU), solved for B
    const flopsPerSeq = 2 * llamaMatmul + 32 * 2 * 32 * 256 * 16
    const weightBytes = (8_030_261_248 - 128256 * 4096) * 2
    const kvPerSeq = 16 * 32 * 2 * 8 * 128 * 2
    const bandwidth = 3.35e12 * 0.7
    expect(ridge).toBe(Math.ceil(weightBytes / bandwidth / (flopsPerSeq / 989.4e12 - kvPerSeq / bandwidth))) // 449
    const at = (b: number) => decodeStepTime(llama, {...s, batch: b}, h100, 16, defaultPerfOptions)
    expect(at(ridge).bound).toBe('compute')
    expect(at(ridge - 1).bound).toBe('memory')
  })
  it('at long contexts the KV reads grow faster than the compute: decode never turns compute-bound', () => {
    expect(ridgeBatch(llama, defaultScenario(llama), h100, 8192, defaultPerfOptions)).toBeNull()
  })
  it('prefill of a 2k prompt is compute-bound: FLOPs / (peak x MFU), plus the fixed time of its kernels', () => {
    const p = perfEstimate(llama, {...defaultScenario(llama), promptTokens: 2048, outputTokens: 512}, h100)
    expect(p.prefill.bound).toBe('compute')
    // One engine step (2048 tokens fit vLLM's 8192-token budget): 32 layers x 6 kernels x 6.5 us of kernel floor.
    expect(p.ttftSeconds).toBeCloseTo(prefillFlops(llama, 2048) / (989.4e12 * 0.5) + 32 * 6 * 6.5e-6, 12)
  })
})
