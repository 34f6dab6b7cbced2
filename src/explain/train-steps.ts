// `explain train-memory | train-hours | train-cost`: the training calculators' own evaluations of the registry entries
// (src/calc/formulas/training.ts), recorded as they ran (traceFormulas), so no figure is derived twice. Apart from
// steps.ts so that the training calculators load only when a training figure is explained.
import {traceFormulas, type Evaluated} from '../calc/formulas/formula.js'
import {trainEstimate, trainMemoryTotalBytes, type TrainScenario} from '../calc/training/estimate.js'
import type {ModelSpec} from '../schema/model.js'
import {step, Steps, type Explanation, type ExplainStep, type TrainQuantity} from './steps.js'

/** The training scenario on the layout `train` picks, fixed, so the traced calculation is the one that was reported. */
function pinnedTrainScenario(spec: ModelSpec, s: TrainScenario): TrainScenario {
  const {tp, pp, dp, ep, cp} = trainEstimate(spec, s).layout
  return {...s, parallel: {tp, pp, dp, ep, cp: cp ?? 1}}
}

/** Every traced entry the calculation evaluated, each once, in the order it ran (the calculator's total last). */
const tracedSteps = (evaluations: Evaluated[]): ExplainStep[] => evaluations.reduce((out, e) => out.add(step(e)), new Steps()).list

/** Training memory per device, or the run's GPU-hours or cost, step by step. */
function trainSteps(spec: ModelSpec, s: TrainScenario, quantity: TrainQuantity): ExplainStep[] {
  const pinned = pinnedTrainScenario(spec, s)
  if (quantity === 'train-memory') {
    const {tp, pp, dp, ep, cp} = pinned.parallel
    return tracedSteps(traceFormulas(() => trainMemoryTotalBytes(spec, pinned, {tp: tp!, pp: pp!, dp: dp!, ep: ep!, cp: cp ?? 1})).evaluations)
  }
  const time = ['flops.trainPerToken', 'train.tokensPerSecondPerDevice', 'train.wallClockSeconds', 'train.gpuHours', ...(quantity === 'train-cost' ? ['train.costUsd'] : [])]
  const evaluations = traceFormulas(() => trainEstimate(spec, pinned)).evaluations.filter((e) => time.includes(e.formula.id))
  // The first of each entry: trainFlops counts model FLOPs (what time runs on) before hardware FLOPs (HFU, reported beside).
  return tracedSteps(evaluations.filter((e, i) => evaluations.findIndex((x) => x.formula.id === e.formula.id) === i))
}

/** The explanation of a training figure; its result is the last step's, the figure `train` prints. */
export function explainTrain(spec: ModelSpec, quantity: TrainQuantity, s: TrainScenario): Explanation {
  const steps = trainSteps(spec, s, quantity)
  const last = steps.at(-1)!
  return {id: spec.id, quantity, result: last.result, unit: last.unit, steps}
}
