// Weight bytes: parameters of each component class times the bytes per element of its format.
import type {ModelSpec} from '../schema/model.js'
import {weightBytesPerElement, type WeightFormat} from './dtype.js'
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
  const deviceBytes = deviceWeightBytes.evaluate({
    embeddings: byClass.embeddings,
    linear: byClass.linear,
    experts: byClass.experts,
    unquantized: byClass.unquantized,
    offloaded: o.offloadPerLayerEmbeddings ? offloadableBytes : 0,
  })
  return {deviceBytes, offloadableBytes, byClass}
}
