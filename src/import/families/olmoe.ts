// OLMoE (OlmoeConfig, configuration_olmoe.py; modular_olmoe.py).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {coreWithout, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// OlmoeConfig (@ 008e5743): OLMoE-1B-7B shape, but intermediate_size 2048 (the checkpoint states 1024).
const olmoeDefaults: Json = {vocab_size: 50304, hidden_size: 2048, intermediate_size: 2048, num_hidden_layers: 16, num_attention_heads: 16, max_position_embeddings: 4096}

function olmoeSpec(raw: Config, o: ImportOptions): ModelSpec {
  // OlmoeAttention (modular_olmoe.py): LlamaAttention (q/k/v/o bias = attention_bias) plus q_norm RMSNorm(hidden_size)
  // and k_norm RMSNorm(head_dim * kv heads), i.e. across all heads; OlmoeSparseMoeBlock in every layer: gate
  // Linear(h, num_experts) without bias, num_experts OlmoeMLP (gate, up, down of intermediate_size), no shared expert.
  const cfg = raw.withDefaults(olmoeDefaults)
  const layers = cfg.int('num_hidden_layers')
  return {
    ...base(cfg, o, 'olmoe', 'olmoe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {biasKey: 'attention_bias', qkNorm: 'across-heads'}),
    ffn: gatedFfn(cfg),
    moe: moeBlock(cfg.int(cfg.pick('num_experts', 'num_local_experts'), 64), cfg.int('num_experts_per_tok', 8), cfg.int('intermediate_size')),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, () => ({mixer: 'full', rope: true, ffn: 'moe'}))),
  }
}

export const olmoe: Family = {
  // OlmoeConfig; num_local_experts is its attribute_map alias of num_experts. No head_dim key: the head width is
  // hidden_size / num_attention_heads.
  olmoe: {
    keys: {
      used: [
        ...coreWithout('head_dim'),
        'attention_bias',
        'num_experts',
        'num_local_experts',
        'num_experts_per_tok',
      ],
      ignored: [...decoderIgnored, ...routerIgnored, 'clip_qkv'], // clip_qkv clamps q, k and v elementwise
    },
    build: olmoeSpec,
  },
}
