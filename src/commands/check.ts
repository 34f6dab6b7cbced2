import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {checkFormatFlag, checksOutput} from '../cli/checks.js'
import {loadModel} from '../presets/load.js'
import {fewestDevices} from '../calc/fit.js'
import {kvBytesPerTokenAt} from '../calc/kv.js'
import {isMoe} from '../calc/layers.js'
import {memoryEstimate} from '../calc/memory.js'
import {defaultLayout} from '../calc/parallel.js'
import {paramCounts} from '../calc/params.js'
import {defaultPerfOptions, perfEstimate} from '../calc/perf.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor, type HardwareChoice} from '../flags/index.js'
import {parseBytes, parseParamCount, parsePositiveNumber, parseTokenCount} from '../flags/quantity.js'
import {formatBytes, formatCount, formatRate, formatSeconds} from '../render/format.js'
import type {CheckLine} from '../report/checks.js'

export default class Check extends BaseCommand {
  static override summary = 'Hold models to budgets in CI: one line per budget, pass or fail with the measured figure; exit 1 if any fails'
  static override examples = [
    '<%= config.bin %> check my-config.json --max-total 10B --max-active 3B --max-kv-per-token 64KiB --context 32k',
    '<%= config.bin %> check qwen3-30b-a3b --fits 1xh100 --max-memory 80GiB --min-decode-tps 50 --hardware h100 --format github',
  ]
  static override strict = false
  static override args = {models: Args.string({description: 'preset ids, preset files or config.json files', required: true})}
  static override flags = {
    format: checkFormatFlag,
    context: scenarioFlags.context,
    batch: scenarioFlags.batch,
    weights: scenarioFlags.weights,
    'kv-dtype': scenarioFlags['kv-dtype'],
    engine: scenarioFlags.engine,
    'memory-utilization': scenarioFlags['memory-utilization'],
    hardware: Flags.string({char: 'H', description: 'Hardware for --max-memory (per device) and --min-decode-tps, e.g. h100 or 8xh100'}),
    'max-total': Flags.string({description: 'Most parameters in total, e.g. 10B'}),
    'max-active': Flags.string({description: 'Most active parameters per token, e.g. 3B'}),
    'max-kv-per-token': Flags.string({description: 'Most KV-cache bytes one more token adds at --context, e.g. 64KiB'}),
    'max-memory': Flags.string({description: 'Most memory at --context and --batch: per device with --hardware, else in total, e.g. 80GiB'}),
    fits: Flags.string({description: 'Must fit on these devices at --context and --batch, e.g. 1xh100 or 8xh200'}),
    'min-decode-tps': Flags.string({description: 'Fewest output tokens per second per sequence on --hardware (roofline, prompt = --context)'}),
    'max-ttft': Flags.string({description: 'Longest time to first token on --hardware, in seconds'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Check)
    const budgets = ['max-total', 'max-active', 'max-kv-per-token', 'max-memory', 'fits', 'min-decode-tps', 'max-ttft'] as const
    if (!budgets.some((b) => flags[b] !== undefined)) throw new UserError(`give at least one budget: ${budgets.map((b) => `--${b}`).join(', ')}`)
    const maxTotal = flags['max-total'] === undefined ? null : parseParamCount(flags['max-total'], 'max-total')
    const maxActive = flags['max-active'] === undefined ? null : parseParamCount(flags['max-active'], 'max-active')
    const maxKv = flags['max-kv-per-token'] === undefined ? null : parseBytes(flags['max-kv-per-token'], 'max-kv-per-token')
    const maxMemory = flags['max-memory'] === undefined ? null : parseBytes(flags['max-memory'], 'max-memory')
    const minTps = flags['min-decode-tps'] === undefined ? null : parsePositiveNumber(flags['min-decode-tps'], 'min-decode-tps')
    const maxTtft = flags['max-ttft'] === undefined ? null : parsePositiveNumber(flags['max-ttft'], 'max-ttft')
    const hardware = one(flags.hardware, '--hardware')
    const fitsOn = one(flags.fits, '--fits')
    if ((minTps !== null || maxTtft !== null) && !hardware) throw new UserError('--min-decode-tps and --max-ttft need --hardware, e.g. --hardware h100')
    const lines: CheckLine[] = []
    for (const arg of argv as string[]) {
      const spec = loadModel(arg)
      const file = arg.endsWith('.json') || arg.includes('/') ? arg : null
      const line = (rule: string, ok: boolean, measured: string, limit: string, message: string) =>
        lines.push({subject: spec.id, rule, status: ok ? 'pass' : 'fail', measured, limit, message, file})
      const parsed = scenarioFor(spec, flags)
      const s = parsed.scenario
      const p = paramCounts(spec)
      if (maxTotal !== null) line('max-total', p.totalParams <= maxTotal, formatCount(p.totalParams), formatCount(maxTotal), 'total parameters of the text model')
      if (maxActive !== null) line('max-active', p.activeParams <= maxActive, formatCount(p.activeParams), formatCount(maxActive), 'active parameters per token')
      if (maxKv !== null) {
        const kv = kvBytesPerTokenAt(spec, s.contextTokens, {kvFormat: s.kvFormat, mlaCache: s.mlaCache})
        line('max-kv-per-token', kv <= maxKv, formatBytes(kv), formatBytes(maxKv), `KV bytes one more token adds at ${s.contextTokens} tokens, ${s.kvFormat}`)
      }
      const layoutOn = (choice: HardwareChoice) =>
        choice.devices !== null ? defaultLayout(choice.devices, isMoe(spec)) : fewestDevices(spec, s, choice.hardware, parsed.memoryUtilization)
      if (maxMemory !== null) {
        const layout = hardware ? layoutOn(hardware) : s.layout
        const m = layout ? memoryEstimate(spec, {...s, layout}) : null
        const measured = m === null ? null : hardware ? m.perDevice.totalBytes : m.totalBytes
        line('max-memory', measured !== null && measured <= maxMemory, measured === null ? 'does not fit' : formatBytes(measured), formatBytes(maxMemory), `memory at ${s.contextTokens} tokens x ${s.batch}${hardware ? `, per ${hardware.hardware.id}` : ', in total'}`)
      }
      if (fitsOn) {
        const layout = defaultLayout(fitsOn.devices ?? 1, isMoe(spec))
        const perDevice = memoryEstimate(spec, {...s, layout}).perDevice.totalBytes
        const usable = Math.floor(fitsOn.hardware.memoryBytes * parsed.memoryUtilization)
        line('fits', perDevice <= usable, formatBytes(perDevice), `${formatBytes(usable)} per device`, `on ${fitsOn.devices ?? 1}x ${fitsOn.hardware.id} at ${s.contextTokens} tokens x ${s.batch}`)
      }
      if (hardware && (minTps !== null || maxTtft !== null)) {
        const layout = layoutOn(hardware)
        if (!layout) {
          if (minTps !== null) line('min-decode-tps', false, 'does not fit', formatRate(minTps), `on ${hardware.hardware.id}`)
          if (maxTtft !== null) line('max-ttft', false, 'does not fit', formatSeconds(maxTtft), `on ${hardware.hardware.id}`)
          continue
        }
        const outputTokens = 512
        const perf = perfEstimate(spec, {...s, layout, contextTokens: s.contextTokens + outputTokens, promptTokens: s.contextTokens, outputTokens}, hardware.hardware, defaultPerfOptions)
        const where = `${layout.tp * layout.pp}x ${hardware.hardware.id}, prompt ${s.contextTokens}, batch ${s.batch} (roofline)`
        if (minTps !== null) line('min-decode-tps', perf.tokensPerSecond >= minTps, formatRate(perf.tokensPerSecond), formatRate(minTps), `decode tokens/s per sequence on ${where}`)
        if (maxTtft !== null) line('max-ttft', perf.ttftSeconds <= maxTtft, formatSeconds(perf.ttftSeconds), formatSeconds(maxTtft), `time to first token on ${where}`)
      }
    }
    const {text, code} = checksOutput(flags.json ? 'json' : flags.format, 'archcost check', lines)
    this.print(text)
    if (code) this.exit(code)
    return lines
  }
}

function one(text: string | undefined, flag: string): HardwareChoice | null {
  if (text === undefined) return null
  const choices = parseHardwareFlag(text)
  if (choices.length !== 1) throw new UserError(`${flag} takes one hardware entry, e.g. 1xh100 or 8xh200`)
  return choices[0]!
}
