// Weight bytes: parameters of each component class times the bytes per element of its format.
import type {ModelSpec} from '../schema/model.js'
import {weightBytesPerElement, type WeightFormat} from './dtype.js'
import type {Values} from './formulas/formula.js'
import {classWeightBytes, deviceWeightBytes} from './formulas/memory.js'
import type {ParamBreakdown} from './params.js'

export type WeightClass = 'embeddings' | 'linear' | 'experts' | 'unquantized'

export type WeightFormats = Record<WeightClass, WeightFormat>

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

/** Symbols of the weight bytes of each storage class (weights.bytes.class), the per-layer embeddings apart: componentClass decides. */
export function weightClassValues(breakdown: ParamBreakdown, formats: WeightFormats, int4GroupSize?: number): Record<WeightClass | 'perLayerEmbeddings', Values<'x' | 'bpe'>> {
  const params: Record<WeightClass | 'perLayerEmbeddings', number> = {embeddings: 0, linear: 0, experts: 0, unquantized: 0, perLayerEmbeddings: breakdown.perLayerEmbedding}
  for (const c of Object.keys(componentClass) as (keyof ParamBreakdown)[]) if (c !== 'perLayerEmbedding') params[componentClass[c]] += breakdown[c]
  const bpe = (cls: WeightClass) => weightBytesPerElement(formats[cls], int4GroupSize)
  return {
    embeddings: {x: params.embeddings, bpe: bpe('embeddings')},
    perLayerEmbeddings: {x: params.perLayerEmbeddings, bpe: bpe('embeddings')},
    linear: {x: params.linear, bpe: bpe('linear')},
    experts: {x: params.experts, bpe: bpe('experts')},
    unquantized: {x: params.unquantized, bpe: bpe('unquantized')},
  }
}

/** Bytes kept in host memory: the per-layer embeddings when offloaded (Gemma 3n), else none. */
export const offloadedBytes = (offloadableBytes: number, offload: boolean | undefined): number => (offload ? offloadableBytes : 0)

/** The checkpoint's own formats, with any overrides from the command line. */
export function weightFormatsFor(spec: ModelSpec, overrides: Partial<WeightFormats> = {}): WeightFormats {
  return {...spec.checkpointWeights, ...overrides}
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
  const embeddingBytes = weightBytesPerElement(formats.embeddings, group)
  const offloadableBytes = classWeightBytes.evaluate({x: breakdown.perLayerEmbedding, bpe: embeddingBytes})
  const byClass: Record<WeightClass, number> = {
    embeddings: classWeightBytes.evaluate({x: breakdown.embedding + breakdown.lmHead, bpe: embeddingBytes}) + offloadableBytes,
    linear: classWeightBytes.evaluate({x: breakdown.attention + breakdown.denseFfn + breakdown.sharedExperts + breakdown.other, bpe: weightBytesPerElement(formats.linear, group)}),
    experts: classWeightBytes.evaluate({x: breakdown.routedExperts, bpe: weightBytesPerElement(formats.experts, group)}),
    unquantized: classWeightBytes.evaluate({x: breakdown.norms + breakdown.router, bpe: weightBytesPerElement(formats.unquantized, group)}),
  }
  const deviceBytes = deviceWeightBytes.evaluate(deviceWeightBytes.read!(byClass, offloadedBytes(offloadableBytes, o.offloadPerLayerEmbeddings)))
  return {deviceBytes, offloadableBytes, byClass}
}
