// Gemma: GemmaConfig (Gemma 1), Gemma2Config, Gemma3TextConfig and its multimodal wrapper Gemma3Config,
// Gemma3nTextConfig and its wrapper Gemma3nConfig.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {groupLayers, layerOf, layerTypesOf, mixerOf} from '../layers.js'
import {base, gatedFfn, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'
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
  // Gemma3nConfig (wrapper)
  gemma3n: {
    keys: {
      used: ['text_config', 'vision_config', 'audio_config'],
      ignored: ['initializer_range', 'audio_soft_tokens_per_image', 'vision_soft_tokens_per_image', 'audio_token_id', 'boa_token_id', 'boi_token_id', 'eoa_token_id', 'eoi_token_id', 'image_token_id'],
    },
    textType: 'gemma3n_text',
  },
}
