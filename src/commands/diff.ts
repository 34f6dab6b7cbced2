import {pastMaximum} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseTokenCount} from '../flags/quantity.js'
import {diffDerivedView, diffFieldsView, diffResult, onlyDifferences, type DiffResult} from '../report/diff.js'
import {scenarioDefaults} from '../schema/scenario-fields.js'

export default defineCommand({
  id: 'diff',
  summary: 'Architecture cards side by side with the differences marked, and what they cost: parameters, KV and FLOPs per token, as ratios to the first',
  examples: [
    '<%= config.bin %> diff deepseek-v3 kimi-k2-instruct',
    '<%= config.bin %> diff llama-3.2-1b-instruct qwen3-0.6b --only-diff',
    '<%= config.bin %> diff gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --context 32k --json',
  ],
  usage: 'diff A B [C...] [--context 8k] [--only-diff]',
  args: [
    {name: 'a', description: 'First model (preset id or file); ratios are to this one'},
    {name: 'b', description: 'Second model; more may follow'},
  ],
  variadic: true,
  flags: {
    context: {kind: 'option', char: 'c', description: `Context for KV and FLOPs (k = 1024: 32k = 32768) [default: ${scenarioDefaults.flopsContextTokens / 1024}k or the model maximum]`},
    'only-diff': {kind: 'boolean', description: 'Show only the card fields that differ'},
  },
  input: (raw) => {
    if (raw.argv.length < 2) throw new UserError(`diff needs at least two models, got ${raw.argv.length}`, 'e.g. `archcost diff deepseek-v3 kimi-k2-instruct`')
    return {
      specs: resolveModels(raw.argv),
      contextTokens: raw.flags.context === undefined ? undefined : parseTokenCount(raw.flags.context, 'context'),
      onlyDiff: raw.flags['only-diff'],
    }
  },
  run: ({specs, contextTokens, onlyDiff}): DiffResult & {warnings: string[]} => {
    const full = diffResult(specs, contextTokens)
    const warnings = contextTokens === undefined ? [] : specs.filter((spec) => contextTokens > spec.maxContextTokens).map((spec) => pastMaximum(spec, contextTokens))
    return {...(onlyDiff ? onlyDifferences(full) : full), warnings}
  },
  present: (result, format) => ({views: [diffFieldsView(result), diffDerivedView(result, format === 'table' || format === 'md')]}),
})
