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
  parallel: z
    .strictObject({
      tp: z.number().int().positive().nullable().default(null).describe(d('tp')),
      pp: z.number().int().positive().nullable().default(null).describe(d('pp')),
      dp: z.number().int().positive().nullable().default(null).describe(d('dp')),
      ep: z.number().int().positive().nullable().default(null).describe(d('ep')),
    })
    .default({tp: null, pp: null, dp: null, ep: null}),
  engineSettings: z
    .strictObject({
      vllmVersion: z.enum(['v1', 'v0']).default(scenarioDefaults.vllmEngineVersion).describe(d('engine-version')),
      vllmSampler: z.enum(['triton', 'sort']).default(scenarioDefaults.vllmSampler).describe(d('vllm-sampler')),
      maxNumBatchedTokens: tokens.nullable().default(null).describe(d('max-num-batched-tokens')),
      maxNumSeqs: z.number().int().positive().nullable().default(null).describe(d('max-num-seqs')),
      enforceEager: z.boolean().default(false).describe(d('enforce-eager')),
      memFractionStatic: fraction.nullable().default(null).describe(d('mem-fraction-static')),
      swaFullTokensRatio: fraction.default(scenarioDefaults.swaFullTokensRatio).describe(d('swa-full-tokens-ratio')),
      mambaFullMemoryRatio: z.number().positive().max(1000).default(scenarioDefaults.mambaFullMemoryRatio).describe(d('mamba-full-memory-ratio')),
      kvCacheFreeFraction: fraction.default(scenarioDefaults.kvCacheFreeFraction).describe(d('kv-cache-free-fraction')),
      nGpuLayers: z.number().int().nonnegative().nullable().default(null).describe(d('n-gpu-layers')),
      cacheTypeK: z.enum(kvFormatNames).nullable().default(null).describe(d('cache-type-k')),
      cacheTypeV: z.enum(kvFormatNames).nullable().default(null).describe(d('cache-type-v')),
      ubatch: z.number().int().positive().default(scenarioDefaults.ubatch).describe(d('ubatch')),
      wiredLimitBytes: z.number().int().positive().nullable().default(null).describe(`${d('wired-limit')}, bytes`),
    })
    .default({vllmVersion: scenarioDefaults.vllmEngineVersion, vllmSampler: scenarioDefaults.vllmSampler, maxNumBatchedTokens: null, maxNumSeqs: null, enforceEager: false, memFractionStatic: null, swaFullTokensRatio: scenarioDefaults.swaFullTokensRatio, mambaFullMemoryRatio: scenarioDefaults.mambaFullMemoryRatio, kvCacheFreeFraction: scenarioDefaults.kvCacheFreeFraction, nGpuLayers: null, cacheTypeK: null, cacheTypeV: null, ubatch: scenarioDefaults.ubatch, wiredLimitBytes: null}),
})

export type ScenarioSchemaInput = z.input<typeof scenarioSchema>
