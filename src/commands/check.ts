import {layoutOn, memoryScenarioFor, perfOptionsOf, speedScenarioFor, usableBytes, withLayoutFlags, type HardwareChoice} from '../calc/deployment.js'
import {engineBudget, engineFits} from '../calc/engine-budget.js'
import {sequenceKvBytesPerDevice} from '../calc/fit.js'
import {kvBytesPerTokenAt} from '../calc/kv.js'
import {memoryEstimate} from '../calc/memory.js'
import {devicesOf} from '../calc/parallel.js'
import {paramCounts} from '../calc/params.js'
import {perfEstimate} from '../calc/perf.js'
import {checkFormats, checksCiText, checksOutput, checksPresentation} from '../cli/checks.js'
import {defineCommand} from '../cli/definition.js'
import {withDraftModel} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseOneHardware} from '../flags/hardware.js'
import {parseBytes, parseParamCount, parsePositiveNumber} from '../flags/quantity.js'
import {loadModel} from '../presets/load.js'
import type {CheckLine, CheckUnit} from '../report/checks.js'
import type {ModelSpec} from '../schema/model.js'
import {pick, scenarioInput, type ScenarioInput} from '../schema/scenario-fields.js'

const budgets = ['max-total', 'max-active', 'max-kv-per-token', 'max-memory', 'fits', 'min-decode-tps', 'max-ttft'] as const

interface Budgets {
  maxTotal: number | null
  maxActive: number | null
  maxKvPerToken: number | null
  maxMemory: number | null
  fitsOn: HardwareChoice | null
  minDecodeTps: number | null
  maxTtft: number | null
}

/** Every budget for one model, one line each. */
function checkModel(arg: string, spec: ModelSpec, input: ScenarioInput, b: Budgets, hardware: HardwareChoice | null): CheckLine[] {
  const lines: CheckLine[] = []
  const file = arg.endsWith('.json') || arg.includes('/') ? arg : null
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
  },
  input: (raw) => {
    const f = raw.flags
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
    return {models: raw.argv.map((arg) => ({arg, spec: loadModel(arg)})), scenario: withDraftModel(scenarioInput(f)), budgets: b, hardware}
  },
  run: ({models, scenario, budgets: b, hardware}) => {
    const result = checksOutput(models.flatMap(({arg, spec}) => checkModel(arg, spec, scenario, b, hardware)))
    return {...result, warnings: models.flatMap(({spec}) => memoryScenarioFor(spec, scenario).warnings)}
  },
  present: (result) => checksPresentation(title, result),
  presentExtra: (result, format) => checksCiText(title, result, format),
  exitCode: (result) => result.exitCode,
})
