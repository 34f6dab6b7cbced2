// OLMo 1 (OlmoConfig, configuration_olmo.py) and OLMo 2 (Olmo2Config, configuration_olmo2.py).
import {core, decoderIgnored, type Family} from '../family.js'
import {rmsNorms} from '../pieces.js'
import {llamaLike} from './llama.js'

export const olmo: Family = {
  olmo: {
    // OlmoConfig (configuration_olmo.py): clip_qkv clamps q, k and v, no parameters.
    keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored, 'clip_qkv']},
    // OlmoConfig: vocab 50304, h 4096, ffn 11008, 32 layers, 32 heads (OLMo-7B), 2048 positions, tie False, rope_theta
    // 10000. OlmoDecoderLayer: Llama's layer with OlmoLayerNorm, a LayerNorm without weight or bias, for
    // input_layernorm, post_attention_layernorm and the final norm: 0 parameters.
    build: (cfg, o) =>
      llamaLike(cfg.withDefaults({vocab_size: 50304, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}), o, 'olmo', {modelType: 'olmo', tiedDefault: false, thetaDefault: 10000, norms: {kind: 'layernorm', bias: false, placement: 'pre', perLayer: 2, final: true, parametric: false}}),
  },
  olmo2: {
    keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored]},
    // Olmo2Config: post-norms inside the residual, QK-norm across all heads, tie False.
    build: (cfg, o) => llamaLike(cfg, o, 'olmo2', {modelType: 'olmo2', tiedDefault: false, thetaDefault: 10000, attention: {qkNorm: 'across-heads'}, norms: rmsNorms('post', 2)}),
  },
}
