// Roofline speed and cost: time = max(compute time, memory time) per phase, plus the tensor-parallel all-reduce.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {decodeFlopsPerToken, defaultFlopsOptions, prefillFlops, type FlopsOptions} from './flops.js'
import {kvCache} from './kv.js'
import type {MemoryScenario} from './memory.js'
import {paramCounts, type ParamBreakdown} from './params.js'
import {weightFormatsFor} from './weights.js'
import {weightBytesPerElement} from './dtype.js'

export type ComputeFormat = 'fp32' | 'bf16' | 'fp16' | 'fp8' | 'int8' | 'fp4'

export interface PerfOptions {
  /** Share of peak FLOP/s prefill achieves (MFU). */
  prefillMfu: number
  /** Share of peak memory bandwidth decode achieves (MBU). */
  bandwidthEfficiency: number
  /** Peak column of the hardware profile to use; null = from the weight format (fp8 weights on fp8 hardware run fp8). */
  computeFormat: ComputeFormat | null
  flops: FlopsOptions
}

/**
 * Defaults. Prefill MFU 0.5: PaLM reached 46.2% MFU in training (Chowdhery et al. 2022, Table 3), and large-batch
 * prefill reaches up to 76% (Pope et al. 2022, Efficiently Scaling Transformer Inference). Decode MBU 0.7: the
 * middle of the 56-81% of peak bandwidth that llama.cpp reaches for batch-1 decode on RTX 3090/4090 in the
 * published measurements of docs/calibration.json. Both overridable (--mfu, --mbu).
 */
export const defaultPerfOptions: PerfOptions = {prefillMfu: 0.5, bandwidthEfficiency: 0.7, computeFormat: null, flops: defaultFlopsOptions}

export interface PeakChoice {
  format: ComputeFormat
  flopsPerSecond: number
}

/** The peak to divide FLOPs by: the requested column, else the weight format's, falling back bf16 → fp16 → fp32. */
export function peakFor(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, requested: ComputeFormat | null): PeakChoice {
  const peaks = hw.peakFlopsPerSecond
  if (requested) {
    const value = peaks[requested]
    if (value === null) throw new RangeError(`${hw.id} has no ${requested} peak in its profile`)
    return {format: requested, flopsPerSecond: value}
  }
  const linear = weightFormatsFor(spec, s.weightFormats).linear
  const preferred: ComputeFormat[] =
    linear === 'fp8' ? ['fp8', 'bf16', 'fp16', 'fp32'] : linear === 'nvfp4' || linear === 'mxfp4' ? ['fp4', 'bf16', 'fp16', 'fp32'] : ['bf16', 'fp16', 'fp32']
  for (const format of preferred) {
    const value = peaks[format]
    if (value !== null) return {format, flopsPerSecond: value}
  }
  throw new RangeError(`${hw.id} lists no bf16, fp16 or fp32 peak`)
}

/** Expected distinct experts that `tokens` tokens route to in one MoE layer: E · (1 - (1 - k/E)^tokens), uniform routing. */
export function expectedExpertsHit(experts: number, topK: number, tokens: number): number {
  return experts * (1 - (1 - topK / experts) ** tokens)
}

/**
 * Weight bytes read by one forward step over `tokens` tokens: everything that multiplies (embedding and
 * per-layer-embedding lookups read only their rows, left out), with routed experts only for the experts hit.
 */
export function weightBytesRead(spec: ModelSpec, s: MemoryScenario, tokens: number): number {
  // Hot path of sweeps: no allocation. Same classes as weightBytes (weights.ts componentClass).
  const b = paramCounts(spec).breakdown
  const f = s.weightFormats
  const c = spec.checkpointWeights
  const group = s.int4GroupSize
  const routed = spec.moe ? (b.routedExperts * expectedExpertsHit(spec.moe.routedExperts, spec.moe.topK, tokens)) / spec.moe.routedExperts : 0
  return (
    (spec.embeddings.tied ? b.embedding : b.lmHead) * weightBytesPerElement(f.embeddings ?? c.embeddings, group) +
    (b.attention + b.denseFfn + b.sharedExperts + b.other) * weightBytesPerElement(f.linear ?? c.linear, group) +
    routed * weightBytesPerElement(f.experts ?? c.experts, group) +
    (b.norms + b.router) * weightBytesPerElement(f.unquantized ?? c.unquantized, group)
  )
}

/**
 * Seconds for one all-reduce pattern over a step: two all-reduces per layer (after attention and after the FFN,
 * Megatron-LM) of tokens · h activations in 16 bits, ring algorithm: each device sends 2 (tp - 1)/tp of the
 * buffer over its link. Latency of small messages is not included. Zero at tp = 1; null when the link is unknown.
 */
export function allReduceSeconds(spec: ModelSpec, tp: number, tokens: number, hw: HardwareSpec): number | null {
  if (tp === 1) return 0
  if (hw.interconnectBytesPerSecond === null) return null
  const bytes = 2 * spec.layers * tokens * spec.hiddenSize * 2
  return ((2 * (tp - 1)) / tp) * bytes / hw.interconnectBytesPerSecond
}

export interface PhaseTime {
  seconds: number
  computeSeconds: number
  memorySeconds: number
  commSeconds: number
  flops: number
  bytes: number
  bound: 'compute' | 'memory'
}

export interface PerfScenario extends MemoryScenario {
  promptTokens: number
  outputTokens: number
}

/**
 * Prefill of the prompts of `batch` sequences: max(FLOPs / (peak · MFU · tp), bytes / (bandwidth · MBU · tp)) + comm.
 * Bytes = weights read once (experts hit by all prompt tokens) + the KV cache written. Pipeline stages run one
 * after another for a single batch, so only tensor-parallel devices add speed.
 */
export function prefillTime(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions): PhaseTime {
  const tp = s.layout.tp
  const peak = peakFor(spec, s, hw, o.computeFormat).flopsPerSecond
  const tokens = s.batch * s.promptTokens
  const flops = s.batch * prefillFlops(spec, s.promptTokens, o.flops)
  const bytes = weightBytesRead(spec, s, tokens) + kvCache(spec, s.promptTokens, s.batch, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  const computeSeconds = flops / (peak * o.prefillMfu * tp)
  const memorySeconds = bytes / (hw.memoryBandwidthBytesPerSecond * o.bandwidthEfficiency * tp)
  const commSeconds = allReduceSeconds(spec, tp, tokens, hw) ?? 0
  return {seconds: Math.max(computeSeconds, memorySeconds) + commSeconds, computeSeconds, memorySeconds, commSeconds, flops, bytes, bound: computeSeconds >= memorySeconds ? 'compute' : 'memory'}
}

/**
 * One decode step for `batch` sequences at context L: max(bytes / (bandwidth · MBU · tp), FLOPs / (peak · tp)) + comm.
 * Bytes = weights read (shared part + the experts the batch hits) + every sequence's KV cache at L.
 */
export function decodeStepTime(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, contextTokens: number, o: PerfOptions): PhaseTime {
  const tp = s.layout.tp
  const peak = peakFor(spec, s, hw, o.computeFormat).flopsPerSecond
  const flops = s.batch * decodeFlopsPerToken(spec, contextTokens, o.flops)
  const bytes = weightBytesRead(spec, s, s.batch) + kvCache(spec, contextTokens, s.batch, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  const computeSeconds = flops / (peak * tp)
  const memorySeconds = bytes / (hw.memoryBandwidthBytesPerSecond * o.bandwidthEfficiency * tp)
  const commSeconds = allReduceSeconds(spec, tp, s.batch, hw) ?? 0
  return {seconds: Math.max(computeSeconds, memorySeconds) + commSeconds, computeSeconds, memorySeconds, commSeconds, flops, bytes, bound: computeSeconds >= memorySeconds ? 'compute' : 'memory'}
}

/** Smallest batch at which a decode step is compute-bound (the roofline's ridge), or null past 65,536. */
export function ridgeBatch(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, contextTokens: number, o: PerfOptions): number | null {
  const computeBound = (batch: number) => {
    const t = decodeStepTime(spec, {...s, batch}, hw, contextTokens, o)
    return t.computeSeconds >= t.memorySeconds
  }
  let high = 1
  while (!computeBound(high)) {
    high *= 2
    if (high > 65536) return null
  }
  let low = Math.floor(high / 2)
  if (low < 1) return 1
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (computeBound(mid)) high = mid
    else low = mid
  }
  return high
}

export interface PerfEstimate {
  prefill: PhaseTime
  decode: PhaseTime
  /** Context at which the representative decode step is taken: the prompt plus half the output (the mean over the output). */
  decodeContextTokens: number
  ttftSeconds: number
  tpotSeconds: number
  tokensPerSecond: number
  aggregateTokensPerSecond: number
  ridgeBatch: number | null
  peakFormat: ComputeFormat
  commIncluded: boolean
}

export function perfEstimate(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions = defaultPerfOptions): PerfEstimate {
  const prefill = prefillTime(spec, s, hw, o)
  const decodeContextTokens = s.promptTokens + Math.max(1, Math.round(s.outputTokens / 2))
  const decode = decodeStepTime(spec, s, hw, decodeContextTokens, o)
  return {
    prefill,
    decode,
    decodeContextTokens,
    ttftSeconds: prefill.seconds, // the prefill's last position yields the first output token
    tpotSeconds: decode.seconds,
    tokensPerSecond: 1 / decode.seconds,
    aggregateTokensPerSecond: s.batch / decode.seconds,
    ridgeBatch: ridgeBatch(spec, s, hw, decodeContextTokens, o),
    peakFormat: peakFor(spec, s, hw, o.computeFormat).format,
    commIncluded: s.layout.tp === 1 || hw.interconnectBytesPerSecond !== null,
  }
}

export interface CostEstimate {
  devices: number
  /** Hourly price of all devices; null (and the costs with it) when the profile has no price and none was given. */
  pricePerHourUsd: number | null
  costPerMillionInputTokens: number | null
  costPerMillionOutputTokens: number | null
  outputTokensPerDollar: number | null
  joulesPerOutputToken: number
}

/**
 * Cost while the devices serve this workload continuously: the price of all devices per second over the tokens
 * processed per second (input: the batch's prompt tokens per prefill; output: batch tokens per decode step).
 * Energy: board power of all devices over output tokens per second.
 */
export function costEstimate(p: PerfEstimate, s: PerfScenario, hw: HardwareSpec, devices: number, pricePerHourUsd: number | null): CostEstimate {
  const joulesPerOutputToken = (hw.powerWatts * devices) / p.aggregateTokensPerSecond
  const price = pricePerHourUsd ?? hw.pricePerHourUsd
  if (price === null) return {devices, pricePerHourUsd: null, costPerMillionInputTokens: null, costPerMillionOutputTokens: null, outputTokensPerDollar: null, joulesPerOutputToken}
  const perSecond = (price * devices) / 3600
  const inputTokensPerSecond = (s.batch * s.promptTokens) / p.prefill.seconds
  return {
    devices,
    pricePerHourUsd: price * devices,
    costPerMillionInputTokens: (perSecond / inputTokensPerSecond) * 1e6,
    costPerMillionOutputTokens: (perSecond / p.aggregateTokensPerSecond) * 1e6,
    outputTokensPerDollar: p.aggregateTokensPerSecond / perSecond,
    joulesPerOutputToken,
  }
}
