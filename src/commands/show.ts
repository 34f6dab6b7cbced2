import {defineCommand} from '../cli/definition.js'
import {loadModel} from '../presets/load.js'
import {cardView} from '../report/card.js'
import type {ModelSpec} from '../schema/model.js'

export default defineCommand({
  id: 'show',
  summary: 'Architecture card of a model: layers, widths, heads, attention pattern, FFN/MoE, norms, positions',
  examples: ['<%= config.bin %> show deepseek-v3', '<%= config.bin %> show gemma-3-27b-it --json'],
  args: [{name: 'model', description: 'Preset id or preset file', required: true}],
  flags: {},
  input: (raw) => ({spec: loadModel(raw.args.model!)}),
  run: ({spec}): {model: ModelSpec; warnings: string[]} => ({model: spec, warnings: []}),
  present: (result) => ({views: [cardView(result.model)]}),
})
