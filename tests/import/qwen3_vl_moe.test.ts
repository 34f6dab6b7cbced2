// qwen3_vl_moe: Qwen3VLMoeConfig wrapping a Qwen3VLMoeTextConfig (configuration_qwen3_vl_moe.py;
// modeling_qwen3_vl_moe.py). The preset qwen3-vl-235b-a22b-instruct is Qwen's config.json (presets/sources/SOURCES.md):
// its text_config has Qwen3-235B-A22B's dimensions (94 layers, h 4096, 64/4 heads x 128 with QK-norm, 128 experts of
// 1536, top-8, vocab 151936, untied), so the text model counts as Qwen3-235B-A22B; the vision tower (27 blocks of 1152,
// three deepstack mergers for deepstack_visual_indexes [8, 16, 24]) is counted apart. The Qwen3-VL report
// (arXiv 2511.21631) names it 235B-A22B: 235.09B text, 22.19B active.
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadModel} from '../../src/presets/load.js'

const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

describe('qwen3_vl_moe (Qwen3-VL-235B-A22B-Instruct)', () => {
  const spec = loadModel('qwen3-vl-235b-a22b-instruct')
  const p = paramCounts(spec)
  // Qwen3VLMoeTextAttention: q_proj (4096, 64*128), k/v_proj (4096, 4*128), o_proj (64*128, 4096), no bias; q_norm + k_norm (128 each)
  const attention = 4096 * 8192 + 2 * 4096 * 512 + 8192 * 4096 + 2 * 128
  const expert = 3 * 4096 * 1536 // Qwen3VLMoeTextExperts: gate_up_proj (4096 -> 2 x 1536) and down_proj (1536 -> 4096) per expert
  const layer = attention + 2 * 4096 /* input and post-attention RMSNorm */ + 128 * expert + 128 * 4096 /* router gate */
  const total = 2 * 151936 * 4096 /* embed_tokens + untied lm_head */ + 94 * layer + 4096 /* final norm */

  it('total and active: the text model, as Qwen3-235B-A22B', () => {
    expect(p.totalParams).toBe(total)
    expect(total).toBe(235_093_634_560)
    expect(p.totalParams).toBe(paramCounts(loadModel('qwen3-235b-a22b')).totalParams)
    expect(p.activeParams).toBe(total - 94 * (128 - 8) * expert)
    expect(p.activeParams).toBe(22_190_763_520)
  })

  it('vision tower apart, with the three deepstack mergers', () => {
    // Qwen3VLMoeVisionModel: patch_embed Conv3d(3, 1152, (2, 16, 16)) with bias; pos_embed 2304 x 1152; 27 blocks of
    // norm1/norm2 LayerNorm, qkv (1152 -> 3456) and proj with bias, linear_fc1/fc2 (1152 <-> 4304) with bias; merger:
    // LayerNorm(1152), linear_fc1 (4608 -> 4608), linear_fc2 (4608 -> 4096); each deepstack merger the same with
    // LayerNorm(4608) (use_postshuffle_norm).
    const v = 1152
    const merged = 4 * v // 2 x 2 patches
    const block = 4 * v + (v * 3 * v + 3 * v) + (v * v + v) + (v * 4304 + 4304) + (4304 * v + v)
    const merger = merged * merged + merged + merged * 4096 + 4096
    const vision = 3 * 2 * 16 * 16 * v + v + 2304 * v + 27 * block + (2 * v + merger) + 3 * (2 * merged + merger)
    expect(p.encoderParams).toBe(vision)
    expect(vision).toBe(576_388_336)
  })

  it('KV: 94 layers x K and V x 4 KV heads x 128 in bf16', () => {
    expect(kvBytesPerTokenAt(spec, 1000, bf16)).toBe(94 * 2 * 4 * 128 * 2) // = 192,512 B
  })

  it('the wrapper decides the tie of the LM head; deepstack_visual_indexes absent = Qwen3VLMoeVisionConfig\'s three', () => {
    const raw = {model_type: 'qwen3_vl_moe', tie_word_embeddings: true, text_config: {hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 1000, moe_intermediate_size: 64, num_experts: 4, num_experts_per_tok: 2, max_position_embeddings: 4096}, vision_config: {out_hidden_size: 256}}
    const tied = importHfConfig(raw, {id: 'tiny'})
    expect(tied.embeddings.tied).toBe(true)
    expect(tied.encoders?.[0]).toMatchObject({kind: 'qwen3_5-vision', deepstackMergers: 3, outHiddenSize: 256})
    expect(importHfConfig({...raw, tie_word_embeddings: false}, {id: 'tiny'}).embeddings.tied).toBe(false)
  })

  it('deepstack_visual_indexes that is not a list: one clear line', () => {
    const raw = {model_type: 'qwen3_vl_moe', text_config: {hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 1000, moe_intermediate_size: 64, num_experts: 4, max_position_embeddings: 4096}, vision_config: {deepstack_visual_indexes: 8}}
    expect(() => importHfConfig(raw, {id: 'tiny'})).toThrow(/deepstack_visual_indexes must be a list/)
  })
})
