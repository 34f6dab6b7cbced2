// Microsoft's Phi-1, Phi-1.5 and Phi-2 (PhiConfig, configuration_phi.py).
import {coreWithout, type Family} from '../family.js'
import {ropeOf} from '../pieces.js'
import {classicDecoder, layerNorms} from './classic.js'

export const phi1: Family = {
  phi: {
    keys: {
      used: [
        ...coreWithout('head_dim'),
        'qk_layernorm',
      ],
      ignored: ['resid_pdrop', 'embd_pdrop', 'attention_dropout', 'initializer_range', 'layer_norm_eps', 'use_cache'],
    },
    // PhiConfig: vocab 51200, h 2048, ffn 8192, 24 layers, 32 heads, num_key_value_heads None (= heads), gelu_new, 2048
    // positions, untied, rope_theta 10000, partial_rotary_factor 0.5, qk_layernorm False. PhiDecoderLayer: one
    // input_layernorm (LayerNorm with bias) feeding attention and MLP in parallel; PhiAttention q/k/v and dense with
    // bias; PhiMLP fc1, fc2 with bias; final_layernorm; PhiForCausalLM.lm_head with bias.
    build: (cfg, o) => {
      const c = cfg.withDefaults({vocab_size: 51200, hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 24, num_attention_heads: 32, max_position_embeddings: 2048, partial_rotary_factor: 0.5})
      // PhiAttention.q_layernorm/k_layernorm: one LayerNorm(head_dim) with weight and bias each, shared by all heads.
      const qkNorm = c.bool('qk_layernorm', false)
      const heads = c.int('num_attention_heads')
      return classicDecoder(c, o, {
        family: 'phi',
        modelType: 'phi',
        hidden: c.int('hidden_size'),
        layers: c.int('num_hidden_layers'),
        heads,
        kvHeads: c.has('num_key_value_heads') ? c.int('num_key_value_heads') : heads,
        intermediate: c.int('intermediate_size'),
        vocab: c.int('vocab_size'),
        tied: c.bool('tie_word_embeddings', false),
        maxContext: c.int('max_position_embeddings'),
        qkvBias: true,
        outputBias: true,
        qkNorm: qkNorm ? 'per-head' : 'none',
        qkNormBias: qkNorm,
        ffn: {gated: false, activation: c.str('hidden_act', 'gelu_new'), bias: true},
        norms: layerNorms(1, true),
        positions: ropeOf(c, 10000),
        lmHeadBias: true,
      })
    },
  },
}
