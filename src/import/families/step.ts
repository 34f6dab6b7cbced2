// Step 3.5 / 3.7 Flash (StepFun). Reference: transformers' step3p7 (models/step3p7/modeling_step3p7.py @ a7b81dfe:
// Step3p7TextConfig, model_type step3p5, and Step3p7DecoderLayer / Step3p7Attention / Step3p7MoEMLP), the same modules
// as vLLM's Step3p5ForCausalLM (vllm/model_executor/models/step3p5.py). Each layer: input/post-attention RMSNorms,
// attention (q/k/v/o without bias, per-head q_norm and k_norm always, an optional head-wise sigmoid gate g_proj of
// hidden x heads), full or sliding per layer_types; a dense MLP (intermediate_size) on the layers mlp_layer_types /
// moe_layers_enum leave dense, else a MoE block: gate (hidden x experts, no bias), a router_bias per expert when
// use_moe_router_bias, routed experts of moe_intermediate_size and one share_expert of share_expert_dim. The LM head is
// untied. The num_nextn_predict_layers MTP layers (model.layers.45-47, which transformers skips on load) are counted
// apart, each a dense layer with its own LM head (mtpOf).
//
// Two spellings are read: StepFun's own (text_config of a step3p7 file, or a flat step3p5 file: num_attention_groups,
// moe_num_experts, moe_top_k, moe_layers_enum) and the flattened one ai-dynamo/aiconfigurator stores for
// Step-3.7-Flash (num_key_value_heads, num_experts, num_experts_per_tok, first_k_dense_replace), whose keys stand for
// the StepFun ones (Step3p7TextConfig itself would overwrite num_key_value_heads and num_experts with them).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {decoderIgnored, type Family, type KeyTable} from '../family.js'
import {groupLayers, layerOf, mixerOf} from '../layers.js'
import {base, moeBlock, rmsNorms, tokenEmbeddings} from '../pieces.js'
import {attentionKindOf} from '../../schema/attention-kind.js'

// Step3p7TextConfig defaults (configuration_step3p7.py) for the keys a file leaves out.
const step3p7Defaults: Json = {
  hidden_size: 4096,
  intermediate_size: 11264,
  num_attention_heads: 64,
  num_hidden_layers: 45,
  vocab_size: 128815,
  moe_intermediate_size: 1280,
  head_dim: 128,
  max_position_embeddings: 128000,
}

/** The first value of a key among its spellings, or undefined. */
const firstOf = (cfg: Config, ...keys: string[]) => keys.find((k) => cfg.has(k))

function moeLayersOf(cfg: Config, layers: number): (i: number) => boolean {
  // Step3p7TextConfig: mlp_layer_types ("dense"/"sparse"), else moe_layers_enum ("3,4,...,44" or a list), else
  // layers 3 onwards; the flattened spelling says first_k_dense_replace.
  const mlpTypes = cfg.strList('mlp_layer_types')
  if (mlpTypes) {
    if (mlpTypes.length < layers || mlpTypes.some((t) => t !== 'dense' && t !== 'sparse')) throw new UserError(`${cfg.where}: "mlp_layer_types" must give "dense" or "sparse" for each of the ${layers} layers`)
    return (i) => mlpTypes[i] === 'sparse'
  }
  const raw = cfg.raw.moe_layers_enum
  if (raw !== undefined && raw !== null) {
    const list = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean).map(Number) : raw
    if (!Array.isArray(list) || !list.every((n) => Number.isSafeInteger(n) && (n as number) >= 0))
      throw new UserError(`${cfg.where}: "moe_layers_enum" must list layer indices, e.g. "3,4,5"`)
    const set = new Set(list as number[])
    return (i) => set.has(i)
  }
  const first = cfg.int('first_k_dense_replace', 3)
  return (i) => i >= first
}

/** A per-layer list (rope_theta, partial_rotary_factors) or a scalar, read for one layer. */
function perLayerNumber(cfg: Config, key: string, i: number, fallback: number): number {
  const v = cfg.raw[key]
  if (v === undefined || v === null) return fallback
  if (typeof v === 'number') return v
  if (Array.isArray(v) && typeof v[i] === 'number') return v[i] as number
  throw new UserError(`${cfg.where}: "${key}" must be a number or a list of numbers, one per layer`)
}

function step3p5Spec(outer: Config, o: ImportOptions, modelType: string): ModelSpec {
  const text = outer.has('text_config') ? outer.sub('text_config') : outer
  const cfg = text.withDefaults(step3p7Defaults)
  const layers = cfg.int('num_hidden_layers')
  if (cfg.str('att_impl_type', 'GQA') !== 'GQA') throw new UserError(`${cfg.where}: att_impl_type "${cfg.str('att_impl_type', '')}" is not supported (Step3p5DecoderLayer builds GQA only)`)
  // layer_types may also cover the MTP layers (45 + 3 entries in StepFun's files): the decoder reads the first ones.
  const given = cfg.strList('layer_types')
  if (given && given.length < layers) throw new UserError(`${cfg.where}: layer_types has ${given.length} entries for ${layers} layers`)
  const types = given ? given.slice(0, layers) : Array.from({length: layers}, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention'))
  const window = cfg.has('sliding_window') ? cfg.int('sliding_window') : undefined
  // Without a sliding_window a "sliding" layer attends to everything (Step3p7Attention: sliding_window None).
  const mixers = types.map((t, i) => {
    const m = mixerOf(t, `${cfg.where}.layer_types[${i}]`)
    if (m !== 'full' && m !== 'sliding') throw new UserError(`${cfg.where}: layer_types[${i}] "${t}": Step 3.5 layers are full_attention or sliding_attention`)
    return m === 'sliding' && window !== undefined ? 'sliding' : 'full'
  })
  const heads = cfg.int('num_attention_heads')
  const kvKey = firstOf(cfg, 'num_attention_groups', 'num_key_value_heads')
  const kvHeads = kvKey ? cfg.int(kvKey) : 8 // Step3p7TextConfig num_attention_groups default
  // attention_other_setting: the sliding layers' own head counts (Step3p7Attention; Step-3.7-Flash: 96 query heads, 8 KV
  // heads). Their query heads become the sliding runs' heads; per-run KV heads or head widths are not modelled.
  const other = cfg.sub('attention_other_setting')
  const headDim = cfg.has('head_dim') ? cfg.int('head_dim') : cfg.int('hidden_size') / heads
  const otherType = other.str('attention_type', 'sliding_attention')
  for (const [key, same] of [['num_attention_groups', kvHeads], ['head_dim', headDim]] as const)
    if (other.has(key) && other.int(key) !== same)
      throw new UserError(`${other.where}: ${key} ${other.int(key)} on the ${otherType} layers differs from the other layers' ${same}; per-layer KV heads and head widths are not modelled yet`)
  const otherHeads = other.has('num_attention_heads') ? other.int('num_attention_heads') : heads
  if (otherHeads % kvHeads !== 0) throw new UserError(`${other.where}: num_attention_heads (${otherHeads}) must be a multiple of the KV heads (${kvHeads})`)
  if (!Number.isInteger(headDim)) throw new UserError(`${cfg.where}: no head_dim, and hidden_size is not a multiple of num_attention_heads ${heads}`)
  if (heads % kvHeads !== 0) throw new UserError(`${cfg.where}: num_attention_heads (${heads}) must be a multiple of the KV heads (${kvHeads})`)
  // Step3p7Attention: q/k/v/o without biases (it sets attention_bias False), q_norm and k_norm of head_dim always.
  const qkvBias = false
  const attention: ModelSpec['attention'] = {
    kind: attentionKindOf(heads, kvHeads),
    heads,
    kvHeads,
    headDim,
    valueHeadDim: headDim,
    qkvBias,
    outputBias: false,
    qkNorm: 'per-head',
    sinks: false,
    outputGate: false,
    // Step3p7Attention.g_proj (hidden -> heads) when use_head_wise_attn_gate.
    ...(cfg.bool('use_head_wise_attn_gate', false) ? {headGate: true} : {}),
  }
  const isMoe = moeLayersOf(cfg, layers)
  const useRope = cfg.raw.use_rope_layers
  if (useRope !== undefined && useRope !== null && (!Array.isArray(useRope) || useRope.length < layers || !useRope.every((v) => typeof v === 'boolean' || v === 0 || v === 1)))
    throw new UserError(`${cfg.where}: "use_rope_layers" must be one true/false per layer`)
  const ropeAt = (i: number) => (Array.isArray(useRope) ? Boolean(useRope[i]) : true)
  const ownHeads = (i: number) => (types[i] === otherType && otherHeads !== heads ? {attention: {heads: otherHeads}} : {})
  const perLayer = mixers.map((m, i) => ({...layerOf(m, ropeAt(i), isMoe(i) ? 'moe' : 'dense', m === 'sliding' ? window : undefined), ...ownHeads(i)}))
  const routed = cfg.int(firstOf(cfg, 'moe_num_experts', 'num_experts') ?? 'moe_num_experts', 288)
  const topK = cfg.int(firstOf(cfg, 'moe_top_k', 'num_experts_per_tok') ?? 'moe_top_k', 8)
  const expertWidth = cfg.int('moe_intermediate_size')
  // Step3p7DecoderLayer builds one share_expert of share_expert_dim (default 1280) beside the routed experts.
  const sharedWidth = cfg.int('share_expert_dim', 1280)
  if (cfg.has('n_shared_experts') && cfg.int('n_shared_experts') !== 1)
    throw new UserError(`${cfg.where}: "n_shared_experts" ${cfg.int('n_shared_experts')}: Step 3.5 MoE layers have exactly one share_expert (of share_expert_dim)`)
  // Per-layer RoPE: the base and rotated share of the full-attention layers; the sliding layers' base as localTheta.
  const firstFull = mixers.indexOf('full')
  const firstSliding = mixers.indexOf('sliding')
  const ref = firstFull >= 0 ? firstFull : 0
  const theta = perLayerNumber(cfg, 'rope_theta', ref, 10000)
  const scaling = cfg.raw.rope_scaling as Json | null | undefined
  const scalingType = scaling ? ((scaling.rope_type ?? scaling.type) as string | undefined) ?? null : null
  const rope: ModelSpec['rope'] = {theta, scaling: scalingType, partialRotaryFactor: perLayerNumber(cfg, 'partial_rotary_factors', ref, 1)}
  if (scaling && typeof scaling.factor === 'number') rope.scalingFactor = scaling.factor
  if (firstSliding >= 0) {
    const local = perLayerNumber(cfg, 'rope_theta', firstSliding, theta)
    if (local !== theta) rope.localTheta = local
  }
  const maxContext = cfg.int('max_position_embeddings')
  const spec: ModelSpec = {
    ...base(cfg, o, 'step', modelType, outer),
    maxContextTokens: maxContext,
    // The lm_head is its own matrix (Step3p7Config tie_word_embeddings False; vLLM's Step3p5ForCausalLM never ties).
    embeddings: {...tokenEmbeddings(cfg), tied: false},
    attention,
    ffn: {gated: true, activation: 'silu', intermediateSize: cfg.int('intermediate_size'), bias: false},
    moe: moeBlock(routed, topK, expertWidth, {sharedExperts: 1, sharedIntermediateSize: sharedWidth, routerScoreCorrectionBias: cfg.bool('use_moe_router_bias', false)}),
    norms: rmsNorms('pre', 2),
    rope,
    layerGroups: groupLayers(perLayer),
    ...mtpOf(cfg, layers, given, window, (t) => (t === otherType && otherHeads !== heads ? {attention: {heads: otherHeads}} : {})),
  }
  if (!spec.layerGroups.some((g) => g.ffn === 'moe')) delete spec.moe
  return spec
}

// The MTP layers (model.layers.L .. L+n-1, vLLM step3p5_mtp.py Step3p5AMultiTokenPredictorLayer): enorm, hnorm,
// eh_proj, a shared_head of their own (norm and a vocab x hidden head) and a Step3p5DecoderLayer, dense (its index is
// past moe_layers_enum), of layer_types[L + i] (full attention where layer_types stops at the decoder).
function mtpOf(cfg: Config, layers: number, given: string[] | null | undefined, window: number | undefined, ownHeads: (type: string) => {attention?: {heads: number}}): Pick<ModelSpec, 'mtpLayers' | 'mtpLayerGroups' | 'mtpOwnHead'> {
  const n = cfg.int('num_nextn_predict_layers', 0)
  if (n === 0) return {mtpLayers: 0}
  const types = Array.from({length: n}, (_, i) => given?.[layers + i] ?? 'full_attention')
  const shapes = new Set(types.map((t) => ownHeads(t).attention?.heads ?? 0))
  if (shapes.size > 1) throw new UserError(`${cfg.where}: the ${n} MTP layers' layer_types give them different query heads; MTP modules of different shapes are not modelled`)
  const mixer = mixerOf(types[0]!, `${cfg.where}.layer_types[${layers}]`) === 'sliding' && window !== undefined ? 'sliding' : 'full'
  return {mtpLayers: n, mtpLayerGroups: [{count: 1, ...layerOf(mixer, true, 'dense', mixer === 'sliding' ? window : undefined), ...ownHeads(types[0]!)}], mtpOwnHead: true}
}

// Keys both spellings share, and those each adds.
const stepUsed = [
  'vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'head_dim', 'max_position_embeddings',
  'layer_types', 'sliding_window', 'attention_other_setting', 'use_head_wise_attn_gate', 'att_impl_type',
  'rope_theta', 'rope_scaling', 'partial_rotary_factors', 'use_rope_layers',
  'moe_intermediate_size', 'share_expert_dim', 'use_moe_router_bias', 'num_nextn_predict_layers',
  // StepFun's spelling
  'num_attention_groups', 'moe_num_experts', 'moe_top_k', 'moe_layers_enum', 'mlp_layer_types',
  // the flattened spelling (aiconfigurator)
  'num_key_value_heads', 'num_experts', 'num_experts_per_tok', 'first_k_dense_replace', 'n_shared_experts',
] as const
const stepIgnored = [
  ...decoderIgnored,
  'attention_bias', // Step3p7Attention forces it False
  'tie_word_embeddings', // Step3p7ForConditionalGeneration's lm_head is untied (False), vLLM's Step3p5ForCausalLM never ties it
  'hidden_act', // Step3p5MLP refuses anything but silu
  'use_qk_norm', // Step3p7Attention builds q_norm and k_norm whatever this says
  'moe_router_activation', // sigmoid or softmax scores: which experts run, not how many
  'scoring_func',
  'moe_router_scaling_factor', // scales the routed output
  'norm_expert_weight', // renormalises the top-k weights
  'need_fp32_gate', // precision of the router GEMM
  'swiglu_limits', // clamp of the SwiGLU input on some layers
  'swiglu_limits_shared',
  'yarn_only_types', // which layer types apply rope_scaling
  'max_seq_len', // vLLM's older Step3p5Config field; the decoder reads max_position_embeddings
  'moe_every_n_layer', // Step3p7DecoderLayer reads mlp_layer_types / moe_layers_enum only
  'moe_layer_offset',
  'use_moe',
  'moe_dynamic_exp_p',
] as const
const stepKeys: KeyTable = {used: stepUsed, ignored: stepIgnored}
// Step3p7Config (Step3p7ForConditionalGeneration): the decoder in text_config; the vision tower (Step3p7VisionEncoder) and
// its projector are not counted.
const visionKeys = ['vision_config', 'image_token_id', 'projector_bias'] as const

export const step: Family = {
  step3p5: {keys: stepKeys, build: (cfg, o) => step3p5Spec(cfg, o, 'step3p5')},
  step3p7: {
    keys: {used: [...stepUsed, 'text_config'], ignored: [...stepIgnored, ...visionKeys], sections: {text_config: stepKeys}},
    build: (cfg, o) => step3p5Spec(cfg, o, 'step3p7'),
  },
}
