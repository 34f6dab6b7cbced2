// gpt-oss (GptOssConfig, configuration_gpt_oss.py).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, layerOf, layerTypesOf, mixerOf} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

function gptOssSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // GptOssConfig: attention_bias True, sinks per head, alternating sliding (128) / full, router and experts with bias.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 128)
  // The original checkpoint names top-k experts_per_token; GptOssConfig reads num_experts_per_tok.
  if (cfg.has('experts_per_token') && cfg.has('num_experts_per_tok') && cfg.int('experts_per_token') !== cfg.int('num_experts_per_tok'))
    throw new UserError(`${cfg.where}: experts_per_token (${cfg.int('experts_per_token')}) and num_experts_per_tok (${cfg.int('num_experts_per_tok')}) disagree`)
  const types = layerTypesOf(cfg, layers, (i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention'))
  const perLayer = types.map((t) => layerOf(mixerOf(t, cfg.where), true, 'moe', window))
  return {
    ...base(cfg, o, 'gpt-oss', 'gpt_oss'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {headDimDefault: 64, biasKey: 'attention_bias', biasDefault: true, sinks: true}),
    ffn: gatedFfn(cfg, 'hidden_act', 'silu', false),
    moe: moeBlock(cfg.int('num_local_experts'), cfg.int('num_experts_per_tok'), cfg.int('intermediate_size'), {routerBias: true, expertBias: true}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 150000),
    layerGroups: groupLayers(perLayer),
  }
}

export const gptOss: Family = {
  // GptOssConfig; experts_per_token is the original checkpoint's name, checked against num_experts_per_tok.
  gpt_oss: {
    keys: {
      used: [...core, 'attention_bias', 'sliding_window', 'layer_types', 'num_local_experts', 'num_experts_per_tok', 'experts_per_token'],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'swiglu_limit', // clamp inside the activation
        'initial_context_length', // the pre-YaRN context, also given as rope_scaling.original_max_position_embeddings
      ],
    },
    build: gptOssSpec,
  },
}
