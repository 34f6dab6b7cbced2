// Hugging Face config.json -> archcost model spec. Keys a file leaves out take the default of the
// transformers configuration class of its model_type (configuration_<type>.py); each default below names it.
import {UserError} from '../errors.js'
import type {Dtype, ModelSpec} from '../schema/model.js'
import {encodersFromHfConfig} from './encoders.js'
import {auditConfigKeys, wrapperTextTypes} from './keys.js'
import {groupLayers, type LayerSpec} from './layers.js'

type Json = Record<string, unknown>

export interface ImportOptions {
  id: string
  name?: string
  hfRepo?: string
  configPath?: string
}

/**
 * A config object with typed, default-aware getters that name the key when it is wrong. A value is taken from the
 * file, else from `defaults` (the configuration class's own defaults for that model_type), else from the getter's
 * fallback.
 */
class Config {
  constructor(
    readonly raw: Json,
    readonly where: string,
    readonly defaults: Json = {},
  ) {}

  private value(key: string, fallback: unknown): unknown {
    return this.raw[key] ?? this.defaults[key] ?? fallback
  }

  has(key: string): boolean {
    return (this.raw[key] !== undefined && this.raw[key] !== null) || (this.raw[key] === undefined && this.defaults[key] !== undefined && this.defaults[key] !== null)
  }

  /** The first of several alias keys (a class's attribute_map) that the file gives, else the first. */
  pick(...keys: string[]): string {
    return keys.find((key) => this.raw[key] !== undefined && this.raw[key] !== null) ?? keys[0]!
  }

  int(key: string, fallback?: number): number {
    const value = this.value(key, fallback)
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw new UserError(`${this.where}: "${key}" must be a non-negative integer, found ${JSON.stringify(value)}`)
    return value
  }

  num(key: string, fallback?: number): number {
    const value = this.value(key, fallback)
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`${this.where}: "${key}" must be a number, found ${JSON.stringify(value)}`)
    return value
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.value(key, fallback)
    if (typeof value !== 'boolean') throw new UserError(`${this.where}: "${key}" must be true or false, found ${JSON.stringify(value)}`)
    return value
  }

  str(key: string, fallback: string): string {
    const value = this.value(key, fallback)
    if (typeof value !== 'string') throw new UserError(`${this.where}: "${key}" must be a string, found ${JSON.stringify(value)}`)
    return value
  }

  intOrNull(key: string, fallback: number | null): number | null {
    if (this.raw[key] === null) return null
    if (this.raw[key] === undefined) {
      const d = this.defaults[key]
      if (d === null) return null
      if (d === undefined) return fallback
    }
    return this.int(key)
  }

  intList(key: string, fallback: number[]): number[] {
    const value = this.value(key, fallback)
    if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v)))
      throw new UserError(`${this.where}: "${key}" must be a list of integers, found ${JSON.stringify(value)}`)
    return value as number[]
  }

  strList(key: string): string[] | undefined {
    const value = this.raw[key]
    if (value === undefined || value === null) return undefined
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      throw new UserError(`${this.where}: "${key}" must be a list of strings, found ${JSON.stringify(value)}`)
    return value as string[]
  }

  sub(key: string): Config {
    const value = this.raw[key]
    if (value === undefined || value === null) return new Config({}, `${this.where}.${key}`)
    if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${this.where}: "${key}" must be an object`)
    return new Config(value as Json, `${this.where}.${key}`)
  }

  /** The same file seen with a configuration class's defaults. */
  withDefaults(defaults: Json): Config {
    return new Config(this.raw, this.where, defaults)
  }
}

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
function ropeOf(cfg: Config, thetaDefault: number, localTheta?: number, partial?: number): ModelSpec['rope'] {
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

interface AttentionOptions {
  headDimDefault?: number
  biasKey?: string
  biasDefault?: boolean
  outputBias?: boolean
  qkNorm?: ModelSpec['attention']['qkNorm']
  sinks?: boolean
  outputGate?: boolean
  kvHeadsDefault?: number
}

function standardAttention(cfg: Config, o: AttentionOptions = {}): ModelSpec['attention'] {
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

function rmsNorms(placement: ModelSpec['norms']['placement'], perLayer: number): ModelSpec['norms'] {
  return {kind: 'rmsnorm', bias: false, placement, perLayer, final: true}
}

function gatedFfn(cfg: Config, activationKey = 'hidden_act', activationDefault = 'silu', bias = false): ModelSpec['ffn'] {
  return {gated: true, activation: cfg.str(activationKey, activationDefault), intermediateSize: cfg.int('intermediate_size'), bias}
}

/** Per-layer attention kind from a transformers `layer_types` list. */
function mixerOf(layerType: string, where: string): 'full' | 'sliding' | 'chunked' | 'linear' {
  switch (layerType) {
    case 'full_attention':
      return 'full'
    case 'sliding_attention':
      return 'sliding'
    case 'chunked_attention':
      return 'chunked'
    case 'linear_attention':
      return 'linear'
    default:
      throw new UserError(`${where}: layer type "${layerType}" is not supported (expected full_attention, sliding_attention, chunked_attention or linear_attention)`)
  }
}

function layerTypesOf(cfg: Config, layers: number, fallback: (i: number) => string): string[] {
  const given = cfg.strList('layer_types')
  if (given && given.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${given.length} entries for ${layers} layers`)
  return given ?? Array.from({length: layers}, (_, i) => fallback(i))
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

function base(cfg: Config, o: ImportOptions, family: string, modelType: string, outer?: Config, dims?: {hidden: number; layers: number; dtype?: string}) {
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

// LlamaConfig / MistralConfig / Olmo2Config / SmolLM3Config / Qwen3Config share this shape.
function llamaLike(
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
    ffnBias?: boolean
    rope?: (i: number) => boolean
    sliding?: (i: number) => number | undefined
    outer?: Config
  },
): ModelSpec {
  const layers = cfg.int('num_hidden_layers')
  const perLayer: LayerSpec[] = Array.from({length: layers}, (_, i) => {
    const window = opts.sliding?.(i)
    return window === undefined ? {mixer: 'full', rope: opts.rope?.(i) ?? true, ffn: 'dense'} : {mixer: 'sliding', windowTokens: window, rope: opts.rope?.(i) ?? true, ffn: 'dense'}
  })
  return {
    ...base(cfg, o, family, opts.modelType, opts.outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', opts.tiedDefault), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {headDimDefault: opts.headDimDefault, biasKey: 'attention_bias', ...opts.attention}),
    ffn: gatedFfn(cfg, 'hidden_act', 'silu', opts.ffnBias ?? false),
    norms: opts.norms ?? rmsNorms('pre', 2),
    rope: ropeOf(cfg, opts.thetaDefault),
    layerGroups: groupLayers(perLayer),
  }
}

// Class defaults of configuration classes whose importers read them through Config.withDefaults.
// MistralConfig (configuration_mistral.py): Mistral-7B-v0.1 shape, 8 KV heads, 4096*32 positions.
const mistralDefaults: Json = {vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 131072}
// Qwen2Config
const qwen2Defaults: Json = {vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 32768}
// Qwen2MoeConfig (Qwen1.5-MoE-A2.7B shape)
const qwen2MoeDefaults: Json = {vocab_size: 151936, hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 24, num_attention_heads: 16, num_key_value_heads: 16, max_position_embeddings: 32768}

const importers: Record<string, (cfg: Config, o: ImportOptions, outer: Config) => ModelSpec> = {
  // LlamaConfig: tie_word_embeddings False, rope_theta 10000, mlp_bias False, head_dim = hidden/heads.
  llama: (cfg, o) => llamaLike(cfg, o, 'llama3', {modelType: 'llama', tiedDefault: false, thetaDefault: 10000, ffnBias: cfg.bool('mlp_bias', false)}),
  // MistralConfig: sliding_window 4096 unless null (Mistral Small 3.x sets null), no biases, 8 KV heads.
  mistral: (raw, o, outer) => {
    const cfg = raw.withDefaults(mistralDefaults)
    const window = cfg.intOrNull('sliding_window', 4096)
    return llamaLike(cfg, o, 'mistral', {modelType: 'mistral', tiedDefault: false, thetaDefault: 10000, sliding: window === null ? undefined : () => window, attention: {biasKey: undefined}, outer})
  },
  // Qwen2Config: q/k/v with bias, o_proj without (Qwen2Attention); sliding on layers >= max_window_layers if use_sliding_window.
  qwen2: (raw, o) => {
    const cfg = raw.withDefaults(qwen2Defaults)
    const spec = llamaLike(cfg, o, 'qwen2', {modelType: 'qwen2', tiedDefault: false, thetaDefault: 10000, sliding: qwenSliding(cfg)})
    spec.attention = {...spec.attention, qkvBias: true, outputBias: false}
    return spec
  },
  qwen2_moe: (cfg, o) => qwen2Moe(cfg.withDefaults(qwen2MoeDefaults), o),
  // Qwen3Config: head_dim 128, attention_bias False, QK-norm per head; sliding only if use_sliding_window.
  qwen3: (cfg, o) => llamaLike(cfg, o, 'qwen3', {modelType: 'qwen3', tiedDefault: false, thetaDefault: 10000, headDimDefault: 128, attention: {qkNorm: 'per-head'}, sliding: qwenSliding(cfg)}),
  qwen3_moe: (cfg, o) => qwen3Moe(cfg, o),
  qwen3_next: (cfg, o) => qwen3Next(cfg, o),
  // Olmo2Config: post-norms inside the residual, QK-norm across all heads, tie False.
  olmo2: (cfg, o) =>
    llamaLike(cfg, o, 'olmo2', {modelType: 'olmo2', tiedDefault: false, thetaDefault: 10000, attention: {qkNorm: 'across-heads'}, norms: rmsNorms('post', 2)}),
  // SmolLM3Config: no_rope_layers[i] = 1 means the layer uses RoPE; default every no_rope_layer_interval-th (4th) is NoPE.
  smollm3: (cfg, o) => {
    const layers = cfg.int('num_hidden_layers')
    const interval = cfg.int('no_rope_layer_interval', 4)
    const useRope = cfg.intList('no_rope_layers', Array.from({length: layers}, (_, i) => Number((i + 1) % interval !== 0)))
    return llamaLike(cfg, o, 'smollm3', {modelType: 'smollm3', tiedDefault: true, thetaDefault: 2000000, ffnBias: cfg.bool('mlp_bias', false), rope: (i) => useRope[i] === 1, sliding: qwenSliding(cfg)})
  },
  gemma2: (cfg, o) => gemma(cfg, o, 'gemma2', cfg),
  gemma3_text: (cfg, o, outer) => gemma(cfg, o, 'gemma3', outer),
  gpt_oss: (cfg, o) => gptOss(cfg, o),
  mixtral: (cfg, o) => mixtral(cfg, o),
  deepseek_v2: (cfg, o) => deepseekV3(cfg, o, 'deepseek-v2', 'deepseek_v2', deepseekV2Defaults),
  deepseek_v3: (cfg, o) => deepseekV3(cfg, o, 'deepseek', 'deepseek_v3', deepseekV3Defaults),
  deepseek_v32: (cfg, o) => deepseekV3(cfg, o, 'deepseek', 'deepseek_v32', deepseekV3Defaults),
  kimi_k2: (cfg, o) => deepseekV3(cfg, o, 'kimi-k2', 'kimi_k2', deepseekV3Defaults),
  kimi_linear: (cfg, o) => kimiLinear(cfg, o),
  glm4_moe: (cfg, o) => glm4Moe(cfg, o),
  minimax_m2: (cfg, o) => minimaxM2(cfg, o),
  gpt2: (cfg, o) => gpt2(cfg, o),
  llama4_text: (cfg, o, outer) => llama4(cfg, o, outer),
  gemma3n_text: (cfg, o, outer) => gemma3n(cfg, o, outer),
}

export const supportedModelTypes = [...Object.keys(importers), ...Object.keys(wrapperTextTypes)].sort()

/**
 * Sliding window of Qwen2/Qwen3/SmolLM3-style configs: the layer_types list when the file has one, else sliding
 * only when use_sliding_window, on layers >= max_window_layers (Qwen2Config.__post_init__).
 */
function qwenSliding(cfg: Config): ((i: number) => number | undefined) | undefined {
  const layers = cfg.int('num_hidden_layers')
  const types = cfg.strList('layer_types')
  const useWindow = cfg.bool('use_sliding_window', false)
  if (types) {
    if (types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
    const mixers = types.map((t) => mixerOf(t, cfg.where))
    if (mixers.some((m) => m !== 'full' && m !== 'sliding')) throw new UserError(`${cfg.where}: layer_types may hold only full_attention and sliding_attention for this model_type`)
    if (!mixers.includes('sliding')) return undefined
    const window = cfg.intOrNull('sliding_window', 4096)
    if (window === null) throw new UserError(`${cfg.where}: layer_types has sliding_attention layers but sliding_window is null`)
    return (i) => (mixers[i] === 'sliding' ? window : undefined)
  }
  if (!useWindow) return undefined
  const window = cfg.intOrNull('sliding_window', 4096)
  const maxWindowLayers = cfg.int('max_window_layers', 28)
  return window === null ? undefined : (i) => (i >= maxWindowLayers ? window : undefined)
}

export interface ImportReport {
  spec: ModelSpec
  /** Config keys the importer read (text_config keys as "text_config.<key>"). */
  used: string[]
  /** Config keys known to change no parameter, KV entry or FLOP. */
  ignored: string[]
}

/** PretrainedConfig keys that would add or remove weights: refused unless empty/false. */
function refuseWeightEditors(cfg: Config): void {
  const pruned = cfg.raw.pruned_heads
  if (pruned !== undefined && pruned !== null && (typeof pruned !== 'object' || Object.keys(pruned).length > 0))
    throw new UserError(`${cfg.where}: "pruned_heads" removes attention heads, which archcost does not model; import the unpruned config`)
  if (cfg.bool('add_cross_attention', false)) throw new UserError(`${cfg.where}: "add_cross_attention" adds cross-attention layers, which archcost does not model`)
}

/** Imports a config.json and says which of its keys were read and which were set aside as cost-free. */
export function importHfConfigReport(raw: unknown, o: ImportOptions): ImportReport {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${o.configPath ?? o.id}: a config.json must hold a JSON object`)
  const outer = new Config(raw as Json, o.configPath ?? o.id)
  const modelType = outer.str('model_type', '')
  if (!modelType) throw new UserError(`${outer.where}: no "model_type" key; is this a Hugging Face config.json?`)
  const textType = wrapperTextTypes[modelType]
  const cfg = textType ? outer.sub('text_config') : outer
  const type = textType ? cfg.str('model_type', textType) : modelType
  const importer = importers[type]
  if (!importer) throw new UserError(`${outer.where}: model_type "${type}" is not supported; supported: ${supportedModelTypes.join(', ')}`)
  const audit = auditConfigKeys(raw as Json, modelType)
  if (audit.unknown.length) {
    const keys = audit.unknown.map((k) => `"${k}"`).join(', ')
    throw new UserError(
      `${outer.where}: ${audit.unknown.length === 1 ? 'key' : 'keys'} ${keys} of model_type "${type}" ${audit.unknown.length === 1 ? 'is' : 'are'} unknown to the importer, which does not know whether ${audit.unknown.length === 1 ? 'it changes' : 'they change'} the parameter count, KV cache or FLOPs; remove ${audit.unknown.length === 1 ? 'it' : 'them'} if not`,
    )
  }
  refuseWeightEditors(outer)
  if (cfg !== outer) refuseWeightEditors(cfg)
  const spec = importer(cfg, o, outer)
  spec.source.modelType = modelType
  const imported = encodersFromHfConfig(outer, modelType)
  spec.encoders = imported.encoders
  if (imported.notes.length) spec.notes = [...(spec.notes ?? []), ...imported.notes]
  return {spec, used: audit.used, ignored: audit.ignored}
}

export function importHfConfig(raw: unknown, o: ImportOptions): ModelSpec {
  return importHfConfigReport(raw, o).spec
}

/** Qwen2/Qwen3 MoE configs: a layer is MoE unless in mlp_only_layers or off the decoder_sparse_step (1 by default). */
function qwenMoeLayers(cfg: Config, experts: number): (i: number) => boolean {
  const step = cfg.int('decoder_sparse_step', 1)
  const mlpOnly = new Set(cfg.intList('mlp_only_layers', []))
  return (i) => !mlpOnly.has(i) && experts > 0 && (i + 1) % step === 0
}

/** Qwen2-MoE / Qwen3-Next MoE block: routed experts plus at most one shared expert behind a sigmoid gate. */
function qwenMoeBlock(cfg: Config, experts: number, shared: number, topKDefault: number, expertWidthDefault: number): NonNullable<ModelSpec['moe']> {
  return {
    routedExperts: experts,
    topK: cfg.int('num_experts_per_tok', topKDefault),
    expertIntermediateSize: cfg.int('moe_intermediate_size', expertWidthDefault),
    sharedExperts: shared > 0 ? 1 : 0,
    sharedIntermediateSize: shared,
    sharedExpertGate: shared > 0,
    routerBias: false,
    routerScoreCorrectionBias: false,
    expertBias: false,
  }
}

function qwen3Moe(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen3MoeConfig: decoder_sparse_step 1, mlp_only_layers [], 128 experts, top-8, moe_intermediate_size 768, no shared expert.
  const layers = cfg.int('num_hidden_layers')
  const experts = cfg.int('num_experts', 128)
  const isMoe = qwenMoeLayers(cfg, experts)
  const sliding = qwenSliding(cfg)
  const perLayer: LayerSpec[] = Array.from({length: layers}, (_, i) => {
    const window = sliding?.(i)
    return {mixer: window === undefined ? 'full' : 'sliding', ...(window === undefined ? {} : {windowTokens: window}), rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}
  })
  return {
    ...base(cfg, o, 'qwen3', 'qwen3_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {headDimDefault: 128, biasKey: 'attention_bias', qkNorm: 'per-head'}),
    ffn: gatedFfn(cfg),
    moe: {
      routedExperts: experts,
      topK: cfg.int('num_experts_per_tok', 8),
      expertIntermediateSize: cfg.int('moe_intermediate_size', 768),
      sharedExperts: 0,
      sharedIntermediateSize: 0,
      sharedExpertGate: false,
      routerBias: false,
      routerScoreCorrectionBias: false,
      expertBias: false,
    },
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

function qwen3Next(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen3NextConfig: layer_types default: every full_attention_interval-th layer (4) is full attention, the rest
  // Gated DeltaNet; MoE layers as Qwen3-MoE; one gated shared expert; gated attention output; partial RoPE.
  const layers = cfg.int('num_hidden_layers')
  if (cfg.bool('use_sliding_window', false)) throw new UserError(`${cfg.where}: "use_sliding_window": true is not a Qwen3-Next layout archcost models`)
  const interval = cfg.int('full_attention_interval', 4)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % interval === 0 ? 'full_attention' : 'linear_attention'))
  const experts = cfg.int('num_experts', 512)
  const isMoe = qwenMoeLayers(cfg, experts)
  const perLayer: LayerSpec[] = types.map((t, i) => ({
    mixer: mixerOf(t, cfg.where),
    rope: mixerOf(t, cfg.where) !== 'linear',
    ffn: isMoe(i) ? 'moe' : 'dense',
  }))
  const shared = cfg.int('shared_expert_intermediate_size', 512)
  return {
    ...base(cfg, o, 'qwen3-next', 'qwen3_next'),
    // The checkpoint ships mtp.* weights that transformers skips on load; vLLM's Qwen3NextMTP builds
    // num_nextn_predict_layers of them, 1 when the key is absent (qwen3_next_mtp.py).
    mtpLayers: cfg.int('num_nextn_predict_layers', 1),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: 'per-head', outputGate: true}),
    linearAttention: {
      kind: 'gated-deltanet',
      keyHeads: cfg.int('linear_num_key_heads', 16),
      valueHeads: cfg.int('linear_num_value_heads', 32),
      keyHeadDim: cfg.int('linear_key_head_dim', 128),
      valueHeadDim: cfg.int('linear_value_head_dim', 128),
      convKernel: cfg.int('linear_conv_kernel_dim', 4),
    },
    ffn: gatedFfn(cfg),
    moe: qwenMoeBlock(cfg, experts, shared, 10, 512),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

function gemma(cfg: Config, o: ImportOptions, family: 'gemma2' | 'gemma3', outer: Config): ModelSpec {
  // Gemma2Config: every other layer sliding (layer 0 first), window 4096, tie True, head_dim 256.
  // Gemma3TextConfig: sliding unless (i+1) % sliding_window_pattern (6) == 0, window 4096, vocab 262208, QK-norm.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 4096)
  const pattern = family === 'gemma2' ? 2 : cfg.int('sliding_window_pattern', 6)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % pattern !== 0 ? 'sliding_attention' : 'full_attention'))
  const perLayer: LayerSpec[] = types.map((t) => {
    const mixer = mixerOf(t, cfg.where)
    return mixer === 'sliding' ? {mixer, windowTokens: window, rope: true, ffn: 'dense'} : {mixer, rope: true, ffn: 'dense'}
  })
  return {
    ...base(cfg, o, family, family === 'gemma2' ? 'gemma2' : 'gemma3_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size', family === 'gemma3' ? 262208 : 256000), tied: cfg.bool('tie_word_embeddings', true), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: family === 'gemma3' ? 'per-head' : 'none'}),
    ffn: gatedFfn(cfg, 'hidden_activation', 'gelu_pytorch_tanh'),
    norms: rmsNorms('sandwich', 4),
    rope: ropeOf(cfg, 10000, family === 'gemma3' ? cfg.num('rope_local_base_freq', 10000) : undefined),
    layerGroups: groupLayers(perLayer),
  }
}

function gptOss(cfg: Config, o: ImportOptions): ModelSpec {
  // GptOssConfig: attention_bias True, sinks per head, alternating sliding (128) / full, router and experts with bias.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 128)
  // The original checkpoint names top-k experts_per_token; GptOssConfig reads num_experts_per_tok.
  if (cfg.has('experts_per_token') && cfg.has('num_experts_per_tok') && cfg.int('experts_per_token') !== cfg.int('num_experts_per_tok'))
    throw new UserError(`${cfg.where}: experts_per_token (${cfg.int('experts_per_token')}) and num_experts_per_tok (${cfg.int('num_experts_per_tok')}) disagree`)
  const types = layerTypesOf(cfg, layers, (i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention'))
  const perLayer: LayerSpec[] = types.map((t) => {
    const mixer = mixerOf(t, cfg.where)
    return mixer === 'sliding' ? {mixer, windowTokens: window, rope: true, ffn: 'moe'} : {mixer, rope: true, ffn: 'moe'}
  })
  return {
    ...base(cfg, o, 'gpt-oss', 'gpt_oss'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {headDimDefault: 64, biasKey: 'attention_bias', biasDefault: true, sinks: true}),
    ffn: gatedFfn(cfg, 'hidden_act', 'silu', false),
    moe: {
      routedExperts: cfg.int('num_local_experts'),
      topK: cfg.int('num_experts_per_tok'),
      expertIntermediateSize: cfg.int('intermediate_size'),
      sharedExperts: 0,
      sharedIntermediateSize: 0,
      sharedExpertGate: false,
      routerBias: true,
      routerScoreCorrectionBias: false,
      expertBias: true,
    },
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 150000),
    layerGroups: groupLayers(perLayer),
  }
}

function mixtral(cfg: Config, o: ImportOptions): ModelSpec {
  // MixtralConfig: 8 experts, top-2, sliding_window None, no biases, router without bias.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.intOrNull('sliding_window', null)
  const perLayer: LayerSpec[] = Array.from({length: layers}, () => (window === null ? {mixer: 'full', rope: true, ffn: 'moe'} : {mixer: 'sliding', windowTokens: window, rope: true, ffn: 'moe'}))
  return {
    ...base(cfg, o, 'mixtral', 'mixtral'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {kvHeadsDefault: 8}),
    ffn: gatedFfn(cfg),
    moe: {
      routedExperts: cfg.int('num_local_experts', 8),
      topK: cfg.int('num_experts_per_tok', 2),
      expertIntermediateSize: cfg.int('intermediate_size'),
      sharedExperts: 0,
      sharedIntermediateSize: 0,
      sharedExpertGate: false,
      routerBias: false,
      routerScoreCorrectionBias: false,
      expertBias: false,
    },
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 1e6),
    layerGroups: groupLayers(perLayer),
  }
}

interface DeepseekDefaults {
  /** Configuration-class defaults the file may leave out. */
  class: Json
  firstDense: number
  routed: number
  shared: number
  moeWidth: number
  qLoraRank: number | null
  topK: number | null
  topkMethod: string
}
// DeepseekV3Config (also DeepseekV32Config and Kimi K2's remote-code copy): 3 dense layers, 256 routed + 1 shared, top-8.
const deepseekV3Defaults: DeepseekDefaults = {
  class: {vocab_size: 129280, hidden_size: 7168, intermediate_size: 18432, num_hidden_layers: 61, num_attention_heads: 128, max_position_embeddings: 163840},
  firstDense: 3,
  routed: 256,
  shared: 1,
  moeWidth: 2048,
  qLoraRank: 1536,
  topK: 8,
  topkMethod: 'noaux_tc',
}
// DeepseekV2Config (configuration_deepseek_v2.py): no dense layers, 64 routed + 2 shared of 1407, greedy top-k without
// a correction bias, num_experts_per_tok None (so a MoE file must give it).
const deepseekV2Defaults: DeepseekDefaults = {
  class: {vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048},
  firstDense: 0,
  routed: 64,
  shared: 2,
  moeWidth: 1407,
  qLoraRank: 1536,
  topK: null,
  topkMethod: 'greedy',
}

function deepseekV3(raw: Config, o: ImportOptions, family: string, modelType: string, d: DeepseekDefaults): ModelSpec {
  // DeepseekV3Config: MLA, first_k_dense_replace dense layers then MoE every moe_layer_freq, shared experts
  // n_shared_experts x moe_intermediate_size, noaux_tc router with e_score_correction_bias.
  const cfg = raw.withDefaults(d.class)
  const layers = cfg.int('num_hidden_layers')
  const firstDense = cfg.int('first_k_dense_replace', d.firstDense)
  const freq = cfg.int('moe_layer_freq', 1)
  const routed = cfg.intOrNull('n_routed_experts', d.routed)
  const mlpTypes = cfg.strList('mlp_layer_types')
  if (mlpTypes && mlpTypes.length !== layers) throw new UserError(`${cfg.where}: mlp_layer_types has ${mlpTypes.length} entries for ${layers} layers`)
  if (mlpTypes?.some((t) => t !== 'dense' && t !== 'sparse')) throw new UserError(`${cfg.where}: mlp_layer_types may hold only "dense" and "sparse"`)
  const isMoe = (i: number) => routed !== null && (mlpTypes ? mlpTypes[i] === 'sparse' : i >= firstDense && i % freq === 0)
  const attentionTypes = cfg.strList('layer_types')
  if (attentionTypes?.some((t) => t !== 'deepseek_sparse_attention' && t !== 'full_attention'))
    throw new UserError(`${cfg.where}: layer_types may hold only deepseek_sparse_attention or full_attention for ${modelType}`)
  if (cfg.bool('mlp_bias', false)) throw new UserError(`${cfg.where}: "mlp_bias": true (biases on the MLPs) is not modelled for ${modelType}`)
  const heads = cfg.int('num_attention_heads')
  const nope = cfg.int('qk_nope_head_dim', 128)
  const ropeDim = cfg.int('qk_rope_head_dim', 64)
  const vDim = cfg.int('v_head_dim', 128)
  const bias = cfg.bool('attention_bias', false)
  const shared = cfg.intOrNull('n_shared_experts', d.shared) ?? 0
  const moeWidth = cfg.int('moe_intermediate_size', d.moeWidth)
  const qLoraRank = cfg.intOrNull('q_lora_rank', d.qLoraRank)
  const topK = routed === null ? 0 : d.topK === null ? cfg.int('num_experts_per_tok') : cfg.int('num_experts_per_tok', d.topK)
  const attention: ModelSpec['attention'] = {
    kind: 'mla',
    heads,
    kvHeads: heads,
    headDim: nope + ropeDim,
    valueHeadDim: vDim,
    qkvBias: bias,
    outputBias: bias,
    qkNorm: 'none',
    sinks: false,
    outputGate: false,
    mla: {qLoraRank, kvLoraRank: cfg.int('kv_lora_rank', 512), qkNopeHeadDim: nope, qkRopeHeadDim: ropeDim, vHeadDim: vDim},
  }
  const notes: string[] = []
  if (modelType === 'deepseek_v32') {
    // DeepseekV32Config: index_n_heads 64, index_head_dim 128, index_topk 2048; the indexer reads the q_a latent.
    if (qLoraRank === null) throw new UserError(`${cfg.where}: deepseek_v32's indexer projects the query latent, so q_lora_rank cannot be null`)
    attention.indexer = {heads: cfg.int('index_n_heads', 64), headDim: cfg.int('index_head_dim', 128), topK: cfg.int('index_topk', 2048)}
    notes.push(
      `DeepSeek Sparse Attention: the lightning indexer's weights are counted (under "other", its k_norm under norms), but kv and flops treat attention as dense MLA: the indexer's own key cache (index_head_dim ${attention.indexer.headDim} per token per layer) and the top-${attention.indexer.topK} key selection are not modelled`,
    )
  }
  const spec: ModelSpec = {
    ...base(cfg, o, family, modelType),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention,
    ffn: gatedFfn(cfg),
    ...(routed === null
      ? {}
      : {
          moe: {
            routedExperts: routed,
            topK,
            expertIntermediateSize: moeWidth,
            sharedExperts: shared,
            sharedIntermediateSize: shared * moeWidth,
            sharedExpertGate: false,
            routerBias: false,
            routerScoreCorrectionBias: cfg.str('topk_method', d.topkMethod) === 'noaux_tc',
            expertBias: false,
          },
        }),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}))),
    mtpLayers: cfg.int('num_nextn_predict_layers', 0),
  }
  if (notes.length) spec.notes = notes
  return spec
}

function qwen2Moe(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen2MoeConfig (@ 008e5743): 60 experts of 1408, top-4, one shared expert of 5632 behind a sigmoid gate
  // (shared_expert_gate Linear(h, 1)), MoE unless in mlp_only_layers or off the decoder_sparse_step, q/k/v bias
  // (qkv_bias True), o_proj without; default layer_types: sliding on odd-numbered layers below max_window_layers
  // when use_sliding_window.
  const layers = cfg.int('num_hidden_layers')
  const experts = cfg.int('num_experts', 60)
  const isMoe = qwenMoeLayers(cfg, experts)
  const useWindow = cfg.bool('use_sliding_window', false)
  const maxWindowLayers = cfg.int('max_window_layers', 28)
  const types = layerTypesOf(cfg, layers, (i) => (useWindow && (i + 1) % 2 === 1 && i < maxWindowLayers ? 'sliding_attention' : 'full_attention'))
  const window = types.includes('sliding_attention') ? cfg.int('sliding_window', 4096) : undefined
  const perLayer: LayerSpec[] = types.map((t, i) => {
    const mixer = mixerOf(t, cfg.where)
    if (mixer !== 'full' && mixer !== 'sliding') throw new UserError(`${cfg.where}: layer type "${t}" is not a qwen2_moe layer type`)
    return mixer === 'sliding' ? {mixer, windowTokens: window, rope: true, ffn: isMoe(i) ? 'moe' : 'dense'} : {mixer, rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}
  })
  const shared = cfg.int('shared_expert_intermediate_size', 5632)
  const qkvBias = cfg.bool('qkv_bias', true)
  return {
    ...base(cfg, o, 'qwen2-moe', 'qwen2_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: {...standardAttention(cfg), qkvBias, outputBias: false},
    ffn: gatedFfn(cfg),
    moe: qwenMoeBlock(cfg, experts, shared, 4, 1408),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

// Glm4MoeConfig (configuration_glm4_moe.py @ c7ec229a): GLM-4-100B-A10B-like defaults, half of each head rotated.
const glm4MoeDefaults: Json = {vocab_size: 151552, hidden_size: 4096, intermediate_size: 10944, num_hidden_layers: 46, num_attention_heads: 96, num_key_value_heads: 8, max_position_embeddings: 131072, partial_rotary_factor: 0.5}

function glm4Moe(raw: Config, o: ImportOptions): ModelSpec {
  // Glm4MoeAttention (modular_glm4_moe.py @ 0e97420c): q/k/v bias = attention_bias, o_proj without; q_norm/k_norm
  // of head_dim when use_qk_norm. DeepseekV3-style decoder: layers >= first_k_dense_replace are MoE with
  // n_routed_experts, a shared MLP of n_shared_experts x moe_intermediate_size and a router with
  // e_score_correction_bias. The checkpoint's MTP layer (num_nextn_predict_layers) is skipped on load.
  const cfg = raw.withDefaults(glm4MoeDefaults)
  const layers = cfg.int('num_hidden_layers')
  const firstDense = cfg.int('first_k_dense_replace', 1)
  const shared = cfg.int('n_shared_experts', 1)
  const moeWidth = cfg.int('moe_intermediate_size', 1408)
  return {
    ...base(cfg, o, 'glm4-moe', 'glm4_moe'),
    mtpLayers: cfg.int('num_nextn_predict_layers', 0),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {biasKey: 'attention_bias', outputBias: false, qkNorm: cfg.bool('use_qk_norm', false) ? 'per-head' : 'none'}),
    ffn: gatedFfn(cfg),
    moe: {
      routedExperts: cfg.int('n_routed_experts', 128),
      topK: cfg.int('num_experts_per_tok', 8),
      expertIntermediateSize: moeWidth,
      sharedExperts: shared,
      sharedIntermediateSize: shared * moeWidth,
      sharedExpertGate: false,
      routerBias: false,
      routerScoreCorrectionBias: true,
      expertBias: false,
    },
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: i >= firstDense ? 'moe' : 'dense'}))),
  }
}

// MiniMaxM2Config (configuration_minimax_m2.py @ 008e5743): 62 layers, h 3072, 48/8 heads x 128, 256 experts of
// 1536, top-8, vocab 200064, rope_theta 5e6 (default_theta).
const minimaxM2Defaults: Json = {vocab_size: 200064, hidden_size: 3072, intermediate_size: 1536, num_hidden_layers: 62, num_attention_heads: 48, num_key_value_heads: 8, head_dim: 128, max_position_embeddings: 196608}

function minimaxM2(raw: Config, o: ImportOptions): ModelSpec {
  // MiniMaxM2 (modular_minimax_m2.py @ 001f85b3): FlexOlmo-style attention without biases and with q_norm
  // (H*d) and k_norm (Hkv*d) across heads; a Mixtral MoE block in every layer (experts of intermediate_size,
  // router without bias) with a per-expert e_score_correction_bias. The published config.json states the rotated
  // width as rotary_dim (vLLM minimax_m2.py) and qk_norm_type "per_layer" (norm over all heads of the layer).
  const cfg = raw.withDefaults(minimaxM2Defaults)
  const layers = cfg.int('num_hidden_layers')
  const kinds = cfg.intList('attn_type_list', [])
  if (kinds.some((k) => k !== 1)) throw new UserError(`${cfg.where}: attn_type_list marks layers that are not full attention (0 = lightning attention); archcost models MiniMax-M2 only with full attention in every layer`)
  if (cfg.int('shared_intermediate_size', 0) > 0) throw new UserError(`${cfg.where}: "shared_intermediate_size" > 0 (a shared expert) is not part of MiniMax-M2 as archcost models it`)
  const qkNorm = cfg.bool('use_qk_norm', true)
  const normType = cfg.str('qk_norm_type', 'per_layer')
  if (qkNorm && normType !== 'per_layer') throw new UserError(`${cfg.where}: qk_norm_type "${normType}" is not supported (supported: per_layer)`)
  const attention = standardAttention(cfg, {qkNorm: qkNorm ? 'across-heads' : 'none'})
  const partial = cfg.has('rotary_dim') ? cfg.int('rotary_dim') / attention.headDim : undefined
  if (partial !== undefined && (partial <= 0 || partial > 1)) throw new UserError(`${cfg.where}: rotary_dim ${cfg.int('rotary_dim')} must be between 1 and head_dim ${attention.headDim}`)
  const width = cfg.int('intermediate_size')
  const spec: ModelSpec = {
    ...base(cfg, o, 'minimax-m2', 'minimax_m2'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention,
    ffn: gatedFfn(cfg),
    moe: {
      routedExperts: cfg.int(cfg.pick('num_local_experts', 'num_experts'), 256),
      topK: cfg.int('num_experts_per_tok', 8),
      expertIntermediateSize: width,
      sharedExperts: 0,
      sharedIntermediateSize: 0,
      sharedExpertGate: false,
      routerBias: false,
      routerScoreCorrectionBias: cfg.bool('use_routing_bias', true),
      expertBias: false,
    },
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 5000000, undefined, partial),
    layerGroups: groupLayers(Array.from({length: layers}, () => ({mixer: 'full', rope: true, ffn: 'moe'}))),
  }
  if (cfg.bool('use_mtp', false))
    spec.notes = [`the checkpoint's multi-token-prediction modules (use_mtp, num_mtp_modules ${cfg.int('num_mtp_modules', 1)}) are not counted in mtpParams: their layout is not stated by the config`]
  return spec
}

// KimiLinearConfig (configuration_kimi_linear.py): Kimi-Linear-48B-A3B shape.
const kimiLinearDefaults: Json = {vocab_size: 163840, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 27, num_attention_heads: 32, max_position_embeddings: 1048576}

function kimiLinear(raw: Config, o: ImportOptions): ModelSpec {
  // Kimi Linear (vLLM kimi_linear.py; transformers kimi_linear): KDA layers and MLA full-attention layers
  // (q_proj without LoRA by default, RoPE off when mla_use_nope, the rope part of kv_a_proj still built and cached),
  // DeepSeek-V3 MoE (router with e_score_correction_bias, shared experts of num_shared_experts x
  // moe_intermediate_size) on layers >= first_k_dense_replace with layer % moe_layer_freq == 0.
  // linear_attn_config lists the KDA and full-attention layers 1-indexed.
  const cfg = raw.withDefaults(kimiLinearDefaults)
  const layers = cfg.int('num_hidden_layers')
  const lin = cfg.sub('linear_attn_config')
  let types = cfg.strList('layer_types')
  if (types && types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
  if (!types) {
    if (!lin.has('kda_layers') || !lin.has('full_attn_layers'))
      throw new UserError(`${cfg.where}: give linear_attn_config.kda_layers and full_attn_layers (or layer_types): the default pattern differs between transformers versions`)
    const filled: (string | undefined)[] = Array.from({length: layers}, () => undefined)
    for (const [key, kind] of [['full_attn_layers', 'full_attention'], ['kda_layers', 'linear_attention']] as const)
      for (const n of lin.intList(key, [])) {
        if (n < 1 || n > layers) throw new UserError(`${lin.where}: ${key} holds layer ${n}, outside 1..${layers} (the lists are 1-indexed)`)
        if (filled[n - 1] !== undefined) throw new UserError(`${lin.where}: layer ${n} is in both kda_layers and full_attn_layers`)
        filled[n - 1] = kind
      }
    const missing = filled.findIndex((t) => t === undefined)
    if (missing >= 0) throw new UserError(`${lin.where}: layer ${missing + 1} is in neither kda_layers nor full_attn_layers`)
    types = filled as string[]
  }
  const mixers = types.map((t) => (t === 'kda_attention' ? 'linear' : mixerOf(t, cfg.where)))
  if (mixers.some((m) => m !== 'full' && m !== 'linear')) throw new UserError(`${cfg.where}: Kimi Linear layers are full_attention or linear (KDA) attention only`)
  const ropeDim = cfg.int('qk_rope_head_dim', 64)
  const nope = cfg.bool('mla_use_nope', false) || ropeDim === 0
  const routed = cfg.intOrNull(cfg.pick('num_experts', 'n_routed_experts', 'num_local_experts'), 256)
  const firstDense = cfg.int('first_k_dense_replace', 1)
  const freq = cfg.int('moe_layer_freq', 1)
  const mlpTypes = cfg.strList('mlp_layer_types')
  if (mlpTypes && mlpTypes.length !== layers) throw new UserError(`${cfg.where}: mlp_layer_types has ${mlpTypes.length} entries for ${layers} layers`)
  if (mlpTypes?.some((t) => t !== 'dense' && t !== 'sparse')) throw new UserError(`${cfg.where}: mlp_layer_types may hold only "dense" and "sparse"`)
  const isMoe = (i: number) => routed !== null && (mlpTypes ? mlpTypes[i] === 'sparse' : i >= firstDense && i % freq === 0)
  const heads = cfg.int('num_attention_heads')
  const nopeDim = cfg.int('qk_nope_head_dim', 128)
  const vDim = cfg.int('v_head_dim', 128)
  const kdaHeads = lin.has('num_heads') ? lin.int('num_heads') : cfg.int('linear_num_heads', 32)
  const kdaDim = lin.has('head_dim') ? lin.int('head_dim') : cfg.int('linear_head_dim', 128)
  const kernel = lin.has('short_conv_kernel_size') ? lin.int('short_conv_kernel_size') : cfg.int('linear_conv_kernel_dim', 4)
  const shared = cfg.int(cfg.pick('num_shared_experts', 'n_shared_experts'), 1)
  const moeWidth = cfg.int('moe_intermediate_size', 1024)
  return {
    ...base(cfg, o, 'kimi-linear', 'kimi_linear'),
    mtpLayers: cfg.int(cfg.pick('num_nextn_predict_layers', 'num_mtp_layers'), 0),
    maxContextTokens: cfg.int(cfg.pick('max_position_embeddings', 'model_max_length')),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: {
      kind: 'mla',
      heads,
      kvHeads: heads,
      headDim: nopeDim + ropeDim,
      valueHeadDim: vDim,
      qkvBias: false,
      outputBias: false,
      qkNorm: 'none',
      sinks: false,
      outputGate: false,
      mla: {qLoraRank: cfg.intOrNull('q_lora_rank', null), kvLoraRank: cfg.int('kv_lora_rank', 512), qkNopeHeadDim: nopeDim, qkRopeHeadDim: ropeDim, vHeadDim: vDim},
    },
    linearAttention: {kind: 'kda', keyHeads: kdaHeads, valueHeads: kdaHeads, keyHeadDim: kdaDim, valueHeadDim: kdaDim, convKernel: kernel},
    ffn: gatedFfn(cfg),
    ...(routed === null
      ? {}
      : {
          moe: {
            routedExperts: routed,
            topK: cfg.int(cfg.pick('num_experts_per_token', 'num_experts_per_tok'), 8),
            expertIntermediateSize: moeWidth,
            sharedExperts: shared,
            sharedIntermediateSize: shared * moeWidth,
            sharedExpertGate: false,
            routerBias: false,
            routerScoreCorrectionBias: true,
            expertBias: false,
          },
        }),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(mixers.map((mixer, i) => ({mixer, rope: mixer === 'full' && !nope, ffn: isMoe(i) ? 'moe' : 'dense'}))),
  }
}

function gpt2(cfg: Config, o: ImportOptions): ModelSpec {
  // GPT2Config: n_embd 768, n_layer 12, n_head 12, n_positions 1024, n_inner None (= 4 n_embd), gelu_new, vocab
  // 50257, tied head; attribute_map aliases hidden_size, num_hidden_layers, num_attention_heads, max_position_embeddings.
  // GPT2Model: wte + wpe, per block ln_1, c_attn (h, 3h) + bias, c_proj (h, h) + bias, ln_2, c_fc (h, inner) + bias,
  // c_proj (inner, h) + bias (Conv1D: same weights as Linear), ln_f; LayerNorms with bias.
  const hidden = cfg.int(cfg.pick('n_embd', 'hidden_size'), 768)
  const layers = cfg.int(cfg.pick('n_layer', 'num_hidden_layers'), 12)
  const heads = cfg.int(cfg.pick('n_head', 'num_attention_heads'), 12)
  const positions = cfg.int(cfg.pick('n_positions', 'max_position_embeddings'), 1024)
  const inner = cfg.intOrNull('n_inner', null) ?? 4 * hidden
  const headDim = hidden / heads
  if (!Number.isInteger(headDim)) throw new UserError(`${cfg.where}: n_embd ${hidden} is not a multiple of n_head ${heads}`)
  return {
    // The original checkpoints are float32 and their config.json names no dtype.
    ...base(cfg, o, 'gpt2', 'gpt2', undefined, {hidden, layers, dtype: 'float32'}),
    maxContextTokens: positions,
    embeddings: {vocabSize: cfg.int('vocab_size', 50257), tied: cfg.bool('tie_word_embeddings', true), learnedPositions: positions, perLayer: null},
    attention: {kind: 'mha', heads, kvHeads: heads, headDim, valueHeadDim: headDim, qkvBias: true, outputBias: true, qkNorm: 'none', sinks: false, outputGate: false},
    ffn: {gated: false, activation: cfg.str('activation_function', 'gelu_new'), intermediateSize: inner, bias: true},
    norms: {kind: 'layernorm', bias: true, placement: 'pre', perLayer: 2, final: true},
    // No rotary embedding: the rope block is required by the schema and unused (every layer has rope: false).
    rope: {theta: 10000, scaling: null, partialRotaryFactor: 1},
    layerGroups: [{count: layers, mixer: 'full', rope: false, ffn: 'dense'}],
  }
}

function llama4(cfg: Config, o: ImportOptions, outer: Config): ModelSpec {
  // Llama4TextConfig: no_rope_layers default [(i+1) % 4 != 0] (1 = RoPE); RoPE layers use chunked attention
  // (attention_chunk_size 8192), NoPE layers global; moe_layers default every interleave_moe_layer_step-th layer;
  // dense layers use intermediate_size_mlp; one shared expert of intermediate_size; L2 QK-norm has no weights.
  const layers = cfg.int('num_hidden_layers')
  const ropeInterval = cfg.int('no_rope_layer_interval', 4)
  const useRope = cfg.intList('no_rope_layers', Array.from({length: layers}, (_, i) => Number((i + 1) % ropeInterval !== 0)))
  const step = cfg.int('interleave_moe_layer_step', 1)
  const moeLayers = new Set(cfg.intList('moe_layers', Array.from({length: Math.ceil((layers - (step - 1)) / step)}, (_, k) => step - 1 + k * step)))
  const chunk = cfg.int('attention_chunk_size', 8192)
  const perLayer: LayerSpec[] = Array.from({length: layers}, (_, i) => {
    const rope = useRope[i] === 1
    return rope ? {mixer: 'chunked', windowTokens: chunk, rope, ffn: moeLayers.has(i) ? 'moe' : 'dense'} : {mixer: 'full', rope, ffn: moeLayers.has(i) ? 'moe' : 'dense'}
  })
  const expertWidth = cfg.int('intermediate_size', 8192)
  return {
    ...base(cfg, o, 'llama4', 'llama4_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size', 202048), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: standardAttention(cfg, {headDimDefault: 128, biasKey: 'attention_bias', kvHeadsDefault: 8}),
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: cfg.int('intermediate_size_mlp', 16384), bias: false},
    moe: {
      routedExperts: cfg.int('num_local_experts', 16),
      topK: cfg.int('num_experts_per_tok', 1),
      expertIntermediateSize: expertWidth,
      sharedExperts: 1,
      sharedIntermediateSize: expertWidth,
      sharedExpertGate: false,
      routerBias: false,
      routerScoreCorrectionBias: false,
      expertBias: false,
    },
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 500000),
    layerGroups: groupLayers(perLayer),
  }
}

function gemma3n(cfg: Config, o: ImportOptions, outer: Config): ModelSpec {
  // Gemma3nTextConfig: layer_types default 4 sliding : 1 full, window 512, the last num_kv_shared_layers layers
  // reuse the KV of the last earlier layer of the same type; per-layer embeddings of hidden_size_per_layer_input.
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.int('sliding_window', 512)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % 5 === 0 ? 'full_attention' : 'sliding_attention'))
  const widths = Array.isArray(cfg.raw.intermediate_size) ? cfg.intList('intermediate_size', []) : Array.from({length: layers}, () => cfg.int('intermediate_size', 16384))
  if (widths.length !== layers) throw new UserError(`${cfg.where}: intermediate_size has ${widths.length} entries for ${layers} layers`)
  const shared = cfg.int('num_kv_shared_layers', 15)
  const firstShared = layers - shared
  const lastOfType = (mixer: string) => {
    for (let j = firstShared - 1; j >= 0; j--) if (types[j] === mixer) return j
    throw new UserError(`${cfg.where}: no earlier ${mixer} layer to share KV with`)
  }
  const baseWidth = Math.max(...widths)
  const perLayer: LayerSpec[] = types.map((t, i) => {
    const mixer = mixerOf(t, cfg.where)
    const layer: LayerSpec = mixer === 'sliding' ? {mixer, windowTokens: window, rope: true, ffn: 'dense'} : {mixer, rope: true, ffn: 'dense'}
    if (widths[i] !== baseWidth) layer.ffnIntermediateSize = widths[i]
    if (i >= firstShared) layer.kvSourceLayer = lastOfType(t)
    return layer
  })
  return {
    ...base(cfg, o, 'gemma3n', 'gemma3n_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {
      vocabSize: cfg.int('vocab_size', 262400),
      tied: cfg.bool('tie_word_embeddings', true),
      learnedPositions: 0,
      perLayer: {vocabSize: cfg.int('vocab_size_per_layer_input', 262144), dim: cfg.int('hidden_size_per_layer_input', 256)},
    },
    attention: standardAttention(cfg, {headDimDefault: 256, biasKey: 'attention_bias', qkNorm: 'per-head'}),
    ffn: {gated: true, activation: cfg.str('hidden_activation', 'gelu_pytorch_tanh'), intermediateSize: baseWidth, bias: false},
    norms: rmsNorms('sandwich', 4),
    rope: ropeOf(cfg, 1e6, cfg.num('rope_local_base_freq', 10000)),
    layerGroups: groupLayers(perLayer),
    gemma3n: {altupInputs: cfg.int('altup_num_inputs', 4), laurelRank: cfg.int('laurel_rank', 64)},
  }
}
