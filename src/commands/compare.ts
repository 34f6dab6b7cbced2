import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {render} from '../render/render.js'
import {compareRows, compareView} from '../report/compare.js'

export default class Compare extends BaseCommand {
  static override summary = 'Models side by side (all presets when none are named)'
  static override examples = ['<%= config.bin %> compare', '<%= config.bin %> compare gemma-3-27b-it mistral-small-3.1-24b-instruct-2503']
  static override strict = false

  async run() {
    const {argv, flags} = await this.parse(Compare)
    const rows = compareRows(resolveModels(argv as string[]))
    this.print(render(this.outputFormat(flags), {views: [compareView(rows)], data: rows}))
    return rows
  }
}
