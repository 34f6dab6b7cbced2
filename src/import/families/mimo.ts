// Xiaomi MiMo-V2-Flash: MiMoV2FlashConfig (transformers configuration_mimo_v2_flash.py) and the keys of Xiaomi's
// published remote-code config.json that vLLM's mimo_v2_flash.py reads (hybrid_layer_pattern, swa_*, moe_layer_freq).
import {UserError} from '../../errors.js'
import type {GroupAttention, ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// MiMoV2FlashConfig defaults: 48 layers, h 4096, 64 heads, 4 KV heads, qk 192 / v 128, 256 experts of 2048, top-8,
// dense MLP 16384, window 128, vocab 152576.
const mimoV2FlashDefaults: Json = {
  vocab_size: 152576,
  hidden_size: 4096,
  intermediate_size: 16384,
  num_hidden_layers: 48,
  num_attention_heads: 64,
  num_key_value_heads: 4,
  head_dim: 192,
  v_head_dim: 128,
  max_position_embeddings: 131072,
  moe_intermediate_size: 2048,
  num_experts_per_tok: 8,
  n_routed_experts: 256,
  sliding_window: 128,
}

/** Per layer: sliding (true) or full attention: hybrid_layer_pattern (1 = SWA, vLLM), else layer_types, else the class default. */
function slidingLayers(cfg: Config, layers: number): boolean[] {
  if (cfg.has('hybrid_layer_pattern')) {
    const pattern = cfg.intList('hybrid_layer_pattern', [])
    if (pattern.length !== layers) throw new UserError(`${cfg.where}: hybrid_layer_pattern has ${pattern.length} entries for ${layers} layers`)
    if (pattern.some((p) => p !== 0 && p !== 1)) throw new UserError(`${cfg.where}: hybrid_layer_pattern may hold only 0 (full attention) and 1 (sliding window)`)
    return pattern.map((p) => p === 1)
  }
  const types = cfg.strList('layer_types')
  if (types) {
    if (types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
    if (types.some((t) => t !== 'full_attention' && t !== 'sliding_attention')) throw new UserError(`${cfg.where}: layer_types may hold only full_attention and sliding_attention`)
    return types.map((t) => t === 'sliding_attention')
  }
  // MiMoV2FlashConfig.__post_init__: full attention at layer 0 and every 6th layer.
  return Array.from({length: layers}, (_, i) => !(i === 0 || (i + 1) % 6 === 0))
}

/** Per layer: MoE (true) or dense MLP: moe_layer_freq as a list (vLLM is_moe_layer), else mlp_layer_types, else 1 dense then MoE. */
function moeLayers(cfg: Config, layers: number): boolean[] {
  if (cfg.has('moe_layer_freq')) {
    if (!Array.isArray(cfg.raw['moe_layer_freq'])) throw new UserError(`${cfg.where}: "moe_layer_freq" must be a list of per-layer 0/1 flags for mimo_v2_flash (vLLM reads no other form)`)
    const freq = cfg.intList('moe_layer_freq', [])
    if (freq.length !== layers) throw new UserError(`${cfg.where}: moe_layer_freq has ${freq.length} entries for ${layers} layers`)
    return freq.map((f) => f !== 0)
  }
  const types = cfg.strList('mlp_layer_types')
  if (types) {
    if (types.length !== layers) throw new UserError(`${cfg.where}: mlp_layer_types has ${types.length} entries for ${layers} layers`)
    if (types.some((t) => t !== 'dense' && t !== 'sparse')) throw new UserError(`${cfg.where}: mlp_layer_types may hold only "dense" and "sparse"`)
    return types.map((t) => t === 'sparse')
  }
  return Array.from({length: layers}, (_, i) => i > 0)
}

function mimoV2FlashSpec(raw: Config, o: ImportOptions): ModelSpec {
  // MiMoV2FlashAttention (modular_mimo_v2_flash.py) / vLLM MiMoV2Attention: q (h, H*d), k (h, Hkv*d), v (h, Hkv*dv),
  // o (H*dv, h), biases on q/k/v only (attention_bias), sinks (H) in the SWA layers; LlamaDecoderLayer norms; MoE:
  // DeepseekV3MoE without shared experts (router weight + e_score_correction_bias), dense layers a Glm4MoeMLP.
  const cfg = raw.withDefaults(mimoV2FlashDefaults)
  const layers = cfg.int('num_hidden_layers')
  const sliding = slidingLayers(cfg, layers)
  const moe = moeLayers(cfg, layers)
  const shared = cfg.intOrNull('n_shared_experts', null) ?? 0
  if (shared > 0) throw new UserError(`${cfg.where}: "n_shared_experts" ${shared}: MiMo-V2-Flash's MoE has no shared experts (MiMoV2FlashSparseMoeBlock deletes them)`)
  const bias = cfg.bool('attention_bias', false)
  const full = {...standardAttention(cfg), qkvBias: bias, outputBias: false, valueHeadDim: cfg.int('v_head_dim'), sinks: cfg.bool('add_full_attention_sink_bias', false)}
  // SWA layers: vLLM reads swa_* (default: the full layers' dims); the transformers class doubles the KV heads.
  const swa = {
    heads: cfg.int('swa_num_attention_heads', full.heads),
    kvHeads: cfg.int('swa_num_key_value_heads', 2 * full.kvHeads),
    headDim: cfg.int('swa_head_dim', full.headDim),
    valueHeadDim: cfg.has('swa_v_head_dim') ? cfg.int('swa_v_head_dim') : full.valueHeadDim,
    sinks: cfg.bool('add_swa_attention_sink_bias', true),
  }
  if (swa.heads % swa.kvHeads !== 0) throw new UserError(`${cfg.where}: swa_num_attention_heads ${swa.heads} must be a multiple of swa_num_key_value_heads ${swa.kvHeads}`)
  const sameShape = swa.heads === full.heads && swa.kvHeads === full.kvHeads && swa.headDim === full.headDim && swa.valueHeadDim === full.valueHeadDim && swa.sinks === full.sinks
  const windowKey = cfg.raw['sliding_window_size'] !== undefined && cfg.raw['sliding_window_size'] !== null ? 'sliding_window_size' : 'sliding_window'
  const window = cfg.int(windowKey)
  if (windowKey === 'sliding_window_size' && cfg.raw['sliding_window'] != null && cfg.int('sliding_window') !== window)
    throw new UserError(`${cfg.where}: sliding_window ${cfg.int('sliding_window')} and sliding_window_size ${window} differ; give one window`)
  const attention: ModelSpec['attention'] = full
  // The sliding runs' own attention (layerGroups[].attention): the swa_* fields that differ from the full layers'.
  const swaAttention: GroupAttention | undefined = sameShape || !sliding.some(Boolean)
    ? undefined
    : Object.fromEntries((['heads', 'kvHeads', 'headDim', 'valueHeadDim', 'sinks'] as const).filter((k) => swa[k] !== full[k]).map((k) => [k, swa[k]]))
  // Rotary: full layers rope_theta, SWA layers swa_rope_theta (vLLM), or rope_parameters per layer type (transformers).
  const rope = cfg.has('rope_parameters')
    ? ropeOf(cfg, 5000000)
    : ropeOf(cfg, 5000000, cfg.num('swa_rope_theta', 10000), cfg.num('partial_rotary_factor', 0.334))
  const spec: ModelSpec = {
    ...base(cfg, o, 'mimo-v2', 'mimo_v2_flash'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: cfg.int('intermediate_size'), bias: false},
    moe: moeBlock(cfg.int(cfg.pick('n_routed_experts', 'num_local_experts')), cfg.int('num_experts_per_tok'), cfg.int('moe_intermediate_size'), {routerScoreCorrectionBias: true}),
    norms: rmsNorms('pre', 2),
    rope,
    layerGroups: groupLayers(sliding.map((s, i) => ({mixer: s ? 'sliding' : 'full', windowTokens: s ? window : undefined, rope: true, ffn: moe[i] ? 'moe' : 'dense', attention: s ? swaAttention : undefined}))),
  }
  if (!moe.some(Boolean)) delete spec.moe
  // The checkpoint's model.mtp.layers.{0,1,2}, counted apart: the config does not state them, and llama.cpp's converter
  // (conversion MimoV2Model._n_nextn = 3) hardcodes the count "to match the count found in the safetensors". Each is
  // vLLM mimo_v2_mtp.py MiMoV2MTPLayer: enorm, hnorm, eh_proj (2h -> h, no bias), input_layernorm, an attention of the
  // SWA shape (swa_* heads and head dims, attention sinks), pre_mlp_layernorm, a dense MiMoV2MLP of intermediate_size,
  // final_layernorm: the mtpParams formula over one sliding dense layer.
  spec.mtpLayers = mimoMtpModules
  spec.mtpLayerGroups = [{count: 1, mixer: 'sliding', windowTokens: window, rope: true, ffn: 'dense', ...(swaAttention ? {attention: swaAttention} : {})}]
  return spec
}

/** MTP modules of the MiMo-V2 checkpoints (Flash, V2.5, V2.5-Pro): model.mtp.layers.{0,1,2} (llama.cpp MimoV2Model._n_nextn). */
const mimoMtpModules = 3

export const mimo: Family = {
  // MiMoV2FlashConfig, plus the remote-code keys of XiaomiMiMo/MiMo-V2-Flash's config.json that vLLM reads.
  mimo_v2_flash: {
    keys: {
      used: [
        ...core,
        'v_head_dim',
        'attention_bias',
        'sliding_window',
        'sliding_window_size', // vLLM's window of the SWA layers
        'layer_types',
        'hybrid_layer_pattern', // 1 = sliding-window layer (vLLM is_compressed_softmax_layer)
        'mlp_layer_types',
        'moe_layer_freq', // per-layer 0/1: MoE layers (vLLM is_moe_layer)
        'moe_intermediate_size',
        'n_routed_experts',
        'num_local_experts', // attribute_map alias of n_routed_experts
        'num_experts_per_tok',
        'n_shared_experts', // refused when > 0
        'swa_num_attention_heads',
        'swa_num_key_value_heads',
        'swa_head_dim',
        'swa_v_head_dim',
        'swa_rope_theta',
        'add_swa_attention_sink_bias', // sinks (H) in the SWA layers
        'add_full_attention_sink_bias', // sinks (H) in the full layers
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'layernorm_epsilon', // the remote code's name for rms_norm_eps
        'attention_value_scale', // a constant multiplier on V: no parameter, no cache entry
        'attention_chunk_size', // not read by vLLM's or transformers' MiMo-V2-Flash: the SWA window is sliding_window(_size)
        'n_group', // grouped routing picks among groups; num_experts_per_tok experts still run
        'topk_group',
        'topk_method', // both references build e_score_correction_bias whatever the method (DeepseekV3TopkRouter, vLLM MiMoV2MoE)
        'scoring_func',
        'routed_scaling_factor',
      ],
    },
    build: mimoV2FlashSpec,
  },
}
