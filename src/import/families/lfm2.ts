// LFM2: Lfm2Config (configuration_lfm2.py) and modeling_lfm2.py. Layers are gated short convolutions (Lfm2ShortConv:
// in_proj to 3 x hidden, depthwise conv of conv_L_cache taps, out_proj; biases all follow conv_bias) or GQA
// attention with per-head q/k RMSNorms and RoPE; each has operator_norm and ffn_norm and a SwiGLU MLP (w1, w3, w2).
// The final norm is called embedding_norm.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {coreWithout, type Family} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, rmsNorms, ropeOf, standardAttention} from '../pieces.js'

// Lfm2Config defaults (transformers 5.x).
const lfm2Defaults = {vocab_size: 65536, hidden_size: 2560, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 128000}

/**
 * Lfm2MLP width: intermediate_size (block_ff_dim in the Hub files, which __post_init__ moves there); with
 * block_auto_adjust_ff_dim, int(2 I / 3), then, when block_ffn_dim_multiplier is not null, int(multiplier x I)
 * rounded up to a multiple of block_multiple_of (the Llama SwiGLU rule).
 */
export function lfm2FfnWidth(cfg: Config): number {
  let width = cfg.int(cfg.pick('block_ff_dim', 'intermediate_size'), 12288)
  if (!cfg.bool('block_auto_adjust_ff_dim', true)) return width
  width = Math.trunc((2 * width) / 3)
  if (cfg.raw.block_ffn_dim_multiplier === null) return width
  const multiple = cfg.int('block_multiple_of', 256)
  if (multiple < 1) throw new UserError(`${cfg.where}: "block_multiple_of" must be at least 1`)
  width = Math.trunc(cfg.num('block_ffn_dim_multiplier', 1) * width)
  return multiple * Math.ceil(width / multiple)
}

function lfm2Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(lfm2Defaults)
  const layers = cfg.int('num_hidden_layers')
  let types = cfg.strList('layer_types')
  if (!types) {
    // full_attn_idxs, 0-based; without it every layer is attention (Lfm2Config.__post_init__).
    const full = new Set(cfg.intList('full_attn_idxs', Array.from({length: layers}, (_, i) => i)))
    types = Array.from({length: layers}, (_, i) => (full.has(i) ? 'full_attention' : 'conv'))
  }
  if (types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
  const mixers = types.map((t) => {
    if (t === 'conv') return 'linear' as const
    if (t === 'full_attention') return 'full' as const
    throw new UserError(`${cfg.where}: layer type "${t}" is not conv or full_attention`)
  })
  const hidden = cfg.int('hidden_size')
  const bias = cfg.bool('conv_bias', false)
  const width = lfm2FfnWidth(cfg)
  return {
    ...base(cfg, o, 'lfm2', 'lfm2'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    // tie_embedding (the Hub name) wins over tie_word_embeddings, as __post_init__ pops it last.
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool(cfg.has('tie_embedding') ? 'tie_embedding' : 'tie_word_embeddings', true), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {qkNorm: 'per-head'}),
    linearAttention: ({kind: 'short-conv', keyHeads: 1, keyHeadDim: 1, valueHeads: hidden, valueHeadDim: 1, convKernel: cfg.int('conv_L_cache', 3), convBias: bias, projectionBias: bias}),
    ffn: {gated: true, activation: 'silu', intermediateSize: width, bias: false},
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 1000000),
    layerGroups: groupLayers(mixers.map((mixer) => ({mixer, rope: mixer === 'full', ffn: 'dense'}))),
  }
}

export const lfm2: Family = {
  // Lfm2Config (configuration_lfm2.py) and the Hub files' own names.
  lfm2: {
    keys: {
      used: [
        ...coreWithout('hidden_act'),
        'block_ff_dim',
        'tie_embedding',
        'conv_bias',
        'conv_L_cache',
        'block_multiple_of',
        'block_ffn_dim_multiplier',
        'block_auto_adjust_ff_dim',
        'full_attn_idxs',
        'layer_types',
      ],
      ignored: [
        'initializer_range',
        'norm_eps',
        'block_norm_eps',
        'use_cache',
        // Liquid's training-code keys the Hub files keep: transformers builds every width from hidden_size and
        // num_attention_heads, the MLP is always SwiGLU and RoPE always on.
        'block_dim',
        'conv_dim',
        'conv_dim_out',
        'num_heads',
        'block_use_swiglu',
        'use_pos_enc',
        'block_mlp_init_scale',
        'block_out_init_scale',
        'block_use_xavier_init',
        'conv_use_xavier_init',
      ],
    },
    build: lfm2Spec,
  },
}
