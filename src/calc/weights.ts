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
  const byClass: Record<WeightClass, number> = {embeddings: 0, linear: 0, experts: 0, unquantized: 0}
  let offloadableBytes = 0
  for (const key of Object.keys(breakdown) as (keyof ParamBreakdown)[]) {
    const cls = componentClass[key]
    const bytes = breakdown[key] * weightBytesPerElement(formats[cls], o.int4GroupSize)
    if (key === 'perLayerEmbedding') offloadableBytes += bytes
    byClass[cls] += bytes
  }
  const total = byClass.embeddings + byClass.linear + byClass.experts + byClass.unquantized
  return {deviceBytes: o.offloadPerLayerEmbeddings ? total - offloadableBytes : total, offloadableBytes, byClass}
}
