import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {runShow} from '../handlers/show.js'

export default class Show extends BaseCommand {
  static override summary = "Architecture card of a model: layers, widths, heads, attention pattern, FFN/MoE, norms, positions"
  static override examples = ['<%= config.bin %> show deepseek-v3', '<%= config.bin %> show gemma-3-27b-it --json']
  static override args = {model: Args.string({description: 'Preset id or preset file', required: true})}

  async run() {
    const {args, flags} = await this.parse(Show)
    return runShow([], flags, args, this.io())
  }
}
