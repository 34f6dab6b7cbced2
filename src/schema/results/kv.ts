// `archcost kv --json`: the KV cache of each model at each context, theoretical and as an engine reserves it.
import {z} from 'zod'
import {bytesInt, bytesNumber, engineSchema, kvFormatSchema, listOutput, positiveInt, tokensInt} from './common.js'

export const kvPointSchema = z.strictObject({
  contextTokens: tokensInt('Context per sequence'),
  kvBytes: bytesInt('Theoretical KV cache of all sequences: fullBytes + windowedBytes + linearStateBytes'),
  fullBytes: bytesInt('Of which full-attention layers'),
  windowedBytes: bytesInt('Of which sliding-window and chunked layers'),
  linearStateBytes: bytesInt('Of which linear-attention state'),
  engineKvBytes: bytesInt('What the engine reserves for the same sequences (pages, window slack)').nullable(),
})
export type KvPoint = z.infer<typeof kvPointSchema>

export const kvResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  kvFormat: kvFormatSchema,
  mlaCache: z.enum(['latent', 'expanded', 'n/a']).describe('How MLA is cached; n/a for models without MLA'),
  batch: positiveInt('Sequences', 'sequences'),
  kvBytesPerTokenPerLayer: bytesNumber('Bytes the widest attention layer stores per token (layers of different shapes: Gemma 4 full layers, MiMo sliding layers, an indexer\'s key)'),
  engine: engineSchema.nullable(),
  points: z.array(kvPointSchema).describe('One point per context, ascending'),
})
export type KvResult = z.infer<typeof kvResultSchema>

export const kvOutputSchema = listOutput('models', kvResultSchema, 'One entry per model, in the order given')
