// TII's Falcon (FalconConfig, configuration_falcon.py): the 7B architecture (multi-query, one norm per parallel block)
// and the new decoder architecture of 40B/180B (grouped KV, ln_attn + ln_mlp).
import type {Family} from '../family.js'
import {ropeOf} from '../pieces.js'
import {classicDecoder, layerNorms} from './classic.js'

export const falcon: Family = {
  falcon: {
    keys: {
      used: [
        'vocab_size',
        'hidden_size',
        'n_embed',
        'num_hidden_layers',
        'n_layer',
        'num_attention_heads',
        'n_head',
        'num_kv_heads',
        'n_head_kv',
        'num_ln_in_parallel_attn',
        'alibi',
        'new_decoder_architecture',
        'multi_query',
        'parallel_attn',
        'bias',
        'max_position_embeddings',
        'rope_theta',
        'rope_scaling',
        'rope_parameters',
        'ffn_hidden_size',
        'activation',
        'tie_word_embeddings',
      ],
      ignored: [
        'layer_norm_epsilon',
        'initializer_range',
        'use_cache',
        'hidden_dropout',
        'attention_dropout',
        'apply_residual_connection_post_layernorm', // which tensor feeds the residual: no weight changes
      ],
    },
    // FalconConfig: vocab 65024, h 4544, 32 layers, 71 heads, num_kv_heads None (= heads), alibi False,
    // new_decoder_architecture False, multi_query True, parallel_attn True, bias False, 2048 positions, rope_theta 10000,
    // ffn_hidden_size None (= 4h), gelu, tied head. FalconAttention: kv heads = num_kv_heads under the new architecture
    // or without multi_query, else 1; query_key_value (h, (H + 2 Hkv) d) and dense (h, h), biased by bias.
    // FalconDecoderLayer: input_layernorm + post_attention_layernorm without parallel_attn; ln_attn + ln_mlp when
    // num_ln_in_parallel_attn is 2 (its default under the new architecture); else input_layernorm alone. FalconMLP
    // dense_h_to_4h, dense_4h_to_h biased by bias; ln_f; LayerNorms with bias. ALiBi instead of RoPE when alibi.
    build: (cfg, o) => {
      const hidden = cfg.int(cfg.pick('hidden_size', 'n_embed'), 4544)
      const heads = cfg.int(cfg.pick('num_attention_heads', 'n_head'), 71)
      const newArch = cfg.bool('new_decoder_architecture', false)
      const kvKey = cfg.pick('num_kv_heads', 'n_head_kv')
      const kvHeads = newArch || !cfg.bool('multi_query', true) ? (cfg.has(kvKey) ? cfg.int(kvKey) : heads) : 1
      const parallel = cfg.bool('parallel_attn', true)
      const lnInParallel = cfg.intOrNull('num_ln_in_parallel_attn', null) ?? (newArch ? 2 : null)
      const normsPerLayer = !parallel || lnInParallel === 2 ? 2 : 1
      const bias = cfg.bool('bias', false)
      return classicDecoder(cfg, o, {
        family: 'falcon',
        modelType: 'falcon',
        hidden,
        layers: cfg.int(cfg.pick('num_hidden_layers', 'n_layer'), 32),
        heads,
        kvHeads,
        intermediate: cfg.intOrNull('ffn_hidden_size', null) ?? 4 * hidden,
        vocab: cfg.int('vocab_size', 65024),
        tied: cfg.bool('tie_word_embeddings', true),
        maxContext: cfg.int('max_position_embeddings', 2048),
        qkvBias: bias,
        outputBias: bias,
        ffn: {gated: false, activation: cfg.str('activation', 'gelu'), bias},
        norms: layerNorms(normsPerLayer, true),
        positions: cfg.bool('alibi', false) ? 'alibi' : ropeOf(cfg, 10000),
      })
    },
  },
}
