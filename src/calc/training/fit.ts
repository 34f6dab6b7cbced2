// `fit --train`: on the devices given (or the fewest that hold one sequence per micro-batch), the largest
// micro-batch that fits at the training sequence length, and the longest sequence that fits alone.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {trainCapacityBytes, trainEstimate, trainLayoutProblem, trainMemoryTotalBytes, type TrainScenario} from './estimate.js'
import type {TrainLayout} from './model-state.js'

/** Device counts tried when none is given: powers of two, as the layouts are, up to 65,536 (beyond the largest published runs). */
export const trainDeviceCountsTried = Array.from({length: 17}, (_, i) => 2 ** i)

/** Micro-batches are searched up to this many sequences; a model that fits more reports this bound. */
export const maxTrainMicroBatchSequences = 65536

export interface TrainFit {
  /** Devices of the run: as given, else the fewest tried that hold one sequence; null when none up to 65,536 does. */
  devices: number | null
  layout: TrainLayout | null
  /** Largest micro-batch (sequences of the scenario's length) that fits on the layout; 0 when one sequence does not. */
  maxMicroBatchSequences: number
  /** Longest sequence that fits one per micro-batch on the layout, up to the model maximum; 0 when none does. */
  longestSequenceTokens: number
  /** The scenario to report: at maxMicroBatchSequences, else at one sequence (showing the shortfall). */
  scenario: TrainScenario
}

/** Largest n in [low, high] with ok(n), for ok true up to some n and false after (memory grows with n); low - 1 when none. */
function largestWhere(low: number, high: number, ok: (n: number) => boolean): number {
  if (!ok(low)) return low - 1
  let bound = low
  // Doubling first, so small answers cost few evaluations; then bisection between the last good and first bad.
  while (bound < high && ok(Math.min(high, bound * 2))) bound = Math.min(high, bound * 2)
  let bad = Math.min(high + 1, bound * 2)
  while (bad - bound > 1) {
    const mid = Math.floor((bound + bad) / 2)
    if (ok(mid)) bound = mid
    else bad = mid
  }
  return bound
}

/** The layout trainEstimate picks at one sequence per micro-batch, fixed so the searches below vary one thing at a time. */
function pinnedScenario(spec: ModelSpec, s: TrainScenario): {scenario: TrainScenario; layout: TrainLayout; fits: boolean} {
  const one = {...s, microBatchSequences: 1}
  const e = trainEstimate(spec, one)
  return {scenario: {...one, parallel: {tp: e.layout.tp, pp: e.layout.pp, dp: e.layout.dp, ep: e.layout.ep, cp: e.layout.cp ?? 1}}, layout: e.layout, fits: e.fits}
}

/**
 * devicesGiven: the scenario's device count is the user's (8xh100); else the fewest of trainDeviceCountsTried on
 * which one sequence per micro-batch fits (a device count the layout flags cannot make is skipped).
 */
export function trainFit(spec: ModelSpec, s: TrainScenario, devicesGiven: boolean): TrainFit {
  let pinned = devicesGiven ? pinnedScenario(spec, s) : null
  if (!devicesGiven) {
    let refusal: unknown = null
    for (const devices of trainDeviceCountsTried) {
      const {tp, pp, dp} = s.parallel
      const cp = s.parallel.cp ?? 1
      if ((tp ?? 1) * cp * (pp ?? 1) * (dp ?? 1) > devices || (dp !== null && tp !== null && pp !== null && tp * cp * pp * dp !== devices)) continue
      let candidate
      try {
        candidate = pinnedScenario(spec, {...s, devices})
      } catch (error) {
        refusal = error // no legal layout of this model on this many devices (the layout flags' or the model's divisibility)
        continue
      }
      pinned = candidate
      if (candidate.fits) break
    }
    // No device count made a legal layout at all: the rule broken (as `train` would say it) is the answer.
    if (pinned === null && refusal !== null) {
      const {tp, pp, dp, ep} = s.parallel
      const problem = trainLayoutProblem(spec, {tp: tp ?? 1, pp: pp ?? 1, dp: dp ?? 1, ep: ep ?? 1, cp: s.parallel.cp ?? 1})
      throw problem ? new UserError(problem) : refusal
    }
    if (!pinned?.fits) return {devices: null, layout: null, maxMicroBatchSequences: 0, longestSequenceTokens: 0, scenario: {...s, microBatchSequences: 1}}
  }
  const {scenario, layout} = pinned!
  const capacity = trainCapacityBytes(s.hardware)
  const fitsWith = (t: TrainScenario) => trainMemoryTotalBytes(spec, t, layout) <= capacity
  const maxMicroBatchSequences = Math.max(0, largestWhere(1, maxTrainMicroBatchSequences, (m) => fitsWith({...scenario, microBatchSequences: m})))
  const longestSequenceTokens = Math.max(0, largestWhere(1, spec.maxContextTokens, (seq) => fitsWith({...scenario, sequenceTokens: seq})))
  return {devices: scenario.devices, layout, maxMicroBatchSequences, longestSequenceTokens, scenario: {...scenario, microBatchSequences: Math.max(1, maxMicroBatchSequences)}}
}
