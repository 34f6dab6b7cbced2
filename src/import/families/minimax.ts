// MiniMax-M2 (MiniMaxM2Config, configuration_minimax_m2.py, and the published remote-code config.json).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// MiniMaxM2Config (configuration_minimax_m2.py @ 008e5743): 62 layers, h 3072, 48/8 heads x 128, 256 experts of
// 1536, top-8, vocab 200064, rope_theta 5e6 (default_theta).
const minimaxM2Defaults: Json = {vocab_size: 200064, hidden_size: 3072, intermediate_size: 1536, num_hidden_layers: 62, num_attention_heads: 48, num_key_value_heads: 8, head_dim: 128, max_position_embeddings: 196608}

function minimaxM2Spec(raw: Config, o: ImportOptions): ModelSpec {
  // MiniMaxM2 (modular_minimax_m2.py @ 001f85b3): FlexOlmo-style attention without biases and with q_norm
  // (H*d) and k_norm (Hkv*d) across heads; a Mixtral MoE block in every layer (experts of intermediate_size,
  // router without bias) with a per-expert e_score_correction_bias. The published config.json states the rotated
  // width as rotary_dim (vLLM minimax_m2.py) and qk_norm_type "per_layer" (norm over all heads of the layer).
  const cfg = raw.withDefaults(minimaxM2Defaults)
  const layers = cfg.int('num_hidden_layers')
  const kinds = cfg.intList('attn_type_list', [])
  if (kinds.some((k) => k !== 1)) throw new UserError(`${cfg.where}: attn_type_list marks layers that are not full attention (0 = lightning attention); archcost models MiniMax-M2 only with full attention in every layer`)
  if (cfg.int('shared_intermediate_size', 0) > 0) throw new UserError(`${cfg.where}: "shared_intermediate_size" > 0 (a shared expert) is not part of MiniMax-M2 as archcost models it`)
  // NVIDIA's ModelOpt re-exports (MiniMax-M2.7-NVFP4) write "sliding_window": null, which MiniMaxM2Config does not
  // define; every MiniMaxM2Attention attends over the whole context (no window), so only null is accepted.
  if (cfg.intOrNull('sliding_window', null) !== null) throw new UserError(`${cfg.where}: "sliding_window" ${cfg.int('sliding_window')} is not part of MiniMax-M2 (every layer attends over the whole context); remove it or set it to null`)
  const qkNorm = cfg.bool('use_qk_norm', true)
  const normType = cfg.str('qk_norm_type', 'per_layer')
  if (qkNorm && normType !== 'per_layer') throw new UserError(`${cfg.where}: qk_norm_type "${normType}" is not supported (supported: per_layer)`)
  const attention = standardAttention(cfg, {qkNorm: qkNorm ? 'across-heads' : 'none'})
  const partial = cfg.has('rotary_dim') ? cfg.int('rotary_dim') / attention.headDim : undefined
  if (partial !== undefined && (partial <= 0 || partial > 1)) throw new UserError(`${cfg.where}: rotary_dim ${cfg.int('rotary_dim')} must be between 1 and head_dim ${attention.headDim}`)
  const width = cfg.int('intermediate_size')
  const spec: ModelSpec = {
    ...base(cfg, o, 'minimax-m2', 'minimax_m2'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: gatedFfn(cfg),
    moe: moeBlock(cfg.int(cfg.pick('num_local_experts', 'num_experts'), 256), cfg.int('num_experts_per_tok', 8), width, {routerScoreCorrectionBias: cfg.bool('use_routing_bias', true)}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 5000000, undefined, partial),
    layerGroups: groupLayers(Array.from({length: layers}, () => ({mixer: 'full', rope: true, ffn: 'moe'}))),
  }
  if (cfg.bool('use_mtp', false))
    spec.notes = [`the checkpoint's multi-token-prediction modules (use_mtp, num_mtp_modules ${cfg.int('num_mtp_modules', 1)}) are not counted in mtpParams: their layout is not stated by the config`]
  return spec
}

export const minimax: Family = {
  // MiniMaxM2Config, plus the keys of MiniMax's published (remote-code) config.json that vLLM reads.
  minimax_m2: {
    keys: {
      used: [
        ...core,
        'num_local_experts',
        'num_experts', // attribute_map alias of num_local_experts
        'num_experts_per_tok',
        'rotary_dim', // rotated width per head (partial RoPE)
        'use_qk_norm',
        'qk_norm_type',
        'use_routing_bias', // e_score_correction_bias per expert
        'shared_intermediate_size', // refused when > 0
        'attn_type_list', // refused unless every layer is full attention (1)
        'use_mtp', // MTP modules: noted, not counted
        'num_mtp_modules',
        'mtp_transformer_layers',
        'sliding_window', // null in NVIDIA's re-exports; refused when set
      ],
      ignored: [...decoderIgnored, ...routerIgnored, 'scoring_func'],
    },
    build: minimaxM2Spec,
  },
}
