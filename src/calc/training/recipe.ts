// Precision recipes and optimizers: the bytes each trainable parameter costs in weights, gradients, master weights and
// optimizer states. Adafactor and Muon depend on each tensor's shape, so their states are counted over the spec's
// tensors (gguf-mix.ts tensorsOf: every weight with its shape) by storage class.
import type {ModelSpec} from '../../schema/model.js'
import {adafactorFactoredElements} from '../formulas/training.js'
import {tensorsOf} from '../gguf-mix.js'
import {perSpec} from '../per-spec.js'
import type {WeightClass} from '../weights.js'
import type {GradientDtype, Optimizer, TrainPrecision} from './options.js'

export {gradientDtypes, optimizers, trainPrecisions, type GradientDtype, type Optimizer, type TrainPrecision} from './options.js'


/** Bytes per trainable parameter of each model state, before any sharding. */
export interface StateBytesPerParam {
  /** The copy the forward and backward read: 2 in bf16, 4 in fp32; fp8 adds the 1-byte FP8 copy kept across micro-batches. */
  weights: number
  gradients: number
  /** fp32 copy the optimizer updates in mixed precision; 0 when training in fp32 (the weights are the master). */
  masterWeights: number
}

/**
 * Mixed precision (Micikevicius et al. 2018; ZeRO §3.1: "2Ψ + 2Ψ + KΨ" with K = 12 for fp32 master weights, momentum
 * and variance): 16-bit weights and gradients, fp32 master weights. FP8 (Transformer Engine, DeepSeek-V3 §3.3) keeps
 * the same bf16 weights, gradients and fp32 master, plus an fp8 copy of each weight cached across micro-batches
 * (its transpose is not counted). fp32: 4-byte weights and gradients, no separate master.
 */
export function stateBytesPerParam(precision: TrainPrecision, gradients: GradientDtype = 'bf16'): StateBytesPerParam {
  // fp32 gradients: Megatron-LM with bf16 accumulates and all-reduces them in fp32 (arguments.py: "bfloat16 requires
  // gradient accumulation and all-reduce to be done in fp32", main_grad buffers: its docs' 6 + 12/d bytes per parameter).
  const g = gradients === 'fp32' ? 4 : 2
  switch (precision) {
    case 'fp32':
      return {weights: 4, gradients: 4, masterWeights: 0}
    case 'fp8':
      return {weights: 2 + 1, gradients: g, masterWeights: 4}
    case 'bf16':
      return {weights: 2, gradients: g, masterWeights: 4}
  }
}


/** bitsandbytes 8-bit optimizers: block-wise quantization, one fp32 absmax per block of 2048 values (Dettmers et al. 2022 §2, blocksize 2048). */
const blockwise8BitBytes = 1 + 4 / 2048

/** Optimizer-state bytes per parameter of one tensor (fp32 states unless the optimizer says otherwise). */
function optimizerBytesOfTensor(optimizer: Optimizer, tensor: {ne: readonly number[]; elements: number; name: string; cls: WeightClass}): number {
  const matrix = tensor.ne.length >= 2 && tensor.ne[0]! > 1 && tensor.ne[1]! > 1
  switch (optimizer) {
    // AdamW (Loshchilov & Hutter 2019): first and second moments, fp32.
    case 'adamw':
      return 8 * tensor.elements
    case 'adamw-8bit':
      return 2 * blockwise8BitBytes * tensor.elements
    // SGD with momentum: one fp32 buffer.
    case 'sgd':
      return 4 * tensor.elements
    // Adafactor (Shazeer & Stern 2018; transformers Adafactor, beta1 None): factored second moment for matrices
    // (a row and a column per matrix, per expert for stacked experts), the full second moment for vectors; no first moment.
    case 'adafactor':
      return 4 * (matrix ? adafactorFactoredElements.evaluate({x: tensor.ne[2] ?? 1, r: tensor.ne[1]!, c: tensor.ne[0]!}) : tensor.elements)
    // Muon (Jordan et al. 2024; Moonlight, Liu et al. 2025 §2.2; Kimi K2 MuonClip): one fp32 momentum buffer for the
    // hidden matrices (routers included); embeddings, the LM head and every vector (norms, biases) stay on AdamW.
    case 'muon':
      return 4 * tensor.elements * (matrix && tensor.cls !== 'embeddings' ? 1 : 2)
  }
}

export interface OptimizerStateRatios {
  /** Optimizer-state bytes per parameter of each storage class (embeddings, linear, experts, unquantized). */
  bytesPerParam: Readonly<Record<WeightClass, number>>
}

const classesOf = (): Record<WeightClass, number> => ({embeddings: 0, linear: 0, experts: 0, unquantized: 0})

/** Per class: Σ optimizer-state bytes of its tensors / Σ their elements (a class without tensors costs AdamW's 8). */
const ratiosFor = (optimizer: Optimizer) =>
  perSpec((spec: ModelSpec): OptimizerStateRatios => {
    const bytes = classesOf()
    const params = classesOf()
    for (const t of tensorsOf(spec)) {
      // Gemma 3n's per-layer embeddings are embeddings for the optimizer too.
      const cls: WeightClass = t.cls === 'perLayerEmbeddings' ? 'embeddings' : t.cls
      bytes[cls] += optimizerBytesOfTensor(optimizer, {...t, cls, elements: t.ne.reduce((a, b) => a * b, 1)})
      params[cls] += t.ne.reduce((a, b) => a * b, 1)
    }
    const out = classesOf()
    for (const cls of Object.keys(out) as WeightClass[]) out[cls] = params[cls] > 0 ? bytes[cls] / params[cls] : 8
    return {bytesPerParam: out}
  })

const ratioCache = new Map<Optimizer, (spec: ModelSpec) => OptimizerStateRatios>()

/** Optimizer-state bytes per parameter by storage class for this spec and optimizer, from its tensors' shapes. */
export function optimizerStateRatios(spec: ModelSpec, optimizer: Optimizer): OptimizerStateRatios {
  let f = ratioCache.get(optimizer)
  if (!f) ratioCache.set(optimizer, (f = ratiosFor(optimizer)))
  return f(spec)
}

/** What each optimizer keeps, for notes. */
export const optimizerNotes: Record<Optimizer, string> = {
  adamw: 'AdamW: fp32 first and second moments, 8 bytes/param',
  'adamw-8bit': 'AdamW 8-bit (bitsandbytes): block-wise 1-byte moments with an fp32 absmax per 2048, about 2 bytes/param',
  adafactor: 'Adafactor: factored fp32 second moment (a row and a column per matrix), no first moment',
  muon: 'Muon: one fp32 momentum buffer for hidden matrices; embeddings, LM head, norms and biases on AdamW (Moonlight, Kimi K2)',
  sgd: 'SGD with momentum: one fp32 buffer, 4 bytes/param',
}
