import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {defaultPerfOptions} from '../calc/perf.js'
import {memoryEstimate} from '../calc/memory.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor} from '../flags/index.js'
import {parseTokenCount} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {compareRow, compareView} from '../report/compare.js'
import {perfResult} from '../report/perf.js'

export default class Compare extends BaseCommand {
  static override summary = 'Models side by side (all presets when none are named): parameters, KV and FLOPs per token; memory and speed with --hardware'
  static override examples = [
    '<%= config.bin %> compare',
    '<%= config.bin %> compare gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --context 32k',
    '<%= config.bin %> compare qwen3-30b-a3b gpt-oss-20b --hardware h100 --batch 16',
  ]
  static override strict = false
  static override flags = {
    ...scenarioFlags,
    output: Flags.string({description: 'Output tokens per sequence for the speed columns', default: '512'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Compare)
    const specs = resolveModels(argv as string[])
    const choices = flags.hardware ? parseHardwareFlag(flags.hardware) : []
    if (choices.length > 1) throw new UserError('compare takes one --hardware (e.g. --hardware 8xh100); use `archcost perf` to compare hardware')
    const outputTokens = parseTokenCount(flags.output, 'output')
    const rows = specs.map((spec) => {
      const {scenario, memoryUtilization} = scenarioFor(spec, flags)
      if (!choices[0]) return compareRow(spec, scenario, null)
      const s = {...scenario, contextTokens: scenario.contextTokens + outputTokens, promptTokens: scenario.contextTokens, outputTokens}
      const perf = perfResult(spec, s, choices[0], memoryUtilization, defaultPerfOptions, null)
      const perDeviceBytes = perf.layout ? memoryEstimate(spec, {...s, layout: perf.layout}).perDevice.totalBytes : null
      return compareRow(spec, scenario, {...perf, perDeviceBytes})
    })
    const first = rows[0]!
    const notes = [
      `context ${flags.context ? first.contextTokens : '32k (or the model maximum)'} tokens, batch ${flags.batch ?? 1}; KV/token: bytes one more token adds to the cache; FLOPs/token: one decode step at the context`,
      'parameters of the text model; encoders and MTP modules apart (see `archcost params`)',
    ]
    if (choices[0]) notes.push(`on ${flags.hardware}: the fewest devices that fit (or as given), prompt = context, ${outputTokens} output tokens; speed as \`archcost perf\``)
    this.print(render(this.outputFormat(flags), {views: [compareView(rows, notes)], data: rows}))
    return rows
  }
}
