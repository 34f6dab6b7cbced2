import {perfOptionsOf, speedScenarioFor, withLayoutFlags} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {perfResult, perfView, type PerfResult} from '../report/perf.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

export default defineCommand({
  id: 'perf',
  summary: 'Roofline speed and cost: TTFT, time per output token, tokens/s, what bounds decode, $/1M tokens',
  examples: [
    '<%= config.bin %> perf llama-3.1-8b --hardware h100',
    '<%= config.bin %> perf deepseek-v3 --hardware 8xh200 --prompt 2k --output 512 --batch 32',
    '<%= config.bin %> perf qwen3-30b-a3b --hardware h100,mi300x,rtx4090 --batch 8 --json',
  ],
  usage: 'perf [MODEL...] --hardware h100 [--prompt 2k] [--output 512] [--batch N]',
  args: [],
  variadic: true,
  flags: scenarioFlags,
  input: (raw) => {
    if (!raw.flags.hardware) throw new UserError('perf needs --hardware, e.g. --hardware h100 or --hardware 8xh200,8xmi300x')
    const choices = parseHardwareFlag(raw.flags.hardware)
    const scenario = scenarioInput(raw.flags)
    const format = scenario.computeFormat
    for (const choice of choices)
      if (format && choice.hardware.peakFlopsPerSecond[format] === null) throw new UserError(`--compute-dtype ${format}: ${choice.hardware.id} has no ${format} peak in its profile`)
    return {choices: choices.map((choice) => withLayoutFlags(choice, scenario)), scenario, models: resolveModels(raw.argv).map((spec) => ({spec, ...speedScenarioFor(spec, scenario)}))}
  },
  run: ({choices, scenario, models}): {rows: PerfResult[]; warnings: string[]} => ({
    rows: models.flatMap((m) => choices.map((choice) => perfResult(m.spec, m.scenario, choice, m.memoryUtilization, perfOptionsOf(scenario), scenario.pricePerHourUsd))),
    warnings: models.flatMap((m) => m.warnings),
  }),
  present: ({rows}, _format, {scenario}) => {
    const first = rows[0]!
    const notes = [
      `prompt ${first.promptTokens} tokens, ${first.outputTokens} output tokens, batch ${first.batch}; TPOT is the decode step at prompt + half the output`,
      `roofline: prefill max(FLOPs / (peak x MFU ${scenario.prefillMfu}), bytes / (bandwidth x MBU ${scenario.bandwidthEfficiency})); decode max(bytes / (bandwidth x MBU), FLOPs / peak); per tensor-parallel device`,
      "bytes per decode step: weights read (MoE: shared part + experts the batch hits, E(1-(1-k/E)^B)) + every sequence's KV cache",
      'tensor parallel adds 2 ring all-reduces per layer over the interconnect (bandwidth only, no latency); pipeline stages run in turn',
      'cost: all devices at the hourly price, serving this workload continuously; J/token from board power',
    ]
    if (rows.some((r) => !r.commIncluded && r.devices !== null && r.devices > 1)) notes.push('no interconnect figure for some hardware: its all-reduce time is not included')
    return {views: [perfView(rows, notes)]}
  },
})
