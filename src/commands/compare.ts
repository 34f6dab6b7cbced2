import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {runCompare} from '../handlers/compare.js'
import {scenarioFlags} from '../flags/index.js'
import {compareColumns} from '../report/compare.js'

export default class Compare extends BaseCommand {
  static override summary = 'Models side by side (all presets when none are named): parameters, KV and FLOPs per token; memory and speed with --hardware'
  static override examples = [
    '<%= config.bin %> compare',
    '<%= config.bin %> compare gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --context 32k',
    '<%= config.bin %> compare qwen3-30b-a3b gpt-oss-20b --hardware h100 --batch 16',
  ]
  static override strict = false
  static override flags = {
    ...scenarioFlags,
    output: Flags.string({description: 'Output tokens per sequence for the speed columns', default: '512'}),
    columns: Flags.string({description: `Columns to show, in order: ${Object.keys(compareColumns).join(',')}`}),
    sort: Flags.string({description: 'Sort by a column (same names as --columns), ascending'}),
    desc: Flags.boolean({description: 'Sort descending'}),
    family: Flags.string({description: 'Only these families, comma-separated (e.g. qwen3,gemma3)'}),
    moe: Flags.boolean({description: 'Only mixture-of-experts models', exclusive: ['dense']}),
    dense: Flags.boolean({description: 'Only dense models', exclusive: ['moe']}),
    'max-active': Flags.string({description: 'Only models with at most this many active parameters (e.g. 20B, 500M)'}),
    'max-total': Flags.string({description: 'Only models with at most this many parameters in total'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Compare)
    return runCompare(argv as string[], flags, this.io())
  }
}
