// Nemotron-H: NemotronHConfig (configuration_nemotron_h.py) and modeling_nemotron_h.py. Every character of
// hybrid_override_pattern (or entry of layers_block_type) is one NemotronHBlock: one RMSNorm and one mixer, which is
// a Mamba-2 mixer (M, linear_attention), GQA attention without position embedding (*, full_attention), a plain
// relu2 MLP (-, mlp) or a MoE block (E, moe: ungated relu2 experts, a DeepSeek-V3-style router with
// e_score_correction_bias, one shared MLP; Nemotron 3 Nano).
import {UserError} from '../../errors.js'
import type {LayerGroup, ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import type {Family} from '../family.js'
import {groupLayers, type LayerSpec} from '../layers.js'
import {base, moeBlock, rmsNorms, standardAttention, tokenEmbeddings} from '../pieces.js'

// NemotronHConfig defaults (transformers 5.x).
const nemotronHDefaults = {
  vocab_size: 131072,
  hidden_size: 4096,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 128,
  max_position_embeddings: 4096,
  intermediate_size: 21504,
}

// NemotronHConfig._pattern_to_list and the layers_block_type names (transformers' linear_attention/full_attention;
// NVIDIA's remote configuration_nemotron_h.py writes mamba/attention, as the Nemotron 3 Ultra config does).
const blockOf: Record<string, LayerSpec['mixer'] | 'mlp' | 'moe'> = {M: 'linear', '*': 'full', '-': 'mlp', E: 'moe', linear_attention: 'linear', full_attention: 'full', mamba: 'linear', attention: 'full', mlp: 'mlp', moe: 'moe'}

function blockTypes(cfg: Config): string[] {
  const list = cfg.strList(cfg.pick('layers_block_type', 'layer_types'))
  if (list) return list
  const pattern = cfg.raw.hybrid_override_pattern
  if (typeof pattern !== 'string' || pattern.length === 0)
    throw new UserError(`${cfg.where}: give hybrid_override_pattern (e.g. "M-M*-") or layers_block_type: the block sequence defines the model`)
  return [...pattern]
}

// Latent MoE (Nemotron 3 Super/Ultra): the routed experts read and write moe_latent_size wide activations between
// fc1_latent_proj and fc2_latent_proj (vLLM nemotron_h.py NemotronHMoE); the router and the shared expert stay at
// the hidden size. null or absent = no latent (Nemotron 3 Nano).
function withLatent<T extends object>(cfg: Config, moe: T): T & {latentSize?: number} {
  const latent = cfg.raw.moe_latent_size
  return latent === undefined || latent === null ? moe : {...moe, latentSize: cfg.int('moe_latent_size')}
}

function nemotronHSpec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(nemotronHDefaults)
  const types = blockTypes(cfg)
  const blocks = types.map((t) => {
    const b = blockOf[t]
    if (!b) throw new UserError(`${cfg.where}: block type "${t}" is not one of M, *, -, E (linear_attention or mamba, full_attention or attention, mlp, moe)`)
    return b
  })
  // num_hidden_layers is derived from the pattern (NemotronHConfig.num_hidden_layers); a stated one must agree.
  if (cfg.has('num_hidden_layers') && cfg.int('num_hidden_layers') !== blocks.length)
    throw new UserError(`${cfg.where}: num_hidden_layers ${cfg.int('num_hidden_layers')} does not match the ${blocks.length} blocks of the pattern`)
  if (cfg.bool('attention_bias', false)) throw new UserError(`${cfg.where}: "attention_bias": true is not what NemotronHAttention builds (q, k, v, o without bias)`)
  if (raw.raw.sliding_window !== undefined && raw.raw.sliding_window !== null)
    throw new UserError(`${cfg.where}: "sliding_window" is set; Nemotron-H attention blocks are full attention in transformers`)
  const mlpBias = cfg.bool('mlp_bias', false)
  const hasMoe = blocks.includes('moe')
  if (hasMoe && mlpBias) throw new UserError(`${cfg.where}: "mlp_bias": true with MoE blocks is not modelled (the shared expert would carry biases)`)
  const projectionBias = cfg.bool('use_bias', false)
  if (cfg.bool('mamba_proj_bias', false) && !projectionBias)
    throw new UserError(`${cfg.where}: "mamba_proj_bias" is true but "use_bias" is false; transformers' NemotronHMamba2Mixer reads use_bias`)
  const heads = cfg.int('mamba_num_heads', 128)
  const groups = cfg.int(cfg.pick('n_groups', 'mamba_n_groups'), 8)
  if (heads % groups !== 0) throw new UserError(`${cfg.where}: mamba_num_heads ${heads} is not a multiple of n_groups ${groups}`)
  const attention = standardAttention(cfg.withDefaults({...nemotronHDefaults, head_dim: cfg.int(cfg.pick('head_dim', 'attention_head_dim'))}))
  const layer = (b: (typeof blocks)[number]): LayerSpec =>
    b === 'mlp' ? {mixer: 'none', rope: false, ffn: 'dense'} : b === 'moe' ? {mixer: 'none', rope: false, ffn: 'moe'} : {mixer: b, rope: false, ffn: 'none'}
  const groupsOfLayers: LayerGroup[] = groupLayers(blocks.map(layer))
  const stateDtype = cfg.str('mamba_ssm_cache_dtype', 'float32')
  const recurrentStateDtype = ({float32: 'fp32', bfloat16: 'bf16', float16: 'fp16'} as const)[stateDtype as 'float32']
  if (!recurrentStateDtype) throw new UserError(`${cfg.where}: "mamba_ssm_cache_dtype" "${stateDtype}" is not float32, bfloat16 or float16`)
  const innerWidth = heads * cfg.int('mamba_head_dim', 64)
  return {
    ...base(cfg, o, 'nemotron-h', 'nemotron_h', undefined, {hidden: cfg.int('hidden_size'), layers: blocks.length}),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, false),
    attention,
    linearAttention: {
      kind: 'mamba2',
      keyHeads: groups,
      keyHeadDim: cfg.int('ssm_state_size', 128),
      valueHeads: heads,
      valueHeadDim: cfg.int('mamba_head_dim', 64),
      convKernel: cfg.int(cfg.pick('conv_kernel', 'mamba_d_conv'), 4),
      convBias: cfg.bool(cfg.pick('use_conv_bias', 'mamba_conv_bias'), true),
      projectionBias,
      recurrentStateDtype,
    },
    // NemotronHMLP: up and down, relu2, bias mlp_bias. Without "-" blocks the dense width is unused.
    ffn: {gated: false, activation: cfg.str('mlp_hidden_act', 'relu2'), intermediateSize: blocks.includes('mlp') ? cfg.int('intermediate_size') : innerWidth, bias: mlpBias},
    ...(hasMoe
      ? {
          moe: withLatent(cfg, moeBlock(cfg.int(cfg.pick('n_routed_experts', 'num_local_experts'), 8), cfg.int('num_experts_per_tok', 2), cfg.int('moe_intermediate_size', 7688), {
            sharedExperts: cfg.int('n_shared_experts', 1),
            sharedIntermediateSize: cfg.int('n_shared_experts', 1) > 0 ? cfg.int('moe_shared_expert_intermediate_size', 7688) : 0,
            routerScoreCorrectionBias: true, // NemotronHTopkRouter.e_score_correction_bias, a persistent buffer in the checkpoint
          })),
        }
      : {}),
    norms: rmsNorms('pre', 1),
    rope: {theta: 10000, scaling: null, partialRotaryFactor: 1}, // unused: NemotronHAttention applies no position embedding
    layerGroups: groupsOfLayers,
    ...mtpModules(cfg, layer),
  }
}

// The MTP module (mtp.layers.*, skipped by transformers): per num_nextn_predict_layers, the blocks of
// mtp_hybrid_override_pattern (or mtp_layers_block_type), the first with enorm, hnorm and eh_proj, the last with a
// final norm; embedding and head are the main model's (vLLM nemotron_h_mtp.py NemotronHMultiTokenPredictor).
function mtpModules(cfg: Config, layer: (b: LayerSpec['mixer'] | 'mlp' | 'moe') => LayerSpec): Pick<ModelSpec, 'mtpLayers' | 'mtpLayerGroups' | 'notes'> {
  const modules = cfg.int('num_nextn_predict_layers', 0)
  if (modules === 0) return {mtpLayers: 0}
  for (const key of ['mtp_bottleneck_hidden_size', 'mtp_window_size'])
    if (cfg.raw[key] !== undefined && cfg.raw[key] !== null)
      throw new UserError(`${cfg.where}: "${key}" (an MTP module narrower than the model, or with sliding-window blocks) is not modelled; remove it to count the module at the model's width`)
  const list = cfg.strList('mtp_layers_block_type')
  const pattern = cfg.raw.mtp_hybrid_override_pattern
  const types = list ?? (typeof pattern === 'string' && pattern.length > 0 ? [...pattern] : null)
  if (!types) return {mtpLayers: 0, notes: [`the checkpoint's ${modules} MTP module(s) (mtp.*, skipped by transformers) are not counted: the config gives no mtp_hybrid_override_pattern`]}
  const blocks = types.map((t) => {
    const b = blockOf[t]
    if (!b) throw new UserError(`${cfg.where}: MTP block type "${t}" is not one of M, *, -, E (mamba, attention, mlp, moe)`)
    return b
  })
  return {mtpLayers: modules, mtpLayerGroups: groupLayers(blocks.map(layer))}
}

export const nemotronH: Family = {
  // NemotronHConfig (configuration_nemotron_h.py) with the legacy names its __post_init__ accepts.
  nemotron_h: {
    keys: {
      used: [
        'vocab_size',
        'hidden_size',
        'layers_block_type',
        'layer_types',
        'hybrid_override_pattern',
        'num_hidden_layers', // checked against the pattern
        'tie_word_embeddings',
        'num_attention_heads',
        'num_key_value_heads',
        'head_dim',
        'attention_head_dim', // the remote code's name for head_dim
        'max_position_embeddings',
        'attention_bias', // refused when true
        'sliding_window', // refused unless null
        'intermediate_size',
        'mlp_hidden_act',
        'mlp_bias',
        'ssm_state_size',
        'mamba_num_heads',
        'mamba_head_dim',
        'n_groups',
        'mamba_n_groups',
        'conv_kernel',
        'mamba_d_conv',
        'use_conv_bias',
        'mamba_conv_bias',
        'use_bias',
        'mamba_proj_bias', // refused when it disagrees with use_bias
        'mamba_ssm_cache_dtype',
        'n_routed_experts',
        'num_local_experts',
        'n_shared_experts',
        'moe_intermediate_size',
        'moe_shared_expert_intermediate_size',
        'moe_latent_size', // null = no latent projection
        'num_experts_per_tok',
        'num_nextn_predict_layers',
        'mtp_layers_block_type', // the MTP module's blocks
        'mtp_hybrid_override_pattern',
        'mtp_bottleneck_hidden_size', // refused unless null
        'mtp_window_size', // refused unless null
      ],
      ignored: [
        'use_cache',
        'num_logits_to_keep',
        'attention_dropout',
        'hidden_dropout',
        'initializer_range',
        'layer_norm_epsilon',
        'rms_norm_eps',
        'norm_eps',
        'residual_in_fp32',
        'rescale_prenorm_residual',
        'use_mamba_kernels',
        'mamba_hidden_act', // SiLU inside the mixer: elementwise
        'expand', // NemotronHMamba2Mixer's inner width is mamba_num_heads x mamba_head_dim
        'mamba_expand',
        'time_step_rank', // stored by old configs; the mixer builds dt from in_proj, one per head
        'time_step_min',
        'time_step_max',
        'time_step_limit',
        'time_step_floor',
        'mamba_dt_min',
        'mamba_dt_max',
        'mamba_dt_limit',
        'mamba_dt_init_floor',
        'chunk_size',
        'mamba_chunk_size',
        'moe_shared_expert_overlap', // overlaps the shared expert with the routed ones in time
        'routed_scaling_factor',
        'n_group',
        'topk_group',
        'norm_topk_prob',
        'rope_theta', // NemotronHAttention applies no position embedding
        'partial_rotary_factor',
      ],
    },
    build: nemotronHSpec,
  },
}
