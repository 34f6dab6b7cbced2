import {memoryScenarioFor, withLayoutFlags} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {engineLogView, fitResult, fitView, type FitResult} from '../report/fit.js'
import {scenarioNotes} from '../report/memory.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

const {prompt: _p, output: _o, mfu: _m, mbu: _b, 'compute-dtype': _c, 'price-per-hour': _h, ...fitFlags} = scenarioFlags

export default defineCommand({
  id: 'fit',
  summary: 'Fewest devices that hold a model, the longest context that fits, and how many sequences at once',
  examples: [
    '<%= config.bin %> fit deepseek-v3 --hardware h100 --context 128k',
    '<%= config.bin %> fit qwen3-32b --hardware h100,h200,mi300x,rtx4090 --context 32k --batch 8',
    '<%= config.bin %> fit gpt-oss-120b --hardware 1xh100 --engine vllm --memory-utilization 0.9 --json',
  ],
  usage: 'fit [MODEL...] --hardware h100,h200 [--context 32k] [--batch N] [--engine vllm]',
  args: [],
  variadic: true,
  flags: fitFlags,
  input: (raw) => {
    if (!raw.flags.hardware) throw new UserError('fit needs --hardware, e.g. --hardware h100 or --hardware h100,h200,mi300x')
    const choices = parseHardwareFlag(raw.flags.hardware)
    const scenario = scenarioInput(raw.flags)
    return {choices: choices.map((choice) => withLayoutFlags(choice, scenario)), settings: scenario.engineSettings, models: resolveModels(raw.argv).map((spec) => ({spec, ...memoryScenarioFor(spec, scenario)}))}
  },
  run: ({choices, settings, models}): {rows: FitResult[]; warnings: string[]} => ({
    rows: models.flatMap((m) => choices.map((choice) => fitResult(m.spec, m.scenario, choice, m.memoryUtilization, settings))),
    warnings: models.flatMap((m) => m.warnings),
  }),
  present: (result, _format, {models}) => {
    const last = models[models.length - 1]!
    const notes = [
      ...scenarioNotes(last.scenario, last.memoryUtilization, last.scenario.engine, Boolean(last.spec.attention.mla)),
      'layout: the largest tensor parallel up to 8 the model allows (heads, KV heads, FFN widths and vocabulary divide by it), then the fewest pipeline stages (at most one per layer), data-parallel replicas for the rest; MoE experts split over the tensor-parallel group; --tp/--pp/--dp/--ep override',
    ]
    const log = engineLogView(result.rows)
    return {views: [fitView(result.rows, notes), ...(log ? [log] : [])]}
  },
})
