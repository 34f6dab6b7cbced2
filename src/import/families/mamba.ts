// Mamba: the attention-free state-space models MambaConfig (configuration_mamba.py, Mamba-1) and Mamba2Config
// (configuration_mamba2.py, Mamba-2 SSD). Each block is one RMSNorm and one mixer, no FFN (MambaBlock, Mamba2Block);
// the embeddings are called "embeddings" and the final norm "norm_f", but the shapes are the usual ones.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import type {Family} from '../family.js'
import {base, rmsNorms, tokenEmbeddings} from '../pieces.js'

/**
 * The attention block of a model without attention layers. The schema requires one; no layer counts, caches or
 * multiplies it. Its heads are the SSM's heads (Mamba-1: its d_inner channels) at width 1, so that the share of the
 * cache one tensor-parallel rank holds (kvShareOfDevice: heads split over tp) is the share of the SSM state it holds,
 * as vLLM's mixers shard heads (channels) over tp.
 */
export function unusedAttention(ssmHeads: number): ModelSpec['attention'] {
  return {kind: 'mha', heads: ssmHeads, kvHeads: ssmHeads, headDim: 1, valueHeadDim: 1, qkvBias: false, outputBias: false, qkNorm: 'none', sinks: false, outputGate: false}
}

/**
 * The FFN block of a model whose blocks have no FFN. Its width is the mixer's inner width d_inner, so the
 * activation-peak formulas (which read 2 x ffn width for the gate/up output) see in_proj's 2 x d_inner output.
 */
export function mixerOnlyFfn(innerWidth: number): ModelSpec['ffn'] {
  return {gated: false, activation: 'none', intermediateSize: innerWidth, bias: false}
}

/** No position embedding: layers are mixer-only and carry rope: false. */
const noRope: ModelSpec['rope'] = {theta: 10000, scaling: null, partialRotaryFactor: 1}

/** MambaConfig / Mamba2Config: d_inner = int(expand * hidden_size) (__post_init__), time_step_rank "auto" = ceil(hidden / 16). */
function innerWidth(cfg: Config): number {
  const inner = cfg.num('expand', 2) * cfg.int('hidden_size')
  if (!Number.isInteger(inner)) throw new UserError(`${cfg.where}: expand x hidden_size = ${inner} is not a whole number of channels`)
  return inner
}

function dtRankOf(cfg: Config): number {
  const rank = cfg.raw.time_step_rank
  if (rank === undefined || rank === 'auto') return Math.ceil(cfg.int('hidden_size') / 16)
  return cfg.int('time_step_rank')
}

function mambaSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // MambaConfig defaults (transformers 5.x): hidden 768, state 16, 32 layers, expand 2, conv 4, use_bias False,
  // use_conv_bias True, vocab 50280, tie_word_embeddings True.
  const layers = cfg.int('num_hidden_layers', 32)
  const hidden = cfg.int('hidden_size', 768)
  const withDims = cfg.withDefaults({hidden_size: hidden, num_hidden_layers: layers})
  const inner = innerWidth(withDims)
  return {
    ...base(withDims, o, 'mamba', 'mamba'),
    maxContextTokens: 1048576, // a recurrent model has no trained context limit in its config; archcost's ceiling
    embeddings: tokenEmbeddings(withDims, true, 50280),
    attention: unusedAttention(inner),
    linearAttention: {
      kind: 'mamba',
      keyHeads: 1,
      keyHeadDim: withDims.int('state_size', 16),
      valueHeads: inner,
      valueHeadDim: 1,
      convKernel: withDims.int('conv_kernel', 4),
      dtRank: dtRankOf(withDims),
      convBias: withDims.bool('use_conv_bias', true),
      projectionBias: withDims.bool('use_bias', false),
    },
    ffn: mixerOnlyFfn(inner),
    norms: rmsNorms('pre', 1),
    rope: noRope,
    layerGroups: [{count: layers, mixer: 'linear', rope: false, ffn: 'none'}],
  }
}

function mamba2Spec(cfg: Config, o: ImportOptions): ModelSpec {
  // Mamba2Config defaults (transformers 5.x, the Mamba-Codestral-7B shape): 128 heads x 64, hidden 4096, state 128,
  // 64 layers, expand 2, n_groups 8, conv 4, use_bias False, use_conv_bias True, vocab 32768, untied. Mamba2Mixer
  // builds in_proj from expand * hidden and the heads from num_heads; the config class refuses a mismatch.
  const c = cfg.withDefaults({hidden_size: 4096, num_hidden_layers: 64, num_heads: 128, head_dim: 64})
  const inner = innerWidth(c)
  const heads = c.int('num_heads')
  const headDim = c.int('head_dim')
  if (heads * headDim !== inner)
    throw new UserError(`${c.where}: num_heads x head_dim = ${heads * headDim} must equal expand x hidden_size = ${inner} (Mamba2Config.validate_architecture)`)
  const groups = c.int('n_groups', 8)
  if (heads % groups !== 0) throw new UserError(`${c.where}: num_heads ${heads} is not a multiple of n_groups ${groups}`)
  return {
    ...base(c, o, 'mamba2', 'mamba2'),
    maxContextTokens: 1048576, // no trained context limit in the config; archcost's ceiling
    embeddings: tokenEmbeddings(c, false, 32768),
    attention: unusedAttention(heads),
    linearAttention: {
      kind: 'mamba2',
      keyHeads: groups,
      keyHeadDim: c.int('state_size', 128),
      valueHeads: heads,
      valueHeadDim: headDim,
      convKernel: c.int('conv_kernel', 4),
      convBias: c.bool('use_conv_bias', true),
      projectionBias: c.bool('use_bias', false),
    },
    ffn: mixerOnlyFfn(inner),
    norms: rmsNorms('pre', 1),
    rope: noRope,
    layerGroups: [{count: c.int('num_hidden_layers'), mixer: 'linear', rope: false, ffn: 'none'}],
  }
}

// Keys of both classes that change no parameter, state element or FLOP: initialisation of dt, A and the weights,
// numerics, kernel choices and the scan's chunking.
const ssmIgnored = [
  'initializer_range',
  'layer_norm_epsilon',
  'use_cache',
  'hidden_act', // SiLU inside the mixer: elementwise, not counted
  'residual_in_fp32',
  'rescale_prenorm_residual',
  'time_step_min',
  'time_step_max',
  'time_step_floor',
  'time_step_limit',
  // mamba_ssm's MambaConfig keys that converted files keep: its vocab padding is already in vocab_size, n_layer
  // repeats num_hidden_layers, and rms_norm / fused_add_norm choose kernels of the same RMSNorm.
  'n_layer',
  'pad_vocab_size_multiple',
  'rms_norm',
  'fused_add_norm',
  // Recomputed as int(expand * hidden_size) by __post_init__: the file's value is overwritten.
  'intermediate_size',
] as const

export const mamba: Family = {
  // MambaConfig (configuration_mamba.py); MambaMixer, MambaBlock, MambaModel (modeling_mamba.py).
  mamba: {
    keys: {
      used: ['vocab_size', 'hidden_size', 'state_size', 'num_hidden_layers', 'expand', 'conv_kernel', 'use_bias', 'use_conv_bias', 'time_step_rank', 'tie_word_embeddings'],
      ignored: [...ssmIgnored, 'time_step_scale', 'time_step_init_scheme', 'use_mambapy', 'use_associative_scan'],
    },
    build: mambaSpec,
  },
  // Mamba2Config (configuration_mamba2.py); Mamba2Mixer, Mamba2Block, Mamba2Model (modeling_mamba2.py).
  mamba2: {
    keys: {
      used: ['vocab_size', 'hidden_size', 'state_size', 'num_hidden_layers', 'expand', 'conv_kernel', 'use_bias', 'use_conv_bias', 'num_heads', 'head_dim', 'n_groups', 'tie_word_embeddings'],
      // time_step_rank: Mamba2Mixer stores it but builds nothing from it (dt comes from in_proj, one per head).
      ignored: [...ssmIgnored, 'time_step_rank', 'chunk_size'],
    },
    build: mamba2Spec,
  },
}
