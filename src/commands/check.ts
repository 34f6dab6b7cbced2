import {layoutOn, memoryScenarioFor, perfOptionsOf, speedScenarioFor, usableBytes, withLayoutFlags, type HardwareChoice} from '../calc/deployment.js'
import {engineBudget, engineFits} from '../calc/engine-budget.js'
import {sequenceKvBytesPerDevice} from '../calc/fit.js'
import {kvBytesPerTokenAt} from '../calc/kv.js'
import {memoryEstimate} from '../calc/memory.js'
import {devicesOf} from '../calc/parallel.js'
import {paramCounts} from '../calc/params.js'
import {perfEstimate} from '../calc/perf.js'
import {checkFormats, checksCiText, checksFailureText, checksOutput, checksPresentation} from '../cli/checks.js'
import {defineCommand} from '../cli/definition.js'
import {describeFailure} from '../cli/failure.js'
import {withDraftModel} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseOneHardware} from '../flags/hardware.js'
import {parseBytes, parseParamCount, parsePositiveNumber} from '../flags/quantity.js'
import {loadModel, readJsonFile} from '../presets/load.js'
import {baselineFigures, baselineLines, baselineMetrics, figuresOfLines, type Figures} from '../report/baseline.js'
import type {CheckLine, CheckUnit} from '../report/checks.js'
import type {ModelSpec} from '../schema/model.js'
import {pick, scenarioInput, type ScenarioInput} from '../schema/scenario-fields.js'

const budgets = ['max-total', 'max-active', 'max-kv-per-token', 'max-memory', 'fits', 'min-decode-tps', 'max-ttft', 'baseline'] as const

interface Budgets {
  maxTotal: number | null
  maxActive: number | null
  maxKvPerToken: number | null
  maxMemory: number | null
  fitsOn: HardwareChoice | null
  minDecodeTps: number | null
  maxTtft: number | null
}

/** A previous run's figures to hold this one to: --baseline file, --tolerance percent. */
interface Baseline {
  file: string
  figures: Map<string, Figures>
  tolerancePercent: number
}

/** A model argument: its spec, or why it cannot be used (bad JSON, unknown model_type, a bad dimension...). */
type ModelArg = {arg: string; spec: ModelSpec; error?: undefined} | {arg: string; spec?: undefined; error: string}

const fileOf = (arg: string) => (arg.endsWith('.json') || arg.includes('/') ? arg : null)

/** Bad input (exit 2) as its one line; anything else (our bug) is thrown on. */
function inputProblem(error: unknown): string {
  const failure = describeFailure(error as Error, false)
  if (failure.code !== 2) throw error
  return failure.message
}

function loadModelArg(arg: string): ModelArg {
  try {
    return {arg, spec: loadModel(arg)}
  } catch (error) {
    return {arg, error: inputProblem(error)}
  }
}

/** The line of a model that cannot be used: an error (exit 2), annotated on its file, so CI formats still report it. */
const unusableLine = (arg: string, message: string): CheckLine => ({subject: arg, rule: 'model', status: 'error', measured: null, limit: null, unit: null, message, file: fileOf(arg)})

/** Tolerance of --baseline: a percent, 0 or more ("0", "0.5", "2%"). */
function parseTolerance(text: string): number {
  const value = Number(text.trim().replace(/%$/, ''))
  if (!/^\s*\d*\.?\d+\s*%?\s*$/.test(text) || !Number.isFinite(value)) throw new UserError(`--tolerance must be a percent, 0 or more (e.g. 0, 0.5 or 2%), got "${text}"`)
  return value
}

/** Every figure a baseline can hold this run to: parameters and KV per token always, the rest as the budgets measured them. */
function figuresOf(spec: ModelSpec, input: ScenarioInput, lines: CheckLine[]): Figures {
  const {scenario: s} = memoryScenarioFor(spec, input)
  const p = paramCounts(spec)
  const kv = kvBytesPerTokenAt(spec, s.contextTokens, {kvFormat: s.kvFormat, mlaCache: s.mlaCache})
  return {total: p.totalParams, active: p.activeParams, 'kv-per-token': kv, ...figuresOfLines(lines)}
}

/** Every budget for one model, one line each. */
function checkModel(arg: string, spec: ModelSpec, input: ScenarioInput, b: Budgets, hardware: HardwareChoice | null): CheckLine[] {
  const lines: CheckLine[] = []
  const file = fileOf(arg)
  const line = (rule: string, ok: boolean, measured: number | null, limit: number, unit: CheckUnit, message: string) =>
    lines.push({subject: spec.id, rule, status: ok ? 'pass' : 'fail', measured, limit, unit, message, file})
  const {scenario: s, memoryUtilization} = memoryScenarioFor(spec, input)
  const p = paramCounts(spec)
  if (b.maxTotal !== null) line('max-total', p.totalParams <= b.maxTotal, p.totalParams, b.maxTotal, 'params', 'total parameters of the text model')
  if (b.maxActive !== null) line('max-active', p.activeParams <= b.maxActive, p.activeParams, b.maxActive, 'params', 'active parameters per token')
  if (b.maxKvPerToken !== null) {
    const kv = kvBytesPerTokenAt(spec, s.contextTokens, {kvFormat: s.kvFormat, mlaCache: s.mlaCache})
    line('max-kv-per-token', kv <= b.maxKvPerToken, kv, b.maxKvPerToken, 'bytes', `KV bytes one more token adds at ${s.contextTokens} tokens, ${s.kvFormat}`)
  }
  if (b.maxMemory !== null) {
    const layout = hardware ? layoutOn(spec, s, withLayoutFlags(hardware, input), memoryUtilization) : s.layout
    const m = layout ? memoryEstimate(spec, {...s, layout}) : null
    const measured = m === null ? null : hardware ? m.perDevice.totalBytes : m.totalBytes
    line('max-memory', measured !== null && measured <= b.maxMemory, measured, b.maxMemory, 'bytes', `memory at ${s.contextTokens} tokens x ${s.batch}${hardware ? `, per ${hardware.hardware.id}` : ', in total'}`)
  }
  if (b.fitsOn) {
    const layout = layoutOn(spec, s, withLayoutFlags({...b.fitsOn, devices: b.fitsOn.devices ?? 1}, input), memoryUtilization)!
    const where = `on ${devicesOf(layout)}x ${b.fitsOn.hardware.id} at ${s.contextTokens} tokens x ${s.batch}`
    if (s.engine) {
      // The engine's own accounting: the KV the batch needs on one device against the pool the engine leaves for it.
      const engine = engineBudget(spec, {...s, layout}, b.fitsOn.hardware, input.engineSettings, memoryUtilization)
      const needed = Math.ceil(sequenceKvBytesPerDevice(spec, {...s, layout}, s.contextTokens) * s.batch)
      line('fits', engineFits(engine, s.batch), needed, engine.kvCachePoolBytesPerDevice, 'bytes', `KV cache the batch needs per device ${where} (limit: ${s.engine}'s KV pool)`)
    } else {
      const perDevice = memoryEstimate(spec, {...s, layout}).perDevice.totalBytes
      const usable = usableBytes(b.fitsOn.hardware, memoryUtilization, input.engineSettings.wiredLimitBytes)
      line('fits', perDevice <= usable, perDevice, usable, 'bytes', `per device ${where} (limit: usable memory of one device)`)
    }
  }
  if (hardware && (b.minDecodeTps !== null || b.maxTtft !== null)) {
    const speed = speedScenarioFor(spec, input)
    const layout = layoutOn(spec, speed.scenario, withLayoutFlags(hardware, input), speed.memoryUtilization)
    if (!layout) {
      if (b.minDecodeTps !== null) line('min-decode-tps', false, null, b.minDecodeTps, 'tokens/s', `does not fit on up to 1024 ${hardware.hardware.id}`)
      if (b.maxTtft !== null) line('max-ttft', false, null, b.maxTtft, 's', `does not fit on up to 1024 ${hardware.hardware.id}`)
      return lines
    }
    const perf = perfEstimate(spec, {...speed.scenario, layout}, hardware.hardware, perfOptionsOf(input))
    const load = input.serving.mode === 'concurrency' ? `${input.serving.users} users` : input.serving.mode === 'rate' ? `${input.serving.requestsPerSecond} req/s` : `batch ${s.batch}`
    const where = `${devicesOf(layout)}x ${hardware.hardware.id}, prompt ${speed.scenario.promptTokens}, output ${speed.scenario.outputTokens}, ${load}`
    if (b.minDecodeTps !== null) line('min-decode-tps', perf.tokensPerSecond >= b.minDecodeTps, perf.tokensPerSecond, b.minDecodeTps, 'tokens/s', `decode tokens/s per user on ${where}`)
    if (b.maxTtft !== null) line('max-ttft', perf.ttftSeconds <= b.maxTtft, perf.ttftSeconds, b.maxTtft, 's', `time to first token on ${where}`)
  }
  return lines
}

/** A model's lines: its budgets, then its comparison with the baseline; an unusable model is one error line. */
function checkModelArg(m: ModelArg, input: ScenarioInput, b: Budgets, hardware: HardwareChoice | null, baseline: Baseline | null, ci: boolean): {lines: CheckLine[]; warnings: string[]} {
  if (m.error !== undefined) return {lines: [unusableLine(m.arg, m.error)], warnings: []}
  try {
    const lines = checkModel(m.arg, m.spec, input, b, hardware)
    if (!baseline) return {lines, warnings: []}
    const compared = baselineLines(m.spec.id, fileOf(m.arg), figuresOf(m.spec, input, lines), baseline.figures.get(m.spec.id)!, baseline.tolerancePercent)
    const warnings = compared.notCompared.map(
      (metric) => `${baseline.file}: ${m.spec.id}'s ${baselineMetrics[metric].what} (--${baselineMetrics[metric].budget}) not compared: this run does not measure it; give --${baselineMetrics[metric].budget} as the baseline's run did`,
    )
    return {lines: [...lines, ...compared.lines], warnings}
  } catch (error) {
    if (!ci) throw error
    return {lines: [unusableLine(m.arg, inputProblem(error))], warnings: []}
  }
}

/** --baseline's figures, each usable model among them; a file that is not a baseline, or of other models, is one line. */
function readBaseline(file: string, tolerancePercent: number, models: ModelArg[]): Baseline {
  const figures = baselineFigures(readJsonFile(file, 'baseline (the --json output of check or params)'), file)
  for (const m of models) {
    if (m.spec && !figures.has(m.spec.id))
      throw new UserError(`--baseline ${file}: holds figures of ${[...figures.keys()].map((id) => `"${id}"`).join(', ')}, not of "${m.spec.id}"; give a baseline of the same model`)
  }
  return {file, figures, tolerancePercent}
}

const title = 'archcost check'

export default defineCommand({
  id: 'check',
  summary: 'Hold models to budgets in CI: one line per budget, pass or fail with the measured figure; exit 1 if any fails',
  examples: [
    '<%= config.bin %> check my-config.json --max-total 10B --max-active 3B --max-kv-per-token 64KiB --context 32k',
    '<%= config.bin %> check qwen3-30b-a3b --fits 1xh100 --max-memory 80GiB --min-decode-tps 50 --hardware h100 --format github',
  ],
  usage: 'check MODEL... --max-total 10B [--max-active ...] [--fits 1xh100] ...',
  args: [{name: 'models', description: 'preset ids, preset files or config.json files', required: true}],
  variadic: true,
  extraFormats: checkFormats,
  flags: {
    ...pick('context', 'batch', 'prompt', 'output', 'isl', 'osl', 'weights', 'kv-dtype', 'engine', 'memory-utilization'),
    // The speed budgets answer the same scenario perf and compare do: load, speculation, prefix cache, efficiencies.
    ...pick('concurrency', 'request-rate', 'speculative', 'draft-tokens', 'draft-model', 'acceptance-rate', 'acceptance-length', 'prefix-hit-rate', 'max-num-batched-tokens', 'max-num-seqs', 'mfu', 'mbu', 'tp', 'pp', 'dp', 'ep'),
    hardware: {kind: 'option', char: 'H', description: 'Hardware for --max-memory (per device), --min-decode-tps and --max-ttft, e.g. h100 or 8xh100'},
    'max-total': {kind: 'option', description: 'Most parameters in total, e.g. 10B'},
    'max-active': {kind: 'option', description: 'Most active parameters per token, e.g. 3B'},
    'max-kv-per-token': {kind: 'option', description: 'Most KV-cache bytes one more token adds at --context, e.g. 64KiB'},
    'max-memory': {kind: 'option', description: 'Most memory at --context and --batch: per device with --hardware, else in total, e.g. 80GiB'},
    fits: {kind: 'option', description: 'Must fit on these devices at --context and --batch, e.g. 1xh100 or 8xh200'},
    'min-decode-tps': {kind: 'option', description: 'Fewest output tokens per second per user on --hardware, as perf computes it (prompt: --prompt, else --context, else 2k)'},
    'max-ttft': {kind: 'option', description: 'Longest time to first token on --hardware, in seconds'},
    baseline: {kind: 'option', description: 'A previous `check --json` (or `params --json`) of the same models: fail on a regression in total/active parameters, KV bytes per token, and what else both runs budget'},
    tolerance: {kind: 'option', description: 'With --baseline: how much worse a figure may get, in percent of the baseline (0: any increase fails)', default: '0'},
  },
  input: (raw) => {
    const f = raw.flags
    if (f.tolerance !== '0' && f.baseline === undefined) throw new UserError('--tolerance goes with --baseline previous.json')
    if (!budgets.some((b) => f[b] !== undefined)) throw new UserError(`give at least one budget: ${budgets.map((b) => `--${b}`).join(', ')}`)
    const b: Budgets = {
      maxTotal: f['max-total'] === undefined ? null : parseParamCount(f['max-total'], 'max-total'),
      maxActive: f['max-active'] === undefined ? null : parseParamCount(f['max-active'], 'max-active'),
      maxKvPerToken: f['max-kv-per-token'] === undefined ? null : parseBytes(f['max-kv-per-token'], 'max-kv-per-token'),
      maxMemory: f['max-memory'] === undefined ? null : parseBytes(f['max-memory'], 'max-memory'),
      fitsOn: parseOneHardware(f.fits, 'for --fits, e.g. 1xh100 or 8xh200', 'fits'),
      minDecodeTps: f['min-decode-tps'] === undefined ? null : parsePositiveNumber(f['min-decode-tps'], 'min-decode-tps'),
      maxTtft: f['max-ttft'] === undefined ? null : parsePositiveNumber(f['max-ttft'], 'max-ttft'),
    }
    const hardware = parseOneHardware(f.hardware, 'in `check`, e.g. 1xh100 or 8xh200')
    if ((b.minDecodeTps !== null || b.maxTtft !== null) && !hardware) throw new UserError('--min-decode-tps and --max-ttft need --hardware, e.g. --hardware h100')
    const tolerancePercent = parseTolerance(f.tolerance)
    // In github/junit a model that cannot be used is a line of the report (an error, exit 2), so that CI still gets
    // one; elsewhere it is the one line on stderr any bad input is.
    const flags = raw.flags as Record<string, unknown>
    const ci = !flags.json && (checkFormats as readonly unknown[]).includes(flags.format)
    const models = raw.argv.map(loadModelArg)
    const unusable = models.find((m) => m.error !== undefined)
    if (unusable && !ci) throw new UserError(unusable.error!)
    const baseline = f.baseline === undefined ? null : readBaseline(f.baseline, tolerancePercent, models)
    return {models, scenario: withDraftModel(scenarioInput(f)), budgets: b, hardware, baseline, ci}
  },
  run: ({models, scenario, budgets: b, hardware, baseline, ci}) => {
    const checked = models.map((m) => checkModelArg(m, scenario, b, hardware, baseline, ci))
    const result = checksOutput(checked.flatMap((c) => c.lines))
    const scenarioWarnings = models.flatMap(({spec}) => (spec ? memoryScenarioFor(spec, scenario).warnings : []))
    return {...result, warnings: [...checked.flatMap((c) => c.warnings), ...scenarioWarnings]}
  },
  present: (result) => checksPresentation(title, result),
  presentExtra: (result, format) => checksCiText(title, result, format),
  presentFailure: (message, format) => checksFailureText(title, message, format),
  // The models that could not be used (github/junit report them as errors): their line on stderr too.
  messages: (result) => result.checks.filter((l) => l.status === 'error').map((l) => `archcost: ${l.message}`),
  exitCode: (result) => result.exitCode,
})
