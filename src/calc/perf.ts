// Roofline speed and cost: time = max(compute time, memory time) per phase, plus the tensor-parallel all-reduce.
// Every formula is a registry entry (src/calc/formulas/perf.ts); the functions here read and evaluate them.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {decodeFlopsPerToken, defaultFlopsOptions, prefillFlops, type FlopsOptions} from './flops.js'
import {
  allReduceSeconds as allReduceFormula,
  computeSeconds as computeFormula,
  decodeContextTokens as decodeContextFormula,
  joulesPerToken,
  memorySeconds as memoryFormula,
  phaseSeconds,
  stepBytes,
  stepFlops,
  stepTokens,
  tokensPerSecond,
  tokensPerUsd,
  usdPerHour,
  usdPerMillionTokens,
  usdPerSecond,
} from './formulas/perf.js'
import {kvBytesReadAt, kvCache} from './kv.js'
import type {MemoryScenario} from './memory.js'
import {scenarioDefaults} from '../schema/scenario-defaults.js'
import {computeFormats, expectedExpertsHit, peakFor, weightBytesRead, weightBytesReadValues, type ComputeFormat, type PeakChoice} from './step-reads.js'

export {computeFormats, expectedExpertsHit, peakFor, weightBytesRead, weightBytesReadValues, type ComputeFormat, type PeakChoice}
import {engineTimingOf, type EngineTiming} from './serving/latency.js'
import {servingEstimate, type ServingEstimate} from './serving/serving.js'
import {servingWorkload, type ServingRequest} from './serving/workload.js'

export interface PerfOptions {
  /** Share of peak FLOP/s prefill achieves (MFU). */
  prefillMfu: number
  /** Share of peak memory bandwidth decode achieves (MBU). */
  bandwidthEfficiency: number
  /** Peak column of the hardware profile to use; null = from the weight format (fp8 weights on fp8 hardware run fp8). */
  computeFormat: ComputeFormat | null
  flops: FlopsOptions
  /** How the engine's steps are timed beyond the roofline (latency terms, src/calc/serving/latency.ts). */
  engineTiming?: EngineTiming
  /** Share of device memory the engine may use, for the KV capacity that caps concurrency. */
  memoryUtilization?: number
}

/** Defaults: MFU and MBU as the scenario sets them (src/schema/scenario-defaults.ts says where each comes from). */
export const defaultPerfOptions: PerfOptions = {prefillMfu: scenarioDefaults.prefillMfu, bandwidthEfficiency: scenarioDefaults.bandwidthEfficiency, computeFormat: null, flops: defaultFlopsOptions}

/**
 * Seconds for one all-reduce pattern over a step: two all-reduces per layer (after attention and after the FFN,
 * Megatron-LM) of tokens · h activations in 16 bits, ring algorithm: each device sends 2 (tp - 1)/tp of the
 * buffer over its link. Latency of small messages is not included. Zero at tp = 1; null when the link is unknown.
 */
export function allReduceSeconds(spec: ModelSpec, tp: number, tokens: number, hw: HardwareSpec): number | null {
  if (tp === 1) return 0
  const link = hw.interconnectBytesPerSecond
  if (link === null) return null
  // A sweep over contexts asks the same step at every point: the last answer is kept.
  const l = lastAllReduce
  if (l && l.spec === spec && l.tp === tp && l.tokens === tokens && l.link === link) return l.seconds
  const seconds = allReduceFormula.evaluate(allReduceFormula.read!(spec, tp, tokens, link))
  lastAllReduce = {spec, tp, tokens, link, seconds}
  return seconds
}

let lastAllReduce: {spec: ModelSpec; tp: number; tokens: number; link: number; seconds: number} | null = null

/** Tokens of each sequence a decode step computes. */
export const decodeTokensPerSequence = 1

/** The KV options of a scenario. */
const kvOptionsOf = (s: MemoryScenario) => ({kvFormat: s.kvFormat, mlaCache: s.mlaCache})

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
  /** How requests arrive (absent: a static batch of `batch` sequences), speculation and prefix caching. */
  serving?: ServingRequest
}

/**
 * Prefill of the prompts of `batch` sequences: max(FLOPs / (peak · MFU · tp), bytes / (bandwidth · MBU · tp)) + comm.
 * Bytes = weights read once (experts hit by all prompt tokens) + the KV cache written. Pipeline stages run one
 * after another for a single batch, so only tensor-parallel devices add speed.
 */
export function prefillTime(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions): PhaseTime {
  const tokens = stepTokens.evaluate(stepTokens.read!(s.batch, s.promptTokens))
  const flops = stepFlops.evaluate(stepFlops.read!(s.batch, prefillFlops(spec, s.promptTokens, o.flops)))
  const bytes = stepBytes.evaluate(stepBytes.read!(weightBytesRead(spec, s, tokens), kvCache(spec, s.promptTokens, s.batch, kvOptionsOf(s)).totalBytes))
  return phaseTime(spec, s, hw, o, flops, bytes, o.prefillMfu, tokens)
}

/** The roofline of one step from its FLOPs and bytes: compute and memory time, the all-reduce, the longer of the two plus it. */
function phaseTime(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, o: PerfOptions, flops: number, bytes: number, share: number, tokens: number): PhaseTime {
  const tp = s.layout.tp
  const computeSeconds = computeFormula.evaluate(computeFormula.read!(flops, peakFor(spec, s, hw, o.computeFormat).flopsPerSecond, share, tp))
  const memorySeconds = memoryFormula.evaluate(memoryFormula.read!(bytes, hw, o.bandwidthEfficiency, tp))
  const commSeconds = allReduceSeconds(spec, tp, tokens, hw) ?? 0
  const seconds = phaseSeconds.evaluate(phaseSeconds.read!(computeSeconds, memorySeconds, commSeconds))
  return {seconds, computeSeconds, memorySeconds, commSeconds, flops, bytes, bound: computeSeconds >= memorySeconds ? 'compute' : 'memory'}
}

/**
 * One decode step for `batch` sequences at context L: max(bytes / (bandwidth · MBU · tp), FLOPs / (peak · tp)) + comm.
 * Bytes = weights read (shared part + the experts the batch hits) + every sequence's KV cache at L.
 */
export function decodeStepTime(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, contextTokens: number, o: PerfOptions): PhaseTime {
  const tokens = stepTokens.evaluate(stepTokens.read!(s.batch, decodeTokensPerSequence))
  const flops = stepFlops.evaluate(stepFlops.read!(s.batch, decodeFlopsPerToken(spec, contextTokens, o.flops)))
  // MSA sparse layers read only their top-k blocks' K and V (and every index key): kvBytesReadAt.
  const bytes = stepBytes.evaluate(stepBytes.read!(weightBytesRead(spec, s, tokens), kvBytesReadAt(spec, contextTokens, s.batch, kvOptionsOf(s))))
  return phaseTime(spec, s, hw, o, flops, bytes, decodeComputeShare, tokens)
}

/** Decode divides its FLOPs by the full peak (no MFU): at small batch it is memory-bound anyway; ridgeBatch finds where it turns compute-bound. */
export const decodeComputeShare = 1

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
  /** The prefill and decode rooflines alone (what bounds each; ridge batch). */
  prefill: PhaseTime
  decode: PhaseTime
  /** The engine serving the workload: latency terms, continuous batching, speculation (src/calc/serving). */
  serving: ServingEstimate
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
  const decodeContextTokens = decodeContextFormula.evaluate(decodeContextFormula.read!(s))
  const decode = decodeStepTime(spec, s, hw, decodeContextTokens, o)
  const serving = servingOf(spec, s, hw, o)
  return {
    prefill,
    decode,
    serving,
    decodeContextTokens,
    ttftSeconds: serving.ttftSeconds,
    tpotSeconds: serving.tpotSeconds,
    tokensPerSecond: serving.tokensPerSecondPerUser,
    aggregateTokensPerSecond: serving.aggregateOutputTokensPerSecond,
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
 * processed per second (input: prompt tokens per second of prefill; output: every request's output tokens per second).
 * Energy: board power of all devices over output tokens per second.
 */
export function costEstimate(p: PerfEstimate, s: PerfScenario, hw: HardwareSpec, devices: number, pricePerHourUsd: number | null): CostEstimate {
  const joulesPerOutputToken = joulesPerToken.evaluate({W: hw.powerWatts, devices, rate: p.aggregateTokensPerSecond})
  const price = devicePricePerHour(hw, pricePerHourUsd)
  if (price === null) return {devices, pricePerHourUsd: null, costPerMillionInputTokens: null, costPerMillionOutputTokens: null, outputTokensPerDollar: null, joulesPerOutputToken}
  const hourly = usdPerHour.evaluate(usdPerHour.read!(price, devices))
  const perSecond = usdPerSecond.evaluate(usdPerSecond.read!(hourly))
  // Input tokens per second while prefilling: the batch's prompts over the TTFT; under continuous batching, the prompts
  // the engine admits per second.
  const e = p.serving
  const inputTokensPerSecond =
    e.mode === 'batch'
      ? tokensPerSecond.evaluate(tokensPerSecond.read!(stepTokens.evaluate(stepTokens.read!(e.runningSequences, s.promptTokens)), e.ttftSeconds))
      : e.requestsPerSecond * s.promptTokens
  return {
    devices,
    pricePerHourUsd: hourly,
    costPerMillionInputTokens: usdPerMillionTokens.evaluate(usdPerMillionTokens.read!(perSecond, inputTokensPerSecond)),
    costPerMillionOutputTokens: usdPerMillionTokens.evaluate(usdPerMillionTokens.read!(perSecond, p.aggregateTokensPerSecond)),
    outputTokensPerDollar: tokensPerUsd.evaluate({rate: p.aggregateTokensPerSecond, usd: perSecond}),
    joulesPerOutputToken,
  }
}

/** Hourly price of one device: the one given (--price-per-hour), else the profile's; null when neither is known. */
export function devicePricePerHour(hw: HardwareSpec, pricePerHourUsd: number | null): number | null {
  return pricePerHourUsd ?? hw.pricePerHourUsd
}

/** The engine serving the scenario's workload (a static batch unless the scenario says otherwise). */
function servingOf(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions): ServingEstimate {
  const engine = o.engineTiming ?? engineTimingOf(s.engine, s.engineSettings?.enforceEager ?? false)
  return servingEstimate(spec, s, hw, o, engine, servingWorkload(spec, s, hw, o.memoryUtilization ?? 1))
}
