// Ling / Ling-lite (remote-code BailingMoeConfig and modeling_bailing_moe.py of inclusionAI, as published in the
// inclusionAI/Ling repository models/ and shipped with the Ling-lite / Ling-plus checkpoints).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions, type Json} from '../config.js'
import {decoderIgnored, type Family, ropeKeys, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// BailingMoeConfig (configuration_bailing_moe.py @ 69823a61): h 1024, 24 layers, 16 heads, 16 experts, top-2,
// use_bias True, untied. intermediate_size and moe_intermediate_size default to None: a file must state the ones
// its layers use.
const bailingDefaults: Json = {vocab_size: 30592, hidden_size: 1024, num_hidden_layers: 24, num_attention_heads: 16, max_position_embeddings: 16384}

function bailingMoeSpec(raw: Config, o: ImportOptions): ModelSpec {
  // BailingMoeDecoderLayer (modeling_bailing_moe.py): BailingMoeAttention with one fused query_key_value
  // Linear(h, (H + 2 Hkv) d, bias=use_qkv_bias) and dense Linear(H d, h, bias=use_bias); layers >=
  // first_k_dense_replace are BailingMoeSparseMoeBlock (gate weight (E, h) without bias, num_experts BailingMoeMLP of
  // moe_intermediate_size without bias, one shared BailingMoeMLP of moe_intermediate_size * num_shared_experts),
  // the others BailingMoeMLP of intermediate_size; the MLPs never carry a bias (use_bias is the attention output's).
  // RMSNorm input/post-attention and final norm; lm_head without bias (norm_head only normalises its rows).
  const cfg = raw.withDefaults(bailingDefaults)
  const layers = cfg.int('num_hidden_layers')
  // num_key_value_heads defaults to 0 in the class, which the attention cannot be built with.
  const kvHeads = cfg.int('num_key_value_heads', 0)
  if (kvHeads === 0) throw new UserError(`${cfg.where}: "num_key_value_heads" is required (BailingMoeConfig defaults it to 0)`)
  const experts = cfg.intOrNull('num_experts', 16)
  const firstDense = cfg.int('first_k_dense_replace', 0)
  const isMoe = (i: number) => experts !== null && i >= firstDense
  const anyDense = Array.from({length: layers}, (_, i) => !isMoe(i)).some(Boolean)
  if (anyDense && !cfg.has('intermediate_size')) throw new UserError(`${cfg.where}: "intermediate_size" is required for the dense layers (BailingMoeConfig defaults it to None)`)
  // The attention dimensions, with num_key_value_heads checked (standardAttention would fall back to the heads).
  const dims: Json = {hidden_size: cfg.int('hidden_size'), num_attention_heads: cfg.int('num_attention_heads'), num_key_value_heads: kvHeads}
  if (cfg.has('head_dim')) dims.head_dim = cfg.int('head_dim')
  const attention = {...standardAttention(new Config(dims, cfg.where)), qkvBias: cfg.bool('use_qkv_bias', false), outputBias: cfg.bool('use_bias', true)}
  const width = experts === null ? 0 : cfg.int('moe_intermediate_size')
  const shared = cfg.int('num_shared_experts', 0)
  return {
    ...base(cfg, o, 'bailing-moe', 'bailing_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: cfg.has('intermediate_size') ? cfg.int('intermediate_size') : width, bias: false},
    ...(experts === null ? {} : {moe: moeBlock(experts, cfg.int('num_experts_per_tok', 2), width, {sharedExperts: shared, sharedIntermediateSize: shared * width})}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}))),
  }
}

export const bailing: Family = {
  // BailingMoeConfig (remote code)
  bailing_moe: {
    keys: {
      used: [
        'vocab_size',
        'hidden_size',
        'intermediate_size',
        'num_hidden_layers',
        'num_attention_heads',
        'num_key_value_heads',
        'head_dim',
        'hidden_act',
        'max_position_embeddings',
        'tie_word_embeddings',
        ...ropeKeys,
        'use_qkv_bias',
        'use_bias',
        'num_experts',
        'num_shared_experts',
        'num_experts_per_tok',
        'moe_intermediate_size',
        'first_k_dense_replace',
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'embedding_dropout',
        'output_dropout',
        'norm_head', // normalises the LM head rows at run time: same weights
        'norm_softmax', // a published key the class does not read
        // The class stores a Qwen2-style sliding window but BailingMoeAttention never reads it (full attention).
        'use_sliding_window',
        'sliding_window',
        'max_window_layers',
      ],
    },
    build: bailingMoeSpec,
  },
}
