// IBM Granite 3.x (GraniteConfig, configuration_granite.py @ 008e5743).
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// GraniteConfig: Llama-7B-like defaults, num_key_value_heads None -> num_attention_heads.
const graniteDefaults: Json = {vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

export const granite: Family = {
  granite: {
    keys: {
      used: [...core, 'attention_bias', 'mlp_bias'],
      ignored: [
        ...decoderIgnored,
        // GraniteModel scales the embeddings, residual branches, attention scores and logits by these scalars:
        // elementwise multiplies, no weight, no cache, no matmul.
        'embedding_multiplier',
        'residual_multiplier',
        'attention_multiplier',
        'logits_scaling',
      ],
    },
    // GraniteAttention / GraniteMLP are LlamaAttention / LlamaMLP (modeling_granite.py): q/k/v/o bias = attention_bias.
    build: (raw, o) => llamaLike(raw.withDefaults(graniteDefaults), o, 'granite', {modelType: 'granite', tiedDefault: false, thetaDefault: 10000, ffnBias: raw.bool('mlp_bias', false)}),
  },
}
