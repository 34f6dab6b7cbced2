// The pre-Llama decoders (GPT-NeoX, GPT-J, OPT, BLOOM, MPT, Falcon, Phi-1/2, StarCoder, ...): LayerNorm blocks with
// fused or separate q/k/v, plain or gated MLPs, biases here and there, learned positions, RoPE or ALiBi. Each family
// file reads its configuration class's keys and hands the dimensions to classicDecoder, which assembles the spec.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {base} from '../pieces.js'
import {attentionKindOf} from '../../schema/attention-kind.js'

export interface ClassicDims {
  family: string
  modelType: string
  hidden: number
  layers: number
  heads: number
  kvHeads: number
  /** Query/key/value head width; hidden / heads unless the class states another. */
  headDim?: number
  intermediate: number
  vocab: number
  tied: boolean
  maxContext: number
  qkvBias: boolean
  outputBias: boolean
  qkNorm?: ModelSpec['attention']['qkNorm']
  /** The QK-norms carry a bias (Phi qk_layernorm). */
  qkNormBias?: boolean
  ffn: {gated: boolean; activation: string; bias: boolean}
  norms: ModelSpec['norms']
  /** RoPE of the class, or 'alibi' (no rotary embedding), or 'learned' (learned absolute positions only). */
  positions: ModelSpec['rope'] | 'alibi' | 'learned'
  learnedPositions?: number
  lmHeadBias?: boolean
  /** Token embedding width when it differs from the hidden size (OPT-350m). */
  projectionDim?: number
  /** Per-layer windows (sliding when a number), when the class slides some layers. */
  window?: (i: number) => number | undefined
  /** Per-layer RoPE switch when some layers have none (Cohere 2 full layers). */
  rope?: (i: number) => boolean
  /** torch_dtype when the file names none (the original float32 checkpoints). */
  dtypeDefault?: string
}

// The rope block is required by the schema; ALiBi and learned-position models leave it unused (every layer rope: false).
const unusedRope: ModelSpec['rope'] = {theta: 10000, scaling: null, partialRotaryFactor: 1}

export function classicDecoder(cfg: Config, o: ImportOptions, d: ClassicDims): ModelSpec {
  const headDim = d.headDim ?? d.hidden / d.heads
  if (!Number.isInteger(headDim)) throw new UserError(`${cfg.where}: hidden size ${d.hidden} is not a multiple of ${d.heads} attention heads`)
  if (d.heads % d.kvHeads !== 0) throw new UserError(`${cfg.where}: ${d.heads} attention heads are not a multiple of ${d.kvHeads} key/value heads`)
  const rotary = typeof d.positions === 'object'
  const groups: ModelSpec['layerGroups'] = []
  for (let i = 0; i < d.layers; i++) {
    const w = d.window?.(i)
    const window = w !== undefined && w < d.maxContext ? w : undefined // a window as long as the context slides nothing
    const rope = rotary && (d.rope?.(i) ?? true)
    const last = groups[groups.length - 1]
    if (last && last.windowTokens === window && last.rope === rope) last.count += 1
    else groups.push(window === undefined ? {count: 1, mixer: 'full', rope, ffn: 'dense'} : {count: 1, mixer: 'sliding', windowTokens: window, rope, ffn: 'dense'})
  }
  const embeddings: ModelSpec['embeddings'] = {vocabSize: d.vocab, tied: d.tied, learnedPositions: d.learnedPositions ?? 0, perLayer: null}
  if (d.lmHeadBias) embeddings.lmHeadBias = true
  if (d.projectionDim !== undefined && d.projectionDim !== d.hidden) embeddings.projectionDim = d.projectionDim
  const attention: ModelSpec['attention'] = {
    kind: attentionKindOf(d.heads, d.kvHeads),
    heads: d.heads,
    kvHeads: d.kvHeads,
    headDim,
    valueHeadDim: headDim,
    qkvBias: d.qkvBias,
    outputBias: d.outputBias,
    qkNorm: d.qkNorm ?? 'none',
    sinks: false,
    outputGate: false,
  }
  if (d.qkNormBias) attention.qkNormBias = true
  if (d.positions === 'alibi') attention.alibi = true
  return {
    ...base(cfg, o, d.family, d.modelType, undefined, {hidden: d.hidden, layers: d.layers, dtype: d.dtypeDefault}),
    maxContextTokens: d.maxContext,
    embeddings,
    attention,
    ffn: {gated: d.ffn.gated, activation: d.ffn.activation, intermediateSize: d.intermediate, bias: d.ffn.bias},
    norms: d.norms,
    rope: rotary ? (d.positions as ModelSpec['rope']) : unusedRope,
    layerGroups: groups,
  }
}

/** LayerNorm blocks: `perLayer` hidden-size norms per layer, with or without a bias, pre-norm, with a final norm. */
export function layerNorms(perLayer: number, bias: boolean, extra: Partial<ModelSpec['norms']> = {}): ModelSpec['norms'] {
  return {kind: 'layernorm', bias, placement: 'pre', perLayer, final: true, ...extra}
}

/** The rotated share of a head from a rotary width in elements (GPT-J rotary_dim), checked to fit the head. */
export function rotaryShare(cfg: Config, key: string, rotaryDim: number, headDim: number): number {
  if (rotaryDim <= 0 || rotaryDim > headDim) throw new UserError(`${cfg.where}: "${key}" ${rotaryDim} must be between 1 and the head width ${headDim}`)
  return rotaryDim / headDim
}
