import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseTokenCount} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {diffDerivedView, diffFieldsView, diffResult, onlyDifferences} from '../report/diff.js'

export default class Diff extends BaseCommand {
  static override summary = 'Architecture cards side by side with the differences marked, and what they cost: parameters, KV and FLOPs per token, as ratios to the first'
  static override examples = [
    '<%= config.bin %> diff deepseek-v3 kimi-k2-instruct',
    '<%= config.bin %> diff llama-3.2-1b-instruct qwen3-0.6b --only-diff',
    '<%= config.bin %> diff gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --context 32k --json',
  ]
  static override usage = '<%= command.id %> A B [C...] [--context 8k] [--only-diff]'
  static override strict = false
  static override args = {
    a: Args.string({description: 'First model (preset id or file); ratios are to this one'}),
    b: Args.string({description: 'Second model; more may follow'}),
  }
  static override flags = {
    context: Flags.string({char: 'c', description: 'Context for KV and FLOPs (k = 1024: 32k = 32768) [default: 8k or the model maximum]'}),
    'only-diff': Flags.boolean({description: 'Show only the card fields that differ'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Diff)
    const ids = argv as string[]
    if (ids.length < 2)
      throw new UserError(`diff needs at least two models, got ${ids.length}`, 'e.g. `archcost diff deepseek-v3 kimi-k2-instruct`')
    const contextTokens = flags.context === undefined ? undefined : parseTokenCount(flags.context, 'context')
    const specs = resolveModels(ids)
    for (const spec of specs)
      if (contextTokens !== undefined && contextTokens > spec.maxContextTokens)
        process.stderr.write(`warning: ${spec.id}: context ${contextTokens} is past the model's maximum of ${spec.maxContextTokens} tokens\n`)
    const full = diffResult(specs, contextTokens)
    const result = flags['only-diff'] ? onlyDifferences(full) : full
    const format = this.outputFormat(flags)
    const human = format === 'table' || format === 'md'
    this.print(render(format, {views: [diffFieldsView(result), diffDerivedView(result, human)], data: result}))
    return result
  }
}
