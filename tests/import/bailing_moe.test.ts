// bailing_moe: the remote-code BailingMoeConfig and modeling_bailing_moe.py of inclusionAI (inclusionAI/Ling
// models/ @ 69823a61). The fixture is inclusionAI/Ling-lite-1.5's config.json as a Rust test reproduces it verbatim
// (see SOURCES.md): h 2048, 28 layers, 16/4 heads x 128 (fused query_key_value), all layers MoE (first_k_dense_replace
// 0), 64 experts of 1408 (top-6) + 2 shared, vocab 126464, untied. Published (Ling-lite model card): "16.8B total,
// 2.75B activated"; computed 16,801,974,272 total, 2,753,153,024 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/ling-lite-1.5.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'ling-lite-1.5'}), 'bailing_moe')

describe('bailing_moe (Ling-lite-1.5)', () => {
  const h = 2048
  const attention = h * ((16 + 2 * 4) * 128) + (16 * 128) * h // query_key_value, dense; use_qkv_bias, use_bias false
  const expert = 3 * h * 1408
  const shared = 3 * h * (2 * 1408)
  const router = 64 * h // gate weight, no bias
  const layer = attention + 2 * h + 64 * expert + shared + router
  const total = 2 * 126464 * h + 28 * layer + h

  it('total and active (6 of 64 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(16_801_974_272)
    expect(p.activeParams).toBe(total - 28 * 58 * expert)
    expect(p.activeParams).toBe(2_753_153_024)
  })
  it('use_qkv_bias biases the fused query_key_value, use_bias the dense output (not the MLPs)', () => {
    expect(paramCounts(spec({...raw(), use_qkv_bias: true})).totalParams).toBe(total + 28 * (16 + 2 * 4) * 128)
    expect(paramCounts(spec({...raw(), use_bias: true})).totalParams).toBe(total + 28 * h)
  })
  it('first_k_dense_replace makes the first layers dense MLPs of intermediate_size', () => {
    const dense = attention + 2 * h + 3 * h * 1408
    expect(paramCounts(spec({...raw(), first_k_dense_replace: 2})).totalParams).toBe(2 * 126464 * h + 2 * dense + 26 * layer + h)
  })
  it('KV per token: 2 x 4 KV heads x 128 x 28 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 4 * 128 * 28 * 2)
  })
  it('num_key_value_heads is required (the class defaults it to 0)', () => {
    const {num_key_value_heads: _k, ...rest} = raw()
    expect(() => spec(rest)).toThrow(/num_key_value_heads/)
  })
})

// Ling 2.0: BailingMoeV2Config / modeling_bailing_moe_v2.py (inclusionAI/Ling-V2 models/ @ efee9bb7), published under
// model_type "bailing_moe" with architectures ["BailingMoeV2ForCausalLM"]. No copy of a Ling 2.0 config.json was
// found: the fixture is the class defaults (the Ling-mini-2.0 dimensions) with partial_rotary_factor 0.5. Published
// (Ling-V2 README): "1.43B activated of 16.26B total params", activated "non-embedding 789M"; computed
// 16,255,643,392 total, 1,432,973,056 active (789,147,392 of them outside the embedding and the LM head).
describe('bailing_moe v2 (Ling 2.0, BailingMoeV2ForCausalLM; class defaults = Ling-mini-2.0)', () => {
  const v2 = () => JSON.parse(readFileSync('tests/fixtures/hf/ling-mini-2.0-defaults.json', 'utf8'))
  const specV2 = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'ling-mini-2.0'}), 'bailing_moe')
  const h = 2048
  const attention = h * ((16 + 2 * 4) * 128) + (16 * 128) * h + 2 * 128 // query_key_value, dense, query/key_layernorm; no bias
  const expert = 3 * h * 512 // gate, up, down of moe_intermediate_size
  const shared = 3 * h * (1 * 512) // one shared MLP of 512 x num_shared_experts
  const router = 256 * h + 256 // gate.weight (E, h) + the expert_bias buffer (E)
  const denseLayer = attention + 2 * h + 3 * h * 5120 // layer 0: first_k_dense_replace 1
  const moeLayer = attention + 2 * h + 256 * expert + shared + router
  const embeddings = 2 * 157184 * h // word_embeddings + untied lm_head
  const total = embeddings + denseLayer + 19 * moeLayer + h

  it('total and active (8 of 256 experts, the shared one always on)', () => {
    const p = paramCounts(specV2(v2()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(16_255_643_392)
    expect(p.activeParams).toBe(total - 19 * 248 * expert)
    expect(p.activeParams).toBe(1_432_973_056)
    expect(p.activeParams - embeddings).toBe(789_147_392) // README: "non-embedding 789M"
  })
  it('half RoPE (partial_rotary_factor 0.5) and QK-norm are read', () => {
    const s = specV2(v2())
    expect(s.rope.partialRotaryFactor).toBe(0.5)
    expect(s.attention.qkNorm).toBe('per-head')
    expect(paramCounts(specV2({...v2(), use_qk_norm: false})).totalParams).toBe(total - 20 * 2 * 128)
  })
  it('a V2-only key marks a V2 file even without architectures', () => {
    const {architectures: _, ...rest} = v2()
    expect(paramCounts(specV2({...rest, use_qk_norm: true})).totalParams).toBe(total)
  })
  it('num_nextn_predict_layers: MTP layers shipped beside the model, counted apart', () => {
    const p = paramCounts(specV2({...v2(), num_nextn_predict_layers: 1}))
    expect(p.totalParams).toBe(total)
    // BailingMoeV2MTPLayer: a MoE decoder layer + enorm, hnorm, final_layernorm (3h) + eh_proj (2h x h)
    expect(p.mtpParams).toBe(moeLayer + 3 * h + 2 * h * h)
  })
  it('num_shared_experts null drops the shared MLP', () => {
    expect(paramCounts(specV2({...v2(), num_shared_experts: null})).totalParams).toBe(total - 19 * shared)
  })
  it('KV per token: 2 x 4 KV heads x 128 x 20 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(specV2(v2()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 4 * 128 * 20 * 2)
  })
})
