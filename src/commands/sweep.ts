import {extname} from 'node:path'
import {memoryScenarioFor, perfOptionsOf, promptTokensOf, usableBytes, type HardwareChoice} from '../calc/deployment.js'
import {metricNeedsHardware, sweep, sweepMetrics, type SweepMetric, type SweepModel} from '../calc/sweep.js'
import {defineCommand} from '../cli/definition.js'
import {withDraftModel} from '../cli/models.js'
import {forceFlag, possibleInputs} from '../cli/output.js'
import {UserError} from '../errors.js'
import {writeOutputFile} from '../files.js'
import {parseOneHardware} from '../flags/hardware.js'
import {parsePoints, parseSweepRange} from '../flags/range.js'
import {loadModel} from '../presets/load.js'
import {htmlPage, svgChart, textChart} from '../render/chart.js'
import {formatTokens} from '../render/format.js'
import {terminal} from '../render/terminal.js'
import {sweepChart, sweepPointNotes, sweepResult, sweepView, type SweepResult} from '../report/sweep.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

const outKinds: Record<string, 'svg' | 'html'> = {'.svg': 'svg', '.html': 'html', '.htm': 'html'}
const {prompt: _prompt, ...sweepScenarioFlags} = scenarioFlags

export default defineCommand({
  id: 'sweep',
  summary: 'One metric (KV bytes, memory, decode tok/s, $/1M) across a range of context, batch or devices, for several models: table and line chart',
  description: [
    '--over takes axis=low..high (geometric points: every power of two when both ends are powers of two, else 12 or --points N) or axis=a,b,c.',
    "Points past a model's maximum context are computed all the same, drawn hollow (lower case in the text chart) and named in a note.",
    'For decode-tps and cost the context is the prompt, as in `perf --prompt`, with --output tokens after it.',
  ].join('\n'),
  examples: [
    '<%= config.bin %> sweep gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --over context=1k..128k',
    '<%= config.bin %> sweep llama-3.1-8b qwen3-8b --over context=1k..1M --log --out kv.svg',
    '<%= config.bin %> sweep llama-3.1-70b qwen3-32b --metric memory --hardware h100 --over batch=1..64 --context 32k',
    '<%= config.bin %> sweep qwen3-30b-a3b gpt-oss-20b --metric decode-tps --hardware h100 --over batch=1,8,32,128',
    '<%= config.bin %> sweep deepseek-v3 --metric cost --hardware h200 --over devices=8,16,32 --out cost.html',
  ],
  usage: 'sweep MODEL... --over context=1k..1M [--metric kv|memory|decode-tps|cost] [--hardware h100] [--out chart.svg]',
  args: [],
  variadic: true,
  flags: {
    over: {kind: 'option', description: 'The range (required): context=1k..1M, batch=1..64, devices=1,2,4,8 (k = 1024)'},
    metric: {kind: 'option', description: 'What to plot: kv (theoretical KV cache), memory (total, per device with several), decode-tps (tokens/s per sequence), cost ($ per 1M output tokens)', options: sweepMetrics, default: 'kv'},
    points: {kind: 'option', description: 'Points of a low..high range, 2-1000 [default: the powers of two between the ends when both are powers of two, else 12]'},
    log: {kind: 'boolean', description: 'Logarithmic y axis in the chart (x is logarithmic for low..high ranges)'},
    out: {kind: 'option', description: 'Also write the chart to this file: .svg, or .html (the chart and a table of the values) (an existing file needs --force)'},
    force: forceFlag,
    ...sweepScenarioFlags,
    context: {kind: 'option', char: 'c', description: 'Context per sequence when the sweep is over batch or devices (k = 1024) [default: 32k or the model maximum; decode-tps and cost: the prompt, 2k or the maximum]'},
    batch: {kind: 'option', char: 'b', description: 'Concurrent sequences when the sweep is not over batch [default: 1]'},
    hardware: {kind: 'option', char: 'H', description: 'One hardware profile, e.g. h100 or 8xh100 (needed by decode-tps and cost; draws usable memory for memory)'},
    engine: {...scenarioFlags.engine, description: 'memory: count the KV cache this engine reserves (pages, windows, MLA layout) instead of the theoretical one; kv stays theoretical'},
  },
  input: (raw) => {
    const f = raw.flags
    if (raw.argv.length === 0) throw new UserError('sweep needs at least one model id, e.g. archcost sweep gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --over context=1k..128k')
    if (f.over === undefined) throw new UserError('sweep needs --over, e.g. --over context=1k..1M, --over batch=1..64 or --over devices=1,2,4,8')
    const metric = f.metric as SweepMetric
    const range = parseSweepRange(f.over, f.points === undefined ? undefined : parsePoints(f.points))
    const outKind = f.out === undefined ? null : outKinds[extname(f.out).toLowerCase()]
    if (outKind === undefined) throw new UserError(`--out "${f.out}": write the chart as .svg or .html, e.g. --out chart.svg`)
    if (range.name === 'context' && f.context !== undefined) throw new UserError(`--context and --over ${f.over} both set the context; drop --context`)
    if (range.name === 'batch' && f.batch !== undefined) throw new UserError(`--batch and --over ${f.over} both set the batch; drop --batch`)
    const choice = parseOneHardware(f.hardware, 'in `sweep`; sweep over devices with --over devices=1,2,4,8, or run one sweep per profile')
    if (range.name === 'devices' && choice?.devices !== null && choice?.devices !== undefined)
      throw new UserError(`--over ${f.over} sets the device count; give --hardware without one (e.g. ${choice.hardware.id}, not ${f.hardware})`)
    if (metricNeedsHardware(metric) && !choice) throw new UserError(`--metric ${metric} needs --hardware, e.g. --hardware h100 or --hardware 8xh200`)
    const scenario = withDraftModel(scenarioInput(f))
    const hw = choice?.hardware ?? null
    if (hw && metricNeedsHardware(metric)) {
      const format = scenario.computeFormat
      if (format && hw.peakFlopsPerSecond[format] === null) throw new UserError(`--compute-dtype ${format}: ${hw.id} has no ${format} peak in its profile`)
      if (metric === 'cost' && scenario.pricePerHourUsd === null && hw.pricePerHourUsd === null)
        throw new UserError(`--metric cost: ${hw.id} has no hourly price in its profile; give one with --price-per-hour, e.g. --price-per-hour 2.50`)
    }
    const seen = new Set<string>()
    const specs = raw.argv.map((id) => loadModel(id)).filter((spec) => !seen.has(spec.id) && seen.add(spec.id))
    // decode-tps and cost: the context is the prompt (perf's default: 2k or the model's maximum).
    const models = specs.map((spec) => ({spec, ...memoryScenarioFor(spec, scenario, null, metricNeedsHardware(metric) && range.name !== 'context' ? promptTokensOf(spec, scenario) : undefined)}))
    if (f.force && f.out === undefined) throw new UserError('--force goes with --out FILE')
    const inputs = possibleInputs(raw.argv, f)
    return {metric, range, outKind, out: f.out ?? null, force: f.force, inputs, log: f.log, choice, scenario, models, hardwareText: f.hardware ?? null}
  },
  run: ({metric, range, outKind, out, force, inputs, log, choice, scenario, models, hardwareText}): SweepResult & {warnings: string[]} => {
    const hw = choice?.hardware ?? null
    const memoryUtilization = models[0]!.memoryUtilization
    const series = sweep(
      models.map((m): SweepModel => ({spec: m.spec, scenario: m.scenario})),
      {metric, axis: {name: range.name, values: range.values}, hardware: hw, devices: choice?.devices ?? null, memoryUtilization, perf: perfOptionsOf(scenario), outputTokens: scenario.outputTokens, pricePerHourUsd: scenario.pricePerHourUsd},
    )
    const usable = metric === 'memory' && hw ? usableBytes(hw, memoryUtilization, scenario.engineSettings.wiredLimitBytes) : null
    const perDevice = range.name === 'devices' || (choice?.devices ?? 1) > 1 || (metric === 'memory' && hw !== null)
    const result = sweepResult(metric, range.name, series, hardwareText, usable, perDevice)
    if (out !== null && outKind) {
      const chart = sweepChart(result, {logY: log, logX: range.geometric, detail: chartDetail(result, models[0]!.scenario, range.name, choice), notes: sweepNotes(result, models[0]!.scenario, scenario.outputTokens, choice, memoryUtilization, range.name)})
      writeOutputFile(out, outKind === 'svg' ? svgChart(chart) : htmlPage(chart), {flag: '--out', force, inputs})
    }
    return {...result, warnings: range.name !== 'context' ? models.flatMap((m) => m.warnings) : []}
  },
  present: (result, format, {range, out, log, choice, scenario, models}) => {
    const first = models[0]!.scenario
    const notes = sweepNotes(result, first, scenario.outputTokens, choice, models[0]!.memoryUtilization, range.name)
    const detail = chartDetail(result, first, range.name, choice)
    return {
      views: [sweepView(result, notes)],
      after: format === 'table' ? textChart(sweepChart(result, {logY: log, logX: range.geometric, detail}), {width: terminal.width ?? 80}) : undefined,
    }
  },
  messages: (_result, {out}) => (out !== null ? [`wrote ${out}`] : []),
})

function sweepNotes(r: SweepResult, s: Scenario, outputTokens: number, choice: HardwareChoice | null, memoryUtilization: number, axis: string): string[] {
  const hw = choice?.hardware
  const devicesText =
    axis === 'devices' ? `that many ${hw ? hw.id : 'devices'}` : choice?.devices ? `${choice.devices}x ${hw!.id}` : metricNeedsHardware(r.metric) ? `1,024 ${hw!.id} (the most tried)` : hw ? `one ${hw.id}` : 'one device'
  return [...metricNotes(r, s, outputTokens, choice, memoryUtilization, axis), ...sweepPointNotes(r, devicesText)]
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
      notes.push(`${what} as \`archcost perf\` prints it, ${placement}; ${axis === 'context' ? 'the context is the prompt' : `prompt ${formatTokens(s.contextTokens)}`}, ${outputTokens} output tokens${axis !== 'batch' ? `, batch ${s.batch}` : ''}; the serving model of perf (engine steps with their latency terms, MFU and MBU)`)
      break
    }
  }
  const bytes = r.unit === 'bytes'
  if (r.axis === 'context') notes.push(`context k = 1024 tokens${bytes ? '; bytes in binary units' : ''}`)
  else if (bytes) notes.push('bytes in binary units (GiB = 2^30 bytes)')
  return notes
}
