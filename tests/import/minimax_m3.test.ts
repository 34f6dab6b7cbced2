// minimax_m3 (MiniMax-M3): no transformers class; the reference is SGLang's python/sglang/srt/models/minimax_m3.py
// (MiniMaxM3SparseForCausalLM, MiniMaxM3Attention, MiniMaxM3MoE, MiniMaxM3MLP). The config is
// presets/sources/minimax-m3.config.json, MiniMaxAI/MiniMax-M3's config.json as ai-dynamo/aiconfigurator @ 095f58a5
// keeps it (the text model): 60 layers, h 6144, 64/4 heads x 128, per-head QK-norm, rotary_dim 64, 3 dense layers
// (12288) then 57 MoE layers (128 experts of 3072, top-4, one shared expert of 3072, routing bias), MSA in layers
// 3-59 (4 index heads x 128, top-16 blocks of 128, score-only indexer), 1 MTP module, vocab 200064, untied.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {attentionFlopsAt} from '../../src/calc/flops.js'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt, kvBytesReadAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadModel, parseModelSpec} from '../../src/presets/load.js'

type Json = Record<string, unknown>
const raw = () => parseJsonText(readFileSync('presets/sources/minimax-m3.config.json', 'utf8')) as Json
const spec = (config: Json) => parseModelSpec(importHfConfig(config, {id: 'minimax-m3'}), 'minimax_m3')
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

describe('minimax_m3 (MiniMax-M3)', () => {
  const h = 6144
  const attention = h * (64 * 128) + 2 * h * (4 * 128) + (64 * 128) * h // q, k, v, o without biases
  const qkNorm = 128 + 128 // q_norm, k_norm per head (Gemma RMSNorm: same weights)
  const indexer = h * (4 * 128) + h * 128 // index_q_proj, index_k_proj; no index_v/o (sparse_disable_index_value)
  const indexerNorms = 128 + 128 // index_q_norm, index_k_norm
  const norms = 2 * h // input_layernorm, post_attention_layernorm
  const dense = 3 * h * 12288 // MiniMaxM3MLP of dense_intermediate_size
  const expert = 3 * h * 3072 // w1, w3, w2 of intermediate_size
  const shared = 3 * h * 3072 // shared_experts: intermediate_size x n_shared_experts
  const router = 128 * h + 128 // gate + e_score_correction_bias (use_routing_bias)
  const denseLayer = attention + qkNorm + norms + dense // layers 0-2: dense attention, dense MLP
  const moeLayer = attention + qkNorm + indexer + indexerNorms + norms + 128 * expert + shared + router // 3-59
  const total = 2 * 200064 * h + h + 3 * denseLayer + 57 * moeLayer // embedding, lm_head, final norm

  it('total and active parameters (4 of 128 experts and the shared expert)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(426_174_572_928) // the card: "~428B" (the multimodal checkpoint's, vision tower included)
    expect(p.activeParams).toBe(total - 57 * 124 * expert)
    expect(total - 57 * 124 * expert).toBe(25_962_473_856)
    // The card's "~23B activated": without the input embedding and the LM head, 23,504,087,424
    expect(total - 57 * 124 * expert - 2 * 200064 * h).toBe(23_504_087_424)
    expect(p.breakdown.other).toBe(57 * indexer)
  })
  it('the MTP module (model.mtp.layers.0) is counted apart: enorm, hnorm, final_layernorm, eh_proj, a sparse MoE layer', () => {
    expect(paramCounts(spec(raw())).mtpParams).toBe(moeLayer + 3 * h + 2 * h * h)
  })
  it('KV bytes per token: K and V of 4 heads x 128 in 60 layers, and the 128-wide index key in the 57 sparse layers', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 100, bf16)).toBe((60 * 4 * (128 + 128) + 57 * 128) * 2)
    expect(kvCache(spec(raw()), 4096, 2, bf16).totalBytes).toBe(2 * 4096 * (60 * 4 * 256 + 57 * 128) * 2)
  })
  it('KV a decode step reads: dense layers their whole cache, sparse layers the K and V of 2048 keys and every index key', () => {
    const L = 100_000
    expect(kvBytesReadAt(spec(raw()), L, 1, bf16)).toBe((3 * L * 4 * 256 + 57 * (2048 * 4 * 256 + L * 128)) * 2)
    expect(kvBytesReadAt(spec(raw()), 1000, 1, bf16)).toBe(kvCache(spec(raw()), 1000, 1, bf16).totalBytes) // under 2048 keys: all
  })
  it('attention FLOPs of a decode step: sparse layers attend 16 blocks x 128 keys and score every key with 4 index heads', () => {
    const pos = 100_000 // the query sees pos + 1 keys
    const perKey = 2 * 64 * (128 + 128)
    const indexPerKey = 2 * 4 * 128
    expect(attentionFlopsAt(spec(raw()), pos, 'expanded')).toBe(3 * (pos + 1) * perKey + 57 * (2048 * perKey + (pos + 1) * indexPerKey))
    // Within the first 2048 keys a sparse layer attends them all
    expect(attentionFlopsAt(spec(raw()), 99, 'expanded')).toBe(60 * 100 * perKey + 57 * 100 * indexPerKey)
  })
  it('the GGUF enumeration counts every parameter once, indexer tensors included', () => {
    const s = spec(raw())
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'q4_k_m').params.linear).toBe(classes.linear.x)
    expect(ggufMixBytes(s, 'q4_k_m').params.unquantized).toBe(classes.unquantized.x)
  })
  it('the preset is the importer\'s output', () => {
    expect(loadModel('minimax-m3').attention).toEqual(spec(raw()).attention)
  })
  it('refuses what it does not model, in one line', () => {
    expect(() => spec({...raw(), attention_output_gate: true})).toThrow(/attention_output_gate/)
    expect(() => spec({...raw(), moe_intermediate_size: 2048})).toThrow(/moe_intermediate_size 2048 differs/)
    const sparse = raw().sparse_attention_config as Json
    const values = Array.from({length: 60}, (_, i) => (i < 3 ? 0 : i === 10 ? 0 : 1))
    expect(() => spec({...raw(), sparse_attention_config: {...sparse, sparse_disable_index_value: values}})).toThrow(/sparse layer 10 has an index value/)
  })
  it('without sparse attention the layers are plain GQA: no indexer, no index key', () => {
    const sparse = raw().sparse_attention_config as Json
    const s = spec({...raw(), sparse_attention_config: {...sparse, use_sparse_attention: false}})
    expect(s.attention.indexer).toBeUndefined()
    expect(paramCounts(s).totalParams).toBe(total - 57 * (indexer + indexerNorms))
    expect(kvBytesPerTokenAt(s, 100, bf16)).toBe(60 * 4 * 256 * 2)
  })
})
