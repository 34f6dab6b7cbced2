// gemma4 / gemma4_text: Gemma4Config, Gemma4TextConfig, Gemma4VisionConfig (configuration_gemma4.py @ 008e5743) and
// modeling_gemma4.py (@ c308a309): Gemma4TextAttention, Gemma4TextMLP, Gemma4TextRouter, Gemma4TextExperts,
// Gemma4TextDecoderLayer, Gemma4TextModel, Gemma4VisionModel, Gemma4MultimodalEmbedder.
// The presets are the published config.json files (presets/sources/SOURCES.md):
//   gemma-4-26b-a4b: google/gemma-4-26B-A4B. Checked against the Hub's safetensors parameter total of
//     google/gemma-4-26B-A4B-it, 25,805,936,206 (model.safetensors.index.json total_size 51,611,872,412 bytes = 2 x that,
//     total_parameters 25,805,933,872 = that less the 2,334 buffers std_bias/std_scale and layer_scalar).
//   gemma-4-31b-it-nvfp4: nvidia/Gemma-4-31B-IT-NVFP4, NVFP4 of google/gemma-4-31B-it, whose safetensors total is
//     31,273,088,876 parameters (total_size 62,546,177,752 bytes = 2 x that).
// Google's model cards: "25.2B total, 3.8B active" and "30.7B" are the text models counted here.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {engineKvBytes} from '../../src/calc/engines.js'
import {attentionFlopsAt} from '../../src/calc/flops.js'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {quantizedCheckpointBytes} from '../../src/calc/quantized.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadModel, parseModelSpec} from '../../src/presets/load.js'

type Raw = Record<string, unknown> & {text_config: Record<string, unknown>}
const raw = (id: string) => parseJsonText(readFileSync(`presets/sources/${id}.config.json`, 'utf8')) as Raw
const imported = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'gemma-4-test'}), 'gemma4')
const withText = (id: string, text: Record<string, unknown>) => {
  const r = raw(id)
  return {...r, text_config: {...r.text_config, ...text}}
}
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

// Gemma4VisionModel (both presets): patch input_proj (3*16*16 -> 1152, no bias), position_embedding_table (2, 10240, 1152);
// 27 layers of q/k/v/o (1152 -> 16 x 72 = 1152), q_norm + k_norm (72; v_norm has no scale), gate/up/down (1152 <-> 4304),
// 4 norms (1152); std_bias + std_scale buffers (standardize); embed_vision: embedding_projection (1152 -> text h).
const visionLayer = 4 * 1152 * 1152 + 2 * 72 + 3 * 1152 * 4304 + 4 * 1152
const vision = (textHidden: number) => 3 * 16 * 16 * 1152 + 2 * 10240 * 1152 + 27 * visionLayer + 2 * 1152 + 1152 * textHidden

describe('gemma4 (Gemma 4 26B A4B: MoE beside a dense MLP, global layers with keys = values)', () => {
  const h = 2816
  // Gemma4TextAttention, sliding: q (h, 16 x 256), k and v (h, 8 x 256), o (16 x 256, h), q_norm + k_norm (256).
  const sliding = h * 16 * 256 + 2 * h * 8 * 256 + 16 * 256 * h
  // Full layers (attention_k_eq_v): head dim global_head_dim 512, num_global_key_value_heads 2, no v_proj.
  const full = h * 16 * 512 + h * 2 * 512 + 16 * 512 * h
  const mlp = 3 * h * 2112 // Gemma4TextMLP gate/up/down, beside the experts
  const experts = 128 * (2 * 704 * h + h * 704) // Gemma4TextExperts gate_up_proj (128, 2 x 704, h) + down_proj (128, h, 704)
  const router = 128 * h + h + 128 // Gemma4TextRouter proj, scale, per_expert_scale (its norm has no scale)
  // input, post-attention, pre/post-feedforward, post_feedforward_layernorm_1/_2, pre_feedforward_layernorm_2 + layer_scalar (1)
  const layerCommon = mlp + experts + router + 7 * h + 1
  const text = 262144 * h /* tied */ + 25 * (sliding + 2 * 256 + layerCommon) + 5 * (full + 2 * 512 + layerCommon) + h /* final norm */
  const spec = loadModel('gemma-4-26b-a4b')

  it('total, active (8 of 128 experts), and the vision tower: the Hub safetensors total to the parameter', () => {
    const p = paramCounts(spec)
    expect(p.totalParams).toBe(text)
    expect(text).toBe(25_233_141_790) // "25.2B"
    expect(p.activeParams).toBe(text - 30 * 120 * (3 * 704 * h))
    expect(p.activeParams).toBe(3_822_530_590) // "3.8B active"
    expect(p.encoderParams).toBe(vision(h))
    expect(p.totalParams + p.encoderParams).toBe(25_805_936_206) // google/gemma-4-26B-A4B-it safetensors total
  })
  it('the breakdown: 1.11B attention, the dense MLP as an always-on shared expert, the routers with their scales', () => {
    const b = paramCounts(spec).breakdown
    expect(b.attention).toBe(25 * sliding + 5 * full)
    expect(b.sharedExperts).toBe(30 * mlp)
    expect(b.router).toBe(30 * router)
    expect(b.norms).toBe(25 * 512 + 5 * 1024 + 30 * (7 * h + 1) + h) // 612,126: the 271 norms and 30 layer_scalar of the files
    expect(b.norms).toBe(612_126)
  })
  it('KV per token: sliding layers 8 heads x (256 + 256), global layers 2 heads x (512 + 512), both cached (values skip k_norm and RoPE)', () => {
    // bf16, 2 bytes: sliding 8 x 512 x 2 = 8,192 B per layer, global 2 x 1024 x 2 = 4,096 B per layer
    expect(kvBytesPerTokenAt(spec, 512, bf16)).toBe(25 * 8 * 512 * 2 + 5 * 2 * 1024 * 2) // every layer still grows: 225,280 B
    expect(kvBytesPerTokenAt(spec, 4096, bf16)).toBe(5 * 2 * 1024 * 2) // past the 1024 window only the 5 global layers grow
    const kv = kvCache(spec, 32768, 1, bf16)
    expect(kv.windowedBytes).toBe(25 * 1024 * 8 * 512 * 2)
    expect(kv.fullBytes).toBe(5 * 32768 * 2 * 1024 * 2)
  })
  it('attention FLOPs per token: 2 x heads x (dk + dv) per key, global layers at 512', () => {
    // decode at position 4095 (L = 4096): sliding layers see 1024 keys, global layers 4096
    expect(attentionFlopsAt(spec, 4095, 'expanded')).toBe(25 * 1024 * 2 * 16 * (256 + 256) + 5 * 4096 * 2 * 16 * (512 + 512))
  })
  it('GGUF tensors add up to the breakdown class by class (no attn_v on the global layers)', () => {
    const classes = weightClassValues(paramCounts(spec).breakdown, weightFormatsFor(spec))
    const m = ggufMixBytes(spec, 'q4_k_m')
    expect(m.params).toEqual({embeddings: classes.embeddings.x, perLayerEmbeddings: 0, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x})
  })
})

describe('gemma4 (Gemma 4 31B IT, NVIDIA NVFP4)', () => {
  const h = 5376
  const sliding = h * 32 * 256 + 2 * h * 16 * 256 + 32 * 256 * h + 2 * 256 // q, k + v, o, q/k norms
  const full = h * 32 * 512 + h * 4 * 512 + 32 * 512 * h + 2 * 512 // q, k (no v_proj), o, q/k norms
  const layerCommon = 3 * h * 21504 + 4 * h + 1 // Gemma4TextMLP, 4 sandwich norms, layer_scalar
  const text = 262144 * h + 50 * (sliding + layerCommon) + 10 * (full + layerCommon) + h
  const spec = loadModel('gemma-4-31b-it-nvfp4')

  it('total and the vision tower: google/gemma-4-31B-it safetensors total to the parameter', () => {
    const p = paramCounts(spec)
    expect(p.totalParams).toBe(text)
    expect(text).toBe(30_697_345_340) // "30.7B"
    expect(p.encoderParams).toBe(vision(h))
    expect(p.totalParams + p.encoderParams).toBe(31_273_088_876) // total_size 62,546,177,752 bytes / 2
  })
  it('KV per token: 16 heads x (256 + 256) on 50 sliding layers, 4 heads x (512 + 512) on 10 global ones', () => {
    expect(kvBytesPerTokenAt(spec, 100, bf16)).toBe(50 * 16 * 512 * 2 + 10 * 4 * 1024 * 2) // 901,120 B
    const kv = kvCache(spec, 262144, 1, bf16)
    expect(kv.totalBytes).toBe(50 * 1024 * 16384 + 10 * 262144 * 8192) // 800 MiB + 20 GiB
    // vLLM pages of 16 tokens; a sliding layer keeps the window and a page of slack (1024 + 16), a global layer the context.
    expect(engineKvBytes(spec, 32768, 1, 'vllm', bf16)).toBe(50 * 1040 * 16384 + 10 * 32768 * 8192)
  })
  it('NVFP4 bytes: the MLPs only (ModelOpt ignore keeps every self_attn, lm_head and the vision tower at bf16)', () => {
    const q = quantizedCheckpointBytes(spec)!
    expect(q.tensors.filter((t) => t.quantized).map((t) => t.name.replace(/^blk\.\d+\./, ''))).toEqual(Array(60).fill(['ffn_gate.weight', 'ffn_up.weight', 'ffn_down.weight']).flat())
    // One NVFP4 Linear (modelopt unified_export_hf.py): uint8 [out, in/2], fp8 weight_scale [out, in/16], fp32 weight_scale_2
    // and input_scale; gate and up are 5376 -> 21504, down 21504 -> 5376: the same bytes.
    const linear = 21504 * (5376 / 2) + 21504 * (5376 / 16) + 4 + 4
    const attentionBf16 = 2 * (50 * (sliding - 512) + 10 * (full - 1024))
    expect(q.bytes.linear).toBe(60 * 3 * linear + attentionBf16 + 60 * 2 * 4 /* k_scale, v_scale fp32 (kv_cache_scheme fp8) */)
    expect(q.bytes.embeddings).toBe(2 * 262144 * h)
    expect(q.totalBytes).toBe(31_481_768_440)
  })
})

describe('gemma4_text keys', () => {
  it('attention_k_eq_v false: full layers keep v_proj and num_key_value_heads; global_head_dim still applies', () => {
    const s = imported(withText('gemma-4-31b-it-nvfp4', {attention_k_eq_v: false}))
    // the full layers' own attention: head dim 512 (keys and values); KV heads stay num_key_value_heads' 16
    expect(s.layerGroups.filter((g) => g.mixer === 'full').map((g) => g.attention)).toEqual(Array(10).fill({headDim: 512, valueHeadDim: 512}))
    const h = 5376
    const base = paramCounts(loadModel('gemma-4-31b-it-nvfp4')).totalParams
    // each global layer: k grows from 4 to 16 heads of 512 and v_proj (h, 16 x 512) appears
    expect(paramCounts(s).totalParams).toBe(base + 10 * (h * 12 * 512 + h * 16 * 512))
  })
  it('a config without global_head_dim gets the class default 512; the last layer is forced to full attention', () => {
    const r = raw('gemma-4-31b-it-nvfp4')
    const {global_head_dim: _, layer_types: types, ...text} = r.text_config
    const last = [...(types as string[]).slice(0, 59), 'sliding_attention']
    const s = imported({...r, text_config: {...text, layer_types: last}})
    expect(s.layerGroups.find((g) => g.mixer === 'full')?.attention?.headDim).toBe(512)
    expect(s.layerGroups.at(-1)).toMatchObject({mixer: 'full'})
  })
  it('per-layer embeddings (hidden_size_per_layer_input > 0, the E2B/E4B models) add the Gemma4TextModel and decoder-layer PLE modules', () => {
    const h = 5376
    const base = paramCounts(loadModel('gemma-4-31b-it-nvfp4')).totalParams
    const s = imported(withText('gemma-4-31b-it-nvfp4', {hidden_size_per_layer_input: 256}))
    expect(s.embeddings.perLayer).toEqual({vocabSize: 262144, dim: 256})
    // embed_tokens_per_layer (262144, 60 x 256), per_layer_model_projection (h, 60 x 256), per_layer_projection_norm (256);
    // each of 60 layers: per_layer_input_gate (h, 256), per_layer_projection (256, h), post_per_layer_input_norm (h)
    expect(paramCounts(s).totalParams).toBe(base + 262144 * 60 * 256 + h * 60 * 256 + 256 + 60 * (2 * h * 256 + h))
    // null (and 0) build none, as the class reads a falsy width
    expect(paramCounts(imported(withText('gemma-4-31b-it-nvfp4', {hidden_size_per_layer_input: null}))).totalParams).toBe(base)
  })
  it('num_kv_shared_layers: the last layers read the last earlier layer of their type and build no k/v projections', () => {
    const s = imported(withText('gemma-4-31b-it-nvfp4', {num_kv_shared_layers: 12}))
    const groups = s.layerGroups
    // layers 48..59 share: sliding ones read layer 46 (the last sliding before 48), full ones layer 47
    expect(groups.filter((g) => g.kvSourceLayer !== undefined).map((g) => [g.mixer, g.kvSourceLayer, g.kvProjections])).toEqual([
      ['sliding', 46, false],
      ['full', 47, false],
      ['sliding', 46, false],
      ['full', 47, false],
    ])
    const kv = kvCache(s, 4096, 1, bf16)
    expect(kv.fullBytes).toBe(8 * 4096 * 4 * 1024 * 2) // 8 global layers keep their own KV
    expect(kv.windowedBytes).toBe(40 * 1024 * 16 * 512 * 2) // 40 sliding layers
    // Gemma4TextAttention with is_kv_shared_layer: no k_proj, v_proj, k_norm (v_norm has no weight); q_proj, q_norm, o_proj stay.
    const h = 5376
    const base = paramCounts(loadModel('gemma-4-31b-it-nvfp4')).totalParams
    expect(paramCounts(s).totalParams).toBe(base - 10 * (2 * h * 16 * 256 + 256) - 2 * (h * 4 * 512 + 512))
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'q4_k_m').params.unquantized).toBe(classes.unquantized.x)
  })
})
