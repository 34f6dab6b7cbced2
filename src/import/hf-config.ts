// Hugging Face config.json -> archcost model spec. Keys a file leaves out take the default of the
// transformers configuration class of its model_type (configuration_<type>.py); each default below names it.
import {UserError} from '../errors.js'
import type {Dtype, ModelSpec} from '../schema/model.js'
import {encodersFromHfConfig} from './encoders.js'
import {groupLayers, type LayerSpec} from './layers.js'

type Json = Record<string, unknown>

export interface ImportOptions {
  id: string
  name?: string
  hfRepo?: string
  configPath?: string
}

/** A config object with typed, default-aware getters that name the key when it is wrong. */
class Config {
  constructor(
    readonly raw: Json,
    readonly where: string,
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null
  }

  int(key: string, fallback?: number): number {
    const value = this.raw[key] ?? fallback
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw new UserError(`${this.where}: "${key}" must be a non-negative integer, found ${JSON.stringify(value)}`)
    return value
  }

  num(key: string, fallback?: number): number {
    const value = this.raw[key] ?? fallback
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`${this.where}: "${key}" must be a number, found ${JSON.stringify(value)}`)
    return value
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.raw[key] ?? fallback
    if (typeof value !== 'boolean') throw new UserError(`${this.where}: "${key}" must be true or false, found ${JSON.stringify(value)}`)
    return value
  }

  str(key: string, fallback: string): string {
    const value = this.raw[key] ?? fallback
    if (typeof value !== 'string') throw new UserError(`${this.where}: "${key}" must be a string, found ${JSON.stringify(value)}`)
    return value
  }

  intOrNull(key: string, fallback: number | null): number | null {
    if (this.raw[key] === null) return null
    if (this.raw[key] === undefined) return fallback
    return this.int(key)
  }

  intList(key: string, fallback: number[]): number[] {
    const value = this.raw[key] ?? fallback
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
}

const dtypeNames: Record<string, Dtype> = {bfloat16: 'bf16', float16: 'fp16', float32: 'fp32'}

function dtypeOf(cfg: Config, outer?: Config): Dtype {
  const name = (cfg.raw.torch_dtype ?? cfg.raw.dtype ?? outer?.raw.torch_dtype ?? outer?.raw.dtype ?? 'bfloat16') as string
  const dtype = dtypeNames[name]
  if (!dtype) throw new UserError(`${cfg.where}: torch_dtype "${name}" is not one of ${Object.keys(dtypeNames).join(', ')}`)
  return dtype
}

function ropeOf(cfg: Config, thetaDefault: number, localTheta?: number): ModelSpec['rope'] {
  const scaling = cfg.raw.rope_scaling as Json | null | undefined
  const type = scaling ? ((scaling.rope_type ?? scaling.type) as string | undefined) ?? null : null
  const factor = scaling && typeof scaling.factor === 'number' ? scaling.factor : undefined
  const rope: ModelSpec['rope'] = {theta: cfg.num('rope_theta', thetaDefault), scaling: type, partialRotaryFactor: cfg.num('partial_rotary_factor', 1)}
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
  const q = (outer ?? cfg).sub('quantization_config')
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

function base(cfg: Config, o: ImportOptions, family: string, modelType: string, outer?: Config) {
  const dtype = dtypeOf(cfg, outer)
  return {
    $schema: '../../schemas/model.schema.json',
    id: o.id,
    name: o.name ?? o.id,
    family,
    source: {hfRepo: o.hfRepo ?? o.id, modelType, config: o.configPath ?? `${o.id}.json`},
    dtype,
    checkpointWeights: checkpointWeights(dtype, outer, cfg),
    hiddenSize: cfg.int('hidden_size'),
    layers: cfg.int('num_hidden_layers'),
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

const importers: Record<string, (cfg: Config, o: ImportOptions, outer: Config) => ModelSpec> = {
  // LlamaConfig: tie_word_embeddings False, rope_theta 10000, mlp_bias False, head_dim = hidden/heads.
  llama: (cfg, o) => llamaLike(cfg, o, 'llama3', {modelType: 'llama', tiedDefault: false, thetaDefault: 10000, ffnBias: cfg.bool('mlp_bias', false)}),
  // MistralConfig: sliding_window 4096 unless null (Mistral Small 3.x sets null), no biases.
  mistral: (cfg, o, outer) => {
    const window = cfg.intOrNull('sliding_window', 4096)
    return llamaLike(cfg, o, 'mistral', {modelType: 'mistral', tiedDefault: false, thetaDefault: 10000, sliding: window === null ? undefined : () => window, attention: {biasKey: undefined}, outer})
  },
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
  deepseek_v3: (cfg, o) => deepseekV3(cfg, o, 'deepseek', 'deepseek_v3'),
  kimi_k2: (cfg, o) => deepseekV3(cfg, o, 'kimi-k2', 'kimi_k2'),
  llama4_text: (cfg, o, outer) => llama4(cfg, o, outer),
  gemma3n_text: (cfg, o, outer) => gemma3n(cfg, o, outer),
}

/** Multimodal wrappers whose language model lives in text_config (model_type of text_config when absent). */
const wrappers: Record<string, string> = {gemma3: 'gemma3_text', mistral3: 'mistral', llama4: 'llama4_text', gemma3n: 'gemma3n_text'}

export const supportedModelTypes = [...Object.keys(importers), ...Object.keys(wrappers)].sort()

/** Sliding window of Qwen2/Qwen3-style configs: only when use_sliding_window, on layers >= max_window_layers. */
function qwenSliding(cfg: Config): ((i: number) => number | undefined) | undefined {
  if (!cfg.bool('use_sliding_window', false)) return undefined
  const window = cfg.intOrNull('sliding_window', 4096)
  const maxWindowLayers = cfg.int('max_window_layers', 28)
  return window === null ? undefined : (i) => (i >= maxWindowLayers ? window : undefined)
}

export function importHfConfig(raw: unknown, o: ImportOptions): ModelSpec {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${o.configPath ?? o.id}: a config.json must hold a JSON object`)
  const outer = new Config(raw as Json, o.configPath ?? o.id)
  const modelType = outer.str('model_type', '')
  if (!modelType) throw new UserError(`${outer.where}: no "model_type" key; is this a Hugging Face config.json?`)
  const textType = wrappers[modelType]
  const cfg = textType ? outer.sub('text_config') : outer
  const type = textType ? cfg.str('model_type', textType) : modelType
  const importer = importers[type]
  if (!importer) throw new UserError(`${outer.where}: model_type "${type}" is not supported; supported: ${supportedModelTypes.join(', ')}`)
  const spec = importer(cfg, o, outer)
  spec.source.modelType = modelType
  const imported = encodersFromHfConfig(outer, modelType)
  spec.encoders = imported.encoders
  if (imported.notes.length) spec.notes = [...(spec.notes ?? []), ...imported.notes]
  return spec
}

function qwen3Moe(cfg: Config, o: ImportOptions): ModelSpec {
  // Qwen3MoeConfig: decoder_sparse_step 1, mlp_only_layers [], 128 experts, top-8, moe_intermediate_size 768, no shared expert.
  const layers = cfg.int('num_hidden_layers')
  const step = cfg.int('decoder_sparse_step', 1)
  const mlpOnly = new Set(cfg.intList('mlp_only_layers', []))
  const experts = cfg.int('num_experts', 128)
  const isMoe = (i: number) => !mlpOnly.has(i) && experts > 0 && (i + 1) % step === 0
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
  const interval = cfg.int('full_attention_interval', 4)
  const types = layerTypesOf(cfg, layers, (i) => ((i + 1) % interval === 0 ? 'full_attention' : 'linear_attention'))
  const step = cfg.int('decoder_sparse_step', 1)
  const mlpOnly = new Set(cfg.intList('mlp_only_layers', []))
  const experts = cfg.int('num_experts', 512)
  const perLayer: LayerSpec[] = types.map((t, i) => ({
    mixer: mixerOf(t, cfg.where),
    rope: mixerOf(t, cfg.where) !== 'linear',
    ffn: !mlpOnly.has(i) && experts > 0 && (i + 1) % step === 0 ? 'moe' : 'dense',
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
    moe: {
      routedExperts: experts,
      topK: cfg.int('num_experts_per_tok', 10),
      expertIntermediateSize: cfg.int('moe_intermediate_size', 512),
      sharedExperts: shared > 0 ? 1 : 0,
      sharedIntermediateSize: shared,
      sharedExpertGate: shared > 0,
      routerBias: false,
      routerScoreCorrectionBias: false,
      expertBias: false,
    },
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

function deepseekV3(cfg: Config, o: ImportOptions, family: string, modelType: string): ModelSpec {
  // DeepseekV3Config: MLA, first_k_dense_replace dense layers then MoE every moe_layer_freq, shared experts
  // n_shared_experts x moe_intermediate_size, noaux_tc router with e_score_correction_bias.
  const layers = cfg.int('num_hidden_layers')
  const firstDense = cfg.int('first_k_dense_replace', 3)
  const freq = cfg.int('moe_layer_freq', 1)
  const routed = cfg.intOrNull('n_routed_experts', 256)
  const isMoe = (i: number) => routed !== null && i >= firstDense && i % freq === 0
  const heads = cfg.int('num_attention_heads')
  const nope = cfg.int('qk_nope_head_dim', 128)
  const ropeDim = cfg.int('qk_rope_head_dim', 64)
  const vDim = cfg.int('v_head_dim', 128)
  const bias = cfg.bool('attention_bias', false)
  const shared = cfg.intOrNull('n_shared_experts', 1) ?? 0
  const moeWidth = cfg.int('moe_intermediate_size', 2048)
  return {
    ...base(cfg, o, family, modelType),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: {vocabSize: cfg.int('vocab_size'), tied: cfg.bool('tie_word_embeddings', false), learnedPositions: 0, perLayer: null},
    attention: {
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
      mla: {qLoraRank: cfg.intOrNull('q_lora_rank', 1536), kvLoraRank: cfg.int('kv_lora_rank', 512), qkNopeHeadDim: nope, qkRopeHeadDim: ropeDim, vHeadDim: vDim},
    },
    ffn: gatedFfn(cfg),
    ...(routed === null
      ? {}
      : {
          moe: {
            routedExperts: routed,
            topK: cfg.int('num_experts_per_tok', 8),
            expertIntermediateSize: moeWidth,
            sharedExperts: shared,
            sharedIntermediateSize: shared * moeWidth,
            sharedExpertGate: false,
            routerBias: false,
            routerScoreCorrectionBias: cfg.str('topk_method', 'noaux_tc') === 'noaux_tc',
            expertBias: false,
          },
        }),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}))),
    mtpLayers: cfg.int('num_nextn_predict_layers', 0),
  }
}

function llama4(cfg: Config, o: ImportOptions, outer: Config): ModelSpec {
  // Llama4TextConfig: no_rope_layers default [(i+1) % 4 != 0] (1 = RoPE); RoPE layers use chunked attention
  // (attention_chunk_size 8192), NoPE layers global; moe_layers default every interleave_moe_layer_step-th layer;
  // dense layers use intermediate_size_mlp; one shared expert of intermediate_size; L2 QK-norm has no weights.
  const layers = cfg.int('num_hidden_layers')
  const useRope = cfg.intList('no_rope_layers', Array.from({length: layers}, (_, i) => Number((i + 1) % 4 !== 0)))
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
