// EleutherAI's GPT-NeoX (GPTNeoXConfig, configuration_gpt_neox.py) and GPT-J (GPTJConfig, configuration_gptj.py).
import {coreWithout, type Family, summaryHeadIgnored} from '../family.js'
import {ropeOf} from '../pieces.js'
import {classicDecoder, layerNorms, rotaryShare} from './classic.js'

export const eleuther: Family = {
  gpt_neox: {
    keys: {
      used: [
        ...coreWithout('num_key_value_heads', 'head_dim'),
        'rotary_pct',
        'rotary_emb_base',
        'attention_bias',
      ],
      ignored: [
        'use_parallel_residual', // parallel or sequential residual: both build input_layernorm and post_attention_layernorm
        'attention_dropout',
        'hidden_dropout',
        'classifier_dropout', // GPTNeoXForSequenceClassification only
        'initializer_range',
        'layer_norm_eps',
        'use_cache',
      ],
    },
    // GPTNeoXConfig: vocab 50432, h 6144, 44 layers, 64 heads, ffn 24576, gelu, rotary_pct 0.25, rotary_emb_base 10000,
    // 2048 positions, untied embed_out, attention_bias True. GPTNeoXLayer: input_layernorm and post_attention_layernorm
    // (LayerNorm with bias) whether or not the residual is parallel; query_key_value (h, 3h) and dense (h, h), biased by
    // attention_bias; GPTNeoXMLP dense_h_to_4h, dense_4h_to_h with bias; final_layer_norm.
    build: (cfg, o) => {
      const c = cfg.withDefaults({vocab_size: 50432, hidden_size: 6144, num_hidden_layers: 44, num_attention_heads: 64, intermediate_size: 24576, max_position_embeddings: 2048})
      const bias = c.bool('attention_bias', true)
      const heads = c.int('num_attention_heads')
      const partial = c.has('rotary_pct') ? c.num('rotary_pct') : c.num('partial_rotary_factor', 0.25)
      const theta = c.has('rotary_emb_base') ? c.num('rotary_emb_base') : 10000
      return classicDecoder(c, o, {
        family: 'gpt-neox',
        modelType: 'gpt_neox',
        hidden: c.int('hidden_size'),
        layers: c.int('num_hidden_layers'),
        heads,
        kvHeads: heads,
        intermediate: c.int('intermediate_size'),
        vocab: c.int('vocab_size'),
        tied: c.bool('tie_word_embeddings', false),
        maxContext: c.int('max_position_embeddings'),
        qkvBias: bias,
        outputBias: bias,
        ffn: {gated: false, activation: c.str('hidden_act', 'gelu'), bias: true},
        norms: layerNorms(2, true),
        positions: ropeOf(c, theta, undefined, partial),
      })
    },
  },
  gptj: {
    keys: {
      used: ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head', 'rotary_dim', 'n_inner', 'activation_function', 'tie_word_embeddings', 'hidden_size', 'max_position_embeddings', 'num_attention_heads', 'num_hidden_layers'],
      ignored: [
        'resid_pdrop',
        'embd_pdrop',
        'attn_pdrop',
        'layer_norm_epsilon',
        'initializer_range',
        'use_cache',
        'rotary', // legacy key of the original checkpoint; GPTJConfig does not read it (GPT-J always rotates rotary_dim)
        'scale_attn_weights', // legacy key GPTJConfig does not read
        'gradient_checkpointing',
        ...summaryHeadIgnored, // a classification head the causal LM does not build
      ],
    },
    // GPTJConfig: vocab 50400, n_positions 2048, n_embd 4096, n_layer 28, n_head 16, rotary_dim 64, n_inner None (= 4
    // n_embd), gelu_new, untied. GPTJBlock: one ln_1 (LayerNorm with bias) feeding attention and MLP in parallel;
    // GPTJAttention q/k/v/out_proj without bias; GPTJMLP fc_in, fc_out with bias; ln_f; GPTJForCausalLM.lm_head with bias.
    build: (cfg, o) => {
      const hidden = cfg.int(cfg.pick('n_embd', 'hidden_size'), 4096)
      const heads = cfg.int(cfg.pick('n_head', 'num_attention_heads'), 16)
      const headDim = hidden / heads
      const rotaryDim = cfg.intOrNull('rotary_dim', 64) ?? headDim // rotary_dim None: the whole head rotates
      return classicDecoder(cfg, o, {
        family: 'gpt-j',
        modelType: 'gptj',
        hidden,
        layers: cfg.int(cfg.pick('n_layer', 'num_hidden_layers'), 28),
        heads,
        kvHeads: heads,
        intermediate: cfg.intOrNull('n_inner', null) ?? 4 * hidden,
        vocab: cfg.int('vocab_size', 50400),
        tied: cfg.bool('tie_word_embeddings', false),
        maxContext: cfg.int(cfg.pick('n_positions', 'max_position_embeddings'), 2048),
        qkvBias: false,
        outputBias: false,
        ffn: {gated: false, activation: cfg.str('activation_function', 'gelu_new'), bias: true},
        norms: layerNorms(1, true),
        positions: {theta: 10000, scaling: null, partialRotaryFactor: Number.isInteger(headDim) ? rotaryShare(cfg, 'rotary_dim', rotaryDim, headDim) : 1},
        lmHeadBias: true,
        dtypeDefault: 'float32',
      })
    },
  },
}
