// Ling / Ling-lite (remote-code BailingMoeConfig and modeling_bailing_moe.py of inclusionAI, as published in the
// inclusionAI/Ling repository models/ and shipped with the Ling-lite / Ling-plus checkpoints), and Ling 2.0
// (BailingMoeV2Config, configuration_bailing_moe_v2.py and modeling_bailing_moe_v2.py of inclusionAI/Ling-V2
// models/ @ efee9bb7, shipped with Ling-mini-2.0 / Ling-flash-2.0 under model_type "bailing_moe").
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions, type Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// BailingMoeConfig (configuration_bailing_moe.py @ 69823a61): h 1024, 24 layers, 16 heads, 16 experts, top-2,
// use_bias True, untied. intermediate_size and moe_intermediate_size default to None: a file must state the ones
// its layers use.
const bailingDefaults: Json = {vocab_size: 30592, hidden_size: 1024, num_hidden_layers: 24, num_attention_heads: 16, max_position_embeddings: 16384}

// BailingMoeV2Config (configuration_bailing_moe_v2.py @ efee9bb7): the Ling-mini-2.0 dimensions. head_dim
// 128, QK-norm, 256 experts of 512 (top-8), one shared, the first layer dense, untied, no MTP layer.
const bailingV2Defaults: Json = {
  vocab_size: 157184,
  hidden_size: 2048,
  intermediate_size: 5120,
  num_hidden_layers: 20,
  num_attention_heads: 16,
  num_key_value_heads: 4,
  max_position_embeddings: 32768,
  head_dim: 128,
  num_experts: 256,
  num_shared_experts: 1,
  num_experts_per_tok: 8,
  moe_intermediate_size: 512,
  first_k_dense_replace: 1,
}

// Keys only BailingMoeV2Config defines: a "bailing_moe" file with any of them (or naming BailingMoeV2ForCausalLM)
// is a Ling 2.0 checkpoint.
const v2OnlyKeys = ['use_qk_norm', 'num_nextn_predict_layers', 'mtp_loss_scaling_factor', 'moe_router_enable_expert_bias'] as const

function isBailingV2(cfg: Config): boolean {
  const archs = cfg.raw.architectures
  if (Array.isArray(archs) && archs.includes('BailingMoeV2ForCausalLM')) return true
  return v2OnlyKeys.some((k) => cfg.has(k))
}

function bailingMoeV2Spec(raw: Config, o: ImportOptions): ModelSpec {
  // BailingMoeV2DecoderLayer (modeling_bailing_moe_v2.py): BailingMoeV2Attention with the fused query_key_value
  // Linear(h, (H + 2 Hkv) d, bias=use_qkv_bias), query_layernorm / key_layernorm of head_dim when use_qk_norm, dense
  // Linear(H d, h, bias=use_bias), RoPE on int(head_dim * partial_rotary_factor) dims; layers >= first_k_dense_replace
  // are BailingMoeV2SparseMoeBlock: BailingMoeV2Gate (weight (E, h) and the persistent buffer expert_bias (E), the
  // checkpoint's score-correction bias, registered whatever moe_router_enable_expert_bias says), num_experts MLPs of
  // moe_intermediate_size and, unless num_shared_experts is null, one shared MLP of moe_intermediate_size x
  // num_shared_experts; no MLP has a bias. BailingMoeV2Model appends num_nextn_predict_layers BailingMoeV2MTPLayer
  // (a MoE decoder layer plus enorm, hnorm, eh_proj (2h -> h) and final_layernorm) after the decoder layers; they are
  // shipped and skipped in plain decoding (counted apart, as DeepSeek-V3's). Group-limited routing (n_group,
  // topk_group) picks which experts run, not how many.
  const cfg = raw.withDefaults(bailingV2Defaults)
  const layers = cfg.int('num_hidden_layers')
  const experts = cfg.intOrNull('num_experts', 256)
  const firstDense = cfg.int('first_k_dense_replace', 1)
  const isMoe = (i: number) => experts !== null && i >= firstDense
  const heads = cfg.int('num_attention_heads')
  const dims: Json = {hidden_size: cfg.int('hidden_size'), num_attention_heads: heads, num_key_value_heads: cfg.int('num_key_value_heads')}
  // `head_dim or hidden_size // num_attention_heads`: a null head_dim falls back.
  if (cfg.raw.head_dim !== null) dims.head_dim = cfg.int('head_dim')
  const attention = {
    ...standardAttention(new Config(dims, cfg.where), {qkNorm: cfg.bool('use_qk_norm', true) ? 'per-head' : 'none'}),
    qkvBias: cfg.bool('use_qkv_bias', false),
    outputBias: cfg.bool('use_bias', false),
  }
  const width = experts === null ? 0 : cfg.int('moe_intermediate_size')
  const shared = cfg.intOrNull('num_shared_experts', 1) ?? 0
  const mtp = cfg.int('num_nextn_predict_layers', 0)
  if (mtp > 0 && experts === null) throw new UserError(`${cfg.where}: "num_nextn_predict_layers" needs MoE layers (BailingMoeV2MTPLayer builds a BailingMoeV2SparseMoeBlock); num_experts is null`)
  return {
    ...base(cfg, o, 'bailing-moe', 'bailing_moe'),
    mtpLayers: mtp,
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: cfg.int('intermediate_size'), bias: false},
    ...(experts === null ? {} : {moe: moeBlock(experts, cfg.int('num_experts_per_tok', 8), width, {sharedExperts: shared, sharedIntermediateSize: shared * width, routerScoreCorrectionBias: true})}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 600000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}))),
  }
}

function bailingMoeSpec(raw: Config, o: ImportOptions): ModelSpec {
  if (isBailingV2(raw)) return bailingMoeV2Spec(raw, o)
  // BailingMoeDecoderLayer (modeling_bailing_moe.py): BailingMoeAttention with one fused query_key_value
  // Linear(h, (H + 2 Hkv) d, bias=use_qkv_bias) and dense Linear(H d, h, bias=use_bias); layers >=
  // first_k_dense_replace are BailingMoeSparseMoeBlock (gate weight (E, h) without bias, num_experts BailingMoeMLP of
  // moe_intermediate_size without bias, one shared BailingMoeMLP of moe_intermediate_size * num_shared_experts),
  // the others BailingMoeMLP of intermediate_size; the MLPs never carry a bias (use_bias is the attention output's).
  // RMSNorm input/post-attention and final norm; lm_head without bias (norm_head only normalises its rows).
  const cfg = raw.withDefaults(bailingDefaults)
  const layers = cfg.int('num_hidden_layers')
  // num_key_value_heads defaults to 0 in the class, which the attention cannot be built with.
  const kvHeads = cfg.int('num_key_value_heads', 0)
  if (kvHeads === 0) throw new UserError(`${cfg.where}: "num_key_value_heads" is required (BailingMoeConfig defaults it to 0)`)
  const experts = cfg.intOrNull('num_experts', 16)
  const firstDense = cfg.int('first_k_dense_replace', 0)
  const isMoe = (i: number) => experts !== null && i >= firstDense
  const anyDense = Array.from({length: layers}, (_, i) => !isMoe(i)).some(Boolean)
  if (anyDense && !cfg.has('intermediate_size')) throw new UserError(`${cfg.where}: "intermediate_size" is required for the dense layers (BailingMoeConfig defaults it to None)`)
  // The attention dimensions, with num_key_value_heads checked (standardAttention would fall back to the heads).
  const dims: Json = {hidden_size: cfg.int('hidden_size'), num_attention_heads: cfg.int('num_attention_heads'), num_key_value_heads: kvHeads}
  if (cfg.has('head_dim')) dims.head_dim = cfg.int('head_dim')
  const attention = {...standardAttention(new Config(dims, cfg.where)), qkvBias: cfg.bool('use_qkv_bias', false), outputBias: cfg.bool('use_bias', true)}
  const width = experts === null ? 0 : cfg.int('moe_intermediate_size')
  const shared = cfg.int('num_shared_experts', 0)
  return {
    ...base(cfg, o, 'bailing-moe', 'bailing_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: cfg.has('intermediate_size') ? cfg.int('intermediate_size') : width, bias: false},
    ...(experts === null ? {} : {moe: moeBlock(experts, cfg.int('num_experts_per_tok', 2), width, {sharedExperts: shared, sharedIntermediateSize: shared * width})}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}))),
  }
}

// BailingMoeV2Config's keys beyond BailingMoeConfig's.
const v2Used = [...v2OnlyKeys.filter((k) => k !== 'mtp_loss_scaling_factor' && k !== 'moe_router_enable_expert_bias')] as const
const v2Ignored = [
  'mtp_loss_scaling_factor', // the MTP loss weight in training
  'moe_router_enable_expert_bias', // not read: BailingMoeV2Gate registers expert_bias whatever it says
  'n_group', // group-limited routing: which experts, not how many
  'topk_group',
  'routed_scaling_factor',
  'score_function', // sigmoid routing scores
  'scoring_func',
  'topk_method',
  'router_dtype',
] as const

export const bailing: Family = {
  // BailingMoeConfig (remote code)
  bailing_moe: {
    keys: {
      used: [
        ...core,
        'use_qkv_bias',
        'use_bias',
        'num_experts',
        'num_shared_experts',
        'num_experts_per_tok',
        'moe_intermediate_size',
        'first_k_dense_replace',
        ...v2Used, // a Ling 2.0 file (BailingMoeV2ForCausalLM) is built by bailingMoeV2Spec
        'architectures', // BailingMoeV2ForCausalLM marks a Ling 2.0 file
      ],
      ignored: [
        ...decoderIgnored,
        ...v2Ignored,
        ...routerIgnored,
        'embedding_dropout',
        'output_dropout',
        'norm_head', // normalises the LM head rows at run time: same weights
        'norm_softmax', // a published key the class does not read
        // The class stores a Qwen2-style sliding window but BailingMoeAttention never reads it (full attention).
        'use_sliding_window',
        'sliding_window',
        'max_window_layers',
      ],
    },
    build: bailingMoeSpec,
  },
}
