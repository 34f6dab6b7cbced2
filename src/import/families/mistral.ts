// Mistral (MistralConfig), its multimodal wrapper Mistral3Config, and Mixtral (MixtralConfig).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, layerOf} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'
import {llamaLike} from './llama.js'

// MistralConfig (configuration_mistral.py): Mistral-7B-v0.1 shape, 8 KV heads, 4096*32 positions.
const mistralDefaults: Json = {vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 131072}

function mixtralSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // MixtralConfig: 8 experts, top-2, sliding_window None, no biases, router without bias.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.intOrNull('sliding_window', null)
  const perLayer = Array.from({length: layers}, () => layerOf(window === null ? 'full' : 'sliding', true, 'moe', window ?? undefined))
  return {
    ...base(cfg, o, 'mixtral', 'mixtral'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {kvHeadsDefault: 8}),
    ffn: gatedFfn(cfg),
    moe: moeBlock(cfg.int('num_local_experts', 8), cfg.int('num_experts_per_tok', 2), cfg.int('intermediate_size')),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 1e6),
    layerGroups: groupLayers(perLayer),
  }
}

export const mistral: Family = {
  // MistralConfig: no bias keys; sliding_window on every layer unless null.
  mistral: {
    keys: {used: [...core, 'sliding_window'], ignored: [...decoderIgnored]},
    // MistralConfig: sliding_window 4096 unless null (Mistral Small 3.x sets null), no biases, 8 KV heads.
    build: (raw, o, outer) => {
      const cfg = raw.withDefaults(mistralDefaults)
      const window = cfg.intOrNull('sliding_window', 4096)
      return llamaLike(cfg, o, 'mistral', {modelType: 'mistral', tiedDefault: false, thetaDefault: 10000, sliding: window === null ? undefined : () => window, attention: {biasKey: undefined}, outer})
    },
  },
  // Mistral3Config (wrapper): the projector reads these.
  mistral3: {
    keys: {
      used: ['text_config', 'vision_config', 'vision_feature_layer', 'spatial_merge_size', 'multimodal_projector_bias'],
      ignored: ['image_token_index', 'projector_hidden_act'],
    },
    textType: 'mistral',
  },
  // MixtralConfig
  mixtral: {keys: {used: [...core, 'sliding_window', 'num_local_experts', 'num_experts_per_tok'], ignored: [...decoderIgnored, ...routerIgnored]}, build: mixtralSpec},
}
