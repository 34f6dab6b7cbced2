// Gemma: GemmaConfig (Gemma 1), Gemma2Config, Gemma3TextConfig and its multimodal wrapper Gemma3Config,
// Gemma3nTextConfig and its wrapper Gemma3nConfig, Gemma4TextConfig and its wrapper Gemma4Config.
import {UserError} from '../../errors.js'
import type {GroupAttention, ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, coreWithout, decoderIgnored, type Family} from '../family.js'
import {groupLayers, layerOf, layerTypesOf, mixerOf} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'
import {llamaLike} from './llama.js'

function gemmaSpec(cfg: Config, o: ImportOptions, family: 'gemma2' | 'gemma3', outer: Config): ModelSpec {
  // Gemma2Config: every other layer sliding (layer 0 first), window 4096, tie True, head_dim 256.
  // Gemma3TextConfig: sliding unless (i+1) % sliding_window_pattern (6) == 0, window 4096, vocab 262208, QK-norm.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 4096)
  const pattern = family === 'gemma2' ? 2 : cfg.int('sliding_window_pattern', 6)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % pattern !== 0 ? 'sliding_attention' : 'full_attention'))
  const perLayer = types.map((t) => layerOf(mixerOf(t, cfg.where), true, 'dense', window))
  return {
    ...base(cfg, o, family, family === 'gemma2' ? 'gemma2' : 'gemma3_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, true, family === 'gemma3' ? 262208 : 256000),
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: family === 'gemma3' ? 'per-head' : 'none'}),
    ffn: gatedFfn(cfg, 'hidden_activation', 'gelu_pytorch_tanh'),
    norms: rmsNorms('sandwich', 4),
    rope: ropeOf(cfg, 10000, family === 'gemma3' ? cfg.num('rope_local_base_freq', 10000) : undefined),
    layerGroups: groupLayers(perLayer),
  }
}

function gemma3nSpec(cfg: Config, o: ImportOptions, outer: Config): ModelSpec {
  // Gemma3nTextConfig: layer_types default 4 sliding : 1 full, window 512, the last num_kv_shared_layers layers
  // reuse the KV of the last earlier layer of the same type; per-layer embeddings of hidden_size_per_layer_input.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 512)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % 5 === 0 ? 'full_attention' : 'sliding_attention'))
  const widths = Array.isArray(cfg.raw.intermediate_size) ? cfg.intList('intermediate_size', []) : Array.from({length: layers}, () => cfg.int('intermediate_size', 16384))
  if (widths.length !== layers) throw new UserError(`${cfg.where}: intermediate_size has ${widths.length} entries for ${layers} layers`)
  const shared = cfg.int('num_kv_shared_layers', 15)
  const firstShared = layers - shared
  const lastOfType = (mixer: string) => {
    for (let j = firstShared - 1; j >= 0; j--) if (types[j] === mixer) return j
    throw new UserError(`${cfg.where}: no earlier ${mixer} layer to share KV with`)
  }
  const baseWidth = Math.max(...widths)
  const perLayer = types.map((t, i) => {
    const layer = layerOf(mixerOf(t, cfg.where), true, 'dense', window)
    if (widths[i] !== baseWidth) layer.ffnIntermediateSize = widths[i]
    if (i >= firstShared) layer.kvSourceLayer = lastOfType(t)
    return layer
  })
  return {
    ...base(cfg, o, 'gemma3n', 'gemma3n_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {
      vocabSize: cfg.int('vocab_size', 262400),
      tied: cfg.bool('tie_word_embeddings', true),
      learnedPositions: 0,
      perLayer: {vocabSize: cfg.int('vocab_size_per_layer_input', 262144), dim: cfg.int('hidden_size_per_layer_input', 256)},
    },
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: 'per-head'}),
    ffn: {gated: true, activation: cfg.str('hidden_activation', 'gelu_pytorch_tanh'), intermediateSize: baseWidth, bias: false},
    norms: rmsNorms('sandwich', 4),
    rope: ropeOf(cfg, 1e6, cfg.num('rope_local_base_freq', 10000)),
    layerGroups: groupLayers(perLayer),
    gemma3n: {altupInputs: cfg.int('altup_num_inputs', 4), laurelRank: cfg.int('laurel_rank', 64)},
  }
}

// Gemma4TextConfig (configuration_gemma4.py) class defaults for the keys a file leaves out.
const gemma4Defaults: Json = {vocab_size: 262144, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 30, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, max_position_embeddings: 131072}

/** A nullable integer key of a Gemma 4 config: null, absent or 0 read as `fallback`. */
function optionalInt(cfg: Config, key: string, fallback: number): number {
  const value = cfg.raw[key]
  if (value === null || value === undefined || value === 0) return fallback
  return cfg.int(key)
}

// Gemma4TextModel / Gemma4TextDecoderLayer (modeling_gemma4.py): Gemma 3's sandwich-normed layers with q/k norms
// (v_norm has no scale) and a stored layer_scalar; full-attention layers take global_head_dim and, with
// attention_k_eq_v, num_global_key_value_heads and no v_proj; with enable_moe_block every layer runs a routed MoE
// (Gemma4TextRouter, Gemma4TextExperts) beside its dense MLP, with three more norms; the last num_kv_shared_layers
// layers reuse the KV of the last earlier layer of their type and build no k/v projections or norms.
function gemma4Spec(raw: Config, o: ImportOptions, outer: Config): ModelSpec {
  const cfg = raw.withDefaults(gemma4Defaults)
  if (cfg.raw.use_bidirectional_attention === 'all') throw new UserError(`${cfg.where}: "use_bidirectional_attention" "all" makes attention non-causal, which archcost does not model`)
  // Gemma4TextModel: hidden_size_per_layer_input > 0 (the E2B/E4B models) builds embed_tokens_per_layer,
  // per_layer_model_projection and per_layer_projection_norm, and in every layer per_layer_input_gate,
  // per_layer_projection and post_per_layer_input_norm; Gemma 3n's AltUp and LAuReL are gone.
  // The class default is 256; null or 0 builds none.
  const pleWidth = cfg.raw.hidden_size_per_layer_input === null ? 0 : cfg.int('hidden_size_per_layer_input', 256)
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 512)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % 6 !== 0 ? 'sliding_attention' : 'full_attention'))
  types[layers - 1] = 'full_attention' // Gemma4TextConfig.__post_init__ forces the last layer to full attention
  const shared = cfg.int('num_kv_shared_layers', 0)
  if (shared >= layers) throw new UserError(`${cfg.where}: num_kv_shared_layers ${shared} leaves no layer with KV of its own (${layers} layers)`)
  const firstShared = layers - shared
  const lastOfType = (mixer: string) => {
    for (let j = firstShared - 1; j >= 0; j--) if (types[j] === mixer) return j
    throw new UserError(`${cfg.where}: no earlier ${mixer} layer to share KV with`)
  }
  const moe = cfg.bool('enable_moe_block', false)
  const width = cfg.int('intermediate_size')
  // Gemma4TextMLP: kv-shared layers get a double-wide MLP with use_double_wide_mlp.
  const doubleWide = cfg.bool('use_double_wide_mlp', false) && shared > 0
  if (doubleWide && moe) throw new UserError(`${cfg.where}: use_double_wide_mlp with enable_moe_block is not modelled (the dense MLP beside the experts has one width)`)
  const perLayer = types.map((t, i) => {
    const layer = layerOf(mixerOf(t, cfg.where), true, moe ? 'moe' : 'dense', window)
    if (i >= firstShared && shared > 0) {
      layer.kvSourceLayer = lastOfType(t)
      layer.kvProjections = false
      layer.kNorm = false // Gemma4TextAttention builds k_proj, v_proj, k_norm and v_norm only when not is_kv_shared_layer
      if (doubleWide) layer.ffnIntermediateSize = 2 * width
    }
    return layer
  })
  const attention = standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: 'per-head', kvHeadsDefault: 4})
  // Gemma4TextAttention: head_dim = global_head_dim (512 by default) on full layers; KV heads from
  // num_global_key_value_heads only when attention_k_eq_v.
  const kEqV = cfg.bool('attention_k_eq_v', false)
  const globalHeadDim = optionalInt(cfg, 'global_head_dim', 512)
  const globalKvHeads = kEqV ? optionalInt(cfg, 'num_global_key_value_heads', attention.kvHeads) : attention.kvHeads
  // The full layers' own attention (layerGroups[].attention): the fields that differ from the sliding layers'.
  const globalAttention: GroupAttention = {
    ...(globalHeadDim !== attention.headDim ? {headDim: globalHeadDim} : {}),
    ...(globalHeadDim !== attention.valueHeadDim ? {valueHeadDim: globalHeadDim} : {}),
    ...(globalKvHeads !== attention.kvHeads ? {kvHeads: globalKvHeads} : {}),
    ...(kEqV ? {valueFromKey: true} : {}),
  }
  if (Object.keys(globalAttention).length > 0) for (const layer of perLayer) if (layer.mixer === 'full') layer.attention = globalAttention
  const spec: ModelSpec = {
    ...base(cfg, o, 'gemma4', 'gemma4_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    // Gemma4Config.tie_word_embeddings (True) when the text config leaves it out.
    embeddings: {
      ...tokenEmbeddings(cfg, outer.bool('tie_word_embeddings', true)),
      ...(pleWidth > 0 ? {perLayer: {vocabSize: cfg.int('vocab_size_per_layer_input', 262144), dim: pleWidth}} : {}),
    },
    attention,
    ffn: gatedFfn(cfg, 'hidden_activation', 'gelu_pytorch_tanh'),
    // input, post-attention, pre- and post-feedforward; with the MoE block post_feedforward_layernorm_1/_2 and pre_feedforward_layernorm_2.
    norms: {...rmsNorms('sandwich', moe ? 7 : 4), layerScalar: true},
    rope: ropeOf(cfg, 1e6, 10000),
    layerGroups: groupLayers(perLayer),
  }
  if (moe) {
    const experts = optionalInt(cfg, 'num_experts', 0)
    const topK = optionalInt(cfg, 'top_k_experts', 0)
    const expertWidth = optionalInt(cfg, 'moe_intermediate_size', optionalInt(cfg, 'expert_intermediate_size', 0))
    if (!experts || !topK || !expertWidth) throw new UserError(`${cfg.where}: enable_moe_block needs num_experts, top_k_experts and moe_intermediate_size`)
    // The dense Gemma4TextMLP beside the experts runs for every token: archcost's always-on shared expert (no gate).
    spec.moe = {...moeBlock(experts, topK, expertWidth, {sharedExperts: 1, sharedIntermediateSize: width}), routerScales: true}
  }
  const notes: string[] = []
  if (spec.rope.partialRotaryFactor < 1) notes.push(`RoPE: partial_rotary_factor ${spec.rope.partialRotaryFactor} and theta ${spec.rope.theta} are the full-attention layers' (rope_parameters.full_attention); sliding layers rotate every dim with theta ${spec.rope.localTheta}`)
  if (moe) notes.push('the dense MLP (Gemma4TextMLP) that runs beside the routed experts in every layer is counted as one always-on shared expert')
  if (shared > 0)
    notes.push(
      `the ${shared} KV-shared layers build no k_proj, v_proj or k_norm (Gemma4TextAttention), so none are counted; released checkpoints (google/gemma-4-E2B, E4B) still store them and transformers drops them on load (_keys_to_ignore_on_load_unexpected)`,
    )
  if (notes.length) spec.notes = notes
  return spec
}

// Gemma 2/3 score scaling, softcaps and cache class: no weights, KV entries or FLOPs.
const softcaps = [
  'query_pre_attn_scalar', // a scale on the scores
  'attn_logit_softcapping', // elementwise tanh on scores and logits: no weight, no cache, no matmul
  'final_logit_softcapping',
  'cache_implementation', // the transformers cache class to use (hybrid), not the model
] as const

// GemmaConfig (configuration_gemma.py @ 008e5743): gemma-7b shape, head_dim 256, tie True.
const gemmaDefaults: Json = {vocab_size: 256000, hidden_size: 3072, intermediate_size: 24576, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 16, head_dim: 256, max_position_embeddings: 8192}

// Gemma 1 (GemmaForCausalLM): a Llama decoder; GemmaRMSNorm scales by (1 + weight), the same h weights. The
// released files say hidden_act "gelu" and some hidden_activation; GemmaMLP ran gelu_pytorch_tanh either way.
function gemma1Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(gemmaDefaults)
  if (cfg.bool('use_bidirectional_attention', false)) throw new UserError(`${cfg.where}: "use_bidirectional_attention" makes attention non-causal, which archcost does not model`)
  const activationKey = cfg.has('hidden_activation') ? 'hidden_activation' : 'hidden_act'
  return llamaLike(cfg, o, 'gemma', {modelType: 'gemma', tiedDefault: true, thetaDefault: 10000, ffn: gatedFfn(cfg, activationKey, 'gelu_pytorch_tanh')})
}

export const gemma: Family = {
  // GemmaConfig (Gemma 1)
  gemma: {
    keys: {used: [...core, 'attention_bias', 'hidden_activation', 'use_bidirectional_attention'], ignored: [...decoderIgnored]},
    build: gemma1Spec,
  },
  // Gemma2Config: the MLP reads hidden_activation; hidden_act is the legacy name it does not read.
  gemma2: {
    keys: {
      used: [...core, 'attention_bias', 'hidden_activation', 'sliding_window', 'layer_types'],
      ignored: [
        ...decoderIgnored,
        ...softcaps,
        'sliding_window_size', // legacy duplicate of sliding_window; Gemma2Config and the modeling code never read it
      ],
    },
    // cfg as the outer config: a gemma2 text_config inside a wrapper takes dtype and quantization from itself only.
    build: (cfg, o) => gemmaSpec(cfg, o, 'gemma2', cfg),
  },
  // Gemma3TextConfig
  gemma3_text: {
    keys: {
      used: [...core, 'attention_bias', 'hidden_activation', 'sliding_window', 'sliding_window_pattern', 'layer_types', 'rope_local_base_freq'],
      ignored: [...decoderIgnored, ...softcaps],
    },
    build: (cfg, o, outer) => gemmaSpec(cfg, o, 'gemma3', outer),
  },
  // Gemma3Config (multimodal wrapper)
  gemma3: {
    keys: {
      used: ['text_config', 'vision_config'],
      ignored: ['initializer_range', 'mm_tokens_per_image', 'boi_token_index', 'eoi_token_index', 'image_token_index'], // mm_tokens_per_image: tokens an image takes (the context you size for), pooled without weights
    },
    textType: 'gemma3_text',
  },
  // Gemma3nTextConfig
  gemma3n_text: {
    keys: {
      used: [
        ...core,
        'attention_bias',
        'hidden_activation',
        'sliding_window',
        'layer_types',
        'rope_local_base_freq',
        'num_kv_shared_layers',
        'vocab_size_per_layer_input',
        'hidden_size_per_layer_input',
        'altup_num_inputs',
        'laurel_rank',
      ],
      ignored: [
        ...decoderIgnored,
        'final_logit_softcapping',
        'query_pre_attn_scalar',
        'activation_sparsity_pattern', // Gaussian top-k on activations, applied elementwise to the dense matmul's input
        'altup_active_idx',
        'altup_coef_clip',
        'altup_correct_scale', // correct_output_scale is built either way; this only switches its use
      ],
    },
    build: gemma3nSpec,
  },
  // Gemma4TextConfig
  gemma4_text: {
    keys: {
      used: [
        ...coreWithout('hidden_act', 'rope_theta', 'rope_scaling', 'partial_rotary_factor'),
        'attention_bias',
        'hidden_activation',
        'sliding_window',
        'layer_types',
        'use_bidirectional_attention',
        'num_kv_shared_layers',
        'vocab_size_per_layer_input',
        'hidden_size_per_layer_input',
        'attention_k_eq_v',
        'global_head_dim',
        'num_global_key_value_heads',
        'enable_moe_block',
        'use_double_wide_mlp',
        'num_experts',
        'top_k_experts',
        'moe_intermediate_size',
        'expert_intermediate_size', // an older name of moe_intermediate_size some files carry (null when dense)
      ],
      ignored: [...decoderIgnored, 'final_logit_softcapping'], // elementwise tanh on the logits: no weight, cache or matmul
    },
    build: gemma4Spec,
  },
  // Gemma4Config (wrapper): vision_config is the vision tower, audio_config the audio tower (Gemma4AudioModel).
  gemma4: {
    keys: {
      used: ['text_config', 'vision_config', 'audio_config', 'tie_word_embeddings'],
      ignored: [
        'initializer_range',
        'vision_soft_tokens_per_image', // tokens an image takes (the context you size for), pooled without weights
        'audio_token_id',
        'boa_token_id',
        'boi_token_id',
        'eoa_token_id',
        'eoa_token_index',
        'eoi_token_id',
        'image_token_id',
        'video_token_id',
      ],
    },
    textType: 'gemma4_text',
  },
  // Gemma3nConfig (wrapper)
  gemma3n: {
    keys: {
      used: ['text_config', 'vision_config', 'audio_config'],
      ignored: ['initializer_range', 'audio_soft_tokens_per_image', 'vision_soft_tokens_per_image', 'audio_token_id', 'boa_token_id', 'boi_token_id', 'eoa_token_id', 'eoi_token_id', 'image_token_id'],
    },
    textType: 'gemma3n_text',
  },
}
