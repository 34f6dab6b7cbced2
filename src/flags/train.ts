// `train` flag text -> a training scenario: shared by the command and the calibration of published runs.
import {defaultContextTokens} from '../calc/deployment.js'
import {lossKinds, pipelineSchedules, recomputeModes, type LossKind, type Recompute} from '../calc/training/options.js'
import type {TrainScenario} from '../calc/training/estimate.js'
import {defaultLoraTargets, parseLoraTargets} from '../calc/training/lora.js'
import {adapterPrecisions, gradientDtypes, type AdapterPrecision, type GradientDtype, type Optimizer, type TrainPrecision} from '../calc/training/options.js'
import type {FsdpMode, ZeroStage} from '../calc/training/model-state.js'
import type {BaseQuantization} from '../calc/training/quantized-base.js'
import {defaultTrainMfuFor} from '../calc/training/time.js'
import {UserError} from '../errors.js'
import type {ModelSpec} from '../schema/model.js'
import {parseOneHardware} from './hardware.js'
import {parseFraction, parsePositiveInteger, parseTokenCount, parseTrainTokens} from './quantity.js'
import {defaultSequenceTokens} from './train-flags.js'

export {defaultSequenceTokens, trainRecipeFlags} from './train-flags.js'

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

/** Everything but the sequence length and the default MFU, which depend on the model; mfu null = the default. */
export type TrainScenarioBase = Omit<TrainScenario, 'sequenceTokens' | 'schedule' | 'mfu' | 'mfuSource'> & {mfu: number | null}

export function trainScenarioBase(flags: TrainFlags): TrainScenarioBase {
  const gpus = text(flags, 'gpus')
  if (!gpus) throw new UserError('train needs --gpus, e.g. --gpus 8xh100 or --gpus 1xl40s')
  const choice = parseOneHardware(gpus, '(e.g. --gpus 8xh100)', 'gpus')!
  return {hardware: choice.hardware, devices: choice.devices ?? 1, ...trainSetup(flags)}
}

/** Everything of a training scenario but the hardware and the sequence length: the recipe, layout flags, batch and budget. */
export function trainSetup(flags: TrainFlags): Omit<TrainScenarioBase, 'hardware' | 'devices'> {
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
    tokens: optional(text(flags, 'tokens'), (t) => parseTrainTokens(t, 'tokens')),
    microBatchSequences: parsePositiveInteger(text(flags, 'micro-batch') ?? '1', 'micro-batch'),
    globalBatchTokens: optional(text(flags, 'global-batch'), (t) => parseTokenCount(t, 'global-batch')),
    parallel: {
      tp: optional(text(flags, 'tp'), (t) => parsePositiveInteger(t, 'tp')),
      cp: optional(text(flags, 'cp'), (t) => parsePositiveInteger(t, 'cp')),
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
    gradientDtype: gradientDtypeOf(text(flags, 'grad-dtype'), loraRank !== null, text(flags, 'precision')),
    mfu: mfu === undefined ? null : parseFraction(mfu, 'mfu'),
    chunksPerStage: parsePositiveInteger(text(flags, 'vpp') ?? '1', 'vpp'),
    loss: oneOf<LossKind>(text(flags, 'loss'), lossKinds, 'loss', 'vocab-parallel'),
  }
}

/** --grad-dtype: the mixed-precision recipes' gradients; LoRA's adapters and fp32 training have their own. */
function gradientDtypeOf(value: string | undefined, lora: boolean, precision: string | undefined): GradientDtype {
  if (value !== undefined && lora) throw new UserError('--grad-dtype sets full training\'s gradients; LoRA\'s follow --adapter-precision')
  if (value !== undefined && precision === 'fp32') throw new UserError('--grad-dtype applies to mixed precision; --precision fp32 keeps fp32 gradients already')
  return oneOf<GradientDtype>(value, gradientDtypes, 'grad-dtype', 'bf16')
}

/** The scenario for one model: --seq, or 8k capped at the model's maximum; --mfu, or the default for the model and hardware. */
export function trainScenarioFor(spec: ModelSpec, base: TrainScenarioBase, seq: number | null): TrainScenario {
  // A rank past the hidden size factors nothing (B A is then full rank and larger than the matrix it adapts).
  if (base.lora && base.lora.rank > spec.hiddenSize)
    throw new UserError(`--lora-rank ${base.lora.rank} is larger than ${spec.name}'s hidden size ${spec.hiddenSize}; a LoRA rank is a small fraction of it (8 to 256 in practice)`)
  const mfu = base.mfu === null ? defaultTrainMfuFor(spec, base.hardware, base.precision) : {mfu: base.mfu, rule: '--mfu'}
  return {
    ...base,
    mfu: mfu.mfu,
    mfuSource: mfu.rule,
    sequenceTokens: seq ?? defaultContextTokens(spec, defaultSequenceTokens),
    schedule: base.chunksPerStage > 1 ? pipelineSchedules[1] : pipelineSchedules[0],
  }
}
