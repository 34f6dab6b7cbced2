import {memoryScenarioFor, pastMaximum, withLayoutFlags} from '../calc/deployment.js'
import {defineCommand, type FlagSpecs} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {parseTokenCount} from '../flags/quantity.js'
import {trainRecipeFlags} from '../flags/train-flags.js'
import {engineLogView, fitResult, fitView, type FitResult} from '../report/fit.js'
import type {TrainFitResult} from '../report/fit-train.js'
import {scenarioNotes} from '../report/memory.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

const {prompt: _p, output: _o, mfu: _m, mbu: _b, 'compute-dtype': _c, 'price-per-hour': _h, ...servingFlags} = scenarioFlags

/** Flags that mean the same with and without --train: the hardware and the layout degrees. */
const sharedFlags = new Set(['hardware', 'tp', 'pp', 'dp', 'ep'])

/** The first flag given that belongs to the other mode, as one line saying what to do. */
function wrongModeFlag(flags: Record<string, unknown>, train: boolean): string | null {
  const given = (name: string, spec: FlagSpecs[string]) => flags[name] !== undefined && flags[name] !== false && !(spec.kind === 'option' && flags[name] === spec.default)
  if (!train) {
    const name = Object.keys(trainRecipeFlags).find((n) => given(n, trainRecipeFlags[n as keyof typeof trainRecipeFlags]))
    return name ? `--${name} is a training flag; add --train to ask whether training fits (or drop --${name})` : null
  }
  const name = Object.keys(servingFlags).find((n) => !sharedFlags.has(n) && given(n, (servingFlags as FlagSpecs)[n]!))
  if (!name) return null
  if (name === 'context') return '--context sizes serving; with --train the sequence length is --seq, e.g. --seq 8k'
  if (name === 'batch') return 'fit --train finds the largest micro-batch itself; drop --batch (or cost one micro-batch with `archcost train --micro-batch N`)'
  return `--${name} sizes a serving deployment and does not apply to fit --train; drop it`
}

export default defineCommand({
  id: 'fit',
  summary: 'Fewest devices that hold a model, the longest context that fits, and how many sequences at once (or, with --train, whether training fits and at which micro-batch)',
  examples: [
    '<%= config.bin %> fit deepseek-v3 --hardware h100 --context 128k',
    '<%= config.bin %> fit qwen3-32b --hardware h100,h200,mi300x,rtx4090 --context 32k --batch 8',
    '<%= config.bin %> fit gpt-oss-120b --hardware 1xh100 --engine vllm --memory-utilization 0.9 --json',
    '<%= config.bin %> fit qwen3-32b --train --lora-rank 16 --quantize-base 4bit --hardware 1xl40s,1xrtx4090 --seq 2k',
    '<%= config.bin %> fit llama-3.1-8b --train --hardware h100 --seq 8k --zero 3',
  ],
  usage: 'fit [MODEL...] --hardware h100,h200 [--context 32k] [--batch N] [--engine vllm] | --train [--seq 8k] [--lora-rank 16]',
  args: [],
  variadic: true,
  flags: {
    ...servingFlags,
    train: {kind: 'boolean', description: 'Ask whether training fits instead: on the devices given (8xh100) or the fewest that hold one sequence, the largest micro-batch at --seq and the longest sequence alone; takes the training flags of `archcost train`'},
    ...trainRecipeFlags,
  },
  input: async (raw) => {
    if (!raw.flags.hardware) throw new UserError('fit needs --hardware, e.g. --hardware h100 or --hardware h100,h200,mi300x')
    const wrong = wrongModeFlag(raw.flags, raw.flags.train)
    if (wrong) throw new UserError(wrong)
    const choices = parseHardwareFlag(raw.flags.hardware)
    if (raw.flags.train) {
      // The training calculators load only when training is asked about (start-up time of every other fit).
      const [{trainScenarioFor, trainSetup}, report] = await Promise.all([import('../flags/train.js'), import('../report/fit-train.js')])
      const setup = trainSetup(raw.flags)
      const seq = raw.flags.seq === undefined ? null : parseTokenCount(raw.flags.seq, 'seq')
      const runs = resolveModels(raw.argv).flatMap((spec) =>
        choices.map((choice) => {
          const scenario = trainScenarioFor(spec, {...setup, hardware: choice.hardware, devices: choice.devices ?? 1}, seq)
          return {spec, scenario, devicesGiven: choice.devices !== null, warnings: scenario.sequenceTokens > spec.maxContextTokens ? [pastMaximum(spec, scenario.sequenceTokens)] : []}
        }),
      )
      return {mode: 'train' as const, runs, report}
    }
    const scenario = scenarioInput(raw.flags)
    return {mode: 'serve' as const, choices: choices.map((choice) => withLayoutFlags(choice, scenario)), settings: scenario.engineSettings, models: resolveModels(raw.argv).map((spec) => ({spec, ...memoryScenarioFor(spec, scenario)}))}
  },
  run: (input): {rows: FitResult[]; training: TrainFitResult[]; warnings: string[]} => {
    if (input.mode === 'train')
      return {rows: [], training: input.runs.map((r) => input.report.trainFitResult(r.spec, r.scenario, r.devicesGiven)), warnings: [...new Set(input.runs.flatMap((r) => r.warnings))]}
    const {choices, settings, models} = input
    return {rows: models.flatMap((m) => choices.map((choice) => fitResult(m.spec, m.scenario, choice, m.memoryUtilization, settings))), training: [], warnings: models.flatMap((m) => m.warnings)}
  },
  present: (result, _format, input) => {
    if (input.mode === 'train') {
      const shown = result.training.find((r) => r.train)?.train
      const notes = [
        'fit --train: on the devices given, or the fewest power of two on which one sequence per micro-batch fits, the layout `train` picks at micro-batch 1 (the smallest tp x pp split that fits); then, on that layout, the largest micro-batch at --seq (up to 65,536 sequences) and the longest single sequence (up to the model maximum); memory as `archcost train` costs it, term by term in --json under training[].train',
        ...(shown ? input.report.trainNotes(shown).filter((n) => !n.startsWith('time:')) : []),
      ]
      return {views: [input.report.trainFitView(result.training, notes)]}
    }
    const last = input.models[input.models.length - 1]!
    const notes = [
      ...scenarioNotes(last.scenario, last.memoryUtilization, last.scenario.engine, Boolean(last.spec.attention.mla), input.models.map((m) => m.spec)),
      'layout: the largest tensor parallel up to 8 the model allows (heads, KV heads, FFN widths and vocabulary divide by it), then the fewest pipeline stages (at most one per layer), data-parallel replicas for the rest; MoE experts split over the tensor-parallel group; --tp/--pp/--dp/--ep override',
    ]
    const log = engineLogView(result.rows)
    return {views: [fitView(result.rows, notes), ...(log ? [log] : [])]}
  },
})
