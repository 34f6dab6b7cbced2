// gemma4 with per-layer embeddings and the audio tower: Gemma 4 E2B and E4B (tests/fixtures/hf/gemma-4-e2b-it.json,
// gemma-4-e4b-it.json; SOURCES.md there). Counted from modeling_gemma4.py (@ c308a309) and configuration_gemma4.py
// (@ 351f643a): Gemma4TextModel (embed_tokens, embed_tokens_per_layer, per_layer_model_projection,
// per_layer_projection_norm, norm), Gemma4TextDecoderLayer (per_layer_input_gate, per_layer_projection,
// post_per_layer_input_norm, layer_scalar; no AltUp, no LAuReL), Gemma4TextAttention (KV-shared layers build q_proj,
// q_norm and o_proj only), Gemma4TextMLP (double width on KV-shared layers with use_double_wide_mlp),
// Gemma4VisionModel, Gemma4AudioModel and the two Gemma4MultimodalEmbedder.
//
// Checked against the Hub's safetensors totals, google/gemma-4-E2B(-it) 5,123,178,051 and google/gemma-4-E4B-it
// 7,996,156,490 (huggingface.js computeNumOfParamsByDtypeSingleFile: it skips 0-dim tensors). The released files store
// the k_proj, v_proj and k_norm of the KV-shared layers, which Gemma4TextModel does not build
// (_keys_to_ignore_on_load_unexpected drops them on load) and archcost does not count; and they store the 0-dim
// input/output min/max clip scalars of every Gemma4ClippableLinear, which archcost counts and the Hub figure skips.
// Both differences are worked out below; with them the totals agree to the parameter.
// Google's "2.3B effective" (E2B) is the text model without the per-layer embedding table.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {attentionFlopsAt, matmulParamsPerToken} from '../../src/calc/flops.js'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {layerParams, paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {mismatchCauses} from '../../src/report/verify-causes.js'
import {hfTensors} from '../checkpoint/hf-names.js'

type Raw = Record<string, unknown> & {audio_config: Record<string, unknown>; text_config: Record<string, unknown>}
const raw = (file: string) => parseJsonText(readFileSync(`tests/fixtures/hf/${file}`, 'utf8')) as Raw
const imported = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'gemma-4-e2b-test'}), 'gemma4')
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
const V = 262144 // vocab_size = vocab_size_per_layer_input
const p = 256 // hidden_size_per_layer_input

// Gemma4VisionModel (both models, use_clipped_linears true, standardize false): input_proj (3 x 16 x 16 -> 768), the
// (2, 10240, 768) position table; 16 layers of q/k/v/o (768 -> 12 x 64), q_norm + k_norm (64), gate/up/down
// (768 <-> 3072), 4 norms (768) and 7 clipped linears x 4 clip scalars; embed_vision (768 -> text h).
const visionLayer = 4 * 768 * 768 + 2 * 64 + 3 * 768 * 3072 + 4 * 768 + 7 * 4
const vision = (textHidden: number) => 3 * 16 * 16 * 768 + 2 * 10240 * 768 + 16 * visionLayer + 768 * textHidden
// Gemma4AudioModel: two 3x3 convs (1 -> 128, 128 -> 32, no bias) with a LayerNorm without bias each, input_proj_linear
// ((128 / 4) x 32 = 1024 -> 1024); 12 layers of two feed-forwards (pre/post norm, 1024 -> 4096 -> 1024), attention
// (q/k/v/post, relative_k_proj, per_dim_scale of 1024 / 8 = 128), light conv (2 norms, linear_start 1024 -> 2048,
// depthwise 1024 x 5, linear_end), 3 norms and 10 clipped linears x 4 clip scalars; output_proj (1024 -> 1536 + bias);
// embed_audio (1536 -> text h, its norm has no scale).
const D = 1024
const audioLayer = 2 * (2 * D + 2 * 4 * D * D) + (5 * D * D + 128) + (2 * D + 3 * D * D + D * 5) + 3 * D + 10 * 4
const audio = (textHidden: number) => 9 * 128 + 128 + 128 * 32 * 9 + 32 + 32 * 32 * D + 12 * audioLayer + (D * 1536 + 1536) + 1536 * textHidden

describe('gemma4 E2B (google/gemma-4-E2B-it): per-layer embeddings, 20 KV-shared layers with double-wide MLPs, audio', () => {
  const h = 1536
  const spec = imported(raw('gemma-4-e2b-it.json'))
  // Gemma4TextAttention. Sliding: q (h, 8 x 256), k and v (h, 1 x 256), o (8 x 256, h), q_norm + k_norm (256).
  // Full: head dim global_head_dim 512. KV-shared: q and o and q_norm only.
  const slidingOwn = h * 8 * 256 + 2 * h * 256 + 8 * 256 * h + 2 * 256
  const fullOwn = h * 8 * 512 + 2 * h * 512 + 8 * 512 * h + 2 * 512
  const slidingShared = h * 8 * 256 + 8 * 256 * h + 256
  const fullShared = h * 8 * 512 + 8 * 512 * h + 512
  const mlp = 3 * h * 6144 // layers 0-14
  const wideMlp = 3 * h * 2 * 6144 // layers 15-34 (KV-shared, use_double_wide_mlp)
  // 4 sandwich norms, layer_scalar, per_layer_input_gate (h, 256) + per_layer_projection (256, h) + post_per_layer_input_norm (h)
  const layerCommon = 4 * h + 1 + 2 * h * p + h
  // layer_types 4 sliding : 1 full; layers 0-14 keep their KV (12 sliding, 3 full), 15-34 share it (16 sliding, 4 full)
  const layers = 12 * (slidingOwn + mlp) + 3 * (fullOwn + mlp) + 16 * (slidingShared + wideMlp) + 4 * (fullShared + wideMlp) + 35 * layerCommon
  // embed_tokens (tied), embed_tokens_per_layer (262144, 35 x 256), per_layer_model_projection (h, 35 x 256),
  // per_layer_projection_norm (256), final norm (h)
  const text = V * h + V * 35 * p + h * 35 * p + p + h + layers

  it('total, effective, vision and audio towers', () => {
    const c = paramCounts(spec)
    expect(c.totalParams).toBe(text)
    expect(text).toBe(4_628_569_379)
    expect(c.breakdown.perLayerEmbedding).toBe(V * 35 * p)
    expect(c.effectiveParams).toBe(text - V * 35 * p) // 2,279,759,139: Google's "2.3B effective"
    expect(c.effectiveParams).toBe(2_279_759_139)
    expect(c.encoderParams).toBe(vision(h) + audio(h))
    expect(spec.encoders.map((e) => e.kind)).toEqual(['gemma4-vision', 'gemma4-audio'])
  })
  it('the Hub safetensors total, 5,123,178,051: + the KV-shared layers\' stored k/v/k_norm, - the 0-dim clip scalars', () => {
    const storedShared = 16 * (2 * h * 256 + 256) + 4 * (2 * h * 512 + 512) // 18,880,512
    const clipScalars = 16 * 7 * 4 + 12 * 10 * 4 // vision 448 + audio 480
    const c = paramCounts(spec)
    expect(c.totalParams + c.encoderParams + storedShared - clipScalars).toBe(5_123_178_051)
  })
  it('one layer at a time (layerParams, as training shards it): each layer\'s modules sum to the layers above', () => {
    const perLayer = spec.layerGroups.reduce((n, g) => {
      const l = layerParams(spec, g)
      return n + g.count * (l.attention + l.denseFfn + l.norms + l.other)
    }, 0)
    expect(perLayer).toBe(layers)
  })
  it('the breakdown: per-layer gate and projection under other, their norms under norms', () => {
    const b = paramCounts(spec).breakdown
    expect(b.other).toBe(h * 35 * p + 35 * 2 * h * p) // per_layer_model_projection + 35 x (gate + projection)
    expect(b.norms).toBe(12 * 512 + 3 * 1024 + 16 * 256 + 4 * 512 + 35 * (4 * h + 1 + h) + p + h)
    expect(b.denseFfn).toBe(15 * mlp + 20 * wideMlp)
  })
  it('KV per token: only layers 0-14 cache (12 sliding of 1 x (256 + 256), 3 full of 1 x (512 + 512)); shared layers cache nothing', () => {
    expect(kvBytesPerTokenAt(spec, 100, bf16)).toBe(12 * 1 * 512 * 2 + 3 * 1 * 1024 * 2) // 18,432 B inside the 512 window
    expect(kvBytesPerTokenAt(spec, 4096, bf16)).toBe(3 * 1024 * 2) // past it only the 3 full layers grow
    const kv = kvCache(spec, 32768, 1, bf16)
    expect(kv.windowedBytes).toBe(12 * 512 * 1024)
    expect(kv.fullBytes).toBe(3 * 32768 * 2048)
  })
  it('FLOPs: the per-layer projections are matmuls, the per-layer embedding lookup is not', () => {
    const b = paramCounts(spec).breakdown
    expect(matmulParamsPerToken(spec)).toBe(b.attention + b.denseFfn + b.other + V * h) // the tied head multiplies embed_tokens
    // KV-shared layers still attend: at position 4095 the 28 sliding layers see 512 keys, the 7 full ones 4096
    expect(attentionFlopsAt(spec, 4095, 'expanded')).toBe(28 * 512 * 2 * 8 * (256 + 256) + 7 * 4096 * 2 * 8 * (512 + 512))
  })
  it('verify names the KV-shared layers\' k_proj and v_proj the released file stores and the model does not build', () => {
    const built = hfTensors(spec).map((t) => ({name: t.name, shape: [t.params]}))
    expect(mismatchCauses(spec, 'hf', built, 'config').join('\n')).not.toMatch(/reuse an earlier layer/)
    const stored = Array.from({length: 20}, (_, i) => ['k_proj', 'v_proj'].map((w) => ({name: `model.language_model.layers.${15 + i}.self_attn.${w}.weight`, shape: [256, h]}))).flat()
    expect(mismatchCauses(spec, 'hf', [...built, ...stored], 'config')).toContain(
      "20 layers reuse an earlier layer's KV and build no k/v projections (num_kv_shared_layers); the checkpoint stores them in 20 of those layers (transformers drops them on load)",
    )
  })
  it('GGUF tensors add up to the breakdown class by class (per_layer_token_embd apart; inp_gate, proj, post_norm per block)', () => {
    const classes = weightClassValues(paramCounts(spec).breakdown, weightFormatsFor(spec))
    const m = ggufMixBytes(spec, 'q4_k_m')
    expect(m.params).toEqual({embeddings: classes.embeddings.x, perLayerEmbeddings: V * 35 * p, linear: classes.linear.x, experts: 0, unquantized: classes.unquantized.x})
  })
})

describe('gemma4 E4B (google/gemma-4-E4B-it): per-layer embeddings, 18 KV-shared layers, audio', () => {
  const h = 2560
  const spec = imported(raw('gemma-4-e4b-it.json'))
  // 2 KV heads; layer_types 5 sliding : 1 full; layers 0-23 own KV (20 sliding, 4 full), 24-41 share (15 sliding, 3 full)
  const slidingOwn = h * 8 * 256 + 2 * h * 2 * 256 + 8 * 256 * h + 2 * 256
  const fullOwn = h * 8 * 512 + 2 * h * 2 * 512 + 8 * 512 * h + 2 * 512
  const slidingShared = h * 8 * 256 + 8 * 256 * h + 256
  const fullShared = h * 8 * 512 + 8 * 512 * h + 512
  const layerCommon = 3 * h * 10240 + 4 * h + 1 + 2 * h * p + h // no double-wide MLP
  const text = V * h + V * 42 * p + h * 42 * p + p + h + 20 * slidingOwn + 4 * fullOwn + 15 * slidingShared + 3 * fullShared + 42 * layerCommon

  it('total, effective, encoders, and the Hub safetensors total 7,996,156,490', () => {
    const c = paramCounts(spec)
    expect(c.totalParams).toBe(text)
    expect(text).toBe(7_463_013_418)
    expect(c.effectiveParams).toBe(text - V * 42 * p) // 4,644,441,130 (Google: "4.5B effective")
    expect(c.encoderParams).toBe(vision(h) + audio(h))
    const storedShared = 15 * (2 * h * 2 * 256 + 256) + 3 * (2 * h * 2 * 512 + 512) // 55,055,616
    expect(c.totalParams + c.encoderParams + storedShared - (16 * 7 * 4 + 12 * 10 * 4)).toBe(7_996_156_490)
  })
  it('KV per token: 20 sliding layers of 2 x (256 + 256), 4 full of 2 x (512 + 512)', () => {
    expect(kvBytesPerTokenAt(spec, 100, bf16)).toBe(20 * 2 * 512 * 2 + 4 * 2 * 1024 * 2) // 57,344 B
    expect(kvBytesPerTokenAt(spec, 4096, bf16)).toBe(4 * 2 * 1024 * 2)
  })
})

describe('gemma4 audio_config keys', () => {
  const r = raw('gemma-4-e2b-it.json')
  const base = paramCounts(imported(r)).encoderParams
  it('use_clipped_linears false drops the 40 clip scalars of each of the 12 audio layers', () => {
    const s = imported({...r, audio_config: {...r.audio_config, use_clipped_linears: false}})
    expect(paramCounts(s).encoderParams).toBe(base - 12 * 40)
  })
  it('an audio_config with class defaults counts as the released one; null builds no audio tower', () => {
    expect(paramCounts(imported({...r, audio_config: {model_type: 'gemma4_audio'}})).encoderParams).toBe(base)
    expect(paramCounts(imported({...r, audio_config: null})).encoderParams).toBe(base - audio(1536))
  })
  it('subsampling_conv_channels of other than two entries is refused with one line', () => {
    expect(() => imported({...r, audio_config: {...r.audio_config, subsampling_conv_channels: [128, 64, 32]}})).toThrow(/subsampling_conv_channels needs two entries/)
  })
})
