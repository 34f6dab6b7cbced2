// DeepSeek: DeepseekV2Config, DeepseekV3Config, DeepseekV32Config (MLA attention, DeepSeek MoE), shared with Kimi.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, type KeyTable, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, rmsNorms, ropeOf, sharedExpertsMoe, tokenEmbeddings} from '../pieces.js'
import {untiedPerWrapper} from './qwen.js'

/** MLA (DeepseekV2/V3Attention): K and V of every head come from the kv_a latent. */
export function mlaAttention(heads: number, nope: number, ropeDim: number, vDim: number, bias: boolean, qLoraRank: number | null, kvLoraRank: number): ModelSpec['attention'] {
  return {
    kind: 'mla',
    heads,
    kvHeads: heads,
    headDim: nope + ropeDim,
    valueHeadDim: vDim,
    qkvBias: bias,
    outputBias: bias,
    qkNorm: 'none',
    sinks: false,
    outputGate: false,
    mla: {qLoraRank, kvLoraRank, qkNopeHeadDim: nope, qkRopeHeadDim: ropeDim, vHeadDim: vDim},
  }
}

/**
 * DeepSeek-V3-style MoE layers: mlp_layer_types when the file has it, else layers >= first_k_dense_replace with
 * layer % moe_layer_freq == 0; none without routed experts.
 */
export function deepseekMoeLayers(cfg: Config, layers: number, routed: number | null, firstDense: number, freq: number): (i: number) => boolean {
  const mlpTypes = cfg.strList('mlp_layer_types')
  if (mlpTypes && mlpTypes.length !== layers) throw new UserError(`${cfg.where}: mlp_layer_types has ${mlpTypes.length} entries for ${layers} layers`)
  if (mlpTypes?.some((t) => t !== 'dense' && t !== 'sparse')) throw new UserError(`${cfg.where}: mlp_layer_types may hold only "dense" and "sparse"`)
  return (i) => routed !== null && (mlpTypes ? mlpTypes[i] === 'sparse' : i >= firstDense && i % freq === 0)
}

export interface DeepseekDefaults {
  /** Configuration-class defaults the file may leave out. */
  class: Json
  firstDense: number
  routed: number
  shared: number
  moeWidth: number
  qLoraRank: number | null
  topK: number | null
  topkMethod: string
}
// DeepseekV3Config (also DeepseekV32Config and Kimi K2's remote-code copy): 3 dense layers, 256 routed + 1 shared, top-8.
export const deepseekV3Defaults: DeepseekDefaults = {
  class: {vocab_size: 129280, hidden_size: 7168, intermediate_size: 18432, num_hidden_layers: 61, num_attention_heads: 128, max_position_embeddings: 163840},
  firstDense: 3,
  routed: 256,
  shared: 1,
  moeWidth: 2048,
  qLoraRank: 1536,
  topK: 8,
  topkMethod: 'noaux_tc',
}
// DeepseekV2Config (configuration_deepseek_v2.py): no dense layers, 64 routed + 2 shared of 1407, greedy top-k without
// a correction bias, num_experts_per_tok None (so a MoE file must give it).
const deepseekV2Defaults: DeepseekDefaults = {
  class: {vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048},
  firstDense: 0,
  routed: 64,
  shared: 2,
  moeWidth: 1407,
  qLoraRank: 1536,
  topK: null,
  topkMethod: 'greedy',
}

// GlmMoeDsaConfig (configuration_glm_moe_dsa.py @ 008e5743): GLM-5's dimensions, 32 indexer heads.
const glmMoeDsaDefaults: DeepseekDefaults = {
  class: {
    vocab_size: 154880,
    hidden_size: 6144,
    intermediate_size: 12288,
    num_hidden_layers: 78,
    num_attention_heads: 64,
    max_position_embeddings: 202752,
    qk_nope_head_dim: 192,
    v_head_dim: 256,
    index_n_heads: 32,
  },
  firstDense: 3,
  routed: 256,
  shared: 1,
  moeWidth: 2048,
  qLoraRank: 2048,
  topK: 8,
  topkMethod: 'noaux_tc',
}

/**
 * GlmMoeDsaConfig.__post_init__: which layers run their own indexer ("full") and which reuse the previous full
 * layer's top-k ("shared", built without an indexer by GlmMoeDsaAttention): indexer_types, else index_topk_pattern
 * ("F"/"S" per layer), else layer i is full when max(i - index_skip_topk_offset + 1, 0) % index_topk_freq == 0.
 */
export function glmIndexerTypes(cfg: Config, layers: number): string[] {
  let types = cfg.strList('indexer_types')
  if (!types) {
    const pattern = cfg.has('index_topk_pattern') ? cfg.raw['index_topk_pattern'] : null
    if (typeof pattern === 'string') types = [...pattern].map((c) => (c === 'F' ? 'full' : c === 'S' ? 'shared' : c))
    else if (pattern !== null) types = cfg.strList('index_topk_pattern')
    else {
      const freq = Math.max(cfg.int('index_topk_freq', 1), 1)
      const offset = cfg.int('index_skip_topk_offset', 2)
      types = Array.from({length: layers}, (_, i) => (Math.max(i - offset + 1, 0) % freq === 0 ? 'full' : 'shared'))
    }
  }
  if (types!.length !== layers) throw new UserError(`${cfg.where}: indexer_types has ${types!.length} entries for ${layers} layers`)
  if (types!.some((t) => t !== 'full' && t !== 'shared')) throw new UserError(`${cfg.where}: indexer_types may hold only "full" and "shared" (index_topk_pattern: "F" and "S")`)
  if (types![0] !== 'full') throw new UserError(`${cfg.where}: the first layer must run its own indexer ("full"): a "shared" layer reuses an earlier layer's top-k`)
  return types!
}

export function deepseekV3Spec(raw: Config, o: ImportOptions, family: string, modelType: string, d: DeepseekDefaults, outer?: Config): ModelSpec {
  // DeepseekV3Config: MLA, first_k_dense_replace dense layers then MoE every moe_layer_freq, shared experts
  // n_shared_experts x moe_intermediate_size, noaux_tc router with e_score_correction_bias.
  const cfg = raw.withDefaults(d.class)
  const layers = cfg.int('num_hidden_layers')
  const firstDense = cfg.int('first_k_dense_replace', d.firstDense)
  const freq = cfg.int('moe_layer_freq', 1)
  // GlmMoeDsaConfig: num_experts, when given, is re-routed to n_routed_experts (backward compatibility).
  const routed = modelType === 'glm_moe_dsa' && cfg.has('num_experts') ? cfg.int('num_experts') : cfg.intOrNull('n_routed_experts', d.routed)
  const isMoe = deepseekMoeLayers(cfg, layers, routed, firstDense, freq)
  const attentionTypes = cfg.strList('layer_types')
  if (attentionTypes?.some((t) => t !== 'deepseek_sparse_attention' && t !== 'full_attention'))
    throw new UserError(`${cfg.where}: layer_types may hold only deepseek_sparse_attention or full_attention for ${modelType}`)
  if (cfg.bool('mlp_bias', false)) throw new UserError(`${cfg.where}: "mlp_bias": true (biases on the MLPs) is not modelled for ${modelType}`)
  const heads = cfg.int('num_attention_heads')
  const nope = cfg.int('qk_nope_head_dim', 128)
  const ropeDim = cfg.int('qk_rope_head_dim', 64)
  const vDim = cfg.int('v_head_dim', 128)
  const bias = cfg.bool('attention_bias', false)
  const shared = cfg.intOrNull('n_shared_experts', d.shared) ?? 0
  const moeWidth = cfg.int('moe_intermediate_size', d.moeWidth)
  const qLoraRank = cfg.intOrNull('q_lora_rank', d.qLoraRank)
  const topK = routed === null ? 0 : d.topK === null ? cfg.int('num_experts_per_tok') : cfg.int('num_experts_per_tok', d.topK)
  const attention = mlaAttention(heads, nope, ropeDim, vDim, bias, qLoraRank, cfg.int('kv_lora_rank', 512))
  const notes: string[] = []
  const dsa = modelType === 'deepseek_v32' || modelType === 'glm_moe_dsa'
  // glm_moe_dsa (GlmMoeDsaAttention, modular_glm_moe_dsa.py): "shared" layers build no indexer (IndexShare).
  const indexerTypes = modelType === 'glm_moe_dsa' ? glmIndexerTypes(cfg, layers) : null
  if (dsa) {
    // DeepseekV32Config: index_n_heads 64, index_head_dim 128, index_topk 2048; the indexer reads the q_a latent.
    if (qLoraRank === null) throw new UserError(`${cfg.where}: ${modelType}'s indexer projects the query latent, so q_lora_rank cannot be null`)
    attention.indexer = {heads: cfg.int('index_n_heads', 64), headDim: cfg.int('index_head_dim', 128), topK: cfg.int('index_topk', 2048)}
    notes.push(
      `DeepSeek Sparse Attention: the lightning indexer's weights are counted (under "other", its k_norm under norms); kv caches its key (index_head_dim ${attention.indexer.headDim} per token) beside the MLA latent in every layer with an indexer of its own, and flops attend the top-${attention.indexer.topK} keys plus the indexer scoring every key`,
    )
  }
  const spec: ModelSpec = {
    ...base(cfg, o, family, modelType, outer), // outer: a wrapper's (Kimi K2.5) dtype and quantization_config
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: gatedFfn(cfg),
    ...(routed === null ? {} : {moe: sharedExpertsMoe(routed, topK, moeWidth, shared, cfg.str('topk_method', d.topkMethod) === 'noaux_tc')}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense', indexer: indexerTypes?.[i] === 'shared' ? false : undefined}))),
    mtpLayers: cfg.int('num_nextn_predict_layers', 0),
  }
  if (notes.length) spec.notes = notes
  return spec
}

// DeepSeek-style MLA + MoE (DeepseekV2Config, DeepseekV3Config and the remote-code copies of them).
export const mla = ['q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim'] as const
const deepseekUsed = [
  ...core,
  ...mla,
  'attention_bias',
  'first_k_dense_replace',
  'moe_layer_freq',
  'n_routed_experts',
  'n_shared_experts',
  'moe_intermediate_size',
  'num_experts_per_tok',
  'topk_method', // noaux_tc adds the e_score_correction_bias per expert
  'num_nextn_predict_layers', // MTP layers shipped in the checkpoint (counted apart)
] as const
const deepseekIgnored = [
  ...decoderIgnored,
  ...routerIgnored,
  'n_group', // grouped routing picks among groups; the number of experts that run is still num_experts_per_tok
  'topk_group',
  'routed_scaling_factor',
  'scoring_func',
  'aux_loss_alpha',
  'seq_aux',
  'ep_size', // expert-parallel degree of the remote code, a deployment choice
  'rope_interleave', // order of the rotated pairs
  'num_key_value_heads', // MLA: DeepseekV2/V3Attention build K and V for every head from the latent; this key is not read
] as const
// DeepseekV3Config; Kimi K2's remote code has the same keys.
export const deepseekV3Keys: KeyTable = {used: deepseekUsed, ignored: deepseekIgnored}

export const deepseek: Family = {
  // DeepseekV2Config; mlp_bias is refused when true; head_dim is overwritten with qk_rope_head_dim by the class.
  deepseek_v2: {
    keys: {used: [...deepseekUsed, 'mlp_bias'], ignored: [...deepseekIgnored, 'head_dim']},
    build: (cfg, o) => deepseekV3Spec(cfg, o, 'deepseek-v2', 'deepseek_v2', deepseekV2Defaults),
  },
  // Also the text_config of NVIDIA's Kimi-K2.6-NVFP4 (kimi_k25 wrapper): the wrapper's quantization_config and
  // tie_word_embeddings apply, as for kimi_k2 (kimi.ts).
  deepseek_v3: {keys: deepseekV3Keys, build: (cfg, o, outer) => untiedPerWrapper(deepseekV3Spec(cfg, o, 'deepseek', 'deepseek_v3', deepseekV3Defaults, outer), cfg, outer)},
  // DeepseekV32Config: DeepSeek-V3 + the DSA lightning indexer; head_dim is overwritten with qk_rope_head_dim.
  deepseek_v32: {
    keys: {
      used: [...deepseekUsed, 'index_n_heads', 'index_head_dim', 'index_topk', 'mlp_layer_types', 'layer_types', 'mlp_bias'],
      ignored: [...deepseekIgnored, 'head_dim'],
    },
    build: (cfg, o) => deepseekV3Spec(cfg, o, 'deepseek', 'deepseek_v32', deepseekV3Defaults),
  },
  // GlmMoeDsaConfig (GLM-5.x): DeepseekV32Config + per-layer indexer sharing; MTP layer model.layers.78 counted apart.
  glm_moe_dsa: {
    keys: {
      used: [
        ...deepseekUsed,
        ...['index_n_heads', 'index_head_dim', 'index_topk', 'mlp_layer_types', 'layer_types', 'mlp_bias'],
        ...['indexer_types', 'index_topk_pattern', 'index_topk_freq', 'index_skip_topk_offset', 'num_experts'],
      ],
      ignored: [
        ...deepseekIgnored,
        'head_dim', // overwritten with qk_rope_head_dim by the class
        'qk_head_dim', // derived: qk_nope_head_dim + qk_rope_head_dim
        'index_share_for_mtp_iteration', // MTP draft steps reuse the top-k at run time; the MTP layer still ships its indexer
        'indexer_rope_interleave', // order of the indexer's rotated pairs
        'moe_router_dtype', // precision of the router GEMM
      ],
    },
    build: (cfg, o) => deepseekV3Spec(cfg, o, 'glm-moe-dsa', 'glm_moe_dsa', glmMoeDsaDefaults),
  },
}
