// BigCode's StarCoder (GPTBigCodeConfig, configuration_gpt_bigcode.py) and StarCoder2 (Starcoder2Config,
// configuration_starcoder2.py).
import {coreWithout, type Family, summaryHeadIgnored} from '../family.js'
import {ropeOf} from '../pieces.js'
import {classicDecoder, layerNorms} from './classic.js'

export const bigcode: Family = {
  gpt_bigcode: {
    keys: {
      used: ['vocab_size', 'n_positions', 'n_embd', 'n_layer', 'n_head', 'n_inner', 'activation_function', 'multi_query', 'tie_word_embeddings', 'hidden_size', 'max_position_embeddings', 'num_attention_heads', 'num_hidden_layers'],
      ignored: [
        'resid_pdrop',
        'embd_pdrop',
        'attn_pdrop',
        'layer_norm_epsilon',
        'initializer_range',
        'scale_attn_weights',
        'use_cache',
        'attention_softmax_in_fp32',
        'scale_attention_softmax_in_fp32',
        ...summaryHeadIgnored, // a classification head the causal LM does not build
        // Runtime switches of BigCode's inference fork, kept in the published files; GPTBigCodeConfig does not read them.
        'inference_runner',
        'max_batch_size',
        'max_sequence_length',
        'pad_key_length',
        'pre_allocate_kv_cache',
        'validate_runner_input',
      ],
    },
    // GPTBigCodeConfig: vocab 50257, n_positions 1024, n_embd 768, 12 layers, 12 heads, n_inner None (= 4 n_embd),
    // gelu_pytorch_tanh, multi_query True, tied head. GPTBigCodeModel: wte + wpe; per block ln_1, c_attn Linear(h,
    // h + 2 * kv_dim) with bias (kv_dim = head_dim under multi_query, else h), c_proj (h, h) with bias, ln_2, c_fc and
    // c_proj with bias; ln_f; LayerNorms with bias.
    build: (cfg, o) => {
      const hidden = cfg.int(cfg.pick('n_embd', 'hidden_size'), 768)
      const heads = cfg.int(cfg.pick('n_head', 'num_attention_heads'), 12)
      const positions = cfg.int(cfg.pick('n_positions', 'max_position_embeddings'), 1024)
      return classicDecoder(cfg, o, {
        family: 'starcoder',
        modelType: 'gpt_bigcode',
        hidden,
        layers: cfg.int(cfg.pick('n_layer', 'num_hidden_layers'), 12),
        heads,
        kvHeads: cfg.bool('multi_query', true) ? 1 : heads,
        intermediate: cfg.intOrNull('n_inner', null) ?? 4 * hidden,
        vocab: cfg.int('vocab_size', 50257),
        tied: cfg.bool('tie_word_embeddings', true),
        maxContext: positions,
        qkvBias: true,
        outputBias: true,
        ffn: {gated: false, activation: cfg.str('activation_function', 'gelu_pytorch_tanh'), bias: true},
        norms: layerNorms(2, true),
        positions: 'learned',
        learnedPositions: positions,
        dtypeDefault: 'float32',
      })
    },
  },
  starcoder2: {
    keys: {
      used: [
        ...coreWithout('head_dim', 'partial_rotary_factor'),
        'sliding_window',
        'use_bias',
      ],
      ignored: [
        'initializer_range',
        'norm_epsilon',
        'use_cache',
        'attention_dropout',
        'residual_dropout',
        'embedding_dropout',
        // Keys of the original training config left in the published files; Starcoder2Config does not read them.
        'layer_norm_epsilon',
        'mlp_type',
        'norm_type',
      ],
    },
    // Starcoder2Config: vocab 49152, h 3072, ffn 12288, 30 layers, 24/2 heads, gelu_pytorch_tanh, 4096 positions,
    // rope_theta 10000, sliding_window None, use_bias True, tie_word_embeddings True (PretrainedConfig). Starcoder2Attention:
    // q/k/v/o with bias = use_bias, every layer windowed by sliding_window; Starcoder2MLP c_fc, c_proj (plain, bias =
    // use_bias); input_layernorm, post_attention_layernorm and norm are LayerNorm with bias.
    build: (cfg, o) => {
      const heads = cfg.int('num_attention_heads', 24)
      const bias = cfg.bool('use_bias', true)
      const window = cfg.intOrNull('sliding_window', null) ?? undefined
      return classicDecoder(cfg, o, {
        family: 'starcoder2',
        modelType: 'starcoder2',
        hidden: cfg.int('hidden_size', 3072),
        layers: cfg.int('num_hidden_layers', 30),
        heads,
        kvHeads: cfg.int('num_key_value_heads', 2),
        intermediate: cfg.int('intermediate_size', 12288),
        vocab: cfg.int('vocab_size', 49152),
        tied: cfg.bool('tie_word_embeddings', true),
        maxContext: cfg.int('max_position_embeddings', 4096),
        qkvBias: bias,
        outputBias: bias,
        ffn: {gated: false, activation: cfg.str('hidden_act', 'gelu_pytorch_tanh'), bias},
        norms: layerNorms(2, true),
        positions: ropeOf(cfg, 10000),
        window: () => window,
      })
    },
  },
}
