// Qwen: Qwen2Config, Qwen2MoeConfig, Qwen3Config, Qwen3MoeConfig, Qwen3NextConfig, Qwen3_5Config, Qwen3_5MoeConfig.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, type LayerSpec, layerOf, layerTypesOf, mixerOf} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'
import {llamaLike} from './llama.js'

// Qwen2Config
const qwen2Defaults: Json = {vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 32768}
// Qwen2MoeConfig (Qwen1.5-MoE-A2.7B shape)
const qwen2MoeDefaults: Json = {vocab_size: 151936, hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 24, num_attention_heads: 16, num_key_value_heads: 16, max_position_embeddings: 32768}

// Sliding-window switches of the Qwen2/Qwen3/SmolLM3 classes (sliding on layers >= max_window_layers when use_sliding_window).
export const qwenWindow = ['use_sliding_window', 'sliding_window', 'max_window_layers', 'layer_types'] as const

/**
 * Sliding window of Qwen2/Qwen3/SmolLM3-style configs: the layer_types list when the file has one, else sliding
 * only when use_sliding_window, on layers >= max_window_layers (Qwen2Config.__post_init__).
 */
export function qwenSliding(cfg: Config): ((i: number) => number | undefined) | undefined {
  const layers = cfg.int('num_hidden_layers')
  const types = cfg.strList('layer_types')
  const useWindow = cfg.bool('use_sliding_window', false)
  if (types) {
    if (types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
    const mixers = types.map((t) => mixerOf(t, cfg.where))
    if (mixers.some((m) => m !== 'full' && m !== 'sliding')) throw new UserError(`${cfg.where}: layer_types may hold only full_attention and sliding_attention for this model_type`)
    if (!mixers.includes('sliding')) return undefined
    const window = cfg.intOrNull('sliding_window', 4096)
    if (window === null) throw new UserError(`${cfg.where}: layer_types has sliding_attention layers but sliding_window is null`)
    return (i) => (mixers[i] === 'sliding' ? window : undefined)
  }
  if (!useWindow) return undefined
  const window = cfg.intOrNull('sliding_window', 4096)
  const maxWindowLayers = cfg.int('max_window_layers', 28)
  return window === null ? undefined : (i) => (i >= maxWindowLayers ? window : undefined)
}

/** Qwen2/Qwen3 MoE configs: a layer is MoE unless in mlp_only_layers or off the decoder_sparse_step (1 by default). */

// Qwen3NextGatedDeltaNet (modeling_qwen3_next.py), the same in Qwen3.5: the linear_* keys and their class defaults.
const gatedDeltaNet = (cfg: Config): NonNullable<ModelSpec['linearAttention']> => ({
  kind: 'gated-deltanet',
  keyHeads: cfg.int('linear_num_key_heads', 16),
  valueHeads: cfg.int('linear_num_value_heads', 32),
  keyHeadDim: cfg.int('linear_key_head_dim', 128),
  valueHeadDim: cfg.int('linear_value_head_dim', 128),
  convKernel: cfg.int('linear_conv_kernel_dim', 4),
})

function qwenMoeLayers(cfg: Config, experts: number): (i: number) => boolean {
  const step = cfg.int('decoder_sparse_step', 1)
  const mlpOnly = new Set(cfg.intList('mlp_only_layers', []))
  return (i) => !mlpOnly.has(i) && experts > 0 && (i + 1) % step === 0
}

/** Qwen MoE block: routed experts plus at most one shared expert (of width `shared`) behind a sigmoid gate. */
function qwenMoeBlock(cfg: Config, experts: number, shared: number, topKDefault: number, expertWidthDefault: number): NonNullable<ModelSpec['moe']> {
  return moeBlock(experts, cfg.int('num_experts_per_tok', topKDefault), cfg.int('moe_intermediate_size', expertWidthDefault), {
    sharedExperts: shared > 0 ? 1 : 0,
    sharedIntermediateSize: shared,
    sharedExpertGate: shared > 0,
  })
}

function qwen2MoeSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen2MoeConfig (@ 008e5743): 60 experts of 1408, top-4, one shared expert of 5632 behind a sigmoid gate
  // (shared_expert_gate Linear(h, 1)), MoE unless in mlp_only_layers or off the decoder_sparse_step, q/k/v bias
  // (qkv_bias True), o_proj without; default layer_types: sliding on odd-numbered layers below max_window_layers
  // when use_sliding_window.
  const layers = cfg.int('num_hidden_layers')
  const experts = cfg.int('num_experts', 60)
  const isMoe = qwenMoeLayers(cfg, experts)
  const useWindow = cfg.bool('use_sliding_window', false)
  const maxWindowLayers = cfg.int('max_window_layers', 28)
  const types = layerTypesOf(cfg, layers, (i) => (useWindow && (i + 1) % 2 === 1 && i < maxWindowLayers ? 'sliding_attention' : 'full_attention'))
  const window = types.includes('sliding_attention') ? cfg.int('sliding_window', 4096) : undefined
  const perLayer = types.map((t, i) => {
    const mixer = mixerOf(t, cfg.where)
    if (mixer !== 'full' && mixer !== 'sliding') throw new UserError(`${cfg.where}: layer type "${t}" is not a qwen2_moe layer type`)
    return layerOf(mixer, true, isMoe(i) ? 'moe' : 'dense', window)
  })
  const shared = cfg.int('shared_expert_intermediate_size', 5632)
  const qkvBias = cfg.bool('qkv_bias', true)
  return {
    ...base(cfg, o, 'qwen2-moe', 'qwen2_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: {...standardAttention(cfg), qkvBias, outputBias: false},
    ffn: gatedFfn(cfg),
    moe: qwenMoeBlock(cfg, experts, shared, 4, 1408),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

function qwen3MoeSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen3MoeConfig: decoder_sparse_step 1, mlp_only_layers [], 128 experts, top-8, moe_intermediate_size 768, no shared expert.
  const layers = cfg.int('num_hidden_layers')
  const experts = cfg.int('num_experts', 128)
  const isMoe = qwenMoeLayers(cfg, experts)
  const sliding = qwenSliding(cfg)
  const perLayer = Array.from({length: layers}, (_, i) => {
    const window = sliding?.(i)
    return layerOf(window === undefined ? 'full' : 'sliding', true, isMoe(i) ? 'moe' : 'dense', window)
  })
  return {
    ...base(cfg, o, 'qwen3', 'qwen3_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {headDimDefault: 128, biasKey: 'attention_bias', qkNorm: 'per-head'}),
    ffn: gatedFfn(cfg),
    moe: qwenMoeBlock(cfg, experts, 0, 8, 768),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

/**
 * The wrapper's tie_word_embeddings decides the tie of a multimodal model's LM head (Qwen3VLMoeForConditionalGeneration
 * reads the outer config); text_config's own key applies only when the wrapper states none.
 */
export function untiedPerWrapper(spec: ModelSpec, text: Config, outer?: Config): ModelSpec {
  if (outer && outer !== text && outer.has('tie_word_embeddings')) spec.embeddings = {...spec.embeddings, tied: outer.bool('tie_word_embeddings', false)}
  return spec
}

function qwen3NextSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen3NextConfig: layer_types default: every full_attention_interval-th layer (4) is full attention, the rest
  // Gated DeltaNet; MoE layers as Qwen3-MoE; one gated shared expert; gated attention output; partial RoPE.
  const layers = cfg.int('num_hidden_layers')
  if (cfg.bool('use_sliding_window', false)) throw new UserError(`${cfg.where}: "use_sliding_window": true is not a Qwen3-Next layout archcost models`)
  const interval = cfg.int('full_attention_interval', 4)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % interval === 0 ? 'full_attention' : 'linear_attention'))
  const experts = cfg.int('num_experts', 512)
  const isMoe = qwenMoeLayers(cfg, experts)
  const perLayer: LayerSpec[] = types.map((t, i) => {
    const mixer = mixerOf(t, cfg.where)
    return {mixer, rope: mixer !== 'linear', ffn: isMoe(i) ? 'moe' : 'dense'}
  })
  const shared = cfg.int('shared_expert_intermediate_size', 512)
  return {
    ...base(cfg, o, 'qwen3-next', 'qwen3_next'),
    // The checkpoint ships mtp.* weights that transformers skips on load; vLLM's Qwen3NextMTP builds
    // num_nextn_predict_layers of them, 1 when the key is absent (qwen3_next_mtp.py).
    mtpLayers: cfg.int('num_nextn_predict_layers', 1),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: 'per-head', outputGate: true}),
    linearAttention: gatedDeltaNet(cfg),
    ffn: gatedFfn(cfg),
    moe: qwenMoeBlock(cfg, experts, shared, 10, 512),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

// Qwen3_5TextConfig / Qwen3_5MoeTextConfig (configuration_qwen3_5.py, configuration_qwen3_5_moe.py): the shapes of
// keys a file leaves out.
const qwen35TextDefaults: Json = {vocab_size: 248320, hidden_size: 4096, intermediate_size: 12288, num_hidden_layers: 32, num_attention_heads: 16, num_key_value_heads: 4, max_position_embeddings: 32768, head_dim: 256, linear_num_value_heads: 32}
const qwen35MoeTextDefaults: Json = {vocab_size: 248320, hidden_size: 2048, num_hidden_layers: 40, num_attention_heads: 16, num_key_value_heads: 2, max_position_embeddings: 32768, head_dim: 256, linear_num_value_heads: 32, moe_intermediate_size: 512, shared_expert_intermediate_size: 512, num_experts_per_tok: 8, num_experts: 256}

/**
 * Qwen3.5 language model (Qwen3_5TextModel, modeling_qwen3_5.py; Qwen3_5MoeTextModel, modeling_qwen3_5_moe.py): the
 * Qwen3-Next layer stack. Qwen3_5GatedDeltaNet splits in_proj_qkvz into in_proj_qkv + in_proj_z and in_proj_ba into
 * in_proj_b + in_proj_a (the same weights); Qwen3_5Attention always doubles q_proj for the output gate; every layer
 * has the dense Qwen3_5MLP (dense) or the Qwen3_5MoeSparseMoeBlock with its gated shared expert (MoE), whatever
 * mlp_only_layers says (neither class reads it). M-RoPE (mrope_section) only splits the rotated dimensions.
 */
function qwen35Spec(outer: Config, o: ImportOptions, moe: boolean): ModelSpec {
  const modelType = moe ? 'qwen3_5_moe' : 'qwen3_5'
  const text = outer.has('text_config') ? outer.sub('text_config') : outer
  const cfg = text.withDefaults(moe ? qwen35MoeTextDefaults : qwen35TextDefaults)
  const layers = cfg.int('num_hidden_layers')
  const interval = cfg.int('full_attention_interval', 4)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % interval === 0 ? 'full_attention' : 'linear_attention'))
  const perLayer: LayerSpec[] = types.map((t) => {
    const mixer = mixerOf(t, cfg.where)
    if (mixer !== 'full' && mixer !== 'linear') throw new UserError(`${cfg.where}: layer type "${t}" is not a ${modelType} layer type (linear_attention or full_attention)`)
    return {mixer, rope: mixer === 'full', ffn: moe ? 'moe' : 'dense'}
  })
  if (cfg.bool('mtp_use_dedicated_embeddings', false))
    throw new UserError(`${cfg.where}: "mtp_use_dedicated_embeddings": true (an MTP module with its own embedding table) is not modelled; archcost counts MTP layers that share the main embedding and head`)
  if (cfg.bool('attn_output_gate', true) === false) throw new UserError(`${cfg.where}: "attn_output_gate": false is not a Qwen3.5 layout: Qwen3_5Attention always gates its output`)
  // Qwen3_5TextConfig.__post_init__: partial_rotary_factor defaults to 0.25.
  const rp = cfg.raw.rope_parameters as Json | null | undefined
  const partial = rp && typeof rp === 'object' && typeof rp.partial_rotary_factor === 'number' ? rp.partial_rotary_factor : cfg.num('partial_rotary_factor', 0.25)
  const rope = ropeOf(cfg, 10000, undefined, partial)
  if (rope.scaling === 'mrope') rope.scaling = null
  const experts = cfg.int('num_experts', 256)
  const shared = cfg.int('shared_expert_intermediate_size', 512)
  const spec: ModelSpec = {
    ...base(cfg, o, moe ? 'qwen3.5-moe' : 'qwen3.5', modelType, outer),
    // The checkpoint ships mtp.* weights that transformers skips on load (_keys_to_ignore_on_load_unexpected);
    // vLLM's Qwen3_5MTP builds mtp_num_hidden_layers of them, sharing the embedding and head.
    mtpLayers: cfg.int('mtp_num_hidden_layers', 0),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {...tokenEmbeddings(cfg), tied: outer.bool('tie_word_embeddings', cfg.bool('tie_word_embeddings', false))},
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: 'per-head', outputGate: true}),
    linearAttention: gatedDeltaNet(cfg),
    ffn: moe ? {gated: true, activation: 'silu', intermediateSize: cfg.int('moe_intermediate_size'), bias: false} : gatedFfn(cfg),
    norms: rmsNorms('pre', 2),
    rope,
    layerGroups: groupLayers(perLayer),
  }
  if (moe) spec.moe = qwenMoeBlock(cfg, experts, shared, 8, 512)
  return spec
}

// Qwen3_5TextConfig / Qwen3_5MoeTextConfig keys.
const qwen35TextKeys = {
  used: [
    ...core,
    'attention_bias',
    'layer_types',
    'full_attention_interval',
    'attn_output_gate', // refused when false: Qwen3_5Attention always has the gate
    'linear_num_key_heads',
    'linear_num_value_heads',
    'linear_key_head_dim',
    'linear_value_head_dim',
    'linear_conv_kernel_dim',
    'mtp_num_hidden_layers',
    'mtp_use_dedicated_embeddings', // refused when true
  ],
  // mlp_only_layers: written by the checkpoints, read by neither modeling class; mamba_ssm_dtype: the dtype vLLM keeps
  // the recurrent state in (archcost sizes the state at the cache dtype); output_gate_type (Qwen3.6 files, "swish"):
  // the activation of a gate, no weights of its own.
  ignored: [...decoderIgnored, 'mlp_only_layers', 'mamba_ssm_dtype', 'output_gate_type'],
}
// Qwen3_5Config token ids of the vision prompt format: no cost of the language model. language_model_only: vLLM's
// engine option to skip loading the vision tower, written (false) into NVIDIA's Qwen3.6-*-NVFP4 re-exports; it changes
// no stored tensor, and the vision tower is counted apart anyway.
const qwen35VisionTokens = ['vision_start_token_id', 'vision_end_token_id', 'image_token_id', 'video_token_id', 'language_model_only'] as const

// MoE keys of Qwen2MoeConfig / Qwen3MoeConfig / Qwen3NextConfig.
const qwenMoe = ['decoder_sparse_step', 'mlp_only_layers', 'num_experts', 'num_experts_per_tok', 'moe_intermediate_size'] as const

export const qwen: Family = {
  qwen2: {
    // Qwen2Config: q/k/v biases are fixed (not config keys).
    keys: {used: [...core, ...qwenWindow], ignored: [...decoderIgnored]},
    // Qwen2Config: q/k/v with bias, o_proj without (Qwen2Attention); sliding on layers >= max_window_layers if use_sliding_window.
    build: (raw, o) => {
      const cfg = raw.withDefaults(qwen2Defaults)
      const spec = llamaLike(cfg, o, 'qwen2', {modelType: 'qwen2', tiedDefault: false, thetaDefault: 10000, sliding: qwenSliding(cfg)})
      spec.attention = {...spec.attention, qkvBias: true, outputBias: false}
      return spec
    },
  },
  // Qwen2MoeConfig
  qwen2_moe: {
    keys: {used: [...core, ...qwenWindow, 'qkv_bias', ...qwenMoe, 'shared_expert_intermediate_size'], ignored: [...decoderIgnored, ...routerIgnored]},
    build: (cfg, o) => qwen2MoeSpec(cfg.withDefaults(qwen2MoeDefaults), o),
  },
  qwen3: {
    // Qwen3Config
    keys: {used: [...core, ...qwenWindow, 'attention_bias'], ignored: [...decoderIgnored]},
    // Qwen3Config: head_dim 128, attention_bias False, QK-norm per head; sliding only if use_sliding_window.
    build: (cfg, o) => llamaLike(cfg, o, 'qwen3', {modelType: 'qwen3', tiedDefault: false, thetaDefault: 10000, headDimDefault: 128, attention: {qkNorm: 'per-head'}, sliding: qwenSliding(cfg)}),
  },
  // Qwen3MoeConfig
  qwen3_moe: {
    keys: {
      used: [...core, ...qwenWindow, 'attention_bias', ...qwenMoe],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        // Left in Qwen's published files (Qwen3-Coder-480B-A35B) from the Qwen2-MoE template; not fields of
        // Qwen3MoeConfig and read neither by modeling_qwen3_moe.py nor by vLLM's qwen3_moe.py, which fix what they
        // would say: q/k/v bias comes from attention_bias (Qwen3Attention), q_norm/k_norm are always built
        // (Qwen3Attention), and Qwen3MoeSparseMoeBlock has no shared expert.
        'qkv_bias',
        'use_qk_norm',
        'shared_expert_intermediate_size',
      ],
    },
    build: qwen3MoeSpec,
  },
  // Qwen3VLMoeTextConfig (configuration_qwen3_vl_moe.py): Qwen3MoeConfig's decoder (Qwen3VLMoeTextModel,
  // modeling_qwen3_vl_moe.py: QK-norm attention, no bias by default, Qwen3VLMoeTextSparseMoeBlock with stacked
  // experts and no shared expert); M-RoPE (rope_scaling mrope_section) adds no weights. The deepstack visual
  // features are added to the hidden states of the first layers without weights of the language model.
  qwen3_vl_moe_text: {
    keys: {used: [...core, 'attention_bias', ...qwenMoe], ignored: [...decoderIgnored, ...routerIgnored]},
    build: (cfg, o, outer) => untiedPerWrapper(qwen3MoeSpec(cfg, o), cfg, outer),
  },
  // Qwen3VLMoeConfig (wrapper): text_config (Qwen3VLMoeTextConfig) and vision_config (imported by ../encoders.ts,
  // counted apart).
  qwen3_vl_moe: {
    keys: {used: ['text_config', 'vision_config', 'tie_word_embeddings'], ignored: ['initializer_range', ...qwen35VisionTokens]},
    textType: 'qwen3_vl_moe_text',
  },
  // Qwen3NextConfig
  qwen3_next: {
    keys: {
      used: [
        ...core,
        'attention_bias',
        'layer_types',
        'full_attention_interval',
        'use_sliding_window', // refused when true: not a Qwen3-Next pattern archcost models
        'sliding_window',
        ...qwenMoe,
        'shared_expert_intermediate_size',
        'linear_num_key_heads',
        'linear_num_value_heads',
        'linear_key_head_dim',
        'linear_value_head_dim',
        'linear_conv_kernel_dim',
        'num_nextn_predict_layers',
      ],
      ignored: [...decoderIgnored, ...routerIgnored],
    },
    build: qwen3NextSpec,
  },
  // Qwen3_5Config: text_config (Qwen3_5TextConfig) and vision_config (imported by ../encoders.ts, counted apart).
  qwen3_5: {
    keys: {used: [...core, 'text_config', 'vision_config'], ignored: [...decoderIgnored, ...qwen35VisionTokens], sections: {text_config: qwen35TextKeys}},
    build: (cfg, o) => qwen35Spec(cfg, o, false),
  },
  // Qwen3_5MoeConfig: text_config (Qwen3_5MoeTextConfig) and vision_config.
  qwen3_5_moe: {
    keys: {
      used: [...core, 'text_config', 'vision_config'],
      ignored: [...decoderIgnored, ...qwen35VisionTokens],
      sections: {text_config: {used: [...qwen35TextKeys.used, 'num_experts', 'num_experts_per_tok', 'moe_intermediate_size', 'shared_expert_intermediate_size'], ignored: [...qwen35TextKeys.ignored, ...routerIgnored]}},
    },
    build: (cfg, o) => qwen35Spec(cfg, o, true),
  },
}
