// qwen3_5: Qwen3_5Config / Qwen3_5TextConfig / Qwen3_5VisionConfig (configuration_qwen3_5.py; modeling_qwen3_5.py).
// The preset qwen3.5-27b is Qwen/Qwen3.5-27B's config.json (presets/sources/SOURCES.md): 64 layers, every 4th gated full
// attention (24/4 heads x 256, q_proj doubled for the output gate, q/k norms), the other 48 Qwen3_5GatedDeltaNet
// (16 key / 48 value heads of 128, conv 4), dense MLP 17408, h 5120, vocab 248320 untied, one MTP layer, and a
// 27-block vision tower (hidden 1152, ffn 4304, patch 16, out 5120). Checked against a published checkpoint of the same
// shape (Qwen3.6-27B / Qwen3.8-27B, identical config): model.safetensors.index.json total_size 55,562,855,904 bytes
// = 2 x 27,781,427,952 bf16 parameters = text 26,895,998,464 + MTP 424,699,392 + vision 460,730,096, as computed here.
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseJsonText} from '../../src/files.js'
import {loadModel, parseModelSpec} from '../../src/presets/load.js'
import {readFileSync} from 'node:fs'

const raw = () => parseJsonText(readFileSync('presets/sources/qwen3.5-27b.config.json', 'utf8')) as Record<string, unknown> & {text_config: Record<string, unknown>}
const imported = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'qwen3.5-27b'}), 'qwen3_5')

describe('qwen3_5 (Qwen3.5-27B)', () => {
  const h = 5120
  // Qwen3_5GatedDeltaNet: in_proj_qkv (h, 2*16*128 + 48*128), in_proj_z (h, 48*128), in_proj_b and in_proj_a (h, 48 each),
  // conv1d (2*16*128 + 48*128 channels x 4, no bias), dt_bias + A_log (48 each), gated norm (128), out_proj (48*128, h)
  const deltaNet = h * (2 * 16 * 128 + 48 * 128) + h * 48 * 128 + 2 * h * 48 + (2 * 16 * 128 + 48 * 128) * 4 + 2 * 48 + 128 + 48 * 128 * h
  // Qwen3_5Attention: q_proj (h, 2*24*256: query and gate), k/v (h, 4*256), o (24*256, h), q_norm + k_norm (256 each)
  const gatedAttention = h * 2 * 24 * 256 + 2 * h * 4 * 256 + 24 * 256 * h + 2 * 256
  const mlp = 3 * h * 17408 // Qwen3_5MLP gate/up/down, no bias
  const norms = 2 * h // input_layernorm, post_attention_layernorm
  const text = 248320 * h * 2 /* untied embed_tokens + lm_head */ + h /* final norm */ + 48 * deltaNet + 16 * gatedAttention + 64 * (norms + mlp)
  // Qwen3_5VisionModel: Conv3d patch_embed (3 x 2 x 16 x 16 -> 1152) with bias, pos_embed (2304 x 1152), 27 blocks of two
  // LayerNorms (weight + bias), qkv (1152 -> 3456) and proj with bias, fc1 (1152 -> 4304) and fc2 with bias; merger:
  // LayerNorm (1152), fc1 (4608 -> 4608) and fc2 (4608 -> 5120) with bias
  const v = 1152
  const block = 4 * v + (v * 3 * v + 3 * v) + (v * v + v) + (v * 4304 + 4304) + (4304 * v + v)
  const merged = 4 * v
  const vision = 3 * 2 * 16 * 16 * v + v + 2304 * v + 27 * block + 2 * v + (merged * merged + merged) + (merged * h + h)

  it('text model: every module Qwen3_5TextModel and the LM head build', () => {
    const p = paramCounts(loadModel('qwen3.5-27b'))
    expect(p.totalParams).toBe(text)
    expect(text).toBe(26_895_998_464)
    expect(p.activeParams).toBe(text) // dense
  })
  it('the MTP layer (mtp.*) is apart: a gated full-attention layer with the dense MLP + fc (2h -> h) + three norms', () => {
    const mtp = gatedAttention + norms + mlp + 2 * h * h + 3 * h
    expect(paramCounts(loadModel('qwen3.5-27b')).mtpParams).toBe(mtp)
    expect(mtp).toBe(424_699_392)
  })
  it('the vision tower is apart, and text + MTP + vision is the published checkpoint of this shape', () => {
    const p = paramCounts(loadModel('qwen3.5-27b'))
    expect(p.encoderParams).toBe(vision)
    expect(vision).toBe(460_730_096)
    expect(2 * (p.totalParams + p.mtpParams + p.encoderParams)).toBe(55_562_855_904) // bf16 total_size
  })
  it('KV: 16 full-attention layers x K and V x 4 KV heads x 256 in bf16; 48 DeltaNet layers hold a fixed state', () => {
    const spec = loadModel('qwen3.5-27b')
    const perToken = 16 * 2 * 4 * 256 * 2 // = 65,536 B
    expect(kvBytesPerTokenAt(spec, 1000, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(perToken)
    // conv state (2*16*128 + 48*128 = 10240 channels) x kernel 4 + recurrent state 48 heads x 128 x 128, bf16
    const state = (10240 * 4 + 48 * 128 * 128) * 2 // = 1,654,784 B per layer
    expect(kvCache(spec, 1000, 1, {kvFormat: 'bf16', mlaCache: 'latent'}).totalBytes).toBe(48 * state + 1000 * perToken)
  })
  it('imports the config as the preset has it: 3 DeltaNet then 1 full layer, partial rotary 0.25, M-RoPE without weights', () => {
    const spec = imported(raw())
    expect(spec.layerGroups.slice(0, 2)).toEqual([
      {count: 3, mixer: 'linear', rope: false, ffn: 'dense'},
      {count: 1, mixer: 'full', rope: true, ffn: 'dense'},
    ])
    expect(spec.rope).toEqual({theta: 10000000, scaling: null, partialRotaryFactor: 0.25})
    expect(spec.attention.outputGate).toBe(true)
    expect(spec.mtpLayers).toBe(1)
  })
  it('without layer_types, every full_attention_interval-th layer is full attention (Qwen3_5TextConfig.__post_init__)', () => {
    const config = raw()
    const {layer_types: _, ...text} = config.text_config
    const spec = imported({...config, text_config: {...text, full_attention_interval: 2}})
    expect(spec.layerGroups.slice(0, 2).map((g) => [g.count, g.mixer])).toEqual([
      [1, 'linear'],
      [1, 'full'],
    ])
  })
  it('refuses what it does not model, in one line', () => {
    const config = raw()
    expect(() => imported({...config, text_config: {...config.text_config, mtp_use_dedicated_embeddings: true}})).toThrow(/mtp_use_dedicated_embeddings/)
    expect(() => imported({...config, text_config: {...config.text_config, attn_output_gate: false}})).toThrow(/attn_output_gate/)
    const types = [...(config.text_config.layer_types as string[])]
    types[0] = 'sliding_attention'
    expect(() => imported({...config, text_config: {...config.text_config, layer_types: types}})).toThrow(/not a qwen3_5 layer type/)
  })
})
