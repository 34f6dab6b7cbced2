import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {render} from '../render/render.js'
import {presetSummary, presetsView} from '../report/params.js'

export default class Presets extends BaseCommand {
  static override summary = 'List every model preset with its family, FFN kind, attention kind and parameters'
  static override examples = ['<%= config.bin %> presets', '<%= config.bin %> presets --format md']

  async run() {
    const {flags} = await this.parse(Presets)
    const rows = resolveModels([]).map(presetSummary)
    this.print(render(this.outputFormat(flags), {views: [presetsView(rows)], data: rows}))
    return rows
  }
}
