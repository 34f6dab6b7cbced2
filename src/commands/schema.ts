import {defineCommand} from '../cli/definition.js'
import {UserError} from '../errors.js'

const kinds = ['model', 'hardware', 'scenario', 'result'] as const

export default defineCommand({
  id: 'schema',
  summary: 'Print a JSON Schema: model presets, hardware profiles, the scenario, or the --json result of a command (generated from the zod schema that validates it)',
  examples: [
    '<%= config.bin %> schema > model.schema.json',
    '<%= config.bin %> schema hardware > hardware.schema.json',
    '<%= config.bin %> schema result fit > fit-result.schema.json',
  ],
  usage: 'schema [model|hardware|scenario|result COMMAND]',
  args: [
    {name: 'kind', description: 'which schema', options: kinds, default: 'model'},
    {name: 'command', description: 'with `result`: the command whose --json output it describes'},
  ],
  flags: {},
  input: async (raw) => {
    const kind = raw.args.kind as (typeof kinds)[number]
    const command = raw.args.command
    if (kind === 'result' && command === undefined) throw new UserError('schema result needs a command, e.g. `archcost schema result fit`')
    if (kind !== 'result' && command !== undefined) throw new UserError(`unexpected argument: ${command}`, 'only `schema result COMMAND` takes a second argument')
    return {kind, command}
  },
  run: async ({kind, command}): Promise<Record<string, unknown> & {warnings: string[]}> => {
    const {jsonSchemaOf} = await import('../schema/json-schema.js')
    // The document itself is the result; `warnings` is not part of it, so it is kept off the printed object.
    return Object.defineProperty(jsonSchemaOf(kind, command), 'warnings', {value: [], enumerable: false}) as Record<string, unknown> & {warnings: string[]}
  },
  present: (result) => ({views: [], text: JSON.stringify(result, null, 2)}),
})
