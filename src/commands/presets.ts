import {BaseCommand} from '../cli/base-command.js'
import {runPresets} from '../handlers/presets.js'

export default class Presets extends BaseCommand {
  static override summary = 'List every model preset with its family, FFN kind, attention kind and parameters'
  static override examples = ['<%= config.bin %> presets', '<%= config.bin %> presets --format md']

  async run() {
    const {flags} = await this.parse(Presets)
    return runPresets([], flags, this.io())
  }
}
