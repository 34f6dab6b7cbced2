// `train` flag text -> a training scenario: shared by the command and the calibration of published runs.
import {defaultContextTokens} from '../calc/deployment.js'
import {lossKinds, pipelineSchedules, recomputeModes, type LossKind, type Recompute} from '../calc/training/activations.js'
import type {TrainScenario} from '../calc/training/estimate.js'
import {adapterPrecisions, defaultLoraTargets, parseLoraTargets, type AdapterPrecision} from '../calc/training/lora.js'
import type {FsdpMode, ZeroStage} from '../calc/training/model-state.js'
import type {BaseQuantization} from '../calc/training/quantized-base.js'
import type {Optimizer, TrainPrecision} from '../calc/training/recipe.js'
import {defaultTrainMfu} from '../calc/training/time.js'
import {UserError} from '../errors.js'
import type {ModelSpec} from '../schema/model.js'
import {parseOneHardware} from './hardware.js'
import {parseFraction, parsePositiveInteger, parseTokenCount, parseTrainTokens} from './quantity.js'

/** Training sequence length when --seq is not given: 8k, or the model maximum when shorter. */
export const defaultSequenceTokens = 8192

/** The flags as text (absent = undefined); defaults as the command declares them are applied here too. */
export type TrainFlags = Partial<Record<string, string | boolean | undefined>>

const text = (flags: TrainFlags, name: string): string | undefined => {
  const v = flags[name]
  return typeof v === 'string' ? v : undefined
}

const optional = <T>(value: string | undefined, parse: (t: string) => T): T | null => (value === undefined ? null : parse(value))

const oneOf = <T extends string>(value: string | undefined, options: readonly T[], flag: string, fallback: T): T => {
  if (value === undefined) return fallback
  if (!(options as readonly string[]).includes(value)) throw new UserError(`--${flag} "${value}" is not one of ${options.join(', ')}`)
  return value as T
}

/** Everything but the sequence length, which defaults per model. */
export type TrainScenarioBase = Omit<TrainScenario, 'sequenceTokens' | 'schedule'>

export function trainScenarioBase(flags: TrainFlags): TrainScenarioBase {
  const gpus = text(flags, 'gpus')
  if (!gpus) throw new UserError('train needs --gpus, e.g. --gpus 8xh100 or --gpus 1xl40s')
  const choice = parseOneHardware(gpus, '(e.g. --gpus 8xh100)', 'gpus')!
  const loraRank = optional(text(flags, 'lora-rank'), (t) => parsePositiveInteger(t, 'lora-rank'))
  const quantizeBase = text(flags, 'quantize-base')
  if (loraRank === null && quantizeBase !== undefined) throw new UserError('--quantize-base quantizes the frozen base of LoRA fine-tuning; add --lora-rank, e.g. --lora-rank 16')
  if (loraRank === null && text(flags, 'lora-targets') !== undefined) throw new UserError('--lora-targets needs --lora-rank, e.g. --lora-rank 16')
  if (loraRank === null && text(flags, 'adapter-precision') !== undefined) throw new UserError('--adapter-precision sets the LoRA adapters\' dtype; add --lora-rank, e.g. --lora-rank 16')
  const targets = text(flags, 'lora-targets')
  const lora =
    loraRank === null
      ? null
      : {
          rank: loraRank,
          targets: targets === undefined ? defaultLoraTargets : parseLoraTargets(targets),
          baseQuantization: oneOf<BaseQuantization>(quantizeBase, ['4bit', '8bit', 'none'], 'quantize-base', 'none'),
          adapterPrecision: oneOf<AdapterPrecision>(text(flags, 'adapter-precision'), adapterPrecisions, 'adapter-precision', 'fp32'),
        }
  const mfu = text(flags, 'mfu')
  return {
    hardware: choice.hardware,
    devices: choice.devices ?? 1,
    tokens: optional(text(flags, 'tokens'), (t) => parseTrainTokens(t, 'tokens')),
    microBatchSequences: parsePositiveInteger(text(flags, 'micro-batch') ?? '1', 'micro-batch'),
    globalBatchTokens: optional(text(flags, 'global-batch'), (t) => parseTokenCount(t, 'global-batch')),
    parallel: {
      tp: optional(text(flags, 'tp'), (t) => parsePositiveInteger(t, 'tp')),
      pp: optional(text(flags, 'pp'), (t) => parsePositiveInteger(t, 'pp')),
      dp: optional(text(flags, 'dp'), (t) => parsePositiveInteger(t, 'dp')),
      ep: optional(text(flags, 'ep'), (t) => parsePositiveInteger(t, 'ep')),
    },
    zeroStage: Number(oneOf(text(flags, 'zero'), ['0', '1', '2', '3'], 'zero', '1')) as ZeroStage,
    fsdp: (text(flags, 'fsdp') === undefined ? null : oneOf(text(flags, 'fsdp'), ['full', 'hybrid'], 'fsdp', 'full')) as FsdpMode | null,
    recompute: oneOf<Recompute>(text(flags, 'recompute'), recomputeModes, 'recompute', lora ? 'full' : 'selective'),
    optimizer: oneOf<Optimizer>(text(flags, 'optimizer'), ['adamw', 'adamw-8bit', 'adafactor', 'muon', 'sgd'], 'optimizer', 'adamw'),
    precision: oneOf<TrainPrecision>(text(flags, 'precision'), ['bf16', 'fp8', 'fp32'], 'precision', 'bf16'),
    lora,
    mfu: mfu === undefined ? defaultTrainMfu : parseFraction(mfu, 'mfu'),
    chunksPerStage: parsePositiveInteger(text(flags, 'vpp') ?? '1', 'vpp'),
    loss: oneOf<LossKind>(text(flags, 'loss'), lossKinds, 'loss', 'vocab-parallel'),
  }
}

/** The scenario for one model: --seq, or 8k capped at the model's maximum. */
export function trainScenarioFor(spec: ModelSpec, base: TrainScenarioBase, seq: number | null): TrainScenario {
  return {...base, sequenceTokens: seq ?? defaultContextTokens(spec, defaultSequenceTokens), schedule: base.chunksPerStage > 1 ? pipelineSchedules[1] : pipelineSchedules[0]}
}
