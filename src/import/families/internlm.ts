// InternLM2 / 2.5 (remote code: InternLM2Config, configuration_internlm2.py and modeling_internlm2.py shipped in
// internlm/internlm2_5-7b-chat).
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// InternLM2Config: vocab 103168, h 4096, ffn 11008, 32 layers, KV heads = heads, 2048 positions, bias True.
const internlm2Defaults: Json = {vocab_size: 103168, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

export const internlm: Family = {
  internlm2: {
    keys: {used: [...core, 'bias'], ignored: [...decoderIgnored, 'attn_implementation']},
    // InternLM2Attention: fused wqkv (h, (H + 2 Hkv) d) and wo (H d, h), both with bias = config.bias (the same
    // counts as q, k, v, o); InternLM2MLP w1 (gate), w3 (up), w2 (down) without bias; attention_norm, ffn_norm,
    // model.norm RMSNorm; tok_embeddings and output untied.
    build: (raw, o) => llamaLike(raw.withDefaults(internlm2Defaults), o, 'internlm2', {modelType: 'internlm2', tiedDefault: false, thetaDefault: 10000, attention: {biasKey: 'bias', biasDefault: true}}),
  },
}
