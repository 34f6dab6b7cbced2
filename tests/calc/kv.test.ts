// KV-cache sizes worked out by hand from the configs, including the comparisons the seed articles draw.
import {describe, expect, it} from 'vitest'
import {engineKvBytes, enginePages} from '../../src/calc/engines.js'
import {kvBytesPerTokenAt, kvCache, kvElementsPerTokenPerLayer} from '../../src/calc/kv.js'
import {kvShareOfDevice} from '../../src/calc/parallel.js'
import {loadModel} from '../../src/presets/load.js'
import type {ModelSpec} from '../../src/schema/model.js'

const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
const kvAt = (spec: ModelSpec, context: number, batch = 1, o: Parameters<typeof kvCache>[3] = bf16) => kvCache(spec, context, batch, o).totalBytes

describe('MLA (DeepSeek-V3: kv_lora_rank 512, qk_rope_head_dim 64, 128 heads, 61 layers)', () => {
  const ds = loadModel('deepseek-v3')
  it('stores 576 values per token per layer, about 35k per token over 61 layers', () => {
    expect(kvElementsPerTokenPerLayer(ds, 'latent')).toBe(512 + 64)
    expect(61 * kvElementsPerTokenPerLayer(ds, 'latent')).toBe(35_136)
  })
  it('against plain MHA at the same head count: 2 x 128 heads x 128 dims per layer', () => {
    const mhaPerLayer = 2 * 128 * 128
    expect(mhaPerLayer / (512 + 64)).toBeCloseTo(56.9, 1)
    // expanded MLA: keys of nope+rope (192) and values of 128 per head
    expect(kvElementsPerTokenPerLayer(ds, 'expanded')).toBe(128 * (192 + 128))
  })
  it('total bytes at 128k in bf16', () => {
    expect(kvAt(ds, 131072)).toBe(131072 * 61 * 576 * 2)
  })
  it('Kimi K2 (64 heads) has the same latent cache per layer as DeepSeek-V3 (128 heads)', () => {
    const kimi = loadModel('kimi-k2-instruct')
    expect(kvElementsPerTokenPerLayer(kimi, 'latent')).toBe(kvElementsPerTokenPerLayer(ds, 'latent'))
    expect(kvAt(kimi, 32768)).toBe(kvAt(ds, 32768))
    expect(kvElementsPerTokenPerLayer(kimi, 'expanded')).toBe(kvElementsPerTokenPerLayer(ds, 'expanded') / 2)
  })
})

describe('sliding windows (Gemma 3 27B: 62 layers, 52 sliding at 1024 + 10 global, 16 KV heads x 128) at 32k', () => {
  const gemma = loadModel('gemma-3-27b-it')
  const perLayerToken = 2 * 16 * 128 * 2 // K and V, 16 heads, 128 dims, bf16
  const L = 32768
  it('5:1 local/global with a 1024 window', () => {
    expect(kvAt(gemma, L)).toBe(perLayerToken * (10 * L + 52 * 1024))
  })
  it('against every layer global', () => {
    const allGlobal = {...gemma, layerGroups: [{count: 62, mixer: 'full' as const, rope: true, ffn: 'dense' as const}]}
    expect(kvAt(allGlobal, L)).toBe(perLayerToken * 62 * L)
    expect(kvAt(allGlobal, L) / kvAt(gemma, L)).toBeCloseTo((62 * L) / (10 * L + 52 * 1024), 10)
  })
  it('against the Gemma 2 style 1:1 pattern at 4096', () => {
    const gemma2Style = {
      ...gemma,
      layerGroups: Array.from({length: 31}, () => [
        {count: 1, mixer: 'sliding' as const, windowTokens: 4096, rope: true, ffn: 'dense' as const},
        {count: 1, mixer: 'full' as const, rope: true, ffn: 'dense' as const},
      ]).flat(),
    }
    expect(kvAt(gemma2Style, L)).toBe(perLayerToken * (31 * L + 31 * 4096))
  })
  it('sliding layers never exceed full ones, and only global layers grow past the window', () => {
    expect(kvBytesPerTokenAt(gemma, L, bf16)).toBe(10 * perLayerToken)
    expect(kvBytesPerTokenAt(gemma, 100, bf16)).toBe(62 * perLayerToken)
  })
})

describe('seed comparisons', () => {
  it('Mistral Small 3.1 (40 layers, 8 KV heads x 128, no window) against Gemma 3 27B at 32k', () => {
    const mistral = loadModel('mistral-small-3.1-24b-instruct-2503')
    expect(kvAt(mistral, 32768)).toBe(40 * 32768 * 2 * 8 * 128 * 2)
    expect(kvAt(mistral, 32768)).toBeGreaterThan(kvAt(loadModel('gemma-3-27b-it'), 32768))
  })
  it('Qwen3 0.6B (28 layers, 8 KV heads x 128) against Llama 3.2 1B (16 layers, 8 KV heads x 64)', () => {
    const qwen = loadModel('qwen3-0.6b')
    const llama = loadModel('llama-3.2-1b-instruct')
    expect(kvAt(qwen, 8192)).toBe(28 * 8192 * 2 * 8 * 128 * 2)
    expect(kvAt(llama, 8192)).toBe(16 * 8192 * 2 * 8 * 64 * 2)
    expect(kvAt(qwen, 8192) / kvAt(llama, 8192)).toBe(3.5) // (28 x 128) / (16 x 64)
  })
})

describe('other layer kinds', () => {
  it('chunked attention holds at most the chunk (Llama 4 Scout: 36 chunked at 8192 + 12 global, 8 KV heads x 128)', () => {
    const scout = loadModel('llama-4-scout-17b-16e-instruct')
    expect(kvAt(scout, 131072)).toBe(2 * 8 * 128 * 2 * (12 * 131072 + 36 * 8192))
  })
  it('KV-sharing layers hold nothing (Gemma 3n E4B: 35 layers, the last 15 reuse earlier KV; 2 KV heads x 256)', () => {
    const e4b = loadModel('gemma-3n-e4b-it')
    // own-KV layers 0..19: layers 4, 9, 14, 19 global, 16 sliding at 512
    expect(kvAt(e4b, 32768)).toBe(2 * 2 * 256 * 2 * (4 * 32768 + 16 * 512))
  })
  it('Gated DeltaNet layers hold a fixed state (Qwen3-Next: 36 linear + 12 full layers)', () => {
    const next = loadModel('qwen3-next-80b-a3b-thinking')
    // conv state (2 x 16 x 128 + 32 x 128 channels) x kernel 4, recurrent state 32 heads x 128 x 128, bf16
    const state = ((2 * 16 * 128 + 32 * 128) * 4 + 32 * 128 * 128) * 2
    const full = 12 * 2 * 2 * 256 * 2 // 12 layers, 2 KV heads x 256, K and V, bf16
    expect(kvAt(next, 1000)).toBe(36 * state + 1000 * full)
    expect(kvAt(next, 2000) - kvAt(next, 1000)).toBe(1000 * full)
  })
  it('the linear state stays in the compute dtype when the KV cache is fp8', () => {
    const next = loadModel('qwen3-next-80b-a3b-thinking')
    const state = ((2 * 16 * 128 + 32 * 128) * 4 + 32 * 128 * 128) * 2 // bf16 whatever the KV format
    expect(kvAt(next, 1000, 1, {kvFormat: 'fp8', mlaCache: 'latent'})).toBe(36 * state + 1000 * 12 * 2 * 2 * 256 * 1)
  })
  it('scales linearly with batch and with the KV format (fp8 = half of bf16)', () => {
    const llama = loadModel('llama-3.1-8b')
    expect(kvAt(llama, 4096, 8)).toBe(8 * kvAt(llama, 4096))
    expect(kvCache(llama, 4096, 1, {kvFormat: 'fp8', mlaCache: 'latent'}).totalBytes).toBe(kvAt(llama, 4096) / 2)
    // int8 as llama.cpp q8_0: 34 bytes per 32 values
    expect(kvCache(llama, 4096, 1, {kvFormat: 'int8', mlaCache: 'latent'}).totalBytes).toBe((32 * 4096 * 2 * 8 * 128 * 34) / 32)
  })
})

describe('engines', () => {
  const llama = loadModel('llama-3.1-8b')
  const perToken = 32 * 2 * 8 * 128 * 2
  it('vLLM rounds each sequence up to 16-token pages', () => {
    expect(engineKvBytes(llama, 1000, 1, 'vllm', {kvFormat: 'bf16'})).toBe(1008 * perToken)
    expect(engineKvBytes(llama, 1000, 1, 'sglang', {kvFormat: 'bf16'})).toBe(1000 * perToken)
  })
  it('llama.cpp pads the context to 256 cells', () => {
    expect(engineKvBytes(llama, 1000, 1, 'llama.cpp', {kvFormat: 'bf16'})).toBe(1024 * perToken)
  })
  it('vLLM grows hybrid pages until one page of an attention layer holds a Gated DeltaNet state (Qwen3-Next, bf16)', () => {
    const next = loadModel('qwen3-next-80b-a3b-thinking')
    const state = (2 * 16 * 128 + 32 * 128) * 3 * 2 + 32 * 128 * 128 * 2 // conv keeps K - 1 = 3 columns; bf16 = 1,097,728 B
    const attentionPerToken = 2 * 2 * 256 * 2 // K and V, 2 KV heads x 256, bf16 = 2,048 B
    const pageTokens = Math.ceil(Math.ceil(state / attentionPerToken) / 16) * 16 // 536 -> 544
    expect(pageTokens).toBe(544)
    expect(enginePages(next, 'vllm', {kvFormat: 'bf16'})).toEqual({pageTokens, linearStateBytesPerLayer: pageTokens * attentionPerToken})
    // 1000 tokens -> 2 pages of 544 in each of 12 attention layers; each of 36 linear layers padded to one page
    expect(engineKvBytes(next, 1000, 1, 'vllm', {kvFormat: 'bf16'})).toBe(12 * 1088 * attentionPerToken + 36 * 544 * attentionPerToken)
    // fp8 KV halves the attention page, so the page doubles to 1072 tokens and the bf16 state fits it exactly
    expect(enginePages(next, 'vllm', {kvFormat: 'fp8'}).pageTokens).toBe(1072)
  })
  it('transformers keeps the whole conv window and an fp32 recurrent state', () => {
    const next = loadModel('qwen3-next-80b-a3b-thinking')
    const state = (2 * 16 * 128 + 32 * 128) * 4 * 2 + 32 * 128 * 128 * 4
    expect(engineKvBytes(next, 1000, 1, 'transformers', {kvFormat: 'bf16'})).toBe(12 * 1000 * 2048 + 36 * state)
  })
  it('transformers caches MLA expanded per head', () => {
    const ds = loadModel('deepseek-v3')
    expect(engineKvBytes(ds, 1024, 1, 'transformers', {kvFormat: 'bf16'})).toBe(61 * 1024 * 128 * (192 + 128) * 2)
    expect(engineKvBytes(ds, 1024, 1, 'vllm', {kvFormat: 'bf16'})).toBe(61 * 1024 * 576 * 2)
  })
})

describe('tensor parallelism', () => {
  it('splits GQA heads, at least one per rank', () => {
    const llama = loadModel('llama-3.1-8b') // 8 KV heads
    expect(kvShareOfDevice(llama, {tp: 4, ep: 1, pp: 1})).toBe(2 / 8)
    expect(kvShareOfDevice(llama, {tp: 8, ep: 1, pp: 1})).toBe(1 / 8)
    const gemma1b = loadModel('gemma-3-1b-it') // 1 KV head: replicated on every rank
    expect(kvShareOfDevice(gemma1b, {tp: 4, ep: 1, pp: 1})).toBe(1)
  })
  it('replicates the MLA latent on every rank; pipeline stages split layers', () => {
    const ds = loadModel('deepseek-v3')
    expect(kvShareOfDevice(ds, {tp: 8, ep: 8, pp: 1})).toBe(1)
    expect(kvShareOfDevice(ds, {tp: 8, ep: 8, pp: 2})).toBe(1 / 2)
  })
})

describe('KDA state (hand-written 11 KDA + 1 full GPT-2-sized hybrid)', () => {
  it('conv state of q, k and v (3 x heads x dim) x kernel and a heads x dim x dim recurrent state; vLLM keeps K - 1 columns and an fp32 recurrent state', async () => {
    const {kdaHybrid} = await import('../helpers/spec.js')
    const spec = kdaHybrid()
    const perToken = 2 * 12 * 64 * 2 // the one full layer: K and V, 12 heads x 64, bf16
    expect(kvAt(spec, 100)).toBe(11 * (3 * 12 * 64 * 4 + 12 * 64 * 64) * 2 + 100 * perToken)
    const vllmState = 3 * 12 * 64 * 3 * 2 + 12 * 64 * 64 * 4
    const page = Math.ceil(Math.ceil(vllmState / perToken) / 16) * 16
    expect(enginePages(spec, 'vllm', {kvFormat: 'bf16'})).toEqual({pageTokens: page, linearStateBytesPerLayer: page * perToken})
  })
})
