// Memory of a deployment: weights + KV cache + activations of a prefill chunk + runtime overhead,
// for the model as a whole and for each device under a parallel layout.
import type {ModelSpec} from '../schema/model.js'
import type {KvFormat} from './dtype.js'
import {engineKvBytes, type EngineName} from './engines.js'
import {kvCache, type MlaCacheLayout} from './kv.js'
import {kvShareOfDevice, paramsPerDevice, type Layout} from './parallel.js'
import {paramCounts} from './params.js'
import {weightBytes, weightFormatsFor, type WeightFormats} from './weights.js'

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

export interface MemoryEstimate {
  weightsBytes: number
  /** Per-layer embeddings kept in host memory (Gemma 3n), when offloaded. */
  offloadedWeightsBytes: number
  kvBytes: number
  /** What the named engine reserves for the same requests (null when no engine is named). */
  engineKvBytes: number | null
  activationBytes: number
  overheadBytes: number
  totalBytes: number
  perDevice: {weightsBytes: number; kvBytes: number; activationBytes: number; overheadBytes: number; totalBytes: number}
}

export function memoryEstimate(spec: ModelSpec, s: MemoryScenario): MemoryEstimate {
  const params = paramCounts(spec)
  const formats = weightFormatsFor(spec, s.weightFormats)
  const weights = weightBytes(params.breakdown, formats, {int4GroupSize: s.int4GroupSize, offloadPerLayerEmbeddings: s.offloadPerLayerEmbeddings})
  const kv = kvCache(spec, s.contextTokens, s.batch, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  const engineKv = s.engine ? engineKvBytes(spec, s.contextTokens, s.batch, s.engine, {kvFormat: s.kvFormat}) : null
  const kvUsed = engineKv ?? kv
  const activations = activationBytes(spec, s)
  const devices = s.layout.tp * s.layout.pp

  const deviceParams = paramsPerDevice(params.breakdown, s.layout)
  const deviceWeights = weightBytes(deviceParams, formats, {int4GroupSize: s.int4GroupSize, offloadPerLayerEmbeddings: s.offloadPerLayerEmbeddings}).deviceBytes
  const deviceKv = kvUsed * kvShareOfDevice(spec, s.layout)
  const perDevice = {
    weightsBytes: Math.ceil(deviceWeights),
    kvBytes: Math.ceil(deviceKv),
    activationBytes: Math.ceil(activations),
    overheadBytes: s.overheadBytesPerDevice,
    totalBytes: 0,
  }
  perDevice.totalBytes = perDevice.weightsBytes + perDevice.kvBytes + perDevice.activationBytes + perDevice.overheadBytes

  const estimate = {
    weightsBytes: Math.ceil(weights.deviceBytes),
    offloadedWeightsBytes: s.offloadPerLayerEmbeddings ? Math.ceil(weights.offloadableBytes) : 0,
    kvBytes: Math.ceil(kv),
    engineKvBytes: engineKv === null ? null : Math.ceil(engineKv),
    activationBytes: Math.ceil(activations) * devices,
    overheadBytes: s.overheadBytesPerDevice * devices,
    totalBytes: 0,
    perDevice,
  }
  estimate.totalBytes = estimate.weightsBytes + Math.ceil(kvUsed) + estimate.activationBytes + estimate.overheadBytes
  return estimate
}

