import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {runPerf} from '../handlers/perf.js'
import {scenarioFlags} from '../flags/index.js'
import {defaultPerfOptions} from '../calc/perf.js'

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
    return runPerf(argv as string[], flags, this.io())
  }
}
