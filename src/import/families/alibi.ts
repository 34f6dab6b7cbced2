// The ALiBi decoders: BigScience's BLOOM (BloomConfig, configuration_bloom.py) and MosaicML's MPT (MptConfig,
// configuration_mpt.py). Neither has a position table nor a rotary embedding.
import {UserError} from '../../errors.js'
import type {Family} from '../family.js'
import {classicDecoder, layerNorms} from './classic.js'

// BLOOM states no context length: its models were trained on 2048-token sequences (bigscience/bloom model card).
const bloomTrainedTokens = 2048

export const alibi: Family = {
  bloom: {
    keys: {
      used: ['vocab_size', 'hidden_size', 'n_embed', 'n_layer', 'n_head', 'num_hidden_layers', 'num_attention_heads', 'tie_word_embeddings', 'seq_length'],
      ignored: [
        'layer_norm_epsilon',
        'initializer_range',
        'use_cache',
        'apply_residual_connection_post_layernorm', // which tensor feeds the residual: no weight changes
        'hidden_dropout',
        'attention_dropout',
        'pretraining_tp', // splits the matmuls for exactness with Megatron TP; same FLOPs
        'slow_but_exact',
        'n_inner', // BloomMLP is always 4 * hidden_size; BloomConfig does not read n_inner
        // Megatron-DeepSpeed training switches left in the published files; BloomConfig does not read them.
        'attention_softmax_in_fp32',
        'bias_dropout_fusion',
        'masked_softmax_fusion',
        'offset_alibi',
        'skip_bias_add',
        'skip_bias_add_qkv',
        'unk_token_id',
      ],
    },
    // BloomConfig: vocab 250880, hidden_size 64 (n_embed accepted), n_layer 2, n_head 8, tied head. BloomModel:
    // word_embeddings, word_embeddings_layernorm, per block input_layernorm, query_key_value (h, 3h) and dense (h, h)
    // with bias, post_attention_layernorm, BloomMLP dense_h_to_4h (h, 4h) and dense_4h_to_h with bias; ln_f; every
    // LayerNorm with bias; ALiBi.
    build: (cfg, o) => {
      const hidden = cfg.int(cfg.pick('hidden_size', 'n_embed'), 64)
      const heads = cfg.int(cfg.pick('n_head', 'num_attention_heads'), 8)
      return classicDecoder(cfg, o, {
        family: 'bloom',
        modelType: 'bloom',
        hidden,
        layers: cfg.int(cfg.pick('n_layer', 'num_hidden_layers'), 2),
        heads,
        kvHeads: heads,
        intermediate: 4 * hidden,
        vocab: cfg.int('vocab_size', 250880),
        tied: cfg.bool('tie_word_embeddings', true),
        maxContext: cfg.int('seq_length', bloomTrainedTokens),
        qkvBias: true,
        outputBias: true,
        ffn: {gated: false, activation: 'gelu', bias: true}, // bloom_gelu_forward: the tanh approximation
        norms: layerNorms(2, true, {embedding: true}),
        positions: 'alibi',
        // The files name no torch_dtype; the released weights are float16 (bloom-560m's tensors dumped to numpy take 2
        // bytes per element: h.0.mlp.dense_4h_to_h.weight, 4096 x 1024, is 8,388,736 bytes with its 128-byte header).
        dtypeDefault: 'float16',
      })
    },
  },
  mpt: {
    keys: {
      used: ['d_model', 'n_heads', 'n_layers', 'expansion_ratio', 'max_seq_len', 'vocab_size', 'no_bias', 'attn_config', 'tie_word_embeddings', 'hidden_size', 'num_attention_heads', 'num_hidden_layers'],
      ignored: [
        'resid_pdrop',
        'layer_norm_epsilon',
        'emb_pdrop',
        'learned_pos_emb', // MptModel builds no position table (ALiBi), whatever this says
        'init_device',
        'logit_scale', // a scalar on the logits
        'verbose',
        'embedding_fraction',
        'norm_type', // every MPT uses the same LayerNorm
        'use_cache',
        'initializer_range',
        'init_config', // llm-foundry's initialisation settings
        'tokenizer_name',
      ],
      sections: {
        attn_config: {
          used: ['attn_type', 'qk_ln', 'alibi'],
          ignored: ['attn_pdrop', 'attn_impl', 'clip_qkv', 'softmax_scale', 'prefix_lm', 'attn_uses_sequence_id', 'alibi_bias_max'],
        },
      },
    },
    // MptConfig: d_model 2048, n_heads 16, n_layers 24, expansion_ratio 4, max_seq_len 2048, vocab 50368, no_bias True,
    // tied head. transformers' MptBlock builds norm_1, norm_2 and norm_f as LayerNorms whose bias is set to None, Wqkv
    // (h, 3h) and out_proj (h, h) without bias, MptMLP up_proj (h, 4h) and down_proj without bias, and always ALiBi:
    // so it can load only checkpoints of that shape, and other settings are refused rather than miscounted.
    build: (cfg, o) => {
      const hidden = cfg.int(cfg.pick('d_model', 'hidden_size'), 2048)
      const heads = cfg.int(cfg.pick('n_heads', 'num_attention_heads'), 16)
      const attn = cfg.sub('attn_config')
      const refuse = (what: string) => {
        throw new UserError(`${cfg.where}: ${what}, which transformers' MptModel does not build (it has no biases, 4x MLPs, multi-head ALiBi attention); archcost counts what it builds`)
      }
      if (cfg.int('expansion_ratio', 4) !== 4) refuse(`expansion_ratio ${cfg.int('expansion_ratio', 4)} (MptMLP is 4 * d_model)`)
      if (!cfg.bool('no_bias', true)) refuse('no_bias false asks for biases')
      if (attn.str('attn_type', 'multihead_attention') !== 'multihead_attention') refuse(`attn_config.attn_type "${attn.str('attn_type', '')}"`)
      if (attn.bool('qk_ln', false)) refuse('attn_config.qk_ln asks for QK LayerNorms')
      if (!attn.bool('alibi', true)) refuse('attn_config.alibi false asks for learned positions')
      return classicDecoder(cfg, o, {
        family: 'mpt',
        modelType: 'mpt',
        hidden,
        layers: cfg.int(cfg.pick('n_layers', 'num_hidden_layers'), 24),
        heads,
        kvHeads: heads,
        intermediate: 4 * hidden,
        vocab: cfg.int('vocab_size', 50368),
        tied: cfg.bool('tie_word_embeddings', true),
        maxContext: cfg.int('max_seq_len', 2048),
        qkvBias: false,
        outputBias: false,
        ffn: {gated: false, activation: 'gelu', bias: false}, // nn.GELU(approximate="none")
        norms: layerNorms(2, false),
        positions: 'alibi',
      })
    },
  },
}
