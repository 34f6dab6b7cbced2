import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {render} from '../render/render.js'
import {paramsResult, paramsView} from '../report/params.js'

export default class Params extends BaseCommand {
  static override summary = 'Parameter breakdown: total, active, and each component, exact to the parameter'
  static override examples = ['<%= config.bin %> params deepseek-v3 kimi-k2-instruct', '<%= config.bin %> params qwen3-0.6b --json']
  static override strict = false
  static override args = {}

  async run() {
    const {argv, flags} = await this.parse(Params)
    const results = resolveModels(argv as string[]).map(paramsResult)
    this.print(render(this.outputFormat(flags), {views: [paramsView(results)], data: results}))
    return results
  }
}
