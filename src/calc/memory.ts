// Memory of a deployment: weights + KV cache + activations of a prefill chunk + runtime overhead, as a tree of
// leaves whose totals are their sums, for the model as a whole and for each device under a parallel layout.
import type {ModelSpec} from '../schema/model.js'
import type {MemoryLeaf} from '../schema/results/memory.js'
import type {KvFormat} from './dtype.js'
import {engineKvBytes, type EngineName} from './engines.js'
import {kvCache, type MlaCacheLayout} from './kv.js'
import {kvShareOfDevice, paramsPerDevice, type Layout} from './parallel.js'
import {paramCounts} from './params.js'
import {weightBytes, weightFormatsFor, type WeightBytes, type WeightFormats} from './weights.js'

export interface MemoryScenario {
  contextTokens: number
  batch: number
  kvFormat: KvFormat
  mlaCache: MlaCacheLayout
  weightFormats: Partial<WeightFormats>
  int4GroupSize: number
  offloadPerLayerEmbeddings: boolean
  /** Tokens in one prefill chunk: vLLM's max_num_batched_tokens (2048 by default for chunked prefill in V1's LLM class). */
  prefillChunkTokens: number
  /** CUDA context, NCCL buffers and allocator reserve per device; 1 GiB by default (vLLM reports 0.5-1.5 GiB non-torch memory). */
  overheadBytesPerDevice: number
  engine: EngineName | null
  layout: Layout
}

export const defaultScenario = (spec: ModelSpec): MemoryScenario => ({
  contextTokens: Math.min(32768, spec.maxContextTokens),
  batch: 1,
  kvFormat: kvFormatOf(spec.dtype),
  mlaCache: 'latent',
  weightFormats: {},
  int4GroupSize: 128,
  offloadPerLayerEmbeddings: false,
  prefillChunkTokens: 2048,
  overheadBytesPerDevice: 2 ** 30,
  engine: null,
  layout: {tp: 1, ep: 1, pp: 1},
})

/** The KV cache defaults to the model's compute dtype (vLLM kv_cache_dtype "auto"); fp32 checkpoints run in bf16. */
function kvFormatOf(dtype: ModelSpec['dtype']): KvFormat {
  return dtype === 'fp16' ? 'fp16' : 'bf16'
}

/**
 * Peak live activations while prefilling one chunk of C tokens, per device:
 *     C · (2h + max(attention widths, FFN widths)) · 2 bytes / tp  +  B · vocab · 4 bytes of fp32 logits
 * The largest tensors alive at once in one layer: the residual stream and its normed copy (2h), plus either
 * q, k, v and the attention output, or the FFN's gate and up outputs (for MoE: top-k experts' and the shared
 * expert's). Logits are computed for the last position of each sequence only (vLLM's compute_logits).
 * This mirrors what vLLM's profile_run measures with a dummy batch of max_num_batched_tokens.
 */
export function activationBytes(spec: ModelSpec, s: MemoryScenario): number {
  const att = spec.attention
  const attentionWidth = att.heads * att.headDim * (att.outputGate ? 2 : 1) + 2 * att.kvHeads * att.headDim + att.heads * att.valueHeadDim
  const widestDense = Math.max(spec.ffn.intermediateSize, ...spec.layerGroups.map((g) => g.ffnIntermediateSize ?? 0))
  const ffnWidth = spec.moe
    ? Math.max(2 * (spec.moe.topK * spec.moe.expertIntermediateSize + spec.moe.sharedIntermediateSize), 2 * widestDense)
    : 2 * widestDense
  const perToken = 2 * spec.hiddenSize + Math.max(attentionWidth, ffnWidth)
  const activationElementBytes = 2
  return (s.prefillChunkTokens * perToken * activationElementBytes) / s.layout.tp + s.batch * spec.embeddings.vocabSize * 4
}

/**
 * The memory of a deployment as a tree of leaves (src/schema/results/memory.ts names their paths), for the whole
 * deployment and for the fullest device:
 *   weights/embeddings, weights/linear, weights/experts, weights/unquantized   (weightBytes by class; offloaded
 *       per-layer embeddings are not on the device and not a leaf)
 *   kv/engine-reserved with an engine, else kv/theoretical                    (one KV leaf: what the deployment holds)
 *   activations, overhead
 * Each leaf is rounded up to whole bytes once, here; every total is the sum of its leaves and nothing else.
 * The KV figure that is not the leaf (the theoretical cache when an engine is named) is reported apart, for comparison.
 */
export interface MemoryEstimate {
  /** Sum of the weights/* leaves. */
  weightsBytes: number
  /** Per-layer embeddings kept in host memory (Gemma 3n), when offloaded; not a leaf. */
  offloadedWeightsBytes: number
  /** Theoretical KV cache of all sequences (the kv/theoretical leaf without an engine; apart with one). */
  kvBytes: number
  /** What the named engine reserves for the same requests: the kv/engine-reserved leaf (null when no engine is named). */
  engineKvBytes: number | null
  /** The activations leaf: one prefill chunk on every device. */
  activationBytes: number
  /** The overhead leaf: runtime overhead of every device. */
  overheadBytes: number
  /** Sum of `leaves`. */
  totalBytes: number
  leaves: MemoryLeaf[]
  perDevice: {
    /** Sum of this device's weights/* leaves. */
    weightsBytes: number
    /** This device's KV leaf: its share of the engine reservation (with an engine) or of the theoretical cache. */
    kvBytes: number
    activationBytes: number
    overheadBytes: number
    /** Sum of `perDevice.leaves`. */
    totalBytes: number
    leaves: MemoryLeaf[]
  }
}

const weightClasses = ['embeddings', 'linear', 'experts', 'unquantized'] as const

/** The weights/* leaves: bytes per class, without the per-layer embeddings kept in host memory. */
function weightLeaves(w: WeightBytes, offloaded: boolean): MemoryLeaf[] {
  return weightClasses.map((cls) => ({
    path: `weights/${cls}` as const,
    bytes: Math.ceil(cls === 'embeddings' && offloaded ? w.byClass.embeddings - w.offloadableBytes : w.byClass[cls]),
  }))
}

/** Sum of the leaves whose path is `prefix` or starts with `prefix/` (all of them without a prefix). */
export function sumOfLeaves(leaves: readonly MemoryLeaf[], prefix?: string): number {
  let sum = 0
  for (const leaf of leaves) if (prefix === undefined || leaf.path === prefix || leaf.path.startsWith(`${prefix}/`)) sum += leaf.bytes
  return sum
}

export function memoryEstimate(spec: ModelSpec, s: MemoryScenario): MemoryEstimate {
  const params = paramCounts(spec)
  const formats = weightFormatsFor(spec, s.weightFormats)
  const weightOptions = {int4GroupSize: s.int4GroupSize, offloadPerLayerEmbeddings: s.offloadPerLayerEmbeddings}
  const weights = weightBytes(params.breakdown, formats, weightOptions)
  const kv = kvCache(spec, s.contextTokens, s.batch, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  const engineKv = s.engine ? engineKvBytes(spec, s.contextTokens, s.batch, s.engine, {kvFormat: s.kvFormat}) : null
  // The one KV leaf: what the deployment holds. With an engine, its reservation; else the theoretical cache.
  const kvPath = engineKv === null ? ('kv/theoretical' as const) : ('kv/engine-reserved' as const)
  const kvHeld = engineKv ?? kv
  const devices = s.layout.tp * s.layout.pp
  const deviceActivations = Math.ceil(activationBytes(spec, s))
  const deviceOverhead = Math.ceil(s.overheadBytesPerDevice)

  const leaves: MemoryLeaf[] = [
    ...weightLeaves(weights, s.offloadPerLayerEmbeddings),
    {path: kvPath, bytes: Math.ceil(kvHeld)},
    {path: 'activations', bytes: deviceActivations * devices},
    {path: 'overhead', bytes: deviceOverhead * devices},
  ]
  const deviceWeights = weightBytes(paramsPerDevice(params.breakdown, s.layout), formats, weightOptions)
  const deviceLeaves: MemoryLeaf[] = [
    ...weightLeaves(deviceWeights, s.offloadPerLayerEmbeddings),
    {path: kvPath, bytes: Math.ceil(kvHeld * kvShareOfDevice(spec, s.layout))},
    {path: 'activations', bytes: deviceActivations},
    {path: 'overhead', bytes: deviceOverhead},
  ]

  return {
    weightsBytes: sumOfLeaves(leaves, 'weights'),
    offloadedWeightsBytes: s.offloadPerLayerEmbeddings ? Math.ceil(weights.offloadableBytes) : 0,
    kvBytes: Math.ceil(kv),
    engineKvBytes: engineKv === null ? null : Math.ceil(engineKv),
    activationBytes: sumOfLeaves(leaves, 'activations'),
    overheadBytes: sumOfLeaves(leaves, 'overhead'),
    totalBytes: sumOfLeaves(leaves),
    leaves,
    perDevice: {
      weightsBytes: sumOfLeaves(deviceLeaves, 'weights'),
      kvBytes: sumOfLeaves(deviceLeaves, 'kv'),
      activationBytes: sumOfLeaves(deviceLeaves, 'activations'),
      overheadBytes: sumOfLeaves(deviceLeaves, 'overhead'),
      totalBytes: sumOfLeaves(deviceLeaves),
      leaves: deviceLeaves,
    },
  }
}
