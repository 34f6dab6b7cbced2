// Cohere's Command R (CohereConfig, configuration_cohere.py) and Command R7B (Cohere2Config, configuration_cohere2.py).
import {UserError} from '../../errors.js'
import type {Config, ImportOptions} from '../config.js'
import {coreWithout, type Family} from '../family.js'
import {mixerOf} from '../layers.js'
import {ropeOf} from '../pieces.js'
import {classicDecoder, layerNorms} from './classic.js'

const cohereUsed = [
  ...coreWithout('head_dim', 'partial_rotary_factor'),
  'attention_bias',
] as const
// logit_scale multiplies the logits by a scalar: no parameter, no matmul.
const cohereIgnored = ['logit_scale', 'initializer_range', 'layer_norm_eps', 'use_cache', 'attention_dropout'] as const

// Both classes default to Command R's dimensions: vocab 256000, h 8192, ffn 22528, 40 layers, 64 heads, 8192 positions.
const cohereDefaults = {vocab_size: 256000, hidden_size: 8192, intermediate_size: 22528, num_hidden_layers: 40, num_attention_heads: 64, max_position_embeddings: 8192}

// CohereDecoderLayer: one input_layernorm (CohereLayerNorm: weight, no bias) feeding attention and MLP in parallel;
// q/k/v/o biased by attention_bias; CohereMLP gated silu without bias; CohereModel.norm; tied head (tie True).
function cohereSpec(cfg: Config, o: ImportOptions, modelType: string, layer: {qkNorm: boolean; window?: (i: number) => number | undefined; rope?: (i: number) => boolean}) {
  const bias = cfg.bool('attention_bias', false)
  const heads = cfg.int('num_attention_heads')
  return classicDecoder(cfg, o, {
    family: modelType === 'cohere2' ? 'command-r7b' : 'command-r',
    modelType,
    hidden: cfg.int('hidden_size'),
    layers: cfg.int('num_hidden_layers'),
    heads,
    kvHeads: cfg.has('num_key_value_heads') ? cfg.int('num_key_value_heads') : heads,
    intermediate: cfg.int('intermediate_size'),
    vocab: cfg.int('vocab_size'),
    tied: cfg.bool('tie_word_embeddings', true),
    maxContext: cfg.int('max_position_embeddings'),
    qkvBias: bias,
    outputBias: bias,
    qkNorm: layer.qkNorm ? 'across-heads' : 'none',
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), bias: false},
    norms: layerNorms(1, false),
    positions: ropeOf(cfg, 10000),
    window: layer.window,
    rope: layer.rope,
  })
}

export const cohere: Family = {
  cohere: {
    keys: {used: [...cohereUsed, 'use_qk_norm'], ignored: [...cohereIgnored]},
    // CohereConfig: num_key_value_heads None (= heads), rope_theta 10000, attention_bias False, use_qk_norm False.
    // With use_qk_norm, CohereAttention.q_norm is a CohereLayerNorm over (heads, head_dim) and k_norm over (kv heads,
    // head_dim), weights only: H * d + Hkv * d, the across-heads count.
    build: (cfg, o) => {
      const c = cfg.withDefaults(cohereDefaults)
      return cohereSpec(c, o, 'cohere', {qkNorm: c.bool('use_qk_norm', false)})
    },
  },
  cohere2: {
    keys: {
      // use_parallel_block, use_qk_norm, rotary_pct: keys of Cohere's own export that Cohere2Config does not read; read
      // here only to refuse a file that asks for a block the class does not build.
      used: [...cohereUsed, 'head_dim', 'sliding_window', 'sliding_window_pattern', 'layer_types', 'use_parallel_block', 'use_qk_norm', 'rotary_pct'],
      ignored: [
        ...cohereIgnored,
        // Keys of Cohere's own export left in published files; Cohere2Config does not read them and they describe the
        // graph the class builds (interleaved sliding layers first, GPT-J-style rotary, tied, gated MLP, no TP split).
        'cache_implementation',
        'order_of_interleaved_layers',
        'position_embedding_type',
        'use_embedding_sharing',
        'use_gated_activation',
        'use_parallel_embedding',
      ],
    },
    // Cohere2Config: as CohereConfig without use_qk_norm, plus sliding_window 4096 and layer_types (None: sliding unless
    // (i + 1) % sliding_window_pattern == 0, the pattern defaulting to 4). head_dim = hidden / heads, set by the
    // class whatever the file says. Cohere2Attention rotates q and k only in the sliding layers: full layers have no
    // positional encoding.
    build: (cfg, o) => {
      const c = cfg.withDefaults(cohereDefaults)
      const layers = c.int('num_hidden_layers')
      const heads = c.int('num_attention_heads')
      const hidden = c.int('hidden_size')
      if (c.has('head_dim') && c.int('head_dim') * heads !== hidden)
        throw new UserError(`${c.where}: head_dim ${c.int('head_dim')} is not hidden_size / num_attention_heads = ${hidden / heads}, which Cohere2Config sets`)
      const types = c.strList('layer_types')
      if (types && types.length !== layers) throw new UserError(`${c.where}: layer_types has ${types.length} entries for ${layers} layers`)
      const pattern = c.int('sliding_window_pattern', 4)
      if (pattern < 1) throw new UserError(`${c.where}: sliding_window_pattern must be at least 1`)
      const sliding = (i: number) => (types ? mixerOf(types[i]!, c.where) === 'sliding' : (i + 1) % pattern !== 0)
      const refuse = (what: string) => {
        throw new UserError(`${c.where}: ${what}, but Cohere2 (transformers) always builds a parallel block without QK-norm rotating whole heads; archcost counts what it builds`)
      }
      if (!c.bool('use_parallel_block', true)) refuse('use_parallel_block is false')
      if (c.bool('use_qk_norm', false)) refuse('use_qk_norm is true')
      if (c.num('rotary_pct', 1) !== 1) refuse(`rotary_pct is ${c.num('rotary_pct', 1)}`)
      const window = c.int('sliding_window', 4096)
      return cohereSpec(c, o, 'cohere2', {qkNorm: false, window: (i) => (sliding(i) ? window : undefined), rope: sliding})
    },
  },
}
