// NVIDIA Nemotron-4 / Minitron (NemotronConfig, configuration_nemotron.py @ 05cd1ec1).
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// NemotronConfig: Nemotron-3-8B-like defaults, num_key_value_heads None -> num_attention_heads, relu2, half of
// each head rotated.
const nemotronDefaults: Json = {vocab_size: 256000, hidden_size: 6144, intermediate_size: 24576, num_hidden_layers: 32, num_attention_heads: 48, max_position_embeddings: 4096, partial_rotary_factor: 0.5}

export const nemotron: Family = {
  nemotron: {
    keys: {used: [...core, 'attention_bias', 'mlp_bias'], ignored: [...decoderIgnored, 'norm_eps', 'kv_channels'] /* kv_channels: NeMo's name, not read (head_dim or hidden/heads) */},
    // modeling_nemotron.py: NemotronAttention q/k/v/o bias = attention_bias; NemotronMLP up_proj and down_proj
    // (bias = mlp_bias) around relu2, no gate; NemotronLayerNorm1P is nn.LayerNorm with weight and bias (it adds 1
    // to the weight at run time) for input_layernorm, post_attention_layernorm and the final norm.
    build: (raw, o) => {
      const cfg = raw.withDefaults(nemotronDefaults)
      const ffn = {gated: false, activation: cfg.str('hidden_act', 'relu2'), intermediateSize: cfg.int('intermediate_size'), bias: cfg.bool('mlp_bias', false)}
      const norms = {kind: 'layernorm' as const, bias: true, placement: 'pre' as const, perLayer: 2, final: true}
      return llamaLike(cfg, o, 'nemotron', {modelType: 'nemotron', tiedDefault: false, thetaDefault: 10000, ffn, norms})
    },
  },
}
