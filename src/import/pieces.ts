// Builders of the spec pieces that several families share: dtype, RoPE, attention, norms, FFN, embeddings, MoE
// block and the common header of a spec.
import {UserError} from '../errors.js'
import type {Dtype, ModelSpec} from '../schema/model.js'
import {Config, type ImportOptions, type Json} from './config.js'

const dtypeNames: Record<string, Dtype> = {bfloat16: 'bf16', float16: 'fp16', float32: 'fp32'}

function dtypeOf(cfg: Config, outer?: Config, fallback = 'bfloat16'): Dtype {
  const name = (cfg.raw.torch_dtype ?? cfg.raw.dtype ?? outer?.raw.torch_dtype ?? outer?.raw.dtype ?? fallback) as string
  const dtype = dtypeNames[name]
  if (!dtype) throw new UserError(`${cfg.where}: torch_dtype "${name}" is not one of ${Object.keys(dtypeNames).join(', ')}`)
  return dtype
}

/**
 * RoPE from rope_theta + rope_scaling (transformers 4.x files) or rope_parameters (5.x files; Gemma 3 keeps one
 * per layer type). `partial` overrides partial_rotary_factor when the file states the rotated width another way.
 */
export function ropeOf(cfg: Config, thetaDefault: number, localTheta?: number, partial?: number): ModelSpec['rope'] {
  const params = cfg.raw.rope_parameters
  if (params !== undefined && params !== null) {
    if (typeof params !== 'object' || Array.isArray(params)) throw new UserError(`${cfg.where}: "rope_parameters" must be an object`)
    const p = params as Json
    const perType = typeof p.full_attention === 'object' && p.full_attention !== null
    const main = new Config((perType ? p.full_attention : p) as Json, `${cfg.where}.rope_parameters`)
    const type = main.str('rope_type', 'default')
    const rope: ModelSpec['rope'] = {
      theta: main.num('rope_theta', cfg.num('rope_theta', thetaDefault)),
      scaling: type === 'default' ? null : type,
      partialRotaryFactor: partial ?? main.num('partial_rotary_factor', cfg.num('partial_rotary_factor', 1)),
    }
    if (main.has('factor')) rope.scalingFactor = main.num('factor')
    const local = perType && typeof p.sliding_attention === 'object' && p.sliding_attention !== null ? new Config(p.sliding_attention as Json, `${cfg.where}.rope_parameters.sliding_attention`) : undefined
    const localBase = local?.has('rope_theta') ? local.num('rope_theta') : localTheta
    if (localBase !== undefined) rope.localTheta = localBase
    return rope
  }
  const scaling = cfg.raw.rope_scaling as Json | null | undefined
  const type = scaling ? ((scaling.rope_type ?? scaling.type) as string | undefined) ?? null : null
  const factor = scaling && typeof scaling.factor === 'number' ? scaling.factor : undefined
  const rope: ModelSpec['rope'] = {theta: cfg.num('rope_theta', thetaDefault), scaling: type, partialRotaryFactor: partial ?? cfg.num('partial_rotary_factor', 1)}
  if (factor !== undefined) rope.scalingFactor = factor
  if (localTheta !== undefined) rope.localTheta = localTheta
  return rope
}

function gqaKind(heads: number, kvHeads: number): 'mha' | 'gqa' | 'mqa' {
  return kvHeads === heads ? 'mha' : kvHeads === 1 ? 'mqa' : 'gqa'
}

export interface AttentionOptions {
  headDimDefault?: number
  biasKey?: string
  biasDefault?: boolean
  outputBias?: boolean
  qkNorm?: ModelSpec['attention']['qkNorm']
  sinks?: boolean
  outputGate?: boolean
  kvHeadsDefault?: number
}

export function standardAttention(cfg: Config, o: AttentionOptions = {}): ModelSpec['attention'] {
  const heads = cfg.int('num_attention_heads')
  const kvHeads = cfg.has('num_key_value_heads') ? cfg.int('num_key_value_heads') : o.kvHeadsDefault ?? heads
  const hidden = cfg.int('hidden_size')
  const headDim = cfg.has('head_dim') ? cfg.int('head_dim') : o.headDimDefault ?? hidden / heads
  if (!Number.isInteger(headDim)) throw new UserError(`${cfg.where}: no head_dim, and hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`)
  const bias = o.biasKey === undefined ? false : cfg.bool(o.biasKey, o.biasDefault ?? false)
  return {
    kind: gqaKind(heads, kvHeads),
    heads,
    kvHeads,
    headDim,
    valueHeadDim: headDim,
    qkvBias: bias,
    outputBias: o.outputBias ?? bias,
    qkNorm: o.qkNorm ?? 'none',
    sinks: o.sinks ?? false,
    outputGate: o.outputGate ?? false,
  }
}

export function rmsNorms(placement: ModelSpec['norms']['placement'], perLayer: number): ModelSpec['norms'] {
  return {kind: 'rmsnorm', bias: false, placement, perLayer, final: true}
}

export function gatedFfn(cfg: Config, activationKey = 'hidden_act', activationDefault = 'silu', bias = false): ModelSpec['ffn'] {
  return {gated: true, activation: cfg.str(activationKey, activationDefault), intermediateSize: cfg.int('intermediate_size'), bias}
}

/** Token embeddings without learned positions or per-layer tables. */
export function tokenEmbeddings(cfg: Config, tiedDefault = false, vocabDefault?: number): ModelSpec['embeddings'] {
  return {vocabSize: cfg.int('vocab_size', vocabDefault), tied: cfg.bool('tie_word_embeddings', tiedDefault), learnedPositions: 0, perLayer: null}
}

type Moe = NonNullable<ModelSpec['moe']>

/** A MoE block; what `o` leaves out (shared experts, gate, biases) is absent. */
export function moeBlock(routedExperts: number, topK: number, expertIntermediateSize: number, o: Partial<Omit<Moe, 'routedExperts' | 'topK' | 'expertIntermediateSize'>> = {}): Moe {
  return {
    routedExperts,
    topK,
    expertIntermediateSize,
    sharedExperts: o.sharedExperts ?? 0,
    sharedIntermediateSize: o.sharedIntermediateSize ?? 0,
    sharedExpertGate: o.sharedExpertGate ?? false,
    routerBias: o.routerBias ?? false,
    routerScoreCorrectionBias: o.routerScoreCorrectionBias ?? false,
    expertBias: o.expertBias ?? false,
  }
}

/** DeepSeek-V3-style MoE: `shared` shared experts as wide as the routed ones, no gate. */
export function sharedExpertsMoe(routedExperts: number, topK: number, width: number, shared: number, routerScoreCorrectionBias: boolean): Moe {
  return moeBlock(routedExperts, topK, width, {sharedExperts: shared, sharedIntermediateSize: shared * width, routerScoreCorrectionBias})
}

/** Per-component checkpoint formats: torch_dtype, except what quantization_config quantizes. */
function checkpointWeights(dtype: Dtype, outer: Config | undefined, cfg: Config): ModelSpec['checkpointWeights'] {
  const formats = {embeddings: dtype, linear: dtype, experts: dtype, unquantized: dtype}
  const q = (outer?.has('quantization_config') ? outer : cfg).sub('quantization_config')
  const method = q.str('quant_method', '')
  if (method === 'fp8') {
    // DeepSeek-V3/Kimi K2 FP8 (e4m3, 128x128 block scales): every Linear but lm_head and the router gate.
    formats.linear = 'fp8'
    formats.experts = 'fp8'
  } else if (method === 'mxfp4') {
    // gpt-oss: modules_to_not_convert = self_attn, router, embed_tokens, lm_head -> only experts are MXFP4.
    formats.experts = 'mxfp4'
  } else if (method) {
    throw new UserError(`${q.where}: quant_method "${method}" is not supported (supported: fp8, mxfp4)`)
  }
  return formats
}

/** The fields every spec starts with; `dims` for files that name hidden size and layers otherwise (GPT-2). */
export function base(cfg: Config, o: ImportOptions, family: string, modelType: string, outer?: Config, dims?: {hidden: number; layers: number; dtype?: string}) {
  const dtype = dtypeOf(cfg, outer, dims?.dtype)
  return {
    $schema: '../../schemas/model.schema.json',
    id: o.id,
    name: o.name ?? o.id,
    family,
    source: {hfRepo: o.hfRepo ?? o.id, modelType, config: o.configPath ?? `${o.id}.json`},
    dtype,
    checkpointWeights: checkpointWeights(dtype, outer, cfg),
    hiddenSize: dims?.hidden ?? cfg.int('hidden_size'),
    layers: dims?.layers ?? cfg.int('num_hidden_layers'),
    mtpLayers: 0,
    encoders: [],
  }
}
