import {existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {defineCommand} from '../cli/definition.js'
import {commandIds} from '../cli/registry.js'
import {UserError} from '../errors.js'
import {schemaFile, type SchemaKind} from '../schema/files.js'
import {readBoundedText} from '../files.js'

const kinds = ['model', 'hardware', 'scenario', 'result'] as const
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export default defineCommand({
  id: 'schema',
  summary: 'Print a JSON Schema: model presets, hardware profiles, the scenario, or the --json result of a command (generated from the zod schema that validates it)',
  examples: [
    '<%= config.bin %> schema > model.schema.json',
    '<%= config.bin %> schema hardware > hardware.schema.json',
    '<%= config.bin %> schema result fit > fit-result.schema.json',
  ],
  usage: 'schema [model|hardware|scenario|result COMMAND]',
  readsConfigs: false,
  args: [
    {name: 'kind', description: 'which schema', options: kinds, default: 'model'},
    {name: 'command', description: 'with `result`: the command whose --json output it describes'},
  ],
  flags: {},
  input: (raw) => {
    const kind = raw.args.kind as SchemaKind
    const command = raw.args.command
    if (kind === 'result' && command === undefined) throw new UserError('schema result needs a command, e.g. `archcost schema result fit`')
    if (kind !== 'result' && command !== undefined) throw new UserError(`unexpected argument: ${command}`, 'only `schema result COMMAND` takes a second argument')
    if (kind === 'result' && !commandIds.includes(command!)) throw new UserError(`schema result: no command "${command}"; use one of ${commandIds.join(', ')}`)
    return {file: join(packageRoot, schemaFile(kind, command))}
  },
  // The published files are generated from the zod schemas (scripts/write-schema.js; a contract test holds them equal).
  run: ({file}): Record<string, unknown> & {warnings: string[]} => {
    if (!existsSync(file)) throw new Error(`${file} is missing from the package`)
    const schema = JSON.parse(readBoundedText(file)) as Record<string, unknown>
    // The document itself is the result; `warnings` is kept off the printed object.
    return Object.defineProperty(schema, 'warnings', {value: [], enumerable: false}) as Record<string, unknown> & {warnings: string[]}
  },
  present: (result) => ({views: [], text: JSON.stringify(result, null, 2)}),
})
