import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {paramsResult, paramsView, type ParamsResult} from '../report/params.js'

export default defineCommand({
  id: 'params',
  summary: 'Parameter breakdown: total, active, and each component, exact to the parameter',
  examples: ['<%= config.bin %> params deepseek-v3 kimi-k2-instruct', '<%= config.bin %> params qwen3-0.6b --json'],
  usage: 'params [MODEL...]',
  args: [],
  variadic: true,
  flags: {},
  input: (raw) => ({specs: resolveModels(raw.argv)}),
  run: ({specs}): {models: ParamsResult[]; warnings: string[]} => ({models: specs.map(paramsResult), warnings: []}),
  present: (result) => ({views: [paramsView(result.models)]}),
})
