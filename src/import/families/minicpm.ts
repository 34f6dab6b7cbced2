// MiniCPM 1/2 (remote code: MiniCPMConfig, configuration_minicpm.py and modeling_minicpm.py shipped in
// openbmb/MiniCPM-2B-sft-bf16). MiniCPM3 (MLA) is another model_type.
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// MiniCPMConfig: LlamaConfig's defaults (vocab 32000, h 4096, ffn 11008, 32 layers, KV heads = heads), tie True.
const minicpmDefaults: Json = {vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

export const minicpm: Family = {
  minicpm: {
    keys: {
      used: [...core, 'attention_bias'],
      ignored: [
        ...decoderIgnored,
        // muP scalars (MiniCPMModel/DecoderLayer): embeddings x scale_emb, residual branches x scale_depth/sqrt(L),
        // logits / (hidden_size / dim_model_base): elementwise, no weight, no cache, no matmul.
        'scale_emb',
        'dim_model_base',
        'scale_depth',
      ],
    },
    // MiniCPMAttention / MiniCPMMLP: LlamaAttention (q/k/v/o bias = attention_bias) and LlamaMLP; embed_tokens
    // shared with lm_head.
    build: (raw, o) => llamaLike(raw.withDefaults(minicpmDefaults), o, 'minicpm', {modelType: 'minicpm', tiedDefault: true, thetaDefault: 10000}),
  },
}
