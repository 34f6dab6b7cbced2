// One training scenario costed: the layout (given, or the smallest tensor x pipeline split that fits), memory per
// device by term, whether it fits, and the run's time and cost.
import {UserError} from '../../errors.js'
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import {scenarioDefaults} from '../../schema/scenario-defaults.js'
import {trainMemoryTotalBytes as trainMemoryTotalFormula} from '../formulas/training.js'
import {isMoe} from '../layers.js'
import {legalLayout} from '../layout-rules.js'
import {paramCounts} from '../params.js'
import {trainingActivationBytes, type ActivationBytes, type LossKind, type PipelineSchedule, type Recompute} from './activations.js'
import {loraAdapters, type LoraSetup} from './lora.js'
import {fullTrainingStateBytes, loraStateBytes, type FsdpMode, type ModelStateBytes, type TrainLayout, type ZeroStage} from './model-state.js'
import type {GradientDtype, Optimizer, TrainPrecision} from './recipe.js'
import {computeOptimalTokens, trainFlops, trainPeakFlops, trainTime, type TrainFlops, type TrainTime} from './time.js'

export interface TrainScenario {
  hardware: HardwareSpec
  devices: number
  /** Token budget of the run; null: memory and throughput only. */
  tokens: number | null
  sequenceTokens: number
  microBatchSequences: number
  /** Tokens per optimizer step across the data-parallel replicas; null = not stated (the pipeline is assumed full). */
  globalBatchTokens: number | null
  /** Degrees as given; null where archcost chooses (context parallelism: 1 unless given). */
  parallel: {tp: number | null; pp: number | null; dp: number | null; ep: number | null; cp?: number | null}
  zeroStage: ZeroStage
  fsdp: FsdpMode | null
  recompute: Recompute
  optimizer: Optimizer
  precision: TrainPrecision
  lora: LoraSetup | null
  /** Gradients of mixed precision (absent = bf16, as ZeRO counts them; fp32 as Megatron-LM keeps them). */
  gradientDtype?: GradientDtype
  mfu: number
  /** Where the MFU came from: '--mfu', or the default rule that applied (time.ts defaultTrainMfuFor); absent = '--mfu'. */
  mfuSource?: string
  schedule: PipelineSchedule
  chunksPerStage: number
  /** The cross-entropy (activations.ts lossKinds); absent: vocab-parallel (Megatron-LM's, Korthikanti's accounting). */
  loss?: LossKind
}

/** Devices per node, the tensor-parallel bound and the hybrid-sharding group (HGX/DGX nodes of 8). */
const devicesPerNode = 8

export interface MemoryPerDevice {
  weightsBytes: number
  gradientsBytes: number
  masterWeightsBytes: number
  optimizerStatesBytes: number
  gatheredWeightsBytes: number
  activationsBytes: number
  /** CUDA context, NCCL buffers and allocator reserve (the same allowance as inference, scenarioDefaults). */
  frameworkBytes: number
  totalBytes: number
}

export interface TrainEstimate {
  layout: TrainLayout
  microBatchesPerStep: number | null
  memory: MemoryPerDevice
  activations: ActivationBytes
  capacityBytes: number
  fits: boolean
  flops: TrainFlops
  time: TrainTime
  peakFlopsPerSecond: number
  loraAdapterParams: number | null
  trainableParams: number
  computeOptimalTokens: number
}

const divides = (a: number, b: number) => b % a === 0

/** Expert parallelism by default: the largest degree up to 64 that divides both the routed experts and tp x cp x dp (Megatron-Core needs both). */
function defaultEp(spec: ModelSpec, tp: number, dp: number, cp = 1): number {
  if (!spec.moe) return 1
  const group = tp * cp * dp
  for (let ep = Math.min(64, spec.moe.routedExperts, group); ep > 1; ep--) if (divides(ep, spec.moe.routedExperts) && divides(ep, group)) return ep
  return 1
}

/** The first rule a training layout breaks, or null. Tensor and pipeline splits as the engines need them (layout-rules.ts); experts as Megatron-Core. */
export function trainLayoutProblem(spec: ModelSpec, layout: TrainLayout): string | null {
  const {tp, pp, dp, ep} = layout
  const cp = layout.cp ?? 1
  // legalLayout's expert rules are vLLM's (ep = tp or tp x dp); training's are Megatron-Core's, checked below.
  const shape = legalLayout(spec, {tp, pp, dp, ep: ep > 1 && tp > 1 ? tp : 1})
  if (shape) return shape
  if (ep > 1) {
    if (!spec.moe) return `expert parallel ${ep} needs routed experts; ${spec.name} is a dense model (use --ep 1)`
    if (!divides(ep, spec.moe.routedExperts)) return `expert parallel ${ep} does not divide ${spec.name}'s ${spec.moe.routedExperts} routed experts (Megatron-Core needs num_moe_experts % expert_model_parallel_size == 0)`
    if (!divides(ep, tp * cp * dp))
      return `expert parallel ${ep} does not divide tp x ${cp > 1 ? 'cp x ' : ''}dp = ${tp * cp * dp} (Megatron-Core splits each stage's tp x cp x dp devices into ep x expert-data-parallel)`
  }
  return null
}

function memoryOf(spec: ModelSpec, s: TrainScenario, layout: TrainLayout, microBatchesPerStep: number | null) {
  const sharding = {zeroStage: s.zeroStage, fsdp: s.fsdp, devicesPerNode}
  const states: ModelStateBytes = s.lora ? loraStateBytes(spec, layout, sharding, s.lora, s.optimizer) : fullTrainingStateBytes(spec, layout, sharding, s.precision, s.optimizer, s.gradientDtype ?? 'bf16')
  const activations = trainingActivationBytes(spec, layout, {
    sequenceTokens: s.sequenceTokens,
    microBatchSequences: s.microBatchSequences,
    recompute: s.recompute,
    flashAttention: true,
    dropout: false,
    sequenceParallel: layout.tp > 1,
    bytesPerElement: s.precision === 'fp32' ? 4 : 2,
    schedule: s.schedule,
    chunksPerStage: s.chunksPerStage,
    microBatchesPerStep,
    loraRankPerToken: s.lora ? loraAdapters(spec, s.lora, s.optimizer).rankActivationsPerToken : 0,
    contextParallel: layout.cp ?? 1,
    loss: s.loss ?? 'vocab-parallel',
  })
  const frameworkBytes = scenarioDefaults.overheadBytesPerDevice
  const memory: MemoryPerDevice = {
    ...states,
    activationsBytes: activations.totalBytes,
    frameworkBytes,
    totalBytes: trainMemoryTotalFormula.evaluate({
      W: states.weightsBytes,
      G: states.gradientsBytes,
      M: states.masterWeightsBytes,
      O: states.optimizerStatesBytes,
      Gw: states.gatheredWeightsBytes,
      A: activations.totalBytes,
      F: frameworkBytes,
    }),
  }
  return {memory, activations}
}

/** Micro-batches per step and replica from the global batch; it must split into whole micro-batches. */
function microBatchesOf(s: TrainScenario, dp: number): number | null {
  if (s.globalBatchTokens === null) return null
  const perMicroBatch = s.sequenceTokens * s.microBatchSequences * dp
  const m = s.globalBatchTokens / perMicroBatch
  if (!Number.isInteger(m) || m < 1)
    throw new UserError(`--global-batch ${s.globalBatchTokens} tokens is not a whole number of micro-batches of ${s.sequenceTokens} x ${s.microBatchSequences} tokens on each of ${dp} data-parallel replicas (${perMicroBatch} tokens); make it a multiple of ${perMicroBatch}`)
  return m
}

/** Layouts to try, smallest model split first: tp up to a node (1, 2, 4, 8), then pipeline stages (powers of two). */
function candidateLayouts(spec: ModelSpec, s: TrainScenario): TrainLayout[] {
  const {tp, pp, dp, ep} = s.parallel
  const cp = s.parallel.cp ?? 1
  const tps = tp !== null ? [tp] : [1, 2, 4, 8].filter((t) => t <= s.devices)
  const out: TrainLayout[] = []
  for (const t of tps) {
    const pps = pp !== null ? [pp] : [1, 2, 4, 8, 16, 32, 64, 128].filter((p) => p <= spec.layers && t * cp * p <= s.devices)
    for (const p of pps) {
      const d = dp ?? s.devices / (t * cp * p)
      if (!Number.isInteger(d) || d < 1 || t * cp * p * d !== s.devices) continue
      const layout: TrainLayout = {tp: t, pp: p, dp: d, ep: ep ?? defaultEp(spec, t, d, cp), ...(cp > 1 && {cp})}
      if (trainLayoutProblem(spec, layout) === null) out.push(layout)
    }
  }
  return out.sort((a, b) => a.tp * a.pp - b.tp * b.pp || a.pp - b.pp)
}

/** The layout: as given (checked), or the first candidate whose memory fits (else the one needing the least memory). */
function chooseLayout(spec: ModelSpec, s: TrainScenario): TrainLayout {
  const {tp, pp, dp, ep} = s.parallel
  const cp = s.parallel.cp ?? 1
  // Megatron-Core splits each sequence into 2 x cp chunks (load-balanced causal attention): the length must divide.
  if (cp > 1 && s.sequenceTokens % (2 * cp) !== 0) throw new UserError(`--cp ${cp} needs a sequence length divisible by 2 x cp = ${2 * cp} (Megatron-Core splits each sequence into 2 x cp chunks); --seq ${s.sequenceTokens} is not`)
  if (tp !== null && pp !== null) {
    const d = dp ?? s.devices / (tp * cp * pp)
    if (!Number.isInteger(d) || tp * cp * pp * d !== s.devices)
      throw new UserError(`--tp ${tp}${cp > 1 ? ` x --cp ${cp}` : ''} x --pp ${pp}${dp !== null ? ` x --dp ${dp}` : ''} does not make the ${s.devices} devices of --gpus; devices = tp x cp x pp x dp`)
    const layout: TrainLayout = {tp, pp, dp: d, ep: ep ?? defaultEp(spec, tp, d, cp), ...(cp > 1 && {cp})}
    const problem = trainLayoutProblem(spec, layout)
    if (problem) throw new UserError(problem)
    return layout
  }
  const candidates = candidateLayouts(spec, s)
  if (candidates.length === 0) throw new UserError(`no legal layout of ${spec.name} on ${s.devices} devices with the given --tp/--cp/--pp/--dp/--ep; give a layout with devices = tp x cp x pp x dp`)
  const capacity = trainCapacityBytes(s.hardware)
  const totals = candidates.map((l) => memoryOf(spec, s, l, microBatchesOf(s, l.dp)).memory.totalBytes)
  const fitting = totals.findIndex((total) => total <= capacity)
  // None fits: the layout that comes closest, so the shortfall shown is the smallest this device count allows.
  return candidates[fitting >= 0 ? fitting : totals.indexOf(Math.min(...totals))]!
}

/** Memory of the fullest device on a given layout, for the searches of `fit --train` (no time, no layout choice). */
export const trainMemoryTotalBytes = (spec: ModelSpec, s: TrainScenario, layout: TrainLayout): number => memoryOf(spec, s, layout, microBatchesOf(s, layout.dp)).memory.totalBytes

/** Memory a device offers training: what the runtime reports (CUDA total_memory) where the profile states it. */
export const trainCapacityBytes = (hardware: HardwareSpec): number => hardware.visibleMemoryBytes ?? hardware.memoryBytes

export function trainEstimate(spec: ModelSpec, s: TrainScenario): TrainEstimate {
  const layout = chooseLayout(spec, s)
  const microBatchesPerStep = microBatchesOf(s, layout.dp)
  const {memory, activations} = memoryOf(spec, s, layout, microBatchesPerStep)
  const capacityBytes = trainCapacityBytes(s.hardware)
  const flops = trainFlops(spec, s.sequenceTokens, s.lora !== null, s.recompute)
  const peakFlopsPerSecond = trainPeakFlops(s.hardware, s.precision)
  const counts = paramCounts(spec)
  const loraParams = s.lora ? loraAdapters(spec, s.lora, s.optimizer).params : null
  return {
    layout,
    microBatchesPerStep,
    memory,
    activations,
    capacityBytes,
    fits: memory.totalBytes <= capacityBytes,
    flops,
    time: trainTime(flops.trainFlopsPerToken, s.tokens, s.devices, s.hardware, peakFlopsPerSecond, s.mfu),
    peakFlopsPerSecond,
    loraAdapterParams: loraParams,
    trainableParams: loraParams ?? counts.totalParams,
    computeOptimalTokens: computeOptimalTokens(isMoe(spec) ? counts.activeParams : counts.totalParams),
  }
}
