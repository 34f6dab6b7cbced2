// The scenario as a zod schema: validation and the published JSON Schema (`archcost schema scenario`), built
// from the one table of fields, flags and defaults (scenario-fields.ts) that the commands read at start-up.
import {z} from 'zod'
import {kvFormatNames, weightFormatNames} from '../calc/dtype.js'
import {engineNames} from '../calc/engines.js'
import {scenarioDefaults, scenarioFlags} from './scenario-fields.js'

const d = (flag: keyof typeof scenarioFlags) => scenarioFlags[flag].description
const tokens = z.number().int().positive()
const fraction = z.number().gt(0).lte(1)
const weightFormat = z.enum(weightFormatNames)

export const scenarioSchema = z.strictObject({
  contextTokens: tokens.nullable().default(null).describe(`${d('context')}; null: the default`),
  batch: z.number().int().positive().default(scenarioDefaults.batch).describe(d('batch')),
  promptTokens: tokens.nullable().default(null).describe(`${d('prompt')}; null: the default`),
  outputTokens: tokens.default(scenarioDefaults.outputTokens).describe(d('output')),
  weightFormats: z.strictObject({linear: weightFormat.optional(), experts: weightFormat.optional(), embeddings: weightFormat.optional()}).default({}).describe(d('weights')),
  int4GroupSize: z.number().int().positive().default(scenarioDefaults.int4GroupSize).describe(d('int4-group-size')),
  kvFormat: z.enum(kvFormatNames).nullable().default(null).describe(d('kv-dtype')),
  mlaCache: z.enum(['latent', 'expanded']).default(scenarioDefaults.mlaCache).describe(d('mla-cache')),
  engine: z.enum(engineNames).nullable().default(null).describe(d('engine')),
  memoryUtilization: fraction.nullable().default(null).describe(d('memory-utilization')),
  prefillChunkTokens: tokens.default(scenarioDefaults.prefillChunkTokens).describe(d('prefill-chunk')),
  overheadBytesPerDevice: z.number().int().nonnegative().default(scenarioDefaults.overheadBytesPerDevice).describe(`${d('overhead')}, bytes`),
  offloadPerLayerEmbeddings: z.boolean().default(false).describe(d('offload-per-layer-embeddings')),
  prefillMfu: fraction.default(scenarioDefaults.prefillMfu).describe(d('mfu')),
  bandwidthEfficiency: fraction.default(scenarioDefaults.bandwidthEfficiency).describe(d('mbu')),
  computeFormat: z.enum(['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4']).nullable().default(null).describe(d('compute-dtype')),
  pricePerHourUsd: z.number().positive().nullable().default(null).describe(d('price-per-hour')),
})

export type ScenarioSchemaInput = z.input<typeof scenarioSchema>
