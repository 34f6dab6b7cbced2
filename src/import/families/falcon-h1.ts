// Falcon-H1: FalconH1Config (configuration_falcon_h1.py) and modeling_falcon_h1.py. Every FalconH1DecoderLayer runs
// GQA attention with RoPE (FalconH1Attention) and a Mamba-2 mixer (FalconH1Mixer) side by side on the same normed
// input, then a gated MLP; norms input_layernorm and pre_ff_layernorm, final_layernorm. The mixer's inner width is
// mamba_d_ssm (else mamba_expand x hidden), its gated RMSNorm exists only with mamba_rms_norm, in_proj's bias is
// mamba_proj_bias and out_proj's projectors_bias. The mup multipliers scale activations; the mup_vector buffer is not
// persistent, so neither adds a parameter.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {core, type Family} from '../family.js'
import {base, gatedFfn, mambaKeysMixer, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// FalconH1Config defaults (transformers 5.x).
const falconH1Defaults = {vocab_size: 128000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 8192}

function falconH1Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(falconH1Defaults)
  const hidden = cfg.int('hidden_size')
  const inner = cfg.has('mamba_d_ssm') ? cfg.int('mamba_d_ssm') : cfg.int('mamba_expand', 2) * hidden
  const heads = cfg.int('mamba_n_heads', 128)
  const headDimRaw = cfg.raw.mamba_d_head
  const headDim = headDimRaw === undefined || headDimRaw === 'auto' ? Math.trunc(inner / heads) : cfg.int('mamba_d_head')
  if (headDim * heads !== inner)
    throw new UserError(`${cfg.where}: mamba_n_heads ${heads} x mamba_d_head ${headDim} must equal the Mamba inner width ${inner} (FalconH1Config.validate_architecture)`)
  const groups = cfg.int('mamba_n_groups', 1)
  if (heads % groups !== 0) throw new UserError(`${cfg.where}: mamba_n_heads ${heads} is not a multiple of mamba_n_groups ${groups}`)
  const inBias = cfg.bool('mamba_proj_bias', false)
  if (cfg.bool('projectors_bias', false) !== inBias)
    throw new UserError(`${cfg.where}: mamba_proj_bias (in_proj) and projectors_bias (out_proj) differ; archcost models one bias flag for both`)
  return {
    ...base(cfg, o, 'falcon-h1', 'falcon_h1'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, false),
    attention: standardAttention(cfg, {biasKey: 'attention_bias'}),
    linearAttention: {...mambaKeysMixer(cfg, {groups, heads, headDim, projectionBias: inBias}), outputNorm: cfg.bool('mamba_rms_norm', false)},
    ffn: gatedFfn(cfg, 'hidden_act', 'silu', cfg.bool('mlp_bias', false)),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: [{count: cfg.int('num_hidden_layers'), mixer: 'parallel', rope: true, ffn: 'dense'}],
  }
}

export const falconH1: Family = {
  // FalconH1Config (configuration_falcon_h1.py); FalconH1ForCausalLM (modeling_falcon_h1.py).
  falcon_h1: {
    keys: {
      used: [
        ...core,
        'attention_bias',
        'mlp_bias',
        'mamba_d_ssm',
        'mamba_n_heads',
        'mamba_d_head',
        'mamba_n_groups',
        'mamba_d_state',
        'mamba_d_conv',
        'mamba_expand',
        'mamba_conv_bias',
        'mamba_proj_bias',
        'projectors_bias',
        'mamba_rms_norm',
      ],
      ignored: [
        'initializer_range',
        'rms_norm_eps',
        'use_cache',
        'num_logits_to_keep',
        'attention_dropout',
        'mamba_chunk_size',
        'mamba_norm_before_gate', // where the gate multiplies, not a weight
        'time_step_limit',
        // mup multipliers: activations and logits are scaled, no weights are added
        'lm_head_multiplier',
        'embedding_multiplier',
        'mlp_multipliers',
        'key_multiplier',
        'attention_out_multiplier',
        'attention_in_multiplier',
        'ssm_multipliers',
        'ssm_in_multiplier',
        'ssm_out_multiplier',
        'layers_block_type', // always "hybrid" (every layer parallel)
        'layer_types',
      ],
    },
    build: falconH1Spec,
  },
}
