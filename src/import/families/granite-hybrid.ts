// Granite 4.0 hybrids: GraniteMoeHybridConfig (configuration_granitemoehybrid.py) and modeling_granitemoehybrid.py.
// Each GraniteMoeHybridDecoderLayer has input_layernorm and post_attention_layernorm, a Mamba-2 mixer
// (GraniteMoeHybridMambaLayer) or GQA attention, then the MoE block (gated experts of intermediate_size, a router
// without bias) plus the always-on shared_mlp (gated, shared_intermediate_size); with num_local_experts 0 only the
// shared_mlp (a dense model: Granite-4.0-H-Micro/1B). RoPE only when position_embedding_type is "rope". The mup
// multipliers (embedding, attention, residual, logits) scale activations and change no parameter.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {coreWithout, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, mambaKeysMixer, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// GraniteMoeHybridConfig defaults (transformers 5.x).
const graniteHybridDefaults = {vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

/** layer_types entries: the Hub files say mamba/attention, transformers 5.x linear_attention/full_attention. */
function mixerOf(type: string, where: string): 'linear' | 'full' {
  if (type === 'mamba' || type === 'linear_attention') return 'linear'
  if (type === 'attention' || type === 'full_attention') return 'full'
  throw new UserError(`${where}: layer type "${type}" is not mamba or attention`)
}

function graniteHybridSpec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(graniteHybridDefaults)
  const layers = cfg.int('num_hidden_layers')
  const types = cfg.strList(cfg.pick('layer_types', 'layers_block_type')) ?? Array.from({length: layers}, () => 'mamba')
  if (types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
  const mixers = types.map((t) => mixerOf(t, cfg.where))
  const hidden = cfg.int('hidden_size')
  const inner = cfg.int('mamba_expand', 2) * hidden
  const heads = cfg.int('mamba_n_heads', 128)
  const headDimRaw = cfg.raw.mamba_d_head
  const headDim = headDimRaw === undefined || headDimRaw === 'auto' ? inner / heads : cfg.int('mamba_d_head')
  if (!Number.isInteger(headDim) || headDim * heads !== inner)
    throw new UserError(`${cfg.where}: mamba_n_heads ${heads} x mamba_d_head ${headDim} must equal mamba_expand x hidden_size = ${inner} (GraniteMoeHybridConfig.validate_architecture)`)
  const groups = cfg.int('mamba_n_groups', 1)
  if (heads % groups !== 0) throw new UserError(`${cfg.where}: mamba_n_heads ${heads} is not a multiple of mamba_n_groups ${groups}`)
  const experts = cfg.int('num_local_experts', 8)
  const shared = cfg.int('shared_intermediate_size', 1024)
  const rope = cfg.str('position_embedding_type', 'nope') === 'rope'
  const attention = standardAttention(cfg, {biasKey: 'attention_bias'})
  return {
    ...base(cfg, o, 'granite-hybrid', 'granitemoehybrid'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, false),
    attention,
    linearAttention: mambaKeysMixer(cfg, {groups, heads, headDim, projectionBias: cfg.bool('mamba_proj_bias', false)}),
    // Dense (no experts): the shared_mlp is each layer's whole FFN. With experts it rides along as the shared expert.
    ffn: experts > 0 ? gatedFfn(cfg) : {...gatedFfn(cfg), intermediateSize: shared},
    ...(experts > 0 ? {moe: moeBlock(experts, cfg.int('num_experts_per_tok', 2), cfg.int('intermediate_size'), {sharedExperts: 1, sharedIntermediateSize: shared})} : {}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(mixers.map((mixer) => ({mixer, rope: mixer === 'full' && rope, ffn: experts > 0 ? 'moe' : 'dense'}))),
  }
}

export const graniteHybrid: Family = {
  // GraniteMoeHybridConfig (configuration_granitemoehybrid.py); GraniteMoeHybridForCausalLM.
  granitemoehybrid: {
    keys: {
      used: [
        ...coreWithout('partial_rotary_factor'),
        'attention_bias',
        'num_local_experts',
        'num_experts_per_tok',
        'shared_intermediate_size',
        'position_embedding_type',
        'layer_types',
        'layers_block_type',
        'mamba_n_heads',
        'mamba_n_groups',
        'mamba_d_state',
        'mamba_d_head',
        'mamba_d_conv',
        'mamba_expand',
        'mamba_conv_bias',
        'mamba_proj_bias',
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        // mup multipliers: scale activations and logits, no weights
        'embedding_multiplier',
        'logits_scaling',
        'residual_multiplier',
        'attention_multiplier',
        'mamba_chunk_size',
        'time_step_limit',
        'normalization_function', // always RMSNorm in GraniteMoeHybrid
      ],
    },
    build: graniteHybridSpec,
  },
}
