import {BaseCommand} from '../cli/base-command.js'
import {runParams} from '../handlers/params.js'

export default class Params extends BaseCommand {
  static override summary = 'Parameter breakdown: total, active, and each component, exact to the parameter'
  static override examples = ['<%= config.bin %> params deepseek-v3 kimi-k2-instruct', '<%= config.bin %> params qwen3-0.6b --json']
  static override strict = false
  static override args = {}

  async run() {
    const {argv, flags} = await this.parse(Params)
    return runParams(argv as string[], flags, this.io())
  }
}
