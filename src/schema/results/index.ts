// The published JSON Schema of every command's `--json` result (`archcost schema result <command>`), generated from
// the zod schemas that also give the result types. Every result is an object carrying `warnings: string[]`, except
// `schema`, whose result is the JSON Schema document itself.
import {z} from 'zod'
import {checksOutputSchema} from './checks.js'
import {compareOutputSchema} from './compare.js'
import {diffOutputSchema} from './diff.js'
import {explainOutputSchema} from './explain.js'
import {fitOutputSchema} from './fit.js'
import {flopsOutputSchema} from './flops.js'
import {kvOutputSchema} from './kv.js'
import {memoryOutputSchema} from './memory.js'
import {paramsOutputSchema, presetsOutputSchema} from './params.js'
import {perfOutputSchema} from './perf.js'
import {planOutputSchema} from './plan.js'
import {importOutputSchema, showOutputSchema} from './show.js'
import {sweepOutputSchema} from './sweep.js'
import {trainOutputSchema} from './train.js'
import {verifyOutputSchema} from './verify.js'

export const schemaOutputSchema = z.record(z.string(), z.unknown()).describe('A JSON Schema document (draft 2020-12)')

export const resultCommandIds = [
  'completion',
  'check',
  'compare',
  'diff',
  'explain',
  'fit',
  'flops',
  'import',
  'kv',
  'memory',
  'params',
  'perf',
  'plan',
  'presets',
  'schema',
  'show',
  'sweep',
  'train',
  'validate',
  'verify',
] as const
export type ResultCommandId = (typeof resultCommandIds)[number]

/** The schema of what `archcost <command> --json` prints. */
export const resultSchemas: Record<ResultCommandId, z.ZodType> = {
  check: checksOutputSchema,
  compare: compareOutputSchema,
  completion: z.strictObject({shell: z.enum(['fish']), script: z.string().describe('The completion script'), warnings: z.array(z.string())}),
  diff: diffOutputSchema,
  explain: explainOutputSchema,
  fit: fitOutputSchema,
  flops: flopsOutputSchema,
  import: importOutputSchema,
  kv: kvOutputSchema,
  memory: memoryOutputSchema,
  params: paramsOutputSchema,
  perf: perfOutputSchema,
  plan: planOutputSchema,
  presets: presetsOutputSchema,
  schema: schemaOutputSchema,
  show: showOutputSchema,
  sweep: sweepOutputSchema,
  train: trainOutputSchema,
  validate: checksOutputSchema,
  verify: verifyOutputSchema,
}

export const isResultCommandId = (id: string): id is ResultCommandId => (resultCommandIds as readonly string[]).includes(id)

/** JSON Schema (draft 2020-12) of a command's `--json` result, with the same options as the preset schemas. */
export function resultJsonSchema(command: ResultCommandId | (string & {})): Record<string, unknown> {
  if (!isResultCommandId(command)) throw new Error(`no result schema for command "${command}"; commands: ${resultCommandIds.join(', ')}`)
  return {
    ...z.toJSONSchema(resultSchemas[command], {target: 'draft-2020-12', io: 'input'}),
    $id: `https://archcost.dev/schemas/results/${command}.schema.json`,
    title: `archcost ${command} --json`,
  }
}
