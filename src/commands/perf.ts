import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor} from '../flags/index.js'
import {parseFraction, parsePositiveNumber, parseTokenCount} from '../flags/quantity.js'
import {defaultPerfOptions, type ComputeFormat, type PerfOptions} from '../calc/perf.js'
import {render} from '../render/render.js'
import {perfResult, perfView} from '../report/perf.js'

export default class Perf extends BaseCommand {
  static override summary = 'Roofline speed and cost: TTFT, time per output token, tokens/s, what bounds decode, $/1M tokens'
  static override examples = [
    '<%= config.bin %> perf llama-3.1-8b --hardware h100',
    '<%= config.bin %> perf deepseek-v3 --hardware 8xh200 --prompt 2k --output 512 --batch 32',
    '<%= config.bin %> perf qwen3-30b-a3b --hardware h100,mi300x,rtx4090 --batch 8 --json',
  ]
  static override strict = false
  static override flags = {
    ...scenarioFlags,
    prompt: Flags.string({description: 'Prompt tokens per sequence [default: --context, else 2k]'}),
    output: Flags.string({description: 'Output tokens per sequence', default: '512'}),
    mfu: Flags.string({description: 'Achievable share of peak FLOP/s in prefill', default: String(defaultPerfOptions.prefillMfu)}),
    mbu: Flags.string({description: 'Achievable share of peak memory bandwidth in decode', default: String(defaultPerfOptions.bandwidthEfficiency)}),
    'compute-dtype': Flags.string({description: 'Peak FLOP/s column to use [default: fp8 for fp8 weights where the device has it, else bf16]', options: ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4']}),
    'price-per-hour': Flags.string({description: 'Hourly price of one device in USD [default: the profile\'s]'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Perf)
    if (!flags.hardware) throw new UserError('perf needs --hardware, e.g. --hardware h100 or --hardware 8xh200,8xmi300x')
    const choices = parseHardwareFlag(flags.hardware)
    const specs = resolveModels(argv as string[])
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
    this.print(render(this.outputFormat(flags), {views: [perfView(results, notes)], data: results}))
    return results
  }
}
