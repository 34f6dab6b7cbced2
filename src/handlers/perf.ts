// The logic of `archcost perf`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFor} from '../flags/scenario.js'
import {parseFraction, parsePositiveNumber, parseTokenCount} from '../flags/quantity.js'
import {defaultPerfOptions, type ComputeFormat, type PerfOptions} from '../calc/perf.js'
import {render} from '../render/render.js'
import {perfResult, perfView} from '../report/perf.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runPerf(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  if (!flags.hardware) throw new UserError('perf needs --hardware, e.g. --hardware h100 or --hardware 8xh200,8xmi300x')
  const choices = parseHardwareFlag(flags.hardware)
  const specs = resolveModels(argv)
  const options: PerfOptions = {
    ...defaultPerfOptions,
    prefillMfu: parseFraction(flags.mfu, 'mfu'),
    bandwidthEfficiency: parseFraction(flags.mbu, 'mbu'),
    computeFormat: (flags['compute-dtype'] as ComputeFormat | undefined) ?? null,
  }
  const price = flags['price-per-hour'] === undefined ? null : parsePositiveNumber(flags['price-per-hour'], 'price-per-hour')
  const outputTokens = parseTokenCount(flags.output, 'output')
  const results = []
  for (const spec of specs) {
    const promptTokens = flags.prompt !== undefined ? parseTokenCount(flags.prompt, 'prompt') : flags.context !== undefined ? parseTokenCount(flags.context, 'context') : Math.min(2048, spec.maxContextTokens)
    const parsed = scenarioFor(spec, {...flags, context: String(promptTokens + outputTokens)})
    for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`)
    for (const choice of choices) {
      if (options.computeFormat && choice.hardware.peakFlopsPerSecond[options.computeFormat] === null)
        throw new UserError(`--compute-dtype ${options.computeFormat}: ${choice.hardware.id} has no ${options.computeFormat} peak in its profile`)
      results.push(perfResult(spec, {...parsed.scenario, promptTokens, outputTokens}, choice, parsed.memoryUtilization, options, price))
    }
  }
  const first = results[0]!
  const notes = [
    `prompt ${first.promptTokens} tokens, ${first.outputTokens} output tokens, batch ${first.batch}; TPOT is the decode step at prompt + half the output`,
    `roofline: prefill max(FLOPs / (peak x MFU ${options.prefillMfu}), bytes / (bandwidth x MBU ${options.bandwidthEfficiency})); decode max(bytes / (bandwidth x MBU), FLOPs / peak); per tensor-parallel device`,
    'bytes per decode step: weights read (MoE: shared part + experts the batch hits, E(1-(1-k/E)^B)) + every sequence\'s KV cache',
    'tensor parallel adds 2 ring all-reduces per layer over the interconnect (bandwidth only, no latency); pipeline stages run in turn',
    'cost: all devices at the hourly price, serving this workload continuously; J/token from board power',
  ]
  if (results.some((r) => !r.commIncluded && r.devices !== null && r.devices > 1)) notes.push('no interconnect figure for some hardware: its all-reduce time is not included')
  io.print(render(outputFormat(flags), {views: [perfView(results, notes)], data: results}))
  return results
}

