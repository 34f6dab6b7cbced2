// Meta's OPT (OPTConfig, configuration_opt.py).
import {UserError} from '../../errors.js'
import type {Family} from '../family.js'
import {classicDecoder, layerNorms} from './classic.js'

export const opt: Family = {
  opt: {
    keys: {
      used: [
        'vocab_size',
        'hidden_size',
        'num_hidden_layers',
        'ffn_dim',
        'max_position_embeddings',
        'do_layer_norm_before',
        '_remove_final_layer_norm',
        'word_embed_proj_dim',
        'num_attention_heads',
        'activation_function',
        'enable_bias',
        'layer_norm_elementwise_affine',
        'tie_word_embeddings',
      ],
      ignored: ['dropout', 'attention_dropout', 'activation_dropout', 'layerdrop', 'init_std', 'use_cache'],
    },
    // OPTConfig: vocab 50272, h 768, 12 layers, 12 heads, ffn 3072, 2048 positions, relu, do_layer_norm_before True,
    // word_embed_proj_dim None (= h), enable_bias True, layer_norm_elementwise_affine True, tied head.
    // OPTDecoder: embed_tokens, embed_positions = OPTLearnedPositionalEmbedding(max_position_embeddings + 2 rows: the
    // table is offset by 2), project_in/project_out only when word_embed_proj_dim != h, final_layer_norm only with
    // do_layer_norm_before and not _remove_final_layer_norm. OPTDecoderLayer: self_attn_layer_norm, q/k/v/out_proj and
    // fc1, fc2 (biased by enable_bias), final_layer_norm; the LayerNorms have weight and bias only with
    // layer_norm_elementwise_affine.
    build: (cfg, o) => {
      const hidden = cfg.int('hidden_size', 768)
      const projDim = cfg.intOrNull('word_embed_proj_dim', null) ?? hidden
      const tied = cfg.bool('tie_word_embeddings', true)
      if (projDim !== hidden && !tied) throw new UserError(`${cfg.where}: word_embed_proj_dim ${projDim} with an untied head is not modelled (every OPT ties it)`)
      const heads = cfg.int('num_attention_heads', 12)
      const bias = cfg.bool('enable_bias', true)
      const preNorm = cfg.bool('do_layer_norm_before', true)
      const positions = cfg.int('max_position_embeddings', 2048)
      const affine = cfg.bool('layer_norm_elementwise_affine', true)
      const final = preNorm && !cfg.bool('_remove_final_layer_norm', false)
      return classicDecoder(cfg, o, {
        family: 'opt',
        modelType: 'opt',
        hidden,
        layers: cfg.int('num_hidden_layers', 12),
        heads,
        kvHeads: heads,
        intermediate: cfg.int('ffn_dim', 3072),
        vocab: cfg.int('vocab_size', 50272),
        tied,
        projectionDim: projDim,
        maxContext: positions,
        qkvBias: bias,
        outputBias: bias,
        ffn: {gated: false, activation: cfg.str('activation_function', 'relu'), bias},
        // do_layer_norm_before False (OPT-350m): the same two LayerNorms, applied after each residual add.
        norms: layerNorms(2, true, {placement: preNorm ? 'pre' : 'post', final, ...(affine ? {} : {parametric: false})}),
        positions: 'learned',
        learnedPositions: positions + 2, // OPTLearnedPositionalEmbedding: offset 2
      })
    },
  },
}
