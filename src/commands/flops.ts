import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {defaultFlopsOptions, type MlaAttentionForm} from '../calc/flops.js'
import {parseTokenCount, parseTrainTokens} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {flopsResult, flopsView} from '../report/flops.js'

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
    const specs = resolveModels(argv as string[])
    const form = flags['mla-attention'] as MlaAttentionForm | undefined
    const o = form ? {mlaPrefill: form, mlaDecode: form} : defaultFlopsOptions
    const trainTokens = flags['train-tokens'] === undefined ? null : parseTrainTokens(flags['train-tokens'], 'train-tokens')
    const results = specs.map((spec) => {
      const contextTokens = flags.context === undefined ? Math.min(8192, spec.maxContextTokens) : parseTokenCount(flags.context, 'context')
      if (contextTokens > spec.maxContextTokens) process.stderr.write(`warning: ${spec.id}: context ${contextTokens} is past the model's maximum of ${spec.maxContextTokens} tokens\n`)
      return flopsResult(spec, contextTokens, o, trainTokens)
    })
    const notes = [
      `context ${results[0]!.contextTokens} tokens; forward = 2 x parameters multiplied + 2 x heads x (qk + v head dims) per key seen (sliding: window, chunked: position in chunk) + linear-attention state updates`,
      'prefill counts the causal half only (position i sees i + 1 keys) and the LM head at every position; decode is one token with the context in the cache',
      `MLA: ${o.mlaPrefill} form in prefill, ${o.mlaDecode} in decode; training = 3 x forward (4 x with recomputation); FLOP = one multiply or add`,
    ]
    this.print(render(this.outputFormat(flags), {views: [flopsView(results, notes)], data: results}))
    return results
  }
}
