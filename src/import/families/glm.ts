// GLM-4.5 / 4.6 / 4.7 (Glm4MoeConfig, configuration_glm4_moe.py).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, rmsNorms, ropeOf, sharedExpertsMoe, standardAttention, tokenEmbeddings} from '../pieces.js'

// Glm4MoeConfig (configuration_glm4_moe.py @ c7ec229a): GLM-4-100B-A10B-like defaults, half of each head rotated.
const glm4MoeDefaults: Json = {vocab_size: 151552, hidden_size: 4096, intermediate_size: 10944, num_hidden_layers: 46, num_attention_heads: 96, num_key_value_heads: 8, max_position_embeddings: 131072, partial_rotary_factor: 0.5}

function glm4MoeSpec(raw: Config, o: ImportOptions): ModelSpec {
  // Glm4MoeAttention (modular_glm4_moe.py @ 0e97420c): q/k/v bias = attention_bias, o_proj without; q_norm/k_norm
  // of head_dim when use_qk_norm. DeepseekV3-style decoder: layers >= first_k_dense_replace are MoE with
  // n_routed_experts, a shared MLP of n_shared_experts x moe_intermediate_size and a router with
  // e_score_correction_bias. The checkpoint's MTP layer (num_nextn_predict_layers) is skipped on load.
  const cfg = raw.withDefaults(glm4MoeDefaults)
  const layers = cfg.int('num_hidden_layers')
  const firstDense = cfg.int('first_k_dense_replace', 1)
  const shared = cfg.int('n_shared_experts', 1)
  const moeWidth = cfg.int('moe_intermediate_size', 1408)
  return {
    ...base(cfg, o, 'glm4-moe', 'glm4_moe'),
    mtpLayers: cfg.int('num_nextn_predict_layers', 0),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {biasKey: 'attention_bias', outputBias: false, qkNorm: cfg.bool('use_qk_norm', false) ? 'per-head' : 'none'}),
    ffn: gatedFfn(cfg),
    moe: sharedExpertsMoe(cfg.int('n_routed_experts', 128), cfg.int('num_experts_per_tok', 8), moeWidth, shared, true),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: i >= firstDense ? 'moe' : 'dense'}))),
  }
}

export const glm: Family = {
  // Glm4MoeConfig (GLM-4.5 / 4.6 / 4.7)
  glm4_moe: {
    keys: {
      used: [
        ...core,
        'attention_bias',
        'use_qk_norm',
        'first_k_dense_replace',
        'n_routed_experts',
        'n_shared_experts',
        'moe_intermediate_size',
        'num_experts_per_tok',
        'num_nextn_predict_layers',
      ],
      ignored: [...decoderIgnored, ...routerIgnored, 'n_group', 'topk_group', 'routed_scaling_factor'],
    },
    build: glm4MoeSpec,
  },
}
