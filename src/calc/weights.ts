// Weight bytes: parameters of each component class times the bytes per element of its format.
import type {ModelSpec} from '../schema/model.js'
import {weightBytesPerElement, type WeightFormat} from './dtype.js'
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
 * weightsBytes = Σ_components params(component) · bytesPerElement(format of its class).
 * Block formats (MXFP4, NVFP4, int4 groups, GGUF) include their scales (see dtype.ts).
 */
export function weightBytes(breakdown: ParamBreakdown, formats: WeightFormats, o: {int4GroupSize?: number; offloadPerLayerEmbeddings?: boolean} = {}): WeightBytes {
  // Hot path of sweeps: plain loops over a fixed key list, no allocation but the result.
  const group = o.int4GroupSize
  const embeddingBytes = weightBytesPerElement(formats.embeddings, group)
  const linearBytes = weightBytesPerElement(formats.linear, group)
  const expertBytes = weightBytesPerElement(formats.experts, group)
  const unquantizedBytes = weightBytesPerElement(formats.unquantized, group)
  const offloadableBytes = breakdown.perLayerEmbedding * embeddingBytes
  const byClass: Record<WeightClass, number> = {
    embeddings: (breakdown.embedding + breakdown.lmHead) * embeddingBytes + offloadableBytes,
    linear: (breakdown.attention + breakdown.denseFfn + breakdown.sharedExperts + breakdown.other) * linearBytes,
    experts: breakdown.routedExperts * expertBytes,
    unquantized: (breakdown.norms + breakdown.router) * unquantizedBytes,
  }
  const total = byClass.embeddings + byClass.linear + byClass.experts + byClass.unquantized
  return {deviceBytes: o.offloadPerLayerEmbeddings ? total - offloadableBytes : total, offloadableBytes, byClass}
}
