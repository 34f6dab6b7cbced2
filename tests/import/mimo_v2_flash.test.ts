// mimo_v2_flash (MiMo-V2-Flash): MiMoV2FlashConfig / MiMoV2FlashForCausalLM (transformers modular_mimo_v2_flash.py)
// and vLLM's mimo_v2_flash.py (MiMoV2Attention, MiMoV2MoE, MiMoV2MLP), which reads the remote-code keys of the
// published config.json: presets/sources/mimo-v2-flash.config.json, XiaomiMiMo/MiMo-V2-Flash's config as
// ai-dynamo/aiconfigurator @ 095f58a5 keeps it. 48 layers, h 4096, 64 heads, qk 192 / v 128; 9 full layers (4 KV
// heads) and 39 sliding-window layers (window 128, 8 KV heads, attention sinks) by hybrid_layer_pattern; layer 0
// dense (16384), then 256 experts of 2048, top-8, no shared expert, router + e_score_correction_bias; vocab 152576.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {attentionFlopsAt} from '../../src/calc/flops.js'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

type Json = Record<string, unknown>
const raw = () => parseJsonText(readFileSync('presets/sources/mimo-v2-flash.config.json', 'utf8')) as Json
const spec = (config: Json) => parseModelSpec(importHfConfig(config, {id: 'mimo-v2-flash'}), 'mimo_v2_flash')
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

describe('mimo_v2_flash (MiMo-V2-Flash)', () => {
  const h = 4096
  const full = h * (64 * 192) + h * (4 * 192) + h * (4 * 128) + (64 * 128) * h // q, k, v (v head 128), o; no bias
  const sliding = h * (64 * 192) + h * (8 * 192) + h * (8 * 128) + (64 * 128) * h + 64 // 8 KV heads, sinks (64)
  const norms = 2 * h
  const dense = 3 * h * 16384
  const expert = 3 * h * 2048
  const router = 256 * h + 256 // gate + e_score_correction_bias
  const moe = 256 * expert + router
  // layer 0: full + dense; full at 5, 11, 17, 23, 29, 35, 41, 47 with MoE; 39 sliding with MoE
  const total = 2 * 152576 * h + h + (full + norms + dense) + 8 * (full + norms + moe) + 39 * (sliding + norms + moe)

  it('total and active parameters (8 of 256 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(308_778_780_864) // the card: "309B total parameters"
    expect(p.activeParams).toBe(total - 47 * 248 * expert)
    expect(total - 47 * 248 * expert).toBe(15_445_936_320) // the card: "15B active parameters"
    expect(p.breakdown.attention).toBe(9 * full + 39 * (sliding - 64) + 39 * 64)
  })
  it('MTP, counted apart: 3 modules (model.mtp.layers.0-2), each vLLM mimo_v2_mtp.py MiMoV2MTPLayer', () => {
    // enorm, hnorm, final_layernorm (3h) + eh_proj (2h x h) + input_layernorm and pre_mlp_layernorm (2h) + an attention of
    // the SWA shape (8 KV heads, 64 sinks) + a dense MLP of intermediate_size 16384
    const module = 3 * h + 2 * h * h + norms + sliding + dense
    expect(module).toBe(329_273_408)
    const p = paramCounts(spec(raw()))
    expect(p.mtpParams).toBe(3 * module) // 987,820,224
    expect(p.totalParams).toBe(total) // the MTP modules stay apart from the total
    expect(total + 3 * module).toBe(309_766_601_088) // the checkpoint's tensors, MTP included
  })
  it('KV bytes per token: full layers 4 heads x (192 + 128), sliding layers 8 heads x (192 + 128) until their window fills', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1000, bf16)).toBe(9 * 4 * (192 + 128) * 2) // past the 128-token window
    expect(kvBytesPerTokenAt(spec(raw()), 100, bf16)).toBe((9 * 4 + 39 * 8) * (192 + 128) * 2)
    expect(kvCache(spec(raw()), 32768, 1, bf16).totalBytes).toBe(9 * 32768 * 4 * 320 * 2 + 39 * 128 * 8 * 320 * 2)
  })
  it('attention FLOPs of a decode step: full layers see every key, sliding layers their 128', () => {
    const pos = 10_000
    const perKey = 2 * 64 * (192 + 128)
    expect(attentionFlopsAt(spec(raw()), pos, 'expanded')).toBe(9 * (pos + 1) * perKey + 39 * 128 * perKey)
  })
  it('the transformers class defaults (no swa_* keys) build the same model: SWA layers with twice the KV heads and sinks', () => {
    const s = spec({model_type: 'mimo_v2_flash'})
    expect(paramCounts(s).totalParams).toBe(total)
    // every sliding run's own attention: 2 x 4 KV heads and sinks; heads (64) and head dims (192, v 128) are the full layers'
    expect(s.layerGroups.filter((g) => g.mixer === 'sliding').every((g) => g.attention?.kvHeads === 8 && g.attention.sinks === true && Object.keys(g.attention).length === 2)).toBe(true)
    expect(s.rope).toEqual({theta: 5000000, scaling: null, partialRotaryFactor: 0.334, localTheta: 10000})
  })
  it('the GGUF enumeration counts every parameter once, sliding-layer shapes included', () => {
    const s = spec(raw())
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const m = ggufMixBytes(s, 'q4_k_m').params
    expect([m.linear, m.experts, m.unquantized, m.embeddings]).toEqual([classes.linear.x, classes.experts.x, classes.unquantized.x, classes.embeddings.x])
  })
  it('FP8 128x128 blocks (quantization_config)', () => {
    expect(spec(raw()).checkpointQuantization).toMatchObject({method: 'fp8', layout: 'fp8-block', blockSize: [128, 128]})
  })
  it('refuses what it does not model, in one line', () => {
    expect(() => spec({...raw(), n_shared_experts: 1})).toThrow(/no shared experts/)
    expect(() => spec({...raw(), moe_layer_freq: 1})).toThrow(/moe_layer_freq/)
    expect(() => spec({...raw(), hybrid_layer_pattern: [0, 1]})).toThrow(/hybrid_layer_pattern has 2 entries for 48 layers/)
  })
})
