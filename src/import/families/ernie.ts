// Baidu ERNIE 4.5 dense (Ernie4_5Config, configuration_ernie4_5.py @ 008e5743).
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// Ernie4_5Config: ERNIE-4.5-0.3B shape, head_dim 128, tie True, rope_theta 500000.
const ernieDefaults: Json = {vocab_size: 103424, hidden_size: 1024, intermediate_size: 3072, num_hidden_layers: 18, num_attention_heads: 16, num_key_value_heads: 2, head_dim: 128, max_position_embeddings: 131072}

export const ernie: Family = {
  ernie4_5: {
    keys: {used: [...core, 'use_bias'], ignored: [...decoderIgnored]},
    // Ernie4_5Attention: q/k/v/o bias = use_bias; Ernie4_5MLP gate/up/down bias = use_bias (modeling_ernie4_5.py).
    build: (raw, o) => {
      const cfg = raw.withDefaults(ernieDefaults)
      const bias = cfg.bool('use_bias', false)
      return llamaLike(cfg, o, 'ernie4_5', {modelType: 'ernie4_5', tiedDefault: true, thetaDefault: 500000, attention: {biasKey: 'use_bias'}, ffnBias: bias})
    },
  },
}
