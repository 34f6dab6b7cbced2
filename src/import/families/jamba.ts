// Jamba: JambaConfig (configuration_jamba.py) and modeling_jamba.py. Mamba-1 layers with RMSNorms on dt, B and C
// (JambaMambaMixer) and one GQA attention layer every attn_layer_period layers, without any position embedding;
// every expert_layer_period-th layer is a MoE block (JambaSparseMoeBlock: router without bias, experts as wide as
// the dense MLP, no shared expert), the others a gated MLP (JambaMLP). Each layer has input_layernorm and
// pre_ff_layernorm.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {coreWithout, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, standardAttention, tokenEmbeddings} from '../pieces.js'

// JambaConfig defaults (the Jamba-v0.1 shape).
const jambaDefaults = {
  vocab_size: 65536,
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  max_position_embeddings: 262144,
}

function jambaSpec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(jambaDefaults)
  if (raw.raw.sliding_window !== undefined && raw.raw.sliding_window !== null)
    throw new UserError(`${cfg.where}: "sliding_window" is set; Jamba's attention layers are full attention in transformers (JambaAttention), remove it or set it to null`)
  const layers = cfg.int('num_hidden_layers')
  const hidden = cfg.int('hidden_size')
  const period = (key: string, fallback: number) => {
    const p = cfg.int(key, fallback)
    if (p < 1) throw new UserError(`${cfg.where}: "${key}" must be at least 1`)
    return p
  }
  const attnPeriod = period('attn_layer_period', 8)
  const attnOffset = cfg.int('attn_layer_offset', 4)
  const expertPeriod = period('expert_layer_period', 2)
  const expertOffset = cfg.int('expert_layer_offset', 1)
  if (attnOffset >= attnPeriod || expertOffset >= expertPeriod)
    throw new UserError(`${cfg.where}: a layer offset must be smaller than its period (JambaConfig.validate_architecture)`)
  const experts = cfg.int(cfg.pick('num_experts', 'num_local_experts'), 16)
  // layers_num_experts: num_experts on MoE layers, else 1; a layer with 1 expert is a plain JambaMLP.
  const isMoe = (i: number) => experts > 1 && i % expertPeriod === expertOffset
  const inner = cfg.int('mamba_expand', 2) * hidden
  const rank = cfg.raw.mamba_dt_rank
  const dtRank = rank === undefined || rank === 'auto' ? Math.ceil(hidden / 16) : cfg.int('mamba_dt_rank')
  const width = cfg.int('intermediate_size')
  return {
    ...base(cfg, o, 'jamba', 'jamba'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, false),
    // JambaAttention: head_dim from the config if given, else hidden / heads; q, k, v, o without bias.
    attention: standardAttention(cfg),
    linearAttention: {
      kind: 'mamba',
      keyHeads: 1,
      keyHeadDim: cfg.int('mamba_d_state', 16),
      valueHeads: inner,
      valueHeadDim: 1,
      convKernel: cfg.int('mamba_d_conv', 4),
      dtRank,
      convBias: cfg.bool('mamba_conv_bias', true),
      projectionBias: cfg.bool('mamba_proj_bias', false),
      dtBcNorms: true,
    },
    ffn: gatedFfn(cfg),
    ...(experts > 1 ? {moe: moeBlock(experts, cfg.int('num_experts_per_tok', 2), width)} : {}),
    norms: rmsNorms('pre', 2),
    rope: {theta: 10000, scaling: null, partialRotaryFactor: 1}, // unused: no layer applies RoPE
    layerGroups: groupLayers(
      Array.from({length: layers}, (_, i) => ({mixer: i % attnPeriod === attnOffset ? 'full' : 'linear', rope: false, ffn: isMoe(i) ? 'moe' : 'dense'})),
    ),
  }
}

export const jamba: Family = {
  // JambaConfig (configuration_jamba.py); JambaForCausalLM (modeling_jamba.py).
  jamba: {
    keys: {
      used: [
        ...coreWithout('rope_theta', 'rope_scaling', 'rope_parameters', 'partial_rotary_factor'),
        'num_experts_per_tok',
        'num_experts',
        'num_local_experts',
        'expert_layer_period',
        'expert_layer_offset',
        'attn_layer_period',
        'attn_layer_offset',
        'mamba_d_state',
        'mamba_d_conv',
        'mamba_expand',
        'mamba_dt_rank',
        'mamba_conv_bias',
        'mamba_proj_bias',
        'sliding_window', // refused unless null: JambaAttention is full attention
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'use_mamba_kernels', // kernel choice; the same modules are built
        'use_mambapy',
        'use_associative_scan',
        'num_logits_to_keep', // how many positions the head scores at generation
      ],
    },
    build: jambaSpec,
  },
}
