// Weight bytes: parameters of each component class times the bytes per element of its format; under a GGUF mix
// (q4_k_m, ...), the sum of the class's tensors as llama-quantize types them (gguf-mix.ts).
import type {ModelSpec} from '../schema/model.js'
import {isGgufMix, weightBytesPerElement, type GgufMix, type WeightFormat} from './dtype.js'
import type {Values} from './formulas/formula.js'
import {classWeightBytes, deviceWeightBytes} from './formulas/memory.js'
import {ggufMixBytes, type MixClass} from './gguf-mix.js'
import type {ParamBreakdown} from './params.js'
import {perSpec} from './per-spec.js'
import {quantizedCheckpointBytes} from './quantized.js'

export type WeightClass = 'embeddings' | 'linear' | 'experts' | 'unquantized'

export type WeightFormats = Record<WeightClass, WeightFormat>
const weightClasses: readonly WeightClass[] = ['embeddings', 'linear', 'experts', 'unquantized']

/** Which class each breakdown component belongs to (what quantized checkpoints keep at full precision). */
export const componentClass: Record<keyof ParamBreakdown, WeightClass> = {
  embedding: 'embeddings',
  perLayerEmbedding: 'embeddings',
  lmHead: 'embeddings',
  attention: 'linear',
  denseFfn: 'linear',
  sharedExperts: 'linear',
  other: 'linear',
  routedExperts: 'experts',
  norms: 'unquantized',
  router: 'unquantized',
}

/** The model a set of formats naming a GGUF mix was resolved for (weightFormatsFor): a mix's sizes depend on its tensors. */
const mixModels = new WeakMap<WeightFormats, ModelSpec>()

/** A GGUF mix on a class: its per-tensor bytes for the model the formats were built for (gguf-mix.ts). */
function mixOf(formats: WeightFormats, format: GgufMix) {
  const spec = mixModels.get(formats)
  if (!spec) throw new Error(`GGUF mix ${format}: build the formats with weightFormatsFor(spec, ...), which resolves a mix per model`)
  return ggufMixBytes(spec, format)
}

/** Formats whose classes are the quantized checkpoint's own (weightFormatsFor, no override): costed tensor by tensor (quantized.ts). */
const publishedClasses = new WeakMap<WeightFormats, {spec: ModelSpec; classes: Set<WeightClass>}>()

/** The exact bytes of a quantized checkpoint, when the class is stored as published. */
function publishedOf(formats: WeightFormats, cls: WeightClass) {
  const p = publishedClasses.get(formats)
  return p?.classes.has(cls) ? quantizedCheckpointBytes(p.spec) : null
}

/** Bytes per element of a class: the format's own, or for a GGUF mix (or a quantized checkpoint) the class's bytes over its parameters. */
function classBytesPerElement(formats: WeightFormats, cls: WeightClass, mixClass: MixClass, int4GroupSize?: number): number {
  const published = publishedOf(formats, cls)
  if (published) return published.bytesPerElement[mixClass]
  const format = formats[cls]
  return isGgufMix(format) ? mixOf(formats, format).bytesPerElement[mixClass] : weightBytesPerElement(format, int4GroupSize)
}

/**
 * Bytes of x parameters of a class (weights.bytes.class: x · bpe). Under a GGUF mix, the whole model's class (x equal
 * to the mix's element count) takes the exact sum of its tensors' bytes, not x · bpe rounded; a share of it (a device's)
 * takes x · bpe.
 */
function classBytes(formats: WeightFormats, cls: WeightClass, mixClass: MixClass, x: number, int4GroupSize?: number): number {
  // A quantized checkpoint's class as published: the exact sum of its stored tensors (scales, zero points, g_idx included).
  const published = publishedOf(formats, cls)
  if (published) return x === published.params[mixClass] ? published.bytes[mixClass] : classWeightBytes.evaluate({x, bpe: published.bytesPerElement[mixClass]})
  const format = formats[cls]
  if (!isGgufMix(format)) return classWeightBytes.evaluate({x, bpe: weightBytesPerElement(format, int4GroupSize)})
  const mix = mixOf(formats, format)
  return x === mix.params[mixClass] ? mix.bytes[mixClass] : classWeightBytes.evaluate({x, bpe: mix.bytesPerElement[mixClass]})
}

/** Symbols of the weight bytes of each storage class (weights.bytes.class), the per-layer embeddings apart: componentClass decides. */
export function weightClassValues(breakdown: ParamBreakdown, formats: WeightFormats, int4GroupSize?: number): Record<WeightClass | 'perLayerEmbeddings', Values<'x' | 'bpe'>> {
  const params: Record<WeightClass | 'perLayerEmbeddings', number> = {embeddings: 0, linear: 0, experts: 0, unquantized: 0, perLayerEmbeddings: breakdown.perLayerEmbedding}
  for (const c of Object.keys(componentClass) as (keyof ParamBreakdown)[]) if (c !== 'perLayerEmbedding') params[componentClass[c]] += breakdown[c]
  const bpe = (cls: WeightClass, mixClass: MixClass = cls) => classBytesPerElement(formats, cls, mixClass, int4GroupSize)
  return {
    embeddings: {x: params.embeddings, bpe: bpe('embeddings')},
    perLayerEmbeddings: {x: params.perLayerEmbeddings, bpe: bpe('embeddings', 'perLayerEmbeddings')},
    linear: {x: params.linear, bpe: bpe('linear')},
    experts: {x: params.experts, bpe: bpe('experts')},
    unquantized: {x: params.unquantized, bpe: bpe('unquantized')},
  }
}

/** Bytes kept in host memory: the per-layer embeddings when offloaded (Gemma 3n), else none. */
export const offloadedBytes = (offloadableBytes: number, offload: boolean | undefined): number => (offload ? offloadableBytes : 0)

/** The GGUF mix a scenario's linear format names, which then names the whole file. */
const fileMix = (overrides: Partial<WeightFormats>): GgufMix | undefined => (overrides.linear !== undefined && isGgufMix(overrides.linear) ? overrides.linear : undefined)

/**
 * The checkpoint's own formats, with any overrides from the command line. A GGUF mix on the linear layers names a
 * whole llama-quantize file, so every class not given apart follows it (its embeddings, experts, norms and routers).
 */
export function weightFormatsFor(spec: ModelSpec, overrides?: Partial<WeightFormats>): WeightFormats {
  // One formats object per spec and overrides object: a sweep asks at every point with the same scenario, and the
  // registries below key on the formats object. Identity lookups only: no key is built on the hot path.
  const cached = formatsBySpec(spec)
  if (!overrides) return (cached.plain ??= resolveFormats(spec, {}))
  let formats = cached.byOverrides.get(overrides)
  if (!formats) cached.byOverrides.set(overrides, (formats = resolveFormats(spec, overrides)))
  return formats
}

const formatsBySpec = perSpec((): {plain?: WeightFormats; byOverrides: WeakMap<Partial<WeightFormats>, WeightFormats>} => ({byOverrides: new WeakMap()}))

function resolveFormats(spec: ModelSpec, overrides: Partial<WeightFormats>): WeightFormats {
  const mix = fileMix(overrides)
  const formats: WeightFormats = mix ? {embeddings: mix, linear: mix, experts: mix, unquantized: mix, ...overrides} : {...spec.checkpointWeights, ...overrides}
  if (mix || isGgufMix(formats.embeddings) || isGgufMix(formats.experts) || isGgufMix(formats.unquantized)) mixModels.set(formats, spec)
  if (!mix && spec.checkpointQuantization) publishedClasses.set(formats, {spec, classes: new Set(weightClasses.filter((c) => overrides[c] === undefined))})
  return formats
}

/** Bytes per element one forward step reads of each class (perf.weightBytesRead): the LM head apart, as it is read whole. */
export interface ReadBytesPerElement {
  head: number
  linear: number
  experts: number
  unquantized: number
}

/**
 * Bytes per element of the matrices a step reads, for a scenario's overrides (the same formats as weightFormatsFor).
 * The head's is its own tensor's: a mix's output.weight (tied: token_embd.weight), else the embeddings format's.
 * Sweeps ask per point: plain formats are table reads, a mix a per-spec cached lookup.
 */
// Per spec and per formats object (scenarios are never mutated; sweeps reuse one), checked against the group size.
const readCache = new WeakMap<ModelSpec, WeakMap<object, {group: number | undefined; value: ReadBytesPerElement}>>()

export function readBytesPerElement(spec: ModelSpec, overrides: Partial<WeightFormats>, int4GroupSize?: number): ReadBytesPerElement {
  let byFormats = readCache.get(spec)
  if (!byFormats) readCache.set(spec, (byFormats = new WeakMap()))
  const hit = byFormats.get(overrides)
  if (hit && hit.group === int4GroupSize) return hit.value
  const value = computeReadBytesPerElement(spec, overrides, int4GroupSize)
  byFormats.set(overrides, {group: int4GroupSize, value})
  return value
}

function computeReadBytesPerElement(spec: ModelSpec, overrides: Partial<WeightFormats>, int4GroupSize?: number): ReadBytesPerElement {
  const mix = fileMix(overrides)
  const c = spec.checkpointWeights
  const published = mix ? null : quantizedCheckpointBytes(spec)
  const bpe = (cls: WeightClass): number => {
    if (published && overrides[cls] === undefined) return published.bytesPerElement[cls]
    const format = overrides[cls] ?? mix ?? c[cls]
    return isGgufMix(format) ? ggufMixBytes(spec, format).bytesPerElement[cls] : weightBytesPerElement(format, int4GroupSize)
  }
  const embeddings = overrides.embeddings ?? mix ?? c.embeddings
  const head = published && overrides.embeddings === undefined ? published.headBytesPerElement : null
  return {
    head: head ?? (isGgufMix(embeddings) ? ggufMixBytes(spec, embeddings).headBytesPerElement : weightBytesPerElement(embeddings, int4GroupSize)),
    linear: bpe('linear'),
    experts: bpe('experts'),
    unquantized: bpe('unquantized'),
  }
}

export interface WeightBytes {
  /** Bytes of weights the accelerator must hold. */
  deviceBytes: number
  /** Per-layer embeddings (Gemma 3n), which the runtime can keep in host memory instead. */
  offloadableBytes: number
  byClass: Record<WeightClass, number>
}

/**
 * weightsBytes = Σ_classes params(class) · bytesPerElement(format of the class) (registry: weights.bytes.class,
 * weights.bytes.device). Block formats (MXFP4, NVFP4, int4 groups, GGUF) include their scales (see dtype.ts).
 */
export function weightBytes(breakdown: ParamBreakdown, formats: WeightFormats, o: {int4GroupSize?: number; offloadPerLayerEmbeddings?: boolean} = {}): WeightBytes {
  // Hot path of sweeps: plain reads of a fixed key list, no allocation but the result.
  const group = o.int4GroupSize
  const offloadableBytes = classBytes(formats, 'embeddings', 'perLayerEmbeddings', breakdown.perLayerEmbedding, group)
  const byClass: Record<WeightClass, number> = {
    embeddings: classBytes(formats, 'embeddings', 'embeddings', breakdown.embedding + breakdown.lmHead, group) + offloadableBytes,
    linear: classBytes(formats, 'linear', 'linear', breakdown.attention + breakdown.denseFfn + breakdown.sharedExperts + breakdown.other, group),
    experts: classBytes(formats, 'experts', 'experts', breakdown.routedExperts, group),
    unquantized: classBytes(formats, 'unquantized', 'unquantized', breakdown.norms + breakdown.router, group),
  }
  const deviceBytes = deviceWeightBytes.evaluate(deviceWeightBytes.read!(byClass, offloadedBytes(offloadableBytes, o.offloadPerLayerEmbeddings)))
  return {deviceBytes, offloadableBytes, byClass}
}
