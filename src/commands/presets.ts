import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {presetSummary, presetsView, type PresetSummary} from '../report/params.js'

export default defineCommand({
  id: 'presets',
  summary: 'List every model preset with its family, FFN kind, attention kind and parameters',
  examples: ['<%= config.bin %> presets', '<%= config.bin %> presets --format md'],
  args: [],
  flags: {},
  input: () => ({}),
  run: (): {presets: PresetSummary[]; warnings: string[]} => ({presets: resolveModels([]).map(presetSummary), warnings: []}),
  present: (result) => ({views: [presetsView(result.presets)]}),
})
