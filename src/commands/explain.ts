import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {loadModel} from '../presets/load.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor} from '../flags/index.js'
import {parseFraction, parsePositiveNumber, parseTokenCount} from '../flags/quantity.js'
import {fewestDevices} from '../calc/fit.js'
import {isMoe} from '../calc/layers.js'
import {defaultLayout} from '../calc/parallel.js'
import {defaultPerfOptions} from '../calc/perf.js'
import {explain, explainQuantities, type ExplainQuantity} from '../explain/steps.js'
import {render} from '../render/render.js'
import {formatBytes, formatCount, formatFlops, formatInteger, formatRate, formatSeconds, formatUsd} from '../render/format.js'
import type {TableView} from '../render/view.js'

const formatResult = (value: number, unit: string) =>
  unit === 'params' ? `${formatCount(value)} (${formatInteger(value)})`
  : unit === 'bytes' ? `${formatBytes(value)} (${formatInteger(value)} B)`
  : unit === 'FLOP' ? formatFlops(value)
  : unit === 's' ? formatSeconds(value)
  : unit === 'USD' ? formatUsd(value)
  : unit === 'tokens/s' ? `${formatRate(value)} tokens/s`
  : formatInteger(value)

export default class Explain extends BaseCommand {
  static override summary = 'How a figure is computed: the formula, the same formula with the model\'s values, each intermediate, and the source'
  static override description = `Quantities: ${explainQuantities.join(', ')}. Every figure is the one the tables print, computed by the same code; the formula shown is evaluated with mathjs and must agree with it.`
  static override examples = [
    '<%= config.bin %> explain deepseek-v3 kv --context 128k',
    '<%= config.bin %> explain qwen3-30b-a3b active',
    '<%= config.bin %> explain llama-3.1-8b tpot --hardware h100 --batch 8',
  ]
  static override args = {
    model: Args.string({description: 'preset id or preset file', required: true}),
    quantity: Args.string({description: 'what to explain', required: true, options: [...explainQuantities]}),
  }
  static override flags = {
    ...scenarioFlags,
    prompt: Flags.string({description: 'Prompt tokens for ttft/tpot/cost [default: --context, else 2k]'}),
    output: Flags.string({description: 'Output tokens for tpot/cost', default: '512'}),
    mfu: Flags.string({description: 'Achievable share of peak FLOP/s in prefill', default: String(defaultPerfOptions.prefillMfu)}),
    mbu: Flags.string({description: 'Achievable share of peak memory bandwidth in decode', default: String(defaultPerfOptions.bandwidthEfficiency)}),
    'price-per-hour': Flags.string({description: 'Hourly price of one device in USD [default: the profile\'s]'}),
  }

  async run() {
    const {args, flags} = await this.parse(Explain)
    const spec = loadModel(args.model)
    const quantity = args.quantity as ExplainQuantity
    const needsHardware = quantity === 'ttft' || quantity === 'tpot' || quantity === 'tps' || quantity === 'cost'
    const choice = flags.hardware ? parseHardwareFlag(flags.hardware) : []
    if (choice.length > 1) throw new UserError('explain takes one --hardware (e.g. --hardware 8xh100)')
    if (needsHardware && !choice[0]) throw new UserError(`explain ${quantity} needs --hardware, e.g. --hardware h100`)
    const outputTokens = parseTokenCount(flags.output, 'output')
    const promptTokens = flags.prompt !== undefined ? parseTokenCount(flags.prompt, 'prompt') : flags.context !== undefined ? parseTokenCount(flags.context, 'context') : Math.min(2048, spec.maxContextTokens)
    const sizingContext = needsHardware ? String(promptTokens + outputTokens) : flags.context
    const parsed = scenarioFor(spec, {...flags, context: sizingContext})
    for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`)
    let scenario = {...parsed.scenario, promptTokens, outputTokens}
    if (choice[0]) {
      const layout = choice[0].devices !== null ? defaultLayout(choice[0].devices, isMoe(spec)) : fewestDevices(spec, scenario, choice[0].hardware, parsed.memoryUtilization)
      if (!layout) throw new UserError(`${spec.id} does not fit on up to 1024 ${choice[0].hardware.id} devices at this context and batch`)
      scenario = {...scenario, layout}
    }
    const perf = {...defaultPerfOptions, prefillMfu: parseFraction(flags.mfu, 'mfu'), bandwidthEfficiency: parseFraction(flags.mbu, 'mbu')}
    const price = flags['price-per-hour'] === undefined ? null : parsePositiveNumber(flags['price-per-hour'], 'price-per-hour')
    if (quantity === 'cost' && price === null && choice[0]?.hardware.pricePerHourUsd === null)
      throw new UserError(`${choice[0].hardware.id} has no hourly price in its profile; give one with --price-per-hour`)
    const explanation = explain(spec, quantity, {scenario, hardware: choice[0]?.hardware ?? null, perf, price})
    const {checkSteps} = await import('../explain/check.js')
    const steps = await checkSteps(explanation.steps)
    const result = {...explanation, steps}
    const view: TableView = {
      title: `${spec.id}: ${quantity} = ${formatResult(explanation.result, explanation.unit)}`,
      list: true,
      columns: [
        {key: 'name', header: 'Step', kind: 'text'},
        {key: 'formula', header: '', kind: 'text'},
        {key: 'substituted', header: '=', kind: 'text'},
        {key: 'resultText', header: '=', kind: 'text', align: 'right'},
      ],
      rows: steps.map((s) => ({name: s.name, formula: s.formula, substituted: s.substituted, resultText: formatResult(s.result, s.unit)})),
      notes: [...new Set(steps.map((s) => `source: ${s.source}`)), 'every result is the calculator\'s own; each formula was evaluated with mathjs and agrees with it'],
    }
    this.print(render(this.outputFormat(flags), {views: [view], data: result}))
    return result
  }
}
