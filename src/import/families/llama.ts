// Llama (LlamaConfig, configuration_llama.py), and the Llama-shaped decoder other families build on.
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {groupLayers, layerOf} from '../layers.js'
import {type AttentionOptions, base, gatedFfn, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// LlamaConfig / MistralConfig / Olmo2Config / SmolLM3Config / Qwen3Config share this shape.
export function llamaLike(
  cfg: Config,
  o: ImportOptions,
  family: string,
  opts: {
    modelType: string
    tiedDefault: boolean
    thetaDefault: number
    headDimDefault?: number
    attention?: AttentionOptions
    norms?: ModelSpec['norms']
    ffn?: ModelSpec['ffn']
    ffnBias?: boolean
    rope?: (i: number) => boolean
    sliding?: (i: number) => number | undefined
    outer?: Config
  },
): ModelSpec {
  const layers = cfg.int('num_hidden_layers')
  const perLayer = Array.from({length: layers}, (_, i) => {
    const window = opts.sliding?.(i)
    return layerOf(window === undefined ? 'full' : 'sliding', opts.rope?.(i) ?? true, 'dense', window)
  })
  return {
    ...base(cfg, o, family, opts.modelType, opts.outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, opts.tiedDefault),
    attention: standardAttention(cfg, {headDimDefault: opts.headDimDefault, biasKey: 'attention_bias', ...opts.attention}),
    ffn: opts.ffn ?? gatedFfn(cfg, 'hidden_act', 'silu', opts.ffnBias ?? false),
    norms: opts.norms ?? rmsNorms('pre', 2),
    rope: ropeOf(cfg, opts.thetaDefault),
    layerGroups: groupLayers(perLayer),
  }
}

export const llama: Family = {
  llama: {
    keys: {used: [...core, 'attention_bias', 'mlp_bias'], ignored: [...decoderIgnored]},
    // LlamaConfig: tie_word_embeddings False, rope_theta 10000, mlp_bias False, head_dim = hidden/heads.
    build: (cfg, o) => llamaLike(cfg, o, 'llama3', {modelType: 'llama', tiedDefault: false, thetaDefault: 10000, ffnBias: cfg.bool('mlp_bias', false)}),
  },
}
