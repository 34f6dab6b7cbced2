import {memoryScenarioFor} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {parseOneHardware} from '../flags/hardware.js'
import {engineLogView} from '../report/fit.js'
import {memoryResult, memoryView, scenarioNotes, type MemoryResult} from '../report/memory.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

const {prompt: _p, output: _o, mfu: _m, mbu: _b, 'compute-dtype': _c, 'price-per-hour': _h, ...memoryFlags} = scenarioFlags

export default defineCommand({
  id: 'memory',
  summary: 'Memory of each term (weights, KV cache, activations, overhead) and per device, marked fits / does not fit',
  examples: [
    '<%= config.bin %> memory deepseek-v3 --context 128k --hardware 8xh200',
    '<%= config.bin %> memory gemma-3-27b-it --context 32k --batch 8 --weights int4 --hardware h100',
    '<%= config.bin %> memory gpt-oss-120b --hardware h100 --engine vllm --json',
  ],
  usage: 'memory [MODEL...] [--context 32k] [--batch N] [--hardware 8xh100] [--engine vllm]',
  args: [],
  variadic: true,
  flags: memoryFlags,
  input: (raw) => {
    const choice = parseOneHardware(raw.flags.hardware, 'in `memory`; use `archcost fit` to compare several')
    const scenario = scenarioInput(raw.flags)
    const models = resolveModels(raw.argv).map((spec) => ({spec, ...memoryScenarioFor(spec, scenario, choice)}))
    return {choice, models, settings: scenario.engineSettings}
  },
  run: ({choice, models, settings}): {models: MemoryResult[]; warnings: string[]} => ({
    models: models.map((m) => memoryResult(m.spec, m.scenario, choice?.hardware ?? null, m.memoryUtilization, settings)),
    warnings: models.flatMap((m) => m.warnings),
  }),
  present: (result, _format, {models}) => {
    const first = models[0]!
    const log = engineLogView(result.models)
    return {views: [memoryView(result.models, scenarioNotes(first.scenario, first.memoryUtilization, first.scenario.engine, models.some((m) => m.spec.attention.mla), models.map((m) => m.spec))), ...(log ? [log] : [])]}
  },
})
