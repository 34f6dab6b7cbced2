// Granite MoE (GraniteMoeConfig, configuration_granitemoe.py) and Granite MoE with a shared expert
// (GraniteMoeSharedConfig, configuration_granitemoeshared.py).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// GraniteMoeConfig / GraniteMoeSharedConfig (@ 040e1a7e): Llama-7B-like dimensions, 8 experts, top-2, untied.
const graniteMoeDefaults: Json = {vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

function graniteMoeSpec(raw: Config, o: ImportOptions, modelType: 'granitemoe' | 'granitemoeshared'): ModelSpec {
  // GraniteMoeDecoderLayer (modular_granitemoe.py): LlamaAttention (q/k/v/o bias = attention_bias), GraniteMoeMoE:
  // input_linear (E, 2 * intermediate_size, h) and output_linear (E, h, intermediate_size) without bias (a gated
  // MLP per expert), router JetMoeTopKGating Linear(h, E) without bias. GraniteMoeSharedDecoderLayer adds shared_mlp:
  // input_linear Linear(h, 2 * shared_intermediate_size) and output_linear, no bias, no gate, when
  // shared_intermediate_size > 0 (modular_granitemoeshared.py).
  const cfg = raw.withDefaults(graniteMoeDefaults)
  const layers = cfg.int('num_hidden_layers')
  const shared = modelType === 'granitemoeshared' ? cfg.int('shared_intermediate_size', 0) : 0
  return {
    ...base(cfg, o, 'granite-moe', modelType),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {biasKey: 'attention_bias'}),
    ffn: gatedFfn(cfg),
    moe: moeBlock(cfg.int('num_local_experts', 8), cfg.int('num_experts_per_tok', 2), cfg.int('intermediate_size'), {sharedExperts: shared > 0 ? 1 : 0, sharedIntermediateSize: shared}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, () => ({mixer: 'full', rope: true, ffn: 'moe'}))),
  }
}

const graniteMoeKeys = [...core, 'attention_bias', 'num_local_experts', 'num_experts_per_tok'] as const
const graniteMoeIgnored = [
  ...decoderIgnored,
  ...routerIgnored,
  // Scalar multipliers on the embeddings, attention scores, residual branches and logits: no weight, no cache.
  'embedding_multiplier',
  'attention_multiplier',
  'residual_multiplier',
  'logits_scaling',
  'position_embedding_type', // hard-coded "rope" by the class, written into saved files
] as const

export const graniteMoe: Family = {
  // GraniteMoeConfig
  granitemoe: {keys: {used: graniteMoeKeys, ignored: graniteMoeIgnored}, build: (cfg, o) => graniteMoeSpec(cfg, o, 'granitemoe')},
  // GraniteMoeSharedConfig
  granitemoeshared: {keys: {used: [...graniteMoeKeys, 'shared_intermediate_size'], ignored: graniteMoeIgnored}, build: (cfg, o) => graniteMoeSpec(cfg, o, 'granitemoeshared')},
}
