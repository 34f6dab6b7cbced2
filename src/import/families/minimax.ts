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
    // MiniMax-AI/MiniMax-M2 issue #47: the MTP weights are not released; vLLM's minimax_m2.py builds no MTP module.
    spec.notes = [`the config asks for multi-token-prediction modules (use_mtp, num_mtp_modules ${cfg.int('num_mtp_modules', 1)}), which are not counted in mtpParams: MiniMax has not released their weights and the config does not state their layout`]
  return spec
}

// MiniMax-M3 has no transformers class; the reference is SGLang's minimax_m3.py (MiniMaxM3SparseForCausalLM), whose
// getattr defaults apply to keys a file leaves out.
function minimaxM3Spec(raw: Config, o: ImportOptions): ModelSpec {
  // MiniMaxM3DecoderLayer: MiniMaxM3Attention (q/k/v/o without bias, q_norm/k_norm per head, per layer or over all
  // heads; index_q/k_proj and index_q/k_norm in sparse layers), then MiniMaxM3MoE (routed experts of
  // intermediate_size, shared experts, router without bias, e_score_correction_bias) where moe_layer_freq[i] != 0,
  // else a MiniMaxM3MLP of dense_intermediate_size; two (Gemma) RMSNorms per layer, a final one; untied lm_head.
  const cfg = raw
  const layers = cfg.int('num_hidden_layers')
  if (cfg.bool('attention_output_gate', false)) throw new UserError(`${cfg.where}: "attention_output_gate": true is not modelled for minimax_m3 (the reference implementations build no gate)`)
  const qkNorm = cfg.bool('use_qk_norm', false)
  const normType = cfg.str('qk_norm_type', 'per_layer')
  if (!['per_layer', 'per_head', 'multi_head'].includes(normType)) throw new UserError(`${cfg.where}: qk_norm_type "${normType}" is not supported (supported: per_layer, per_head, multi_head)`)
  // per_layer: RMSNorm over H*d and Hkv*d; multi_head: a (heads, d) weight each, the same count; per_head: d each.
  const attention = standardAttention(cfg, {qkNorm: !qkNorm ? 'none' : normType === 'per_head' ? 'per-head' : 'across-heads'})
  const rotary = cfg.has('rotary_dim') ? cfg.int('rotary_dim') : undefined
  if (rotary !== undefined && (rotary <= 0 || rotary > attention.headDim)) throw new UserError(`${cfg.where}: rotary_dim ${rotary} must be between 1 and head_dim ${attention.headDim}`)
  // Experts: SGLang sizes them by intermediate_size; the file also states moe_intermediate_size.
  const width = cfg.int('intermediate_size')
  if (cfg.has('moe_intermediate_size') && cfg.int('moe_intermediate_size') !== width)
    throw new UserError(`${cfg.where}: moe_intermediate_size ${cfg.int('moe_intermediate_size')} differs from intermediate_size ${width}, which MiniMax-M3's experts are built with; make them agree`)
  const shared = cfg.intOrNull('n_shared_experts', null) ?? 0
  const sharedWidth = shared === 0 ? 0 : cfg.has('shared_intermediate_size') ? cfg.int('shared_intermediate_size') : width * shared
  // MoE layers: moe_layer_freq[i] != 0 (SGLang), else from first_k_dense_replace on, else every layer.
  let isMoe: (i: number) => boolean = () => true
  if (cfg.has('moe_layer_freq')) {
    const freq = cfg.intList('moe_layer_freq', [])
    if (freq.length !== layers) throw new UserError(`${cfg.where}: moe_layer_freq has ${freq.length} entries for ${layers} layers`)
    isMoe = (i) => freq[i] !== 0
  } else if (cfg.has('first_k_dense_replace')) {
    const firstMoe = cfg.int('first_k_dense_replace')
    isMoe = (i) => i >= firstMoe
  }
  const denseWidth = cfg.has('dense_intermediate_size') ? cfg.int('dense_intermediate_size') : width
  // MiniMax Sparse Attention (sparse_attention_config): which layers run the indexer and block top-k.
  const sparseCfg = cfg.sub('sparse_attention_config')
  let sparse: (i: number) => boolean = () => false
  if (sparseCfg.bool('use_sparse_attention', false)) {
    const freq = sparseCfg.has('sparse_attention_freq') ? sparseCfg.intList('sparse_attention_freq', []) : Array.from({length: layers}, () => 1)
    if (freq.length !== layers) throw new UserError(`${sparseCfg.where}: sparse_attention_freq has ${freq.length} entries for ${layers} layers`)
    const noValue = sparseCfg.intList('sparse_disable_index_value', [])
    freq.forEach((f, i) => {
      if (f !== 0 && noValue[i] !== 1)
        throw new UserError(`${sparseCfg.where}: sparse layer ${i} has an index value/output projection (sparse_disable_index_value 0); archcost models MiniMax-M3's score-only indexer: set 1 for every sparse layer`)
    })
    if (freq.some((f) => f !== 0)) {
      if (normType !== 'per_head' || !qkNorm) throw new UserError(`${cfg.where}: sparse attention needs qk_norm_type "per_head" with use_qk_norm (MiniMaxM3Attention asserts it)`)
      const blocks = sparseCfg.int('sparse_topk_blocks')
      const blockSize = sparseCfg.int('sparse_block_size')
      attention.indexer = {heads: sparseCfg.int('sparse_num_index_heads'), headDim: sparseCfg.int('sparse_index_dim'), topK: blocks * blockSize, kind: 'msa', blockSize}
      sparse = (i) => freq[i] !== 0
    }
  }
  const spec: ModelSpec = {
    ...base(cfg, o, 'minimax-m3', 'minimax_m3'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: denseWidth, bias: false},
    moe: moeBlock(cfg.int('num_local_experts'), cfg.int('num_experts_per_tok'), width, {
      sharedExperts: shared,
      sharedIntermediateSize: sharedWidth,
      routerScoreCorrectionBias: cfg.bool('use_routing_bias', false),
    }),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000, undefined, rotary !== undefined ? rotary / attention.headDim : undefined),
    layerGroups: groupLayers(
      Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense', indexer: attention.indexer && !sparse(i) ? false : undefined})),
    ),
    // The checkpoint's model.mtp.layers.{i}: enorm, hnorm, eh_proj, a sparse-attention MoE decoder layer, final_layernorm.
    mtpLayers: cfg.int('num_nextn_predict_layers', 0),
  }
  if (!spec.layerGroups.some((g) => g.ffn === 'moe')) delete spec.moe
  if (attention.indexer)
    spec.notes = [
      `MiniMax Sparse Attention: each query of a sparse layer attends its top ${sparseCfg.int('sparse_topk_blocks')} blocks of ${attention.indexer.blockSize} keys (the local block among them), chosen by an indexer that scores every cached key; the indexer's key (${attention.indexer.headDim} per token) is cached beside K and V`,
    ]
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
  // MiniMax-M3 (MiniMaxAI/MiniMax-M3 config.json as SGLang's minimax_m3.py reads it).
  minimax_m3: {
    keys: {
      used: [
        ...core,
        'num_local_experts',
        'num_experts_per_tok',
        'moe_intermediate_size', // must equal intermediate_size, the experts' width
        'dense_intermediate_size', // the dense layers' MLP width
        'moe_layer_freq', // per-layer 0/1: MoE layers
        'first_k_dense_replace', // without moe_layer_freq: the first MoE layer
        'n_shared_experts',
        'shared_intermediate_size',
        'use_routing_bias', // e_score_correction_bias per expert
        'rotary_dim', // rotated width per head (partial RoPE)
        'use_qk_norm',
        'qk_norm_type',
        'attention_output_gate', // refused when true
        'sparse_attention_config', // MSA: sparse layers, indexer heads and dim, top-k blocks x block size
        'num_nextn_predict_layers', // MTP modules shipped in the checkpoint (model.mtp.layers.*), counted apart
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'scoring_func',
        'routed_scaling_factor',
        'use_gemma_norm', // Gemma RMSNorm scales by (1 + weight): the same weights
        'swiglu_alpha', // constants of the clamped SwiGLU (swigluoai): no parameters
        'swiglu_limit',
        'num_mtp_modules', // draft steps of speculative decoding; they reuse the num_nextn_predict_layers modules the checkpoint ships
      ],
    },
    build: minimaxM3Spec,
  },
}
