// Memory of a deployment: weights + KV cache + activations of a prefill chunk + runtime overhead, as a tree of
// leaves whose totals are their sums, for the model as a whole and for each device under a parallel layout.
import type {ModelSpec} from '../schema/model.js'
import {scenarioDefaults} from '../schema/scenario-defaults.js'
import type {EngineSettings} from '../schema/scenario-fields.js'
import type {MemoryLeaf} from '../schema/results/memory.js'
import type {KvFormat} from './dtype.js'
import {engineKvBytes, type EngineName} from './engines.js'
import {kvCache, type MlaCacheLayout} from './kv.js'
import {kvShareOfDevice, paramsPerDevice, type Layout} from './parallel.js'
import {activationBytes as activationFormula, attentionActivationWidth, classWeightBytes, ffnActivationWidth} from './formulas/memory.js'
import {paramCounts} from './params.js'
import {perSpec} from './per-spec.js'
import {readBytesPerElement, weightBytes, weightFormatsFor, type WeightBytes, type WeightFormats} from './weights.js'

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
  /** Parameters of the draft network speculative decoding loads beside the model (the MTP layers); absent: none. */
  draftParams?: number
  /** The engine's own settings (--max-num-batched-tokens, --engine-version, ...), where an engine is named. */
  engineSettings?: EngineSettings
  layout: Layout
}

/** The scenario with every default (src/schema/scenario-defaults.ts) and the model's own context cap and KV dtype. */
export const defaultScenario = (spec: ModelSpec): MemoryScenario => ({
  contextTokens: Math.min(scenarioDefaults.contextTokens, spec.maxContextTokens),
  batch: scenarioDefaults.batch,
  kvFormat: defaultKvFormat(spec),
  mlaCache: scenarioDefaults.mlaCache,
  weightFormats: {},
  int4GroupSize: scenarioDefaults.int4GroupSize,
  offloadPerLayerEmbeddings: false,
  prefillChunkTokens: scenarioDefaults.prefillChunkTokens,
  overheadBytesPerDevice: scenarioDefaults.overheadBytesPerDevice,
  engine: null,
  layout: {tp: 1, ep: 1, pp: 1},
})

/** The KV cache defaults to the model's compute dtype (vLLM kv_cache_dtype "auto"); fp32 checkpoints run in bf16. */
export const defaultKvFormat = (spec: ModelSpec): KvFormat => (spec.dtype === 'fp16' ? 'fp16' : 'bf16')

/** The widest attention and MLP activations of one token (registry: memory.activations.attentionWidth, ffnWidth), once per spec. */
const activationWidths = perSpec((spec) => ({
  attention: attentionActivationWidth.evaluate(attentionActivationWidth.read!(spec)),
  ffn: ffnActivationWidth.evaluate(ffnActivationWidth.read!(spec)),
}))

/**
 * Peak live activations while prefilling one chunk of C tokens, per device (registry: memory.activations):
 *     C · (2h + max(attention widths, FFN widths)) · 2 bytes / tp  +  B · vocab · 4 bytes of fp32 logits
 * This mirrors what vLLM's profile_run measures with a dummy batch of max_num_batched_tokens.
 */
export function activationBytes(spec: ModelSpec, s: MemoryScenario): number {
  const widths = activationWidths(spec)
  return activationFormula.evaluate(activationFormula.read!(spec, s, widths.attention, widths.ffn))
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

/** The four weights/* leaves and the KV, activation and overhead leaves, in that order (a literal, not a spread: this runs in sweeps). */
function leavesOf(w: WeightBytes, offloaded: boolean, kvPath: MemoryLeaf['path'], kvBytes: number, activations: number, overhead: number): MemoryLeaf[] {
  // Per-layer embeddings kept in host memory (Gemma 3n, when offloaded) are not on the device and not a leaf.
  const embeddings = offloaded ? w.byClass.embeddings - w.offloadableBytes : w.byClass.embeddings
  return [
    {path: 'weights/embeddings', bytes: Math.ceil(embeddings)},
    {path: 'weights/linear', bytes: Math.ceil(w.byClass.linear)},
    {path: 'weights/experts', bytes: Math.ceil(w.byClass.experts)},
    {path: 'weights/unquantized', bytes: Math.ceil(w.byClass.unquantized)},
    {path: kvPath, bytes: Math.ceil(kvBytes)},
    {path: 'activations', bytes: activations},
    {path: 'overhead', bytes: overhead},
  ]
}

/** Sum of the leaves whose path is `prefix` or starts with `prefix/` (all of them without a prefix). */
export function sumOfLeaves(leaves: readonly MemoryLeaf[], prefix?: string): number {
  let sum = 0
  for (const leaf of leaves) if (prefix === undefined || leaf.path === prefix || leaf.path.startsWith(`${prefix}/`)) sum += leaf.bytes
  return sum
}

interface CachedWeights {
  int4GroupSize: number
  offload: boolean
  weights: WeightBytes
  deviceWeights: WeightBytes
}

/**
 * Weight bytes of the whole model and of one device. They do not change with context or batch, so a sweep over
 * those reuses them: cached per spec, per weight-format object and per layout object (scenarios are never mutated,
 * and those spread from one base share both), and checked against the two plain settings.
 */
const weightCache = new WeakMap<ModelSpec, WeakMap<object, WeakMap<Layout, CachedWeights>>>()
function weightsOf(spec: ModelSpec, s: MemoryScenario): CachedWeights {
  let byFormats = weightCache.get(spec)
  if (!byFormats) weightCache.set(spec, (byFormats = new WeakMap()))
  let byLayout = byFormats.get(s.weightFormats)
  if (!byLayout) byFormats.set(s.weightFormats, (byLayout = new WeakMap()))
  const cached = byLayout.get(s.layout)
  if (cached && cached.int4GroupSize === s.int4GroupSize && cached.offload === s.offloadPerLayerEmbeddings) return cached
  const breakdown = paramCounts(spec).breakdown
  const formats = weightFormatsFor(spec, s.weightFormats)
  const options = {int4GroupSize: s.int4GroupSize, offloadPerLayerEmbeddings: s.offloadPerLayerEmbeddings}
  const entry = {
    int4GroupSize: s.int4GroupSize,
    offload: s.offloadPerLayerEmbeddings,
    weights: weightBytes(breakdown, formats, options),
    deviceWeights: weightBytes(paramsPerDevice(breakdown, s.layout), formats, options),
  }
  byLayout.set(s.layout, entry)
  return entry
}

/** Bytes of the draft network: its parameters at the bytes per element of the model's linear layers. */
function draftWeightBytes(spec: ModelSpec, s: MemoryScenario): number {
  return Math.ceil(classWeightBytes.evaluate({x: s.draftParams!, bpe: readBytesPerElement(spec, s.weightFormats, s.int4GroupSize).linear}))
}

export function memoryEstimate(spec: ModelSpec, s: MemoryScenario): MemoryEstimate {
  const {weights, deviceWeights} = weightsOf(spec, s)
  const kv = kvCache(spec, s.contextTokens, s.batch, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  const engineKv = s.engine ? engineKvBytes(spec, s.contextTokens, s.batch, s.engine, {kvFormat: s.kvFormat}) : null
  // The one KV leaf: what the deployment holds. With an engine, its reservation; else the theoretical cache.
  const kvPath = engineKv === null ? ('kv/theoretical' as const) : ('kv/engine-reserved' as const)
  const kvHeld = engineKv ?? kv
  const devices = s.layout.tp * s.layout.pp
  const deviceActivations = Math.ceil(activationBytes(spec, s))
  const deviceOverhead = Math.ceil(s.overheadBytesPerDevice)

  const leaves = leavesOf(weights, s.offloadPerLayerEmbeddings, kvPath, kvHeld, deviceActivations * devices, deviceOverhead * devices)
  const deviceLeaves = leavesOf(deviceWeights, s.offloadPerLayerEmbeddings, kvPath, kvHeld * kvShareOfDevice(spec, s.layout), deviceActivations, deviceOverhead)

  // The draft network (MTP layers) sits beside the weights, split over tensor-parallel ranks as they are.
  const draft = s.draftParams ? draftWeightBytes(spec, s) : 0
  const deviceDraft = draft === 0 ? 0 : Math.ceil(draft / s.layout.tp)
  // Sums of the leaves just built, added directly (sumOfLeaves by path is for readers; this runs in sweeps).
  const weightsBytes = leaves[0]!.bytes + leaves[1]!.bytes + leaves[2]!.bytes + leaves[3]!.bytes + draft
  const deviceWeightsBytes = deviceLeaves[0]!.bytes + deviceLeaves[1]!.bytes + deviceLeaves[2]!.bytes + deviceLeaves[3]!.bytes + deviceDraft
  if (draft > 0) {
    leaves.splice(4, 0, {path: 'weights/draft', bytes: draft})
    deviceLeaves.splice(4, 0, {path: 'weights/draft', bytes: deviceDraft})
  }
  const [kvLeaf, activationLeaf, overheadLeaf] = draft > 0 ? [leaves[5]!, leaves[6]!, leaves[7]!] : [leaves[4]!, leaves[5]!, leaves[6]!]
  const deviceKvLeaf = draft > 0 ? deviceLeaves[5]! : deviceLeaves[4]!
  return {
    weightsBytes,
    offloadedWeightsBytes: s.offloadPerLayerEmbeddings ? Math.ceil(weights.offloadableBytes) : 0,
    kvBytes: Math.ceil(kv),
    engineKvBytes: engineKv === null ? null : Math.ceil(engineKv),
    activationBytes: activationLeaf.bytes,
    overheadBytes: overheadLeaf.bytes,
    totalBytes: weightsBytes + kvLeaf.bytes + activationLeaf.bytes + overheadLeaf.bytes,
    leaves,
    perDevice: {
      weightsBytes: deviceWeightsBytes,
      kvBytes: deviceKvLeaf.bytes,
      activationBytes: deviceActivations,
      overheadBytes: deviceOverhead,
      totalBytes: deviceWeightsBytes + deviceKvLeaf.bytes + deviceActivations + deviceOverhead,
      leaves: deviceLeaves,
    },
  }
}
