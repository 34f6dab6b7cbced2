// `fit --train`: whether training fits, on how many devices, at which micro-batch and up to which sequence length.
import type {TrainScenario} from '../calc/training/estimate.js'
import {trainFit} from '../calc/training/fit.js'
import {formatBytes} from '../render/format.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {TrainFitResult} from '../schema/results/fit.js'
import {recipeText, trainResult} from './train.js'

export type {TrainFitResult} from '../schema/results/fit.js'
export {trainNotes} from './train.js'

export function trainFitResult(spec: ModelSpec, s: TrainScenario, devicesGiven: boolean): TrainFitResult {
  const f = trainFit(spec, s, devicesGiven)
  const common = {id: spec.id, hardware: s.hardware.id, devicesGiven, sequenceTokens: s.sequenceTokens}
  if (f.devices === null) return {...common, devices: null, fits: false, maxMicroBatchSequences: 0, longestSequenceTokens: 0, train: null}
  return {...common, devices: f.devices, fits: f.maxMicroBatchSequences > 0, maxMicroBatchSequences: f.maxMicroBatchSequences, longestSequenceTokens: f.longestSequenceTokens, train: trainResult(spec, f.scenario)}
}

const layoutText = (r: TrainFitResult) => {
  if (!r.train) return 'none up to 65,536 devices'
  const {tp, cp, pp, dp, ep} = r.train.layout
  return `tp${tp}${cp > 1 ? ` cp${cp}` : ''} pp${pp} dp${dp}${ep > 1 ? ` ep${ep}` : ''}`
}

const fitText = (r: TrainFitResult) => {
  const t = r.train
  if (!t) return 'DOES NOT FIT'
  return t.fits ? `fits, micro-batch ${r.maxMicroBatchSequences} (${formatBytes(t.spareBytes)} spare)` : `DOES NOT FIT (short by ${formatBytes(t.shortByBytes)} at micro-batch 1)`
}

export function trainFitView(results: TrainFitResult[], notes: string[]): TableView {
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'hardware', header: 'Hardware', kind: 'text', keep: true},
      {key: 'devices', header: 'Devices', kind: 'integer', keep: true},
      {key: 'layoutText', header: 'Layout', kind: 'text'},
      {key: 'recipe', header: 'Recipe', kind: 'text'},
      {key: 'fitText', header: 'Fits', kind: 'text', keep: true},
      {key: 'maxMicroBatchSequences', header: 'Largest micro-batch (sequences)', kind: 'integer', keep: true},
      {key: 'total', header: 'Memory / device at it', kind: 'bytes', unit: 'bytes'},
      {key: 'activations', header: 'Activations at it', kind: 'bytes', unit: 'bytes'},
      {key: 'capacityBytes', header: 'Device memory', kind: 'bytes', unit: 'bytes'},
      {key: 'longestSequenceTokens', header: 'Longest sequence (micro-batch 1)', kind: 'integer', unit: 'tokens', keep: true},
    ],
    rows: results.map((r) => ({
      id: r.id,
      hardware: r.hardware,
      devices: r.devices,
      layoutText: layoutText(r),
      recipe: r.train ? `${recipeText(r.train)}, seq ${r.sequenceTokens}` : '',
      fitText: fitText(r),
      maxMicroBatchSequences: r.maxMicroBatchSequences,
      total: r.train?.memoryPerDeviceBytes.total ?? null,
      activations: r.train?.memoryPerDeviceBytes.activations ?? null,
      capacityBytes: r.train?.capacityBytes ?? null,
      longestSequenceTokens: r.longestSequenceTokens,
    })),
    notes,
  }
}
