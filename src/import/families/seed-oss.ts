// ByteDance Seed-OSS (SeedOssConfig, configuration_seed_oss.py @ 008e5743).
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// SeedOssConfig: Seed-OSS-36B-like defaults (hidden_size 4096 in the class; the released file states 5120).
const seedOssDefaults: Json = {vocab_size: 155136, hidden_size: 4096, intermediate_size: 27648, num_hidden_layers: 64, num_attention_heads: 80, num_key_value_heads: 8, head_dim: 128, max_position_embeddings: 524288}

export const seedOss: Family = {
  seed_oss: {
    keys: {used: [...core, 'attention_bias', 'attention_out_bias', 'mlp_bias'], ignored: [...decoderIgnored, 'residual_dropout']},
    // SeedOssAttention (modeling_seed_oss.py): q/k/v bias = attention_bias (default True), o_proj bias =
    // attention_out_bias (default False); SeedOssMLP gate/up/down bias = mlp_bias.
    build: (raw, o) => {
      const cfg = raw.withDefaults(seedOssDefaults)
      return llamaLike(cfg, o, 'seed-oss', {
        modelType: 'seed_oss',
        tiedDefault: false,
        thetaDefault: 10000,
        attention: {biasKey: 'attention_bias', biasDefault: true, outputBias: cfg.bool('attention_out_bias', false)},
        ffnBias: cfg.bool('mlp_bias', false),
      })
    },
  },
}
