// Arcee AFM (ArceeConfig, configuration_arcee.py @ 008e5743): a Llama decoder with a non-gated ReLU² MLP.
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// ArceeConfig: AFM-4.5B-like defaults, num_key_value_heads None -> num_attention_heads, hidden_act relu2.
const arceeDefaults: Json = {vocab_size: 32000, hidden_size: 2560, intermediate_size: 18432, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 4096}

export const arcee: Family = {
  arcee: {
    keys: {used: [...core, 'attention_bias', 'mlp_bias'], ignored: [...decoderIgnored]},
    // ArceeAttention = LlamaAttention (q/k/v/o bias = attention_bias); ArceeMLP (modeling_arcee.py): up_proj and
    // down_proj only, bias = mlp_bias, act relu2.
    build: (raw, o) => {
      const cfg = raw.withDefaults(arceeDefaults)
      const ffn = {gated: false, activation: cfg.str('hidden_act', 'relu2'), intermediateSize: cfg.int('intermediate_size'), bias: cfg.bool('mlp_bias', false)}
      return llamaLike(cfg, o, 'arcee', {modelType: 'arcee', tiedDefault: false, thetaDefault: 10000, ffn})
    },
  },
}
