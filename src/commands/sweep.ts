import {writeFileSync} from 'node:fs'
import {extname} from 'node:path'
import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {usableBytes} from '../calc/fit.js'
import {defaultPerfOptions, type ComputeFormat, type PerfOptions} from '../calc/perf.js'
import {metricNeedsHardware, sweep, sweepMetrics, type SweepMetric, type SweepModel} from '../calc/sweep.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor, type HardwareChoice} from '../flags/index.js'
import {parseFraction, parsePositiveNumber, parseTokenCount} from '../flags/quantity.js'
import {parsePoints, parseSweepRange} from '../flags/range.js'
import {loadModel} from '../presets/load.js'
import {htmlPage, svgChart, textChart} from '../render/chart.js'
import {formatTokens} from '../render/format.js'
import {render} from '../render/render.js'
import {sweepChart, sweepPointNotes, sweepResult, sweepView, type SweepResult} from '../report/sweep.js'

const outKinds: Record<string, 'svg' | 'html'> = {'.svg': 'svg', '.html': 'html', '.htm': 'html'}

/** Columns for the text chart: COLUMNS, else the terminal's width, else 80. */
function chartWidth(): number {
  const env = process.env.COLUMNS
  if (env && /^\d+$/.test(env) && Number(env) > 0) return Number(env)
  return process.stdout.columns || 80
}

export default class Sweep extends BaseCommand {
  static override summary = 'One metric (KV bytes, memory, decode tok/s, $/1M) across a range of context, batch or devices, for several models: table and line chart'
  static override description = [
    '--over takes axis=low..high (geometric points: every power of two when both ends are powers of two, else 12 or --points N) or axis=a,b,c.',
    'Points past a model\'s maximum context are computed all the same, drawn hollow (lower case in the text chart) and named in a note.',
    'For decode-tps and cost the context is the prompt, as in `perf --prompt`, with --output tokens after it.',
  ].join('\n')
  static override examples = [
    '<%= config.bin %> sweep gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --over context=1k..128k',
    '<%= config.bin %> sweep llama-3.1-8b qwen3-8b --over context=1k..1M --log --out kv.svg',
    '<%= config.bin %> sweep llama-3.1-70b qwen3-32b --metric memory --hardware h100 --over batch=1..64 --context 32k',
    '<%= config.bin %> sweep qwen3-30b-a3b gpt-oss-20b --metric decode-tps --hardware h100 --over batch=1,8,32,128',
    '<%= config.bin %> sweep deepseek-v3 --metric cost --hardware h200 --over devices=8,16,32 --out cost.html',
  ]
  static override strict = false
  static override flags = {
    over: Flags.string({description: 'The range (required): context=1k..1M, batch=1..64, devices=1,2,4,8 (k = 1024)'}),
    metric: Flags.string({description: 'What to plot: kv (theoretical KV cache), memory (total, per device with several), decode-tps (tokens/s per sequence), cost ($ per 1M output tokens)', options: [...sweepMetrics], default: 'kv'}),
    points: Flags.string({description: 'Points of a low..high range, 2-1000 [default: the powers of two between the ends when both are powers of two, else 12]'}),
    log: Flags.boolean({description: 'Logarithmic y axis in the chart (x is logarithmic for low..high ranges)'}),
    out: Flags.string({description: 'Also write the chart to this file: .svg, or .html (the chart and a table of the values)'}),
    ...scenarioFlags,
    context: Flags.string({char: 'c', description: 'Context per sequence when the sweep is over batch or devices (k = 1024) [default: 32k or the model maximum; decode-tps and cost: the prompt, 2k or the maximum]'}),
    batch: Flags.string({char: 'b', description: 'Concurrent sequences when the sweep is not over batch [default: 1]'}),
    hardware: Flags.string({char: 'H', description: 'One hardware profile, e.g. h100 or 8xh100 (needed by decode-tps and cost; draws usable memory for memory)'}),
    engine: {...scenarioFlags.engine, description: 'memory: count the KV cache this engine reserves (pages, windows, MLA layout) instead of the theoretical one; kv stays theoretical'},
    output: Flags.string({description: 'Output tokens per sequence (decode-tps, cost)', default: '512'}),
    mfu: Flags.string({description: 'Achievable share of peak FLOP/s in prefill (decode-tps, cost)', default: String(defaultPerfOptions.prefillMfu)}),
    mbu: Flags.string({description: 'Achievable share of peak memory bandwidth in decode (decode-tps, cost)', default: String(defaultPerfOptions.bandwidthEfficiency)}),
    'compute-dtype': Flags.string({description: 'Peak FLOP/s column to use (decode-tps, cost)', options: ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4']}),
    'price-per-hour': Flags.string({description: "Hourly price of one device in USD (cost) [default: the profile's]"}),
  }

  async run() {
    const {argv, flags} = await this.parse(Sweep)
    const ids = argv as string[]
    if (ids.length === 0) throw new UserError('sweep needs at least one model id, e.g. archcost sweep gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --over context=1k..128k')
    if (flags.over === undefined) throw new UserError('sweep needs --over, e.g. --over context=1k..1M, --over batch=1..64 or --over devices=1,2,4,8')
    const metric = flags.metric as SweepMetric
    const points = flags.points === undefined ? undefined : parsePoints(flags.points)
    const range = parseSweepRange(flags.over, points)
    const outKind = flags.out === undefined ? null : outKinds[extname(flags.out).toLowerCase()]
    if (outKind === undefined) throw new UserError(`--out "${flags.out}": write the chart as .svg or .html, e.g. --out chart.svg`)

    if (range.name === 'context' && flags.context !== undefined) throw new UserError(`--context and --over ${flags.over} both set the context; drop --context`)
    if (range.name === 'batch' && flags.batch !== undefined) throw new UserError(`--batch and --over ${flags.over} both set the batch; drop --batch`)
    let choice: HardwareChoice | null = null
    if (flags.hardware !== undefined) {
      const choices = parseHardwareFlag(flags.hardware)
      if (choices.length > 1) throw new UserError('--hardware takes one profile in `sweep`; sweep over devices with --over devices=1,2,4,8, or run one sweep per profile')
      choice = choices[0]!
    }
    if (range.name === 'devices' && choice?.devices !== null && choice?.devices !== undefined)
      throw new UserError(`--over ${flags.over} sets the device count; give --hardware without one (e.g. ${choice.hardware.id}, not ${flags.hardware})`)
    if (metricNeedsHardware(metric) && !choice) throw new UserError(`--metric ${metric} needs --hardware, e.g. --hardware h100 or --hardware 8xh200`)

    const perf: PerfOptions = {
      ...defaultPerfOptions,
      prefillMfu: parseFraction(flags.mfu, 'mfu'),
      bandwidthEfficiency: parseFraction(flags.mbu, 'mbu'),
      computeFormat: (flags['compute-dtype'] as ComputeFormat | undefined) ?? null,
    }
    const outputTokens = parseTokenCount(flags.output, 'output')
    const price = flags['price-per-hour'] === undefined ? null : parsePositiveNumber(flags['price-per-hour'], 'price-per-hour')
    const hw = choice?.hardware ?? null
    if (hw && metricNeedsHardware(metric)) {
      if (perf.computeFormat && hw.peakFlopsPerSecond[perf.computeFormat] === null) throw new UserError(`--compute-dtype ${perf.computeFormat}: ${hw.id} has no ${perf.computeFormat} peak in its profile`)
      if (metric === 'cost' && price === null && hw.pricePerHourUsd === null) throw new UserError(`--metric cost: ${hw.id} has no hourly price in its profile; give one with --price-per-hour, e.g. --price-per-hour 2.50`)
    }

    const seen = new Set<string>()
    const specs = ids.map((id) => loadModel(id)).filter((spec) => !seen.has(spec.id) && seen.add(spec.id))
    const perfMetric = metricNeedsHardware(metric)
    const parsed = specs.map((spec) => {
      // decode-tps and cost: the context is the prompt (perf's default: 2k or the model's maximum).
      const context = flags.context ?? (perfMetric && range.name !== 'context' ? String(Math.min(2048, spec.maxContextTokens)) : undefined)
      return {spec, ...scenarioFor(spec, {...flags, context})}
    })
    if (range.name !== 'context') for (const p of parsed) for (const w of p.warnings) process.stderr.write(`warning: ${w}\n`)
    const models: SweepModel[] = parsed.map((p) => ({spec: p.spec, scenario: p.scenario}))
    const memoryUtilization = parsed[0]!.memoryUtilization
    const series = sweep(models, {
      metric,
      axis: {name: range.name, values: range.values},
      hardware: hw,
      devices: choice?.devices ?? null,
      memoryUtilization,
      perf,
      outputTokens,
      pricePerHourUsd: price,
    })
    const usable = metric === 'memory' && hw ? usableBytes(hw, memoryUtilization) : null
    const perDevice = range.name === 'devices' || (choice?.devices ?? 1) > 1 || (metric === 'memory' && hw !== null)
    const result = sweepResult(metric, range.name, series, flags.hardware ?? null, usable, perDevice)

    const first = parsed[0]!.scenario
    const devicesText =
      range.name === 'devices' ? `that many ${hw ? hw.id : 'devices'}` : choice?.devices ? `${choice.devices}x ${hw!.id}` : perfMetric ? `1,024 ${hw!.id} (the most tried)` : hw ? `one ${hw.id}` : 'one device'
    const notes = [...metricNotes(result, first, outputTokens, choice, memoryUtilization, range.name), ...sweepPointNotes(result, devicesText)]
    const format = this.outputFormat(flags)
    let text = render(format, {views: [sweepView(result, notes)], data: result})
    const detail = chartDetail(result, first, range.name, choice)
    if (format === 'table') text += `\n${textChart(sweepChart(result, {logY: flags.log, logX: range.geometric, detail}), {width: chartWidth()})}`
    if (flags.out !== undefined && outKind) {
      const chart = sweepChart(result, {logY: flags.log, logX: range.geometric, detail, notes})
      try {
        writeFileSync(flags.out, outKind === 'svg' ? svgChart(chart) : htmlPage(chart))
      } catch (error) {
        throw new UserError(`--out "${flags.out}": cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check that its folder exists and is writable`)
      }
      process.stderr.write(`wrote ${flags.out}\n`)
    }
    this.print(text)
    return result
  }
}

type Scenario = SweepModel['scenario']

function chartDetail(r: SweepResult, s: Scenario, axis: string, choice: HardwareChoice | null): string {
  const parts: string[] = []
  if (r.metric === 'kv' || r.metric === 'memory') parts.push(`${s.kvFormat} KV`)
  if (axis !== 'batch') parts.push(`batch ${s.batch}`)
  if (axis !== 'context') parts.push(r.metric === 'kv' || r.metric === 'memory' ? `context ${formatTokens(s.contextTokens)}` : `prompt ${formatTokens(s.contextTokens)}`)
  if (choice && (r.metric !== 'kv')) parts.push(axis === 'devices' ? choice.hardware.id : choice.devices ? `${choice.devices}x ${choice.hardware.id}` : choice.hardware.id)
  return parts.join(', ')
}

function metricNotes(r: SweepResult, s: Scenario, outputTokens: number, choice: HardwareChoice | null, memoryUtilization: number, axis: string): string[] {
  const fixed = [axis !== 'batch' ? `batch ${s.batch}` : '', axis !== 'context' ? `context ${formatTokens(s.contextTokens)}` : ''].filter(Boolean).join(', ')
  const hw = choice?.hardware.id
  const devices = axis === 'devices' ? 'per device' : choice?.devices ? `per device of ${choice.devices}x ${hw}` : ''
  const notes: string[] = []
  switch (r.metric) {
    case 'kv':
      notes.push(`theoretical KV cache (as \`archcost kv\` prints it) in ${s.kvFormat}${devices ? `, ${devices}` : ''}${fixed ? `; ${fixed}` : ''}; sliding and chunked layers hold at most their window, KV-sharing layers nothing, linear-attention layers a fixed state`)
      break
    case 'memory':
      notes.push(`weights + KV cache${s.engine ? ` (${s.engine} reserves)` : ' (theoretical)'} + activations + runtime overhead, as \`archcost memory\` prints it, ${devices || 'on one device'}${fixed ? `; ${fixed}` : ''}`)
      if (r.usableBytesPerDevice !== null) notes.push(`dashed line in the chart: usable memory of one ${hw} (memory utilization ${memoryUtilization})`)
      break
    case 'decode-tps':
    case 'cost': {
      const what = r.metric === 'decode-tps' ? 'decode tokens/s of one sequence (1 / TPOT)' : '$ per 1M output tokens'
      const placement = axis === 'devices' ? `on that many ${hw}` : choice?.devices ? `on ${choice.devices}x ${hw}` : `on the fewest ${hw} that hold the model at each point`
      notes.push(`${what} as \`archcost perf\` prints it, ${placement}; ${axis === 'context' ? 'the context is the prompt' : `prompt ${formatTokens(s.contextTokens)}`}, ${outputTokens} output tokens${axis !== 'batch' ? `, batch ${s.batch}` : ''}; roofline with MFU and MBU as in perf`)
      break
    }
  }
  const bytes = r.unit === 'bytes'
  if (r.axis === 'context') notes.push(`context k = 1024 tokens${bytes ? '; bytes in binary units' : ''}`)
  else if (bytes) notes.push('bytes in binary units (GiB = 2^30 bytes)')
  return notes
}
