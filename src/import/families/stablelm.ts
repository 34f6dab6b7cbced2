// Stability AI's StableLM (StableLmConfig, configuration_stablelm.py): StableLM-3B-4E1T, StableLM 2.
import {coreWithout, type Family} from '../family.js'
import {ropeOf} from '../pieces.js'
import {classicDecoder, layerNorms} from './classic.js'

export const stablelm: Family = {
  stablelm: {
    keys: {
      used: [
        ...coreWithout('head_dim'),
        'use_qkv_bias',
        'qk_layernorm',
        'use_parallel_residual',
      ],
      ignored: ['initializer_range', 'layer_norm_eps', 'use_cache', 'hidden_dropout', 'attention_dropout'],
    },
    // StableLmConfig: vocab 50304, ffn 6912, h 2560, 32 layers, 32/32 heads, silu, 4096 positions, untied,
    // rope_theta 10000, use_qkv_bias False, qk_layernorm False, use_parallel_residual False, partial_rotary_factor
    // 0.25. StableLmAttention: q/k/v biased by use_qkv_bias, o_proj without; with qk_layernorm a
    // StableLmLayerNormPerHead on q (one LayerNorm(head_dim), no bias, per query head) and on k (per KV head), which
    // hold H * d + Hkv * d weights, the across-heads count. StableLmMLP gated, no bias. StableLmDecoderLayer:
    // input_layernorm, and post_attention_layernorm unless use_parallel_residual; norm; LayerNorms with bias.
    build: (cfg, o) => {
      const c = cfg.withDefaults({vocab_size: 50304, intermediate_size: 6912, hidden_size: 2560, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 4096, partial_rotary_factor: 0.25})
      const bias = c.bool('use_qkv_bias', false)
      return classicDecoder(c, o, {
        family: 'stablelm',
        modelType: 'stablelm',
        hidden: c.int('hidden_size'),
        layers: c.int('num_hidden_layers'),
        heads: c.int('num_attention_heads'),
        kvHeads: c.int('num_key_value_heads'),
        intermediate: c.int('intermediate_size'),
        vocab: c.int('vocab_size'),
        tied: c.bool('tie_word_embeddings', false),
        maxContext: c.int('max_position_embeddings'),
        qkvBias: bias,
        outputBias: false,
        qkNorm: c.bool('qk_layernorm', false) ? 'across-heads' : 'none',
        ffn: {gated: true, activation: c.str('hidden_act', 'silu'), bias: false},
        norms: layerNorms(c.bool('use_parallel_residual', false) ? 1 : 2, true),
        positions: ropeOf(c, 10000),
      })
    },
  },
}
