import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {runFlopsCommand} from '../handlers/flops.js'

export default class FlopsCommand extends BaseCommand {
  static override summary = 'FLOPs per token: forward, prefill of the context, one decode step, training per token and per run'
  static override examples = [
    '<%= config.bin %> flops deepseek-v3 llama-4-maverick-17b-128e-instruct --context 8k',
    '<%= config.bin %> flops qwen3-8b --context 4k --train-tokens 36T --json',
  ]
  static override strict = false
  static override flags = {
    context: Flags.string({char: 'c', description: 'Context length (prefill length, decode position, training sequence length) [default: 8k or the model maximum]'}),
    'train-tokens': Flags.string({description: 'Training tokens for a whole-run total, e.g. 15T, 36T, 2e12'}),
    'mla-attention': Flags.string({description: 'MLA attention form for both prefill and decode [default: expanded for prefill, absorbed for decode, as vLLM]', options: ['absorbed', 'expanded']}),
  }

  async run() {
    const {argv, flags} = await this.parse(FlopsCommand)
    return runFlopsCommand(argv as string[], flags, this.io())
  }
}
