// Builders of the spec pieces that several families share: dtype, RoPE, attention, norms, FFN, embeddings, MoE
// block and the common header of a spec.
import {UserError} from '../errors.js'
import type {Dtype, ModelSpec} from '../schema/model.js'
import {Config, type ImportOptions, type Json} from './config.js'
import {attentionKindOf} from '../schema/attention-kind.js'

const dtypeNames: Record<string, Dtype> = {bfloat16: 'bf16', float16: 'fp16', float32: 'fp32'}

function dtypeOf(cfg: Config, outer?: Config, fallback = 'bfloat16'): Dtype {
  const name = (cfg.raw.torch_dtype ?? cfg.raw.dtype ?? outer?.raw.torch_dtype ?? outer?.raw.dtype ?? fallback) as string
  const dtype = Object.hasOwn(dtypeNames, name) ? dtypeNames[name] : undefined // not the prototype's ("toString")
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
    kind: attentionKindOf(heads, kvHeads),
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

/**
 * The Mamba-2 mixer as the mamba_* keys of FalconH1Config and GraniteMoeHybridConfig state it (their Mamba2Mixer:
 * n_groups B/C groups of d_state, heads of head_dim, a conv of d_conv), with those classes' defaults.
 */
export function mambaKeysMixer(cfg: Config, shape: {groups: number; heads: number; headDim: number; projectionBias: boolean}): NonNullable<ModelSpec['linearAttention']> {
  return {
    kind: 'mamba2',
    keyHeads: shape.groups,
    keyHeadDim: cfg.int('mamba_d_state', 256),
    valueHeads: shape.heads,
    valueHeadDim: shape.headDim,
    convKernel: cfg.int('mamba_d_conv', 4),
    convBias: cfg.bool('mamba_conv_bias', true),
    projectionBias: shape.projectionBias,
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

type Quantization = NonNullable<ModelSpec['checkpointQuantization']>
type ScaleDtype = Quantization['scaleDtype']

const torchScaleDtypes: Record<string, ScaleDtype> = {'torch.float32': 'fp32', 'torch.bfloat16': 'bf16', 'torch.float16': 'fp16', float32: 'fp32', bfloat16: 'bf16', float16: 'fp16'}

/** A list of module names, or none. */
const namesOf = (q: Config, ...keys: string[]): string[] => {
  for (const key of keys) {
    const list = q.strList(key)
    if (list) return list
  }
  return []
}

/** A compressed-tensors block_structure: "128x128" (older files) or [128, 128]. */
function blockStructure(w: Config): [number, number] | undefined {
  const raw = w.raw.block_structure
  if (raw === undefined || raw === null) return undefined
  const dims = typeof raw === 'string' ? raw.split('x').map(Number) : raw
  if (!Array.isArray(dims) || dims.length !== 2 || !dims.every((d) => Number.isSafeInteger(d) && (d as number) > 0))
    throw new UserError(`${w.where}: "block_structure" must be [rows, columns] or "RxC", found ${JSON.stringify(raw)}`)
  return dims as [number, number]
}

function positiveGroup(w: Config): number {
  const g = w.int('group_size')
  if (g === 0) throw new UserError(`${w.where}: "group_size" must be positive, found 0`)
  return g
}

/** compressed-tensors (compressed_tensors/quantization/quant_config.py QuantizationConfig): one weight scheme for every Linear. */
function compressedTensors(q: Config, dtype: Dtype): Quantization {
  const sparsity = q.raw.sparsity_config as Json | null | undefined
  if (sparsity && sparsity.format !== undefined && sparsity.format !== 'dense')
    throw new UserError(`${q.where}: compressed-tensors sparsity format "${String(sparsity.format)}" is not modelled (only dense weights with quantization)`)
  const groups = Object.values(q.sub('config_groups').raw)
  if (groups.length === 0) throw new UserError(`${q.where}: compressed-tensors needs "config_groups"`)
  if (!groups.every((g) => typeof g === 'object' && g !== null && !Array.isArray(g))) throw new UserError(`${q.where}: every entry of "config_groups" must be an object`)
  const first = new Config(groups[0] as Json, `${q.where}.config_groups`)
  const key = (g: unknown) => JSON.stringify((g as Json).weights) + JSON.stringify(Boolean((g as Json).input_activations))
  if (groups.some((g) => key(g) !== key(groups[0]) || JSON.stringify((g as Json).targets) !== '["Linear"]'))
    throw new UserError(`${q.where}: config_groups that quantize different modules differently are not modelled; archcost takes one scheme with targets ["Linear"]`)
  const w = first.sub('weights')
  const bits = w.int('num_bits')
  const type = w.str('type', 'int')
  const strategy = w.str('strategy', 'tensor')
  const format = first.str('format', q.str('format', type === 'float' ? 'float-quantized' : 'pack-quantized'))
  const inputs = first.raw.input_activations ? first.sub('input_activations') : null
  const layouts: Record<string, Quantization['layout']> = {'pack-quantized': 'ct-pack', 'naive-quantized': 'ct-int8', 'int-quantized': 'ct-int8', 'float-quantized': 'ct-fp8', 'nvfp4-pack-quantized': 'ct-nvfp4', 'mxfp4-pack-quantized': 'ct-mxfp4'}
  const layout = layouts[format]
  if (!layout) throw new UserError(`${q.where}: compressed-tensors format "${format}" is not modelled (supported: ${Object.keys(layouts).join(', ')})`)
  const scale = w.has('scale_dtype') ? torchScaleDtypes[w.str('scale_dtype', '')] : undefined
  const actorder = w.raw.actorder
  return {
    method: 'compressed-tensors',
    layout,
    bits,
    groupSize: strategy === 'group' || strategy === 'tensor_group' ? positiveGroup(w) : null,
    ...(strategy === 'block' ? {blockSize: blockStructure(w) ?? [128, 128]} : {}),
    ...(strategy === 'tensor' ? {tensorScale: true} : {}),
    // Scales take the weight's dtype (lifecycle/initialize.py), NVFP4 its fp8 block scale.
    // MXFP4's shared exponent is E8M0, stored uint8 (scale_dtype "torch.uint8").
    scaleDtype: layout === 'ct-nvfp4' ? 'fp8' : layout === 'ct-mxfp4' ? 'e8m0' : (scale ?? (dtype as ScaleDtype)),
    zeroPoints: !w.bool('symmetric', true),
    ...(actorder === 'group' || actorder === true ? {gIdx: true} : {}),
    // Static activations store input_scale; NVFP4's "local" dynamic ones still store input_global_scale.
    inputScales: inputs !== null && (inputs.raw.dynamic === undefined || inputs.raw.dynamic === false || inputs.raw.dynamic === 'local'),
    kvScales: q.raw.kv_cache_scheme !== undefined && q.raw.kv_cache_scheme !== null,
    lmHead: true, // targets "Linear" reach lm_head unless ignore lists it
    exclude: namesOf(q, 'ignore'),
    excludeMatch: 'name-or-regex',
  }
}

/** ModelOpt exports (vLLM modelopt.py ModelOptNvFp4Config.from_config): flat, or under "quantization" as hf_quant_config.json writes it. */
function modelOpt(q: Config): Quantization {
  const m = q.has('quantization') ? q.sub('quantization') : q
  const algo = m.str('quant_algo', '')
  const kv = m.raw.kv_cache_quant_algo ?? q.raw.kv_cache_scheme
  if (algo === 'MIXED_PRECISION') return modelOptMixed(m, kv !== undefined && kv !== null)
  if (algo !== 'NVFP4' && algo !== 'FP8') throw new UserError(`${m.where}: ModelOpt quant_algo "${algo}" is not modelled (supported: NVFP4, FP8, MIXED_PRECISION)`)
  return {
    method: 'modelopt',
    layout: algo === 'NVFP4' ? 'nvfp4' : 'modelopt-fp8',
    bits: algo === 'NVFP4' ? 4 : 8,
    groupSize: algo === 'NVFP4' ? m.int('group_size', 16) : null,
    scaleDtype: algo === 'NVFP4' ? 'fp8' : 'fp32',
    zeroPoints: false,
    inputScales: true,
    kvScales: kv !== undefined && kv !== null,
    lmHead: true, // quantized unless exclude_modules lists it
    exclude: namesOf(m, 'exclude_modules', 'ignore'),
    excludeMatch: 'glob',
  }
}

/**
 * ModelOpt MIXED_PRECISION (vLLM modelopt.py ModelOptMixedPrecisionConfig): quantized_layers gives each quantized
 * module its own quant_algo: FP8 (W8A8: fp8 weight, fp32 weight_scale and input_scale), NVFP4 (W4A4: packed weight,
 * fp8 block scales, weight_scale_2, input_scale) or W4A16_NVFP4 (the same weights, no input_scale: activations stay
 * 16-bit). A module not listed is not quantized.
 */
function modelOptMixed(m: Config, kvScales: boolean): Quantization {
  const layers = m.raw.quantized_layers
  if (typeof layers !== 'object' || layers === null || Array.isArray(layers) || Object.keys(layers).length === 0)
    throw new UserError(`${m.where}: ModelOpt MIXED_PRECISION needs "quantized_layers", an object of module -> {quant_algo}`)
  const modules = Object.entries(layers as Json).map(([name, value]) => {
    const entry = new Config(value as Json, `${m.where}.quantized_layers["${name}"]`)
    const algo = entry.str('quant_algo', '')
    if (algo === 'FP8') return {name, layout: 'modelopt-fp8' as const, bits: 8, groupSize: null, scaleDtype: 'fp32' as const, inputScales: true}
    if (algo === 'NVFP4' || algo === 'W4A16_NVFP4') return {name, layout: 'nvfp4' as const, bits: 4, groupSize: entry.int('group_size', 16), scaleDtype: 'fp8' as const, inputScales: algo === 'NVFP4'}
    throw new UserError(`${entry.where}: ModelOpt quant_algo "${algo}" is not modelled in MIXED_PRECISION (supported: FP8, NVFP4, W4A16_NVFP4)`)
  })
  // The fields outside `modules` describe the experts' layout (what weightFormats labels), else the first module's.
  const main = modules.find((x) => x.name.endsWith('.experts')) ?? modules[0]!
  return {
    method: 'modelopt',
    layout: main.layout,
    bits: main.bits,
    groupSize: main.groupSize,
    scaleDtype: main.scaleDtype,
    zeroPoints: false,
    inputScales: main.inputScales,
    kvScales,
    lmHead: false, // quantized only if quantized_layers lists lm_head
    exclude: namesOf(m, 'exclude_modules', 'ignore'),
    excludeMatch: 'glob',
    modules,
  }
}

/** The quantization_config a checkpoint was saved with, parsed; null for a plain checkpoint. */
function checkpointQuantization(q: Config, dtype: Dtype): Quantization | null {
  const method = q.str('quant_method', '')
  const notConvert = () => namesOf(q, 'modules_to_not_convert')
  // group_size -1: one group over the whole input row (per output channel)
  const group = (key: string) => {
    if (q.raw[key] === -1) return null
    const g = q.int(key, 128)
    if (g === 0) throw new UserError(`${q.where}: "${key}" must be a positive group size or -1, found 0`)
    return g
  }
  switch (method) {
    case '':
      return null
    case 'gptq': {
      // transformers quantizers/quantizer_gptq.py -> optimum GPTQQuantizer / AutoGPTQ QuantLinear; gptq_v2 stores the same shapes
      const format = q.str('checkpoint_format', 'gptq')
      if (format !== 'gptq' && format !== 'gptq_v2') throw new UserError(`${q.where}: GPTQ checkpoint_format "${format}" is not modelled (supported: gptq, gptq_v2)`)
      if (q.has('dynamic')) throw new UserError(`${q.where}: GPTQModel "dynamic" per-module overrides are not modelled; archcost takes one bits and group_size for every Linear`)
      return {method, layout: 'gptq', bits: q.int('bits'), groupSize: group('group_size'), scaleDtype: 'fp16', zeroPoints: true, inputScales: false, lmHead: q.bool('lm_head', false), exclude: notConvert(), excludeMatch: 'substring'}
    }
    case 'awq': {
      // transformers utils/quantization_config.py AwqConfig: version gemm (default), gemv, exllama (GEMM layout)
      const version = q.str('version', 'gemm').toLowerCase()
      if (version !== 'gemm' && version !== 'gemv' && version !== 'exllama') throw new UserError(`${q.where}: AWQ version "${version}" is not modelled (supported: gemm, gemv, exllama)`)
      return {method, layout: version === 'gemv' ? 'awq-gemv' : 'awq-gemm', bits: q.int('bits', q.int('w_bit', 4)), groupSize: group(q.has('group_size') ? 'group_size' : 'q_group_size'), scaleDtype: 'fp16', zeroPoints: q.bool('zero_point', true), inputScales: false, lmHead: false, exclude: notConvert(), excludeMatch: 'substring'}
    }
    case 'bitsandbytes': {
      // transformers BitsAndBytesConfig: llm_int8_skip_modules are the modules left out; lm_head is always kept (get_keys_to_not_convert)
      const four = q.bool('load_in_4bit', false) || q.raw._load_in_4bit === true // to_dict() writes both
      const eight = q.bool('load_in_8bit', false) || q.raw._load_in_8bit === true
      if (!four && !eight) throw new UserError(`${q.where}: bitsandbytes config with neither load_in_4bit nor load_in_8bit`)
      const storage = q.str('bnb_4bit_quant_storage', 'uint8')
      if (four && storage !== 'uint8') throw new UserError(`${q.where}: bnb_4bit_quant_storage "${storage}" is not modelled (uint8 only)`)
      // get_modules_to_not_convert: a given llm_int8_skip_modules replaces the default (the LM head), so the head is quantized unless listed.
      const skip = q.strList('llm_int8_skip_modules')
      const exclude = skip ?? []
      const lmHead = skip !== undefined
      if (four) return {method, layout: 'bnb-4bit', bits: 4, groupSize: 64, scaleDtype: 'fp32', zeroPoints: false, doubleQuant: q.bool('bnb_4bit_use_double_quant', false), inputScales: false, lmHead, exclude, excludeMatch: 'substring'}
      return {method, layout: 'bnb-8bit', bits: 8, groupSize: null, scaleDtype: 'fp32', zeroPoints: false, inputScales: false, lmHead, exclude, excludeMatch: 'substring'}
    }
    case 'fp8': {
      // transformers FineGrainedFP8Config (weight_block_size, DeepSeek-V3) or AutoFP8 per-tensor (activation_scheme, ignored_layers)
      const exclude = [...notConvert(), ...namesOf(q, 'ignored_layers')]
      // A given list replaces the default skip of the LM head (transformers get_modules_to_not_convert; AutoFP8 ignored_layers).
      const lmHead = q.strList('modules_to_not_convert') !== undefined || q.strList('ignored_layers') !== undefined
      const inputScales = q.str('activation_scheme', 'dynamic') === 'static'
      if (q.has('weight_block_size')) {
        const [bn, bk] = q.intList('weight_block_size', [128, 128])
        if (!bn || !bk || bn < 0 || bk < 0) throw new UserError(`${q.where}: "weight_block_size" must be [rows, columns] of positive integers`)
        return {method, layout: 'fp8-block', bits: 8, groupSize: bk, blockSize: [bn, bk], scaleDtype: 'fp32', zeroPoints: false, inputScales: false, lmHead, exclude, excludeMatch: 'substring'}
      }
      return {method, layout: 'fp8-tensor', bits: 8, groupSize: null, scaleDtype: 'fp32', zeroPoints: false, inputScales, lmHead, exclude, excludeMatch: 'substring'}
    }
    case 'mxfp4': // transformers Mxfp4Config (gpt-oss): modules_to_not_convert = self_attn, router, embed_tokens, lm_head
      return {method, layout: 'mxfp4', bits: 4, groupSize: 32, scaleDtype: 'e8m0', zeroPoints: false, inputScales: false, lmHead: false, exclude: notConvert(), excludeMatch: 'substring'}
    case 'compressed-tensors':
      return compressedTensors(q, dtype)
    case 'modelopt':
      return modelOpt(q)
    default:
      throw new UserError(`${q.where}: quant_method "${method}" is not supported (supported: gptq, awq, bitsandbytes, fp8, mxfp4, compressed-tensors, modelopt)`)
  }
}

/** The class label of a quantized layout (dtype.ts formats): what --weights would name it. */
function layoutFormat(q: Quantization): Dtype {
  if (q.layout === 'mxfp4' || q.layout === 'ct-mxfp4') return 'mxfp4'
  if (q.layout === 'nvfp4' || q.layout === 'ct-nvfp4') return 'nvfp4'
  if (q.layout === 'fp8-block' || q.layout === 'fp8-tensor' || q.layout === 'ct-fp8' || q.layout === 'modelopt-fp8') return 'fp8'
  return q.bits <= 4 ? 'int4' : 'int8'
}

/** Per-component checkpoint formats (torch_dtype, except what quantization_config quantizes) and the exact quantization. */
function checkpointStorage(dtype: Dtype, outer: Config | undefined, cfg: Config): Pick<ModelSpec, 'checkpointWeights' | 'checkpointQuantization'> {
  const formats = {embeddings: dtype, linear: dtype, experts: dtype, unquantized: dtype}
  const config = (outer?.has('quantization_config') ? outer : cfg).sub('quantization_config')
  const q = checkpointQuantization(config, dtype)
  if (!q) return {checkpointWeights: formats}
  if (!Number.isInteger(q.bits) || q.bits < 1 || q.bits > 8) throw new UserError(`${config.where}: ${q.bits} bits per weight is not modelled (1 to 8)`)
  const format = layoutFormat(q)
  // gpt-oss MXFP4: modules_to_not_convert leaves only the experts quantized; Kimi K3's compressed-tensors MXFP4 likewise.
  if (q.layout !== 'mxfp4' && q.layout !== 'ct-mxfp4') formats.linear = format
  formats.experts = format
  // MIXED_PRECISION: label each class by a module of it (the attention's FP8, the experts' NVFP4); bytes are per tensor.
  const linearModule = q.modules?.find((m) => !m.name.endsWith('.experts'))
  if (linearModule) formats.linear = layoutFormat({...q, ...linearModule})
  return {checkpointWeights: formats, checkpointQuantization: q}
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
    ...checkpointStorage(dtype, outer, cfg),
    hiddenSize: dims?.hidden ?? cfg.int('hidden_size'),
    layers: dims?.layers ?? cfg.int('num_hidden_layers'),
    mtpLayers: 0,
    encoders: [],
  }
}
