// `archcost compare --json`: one row per model.
import {z} from 'zod'
import {bytesInt, bytesNumber, countInt, flops, listOutput, paramsInt, positiveInt, seconds, tokensInt, usd} from './common.js'

export const compareRowSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  family: z.string().describe('Model family'),
  ffn: z.enum(['dense', 'moe']).describe('Feed-forward kind'),
  attention: z.string().describe('Attention kind: mha, gqa, mqa or mla'),
  layers: countInt('Decoder layers', 'layers'),
  hiddenSize: countInt('Hidden size', 'elements'),
  totalParams: paramsInt('Parameters of the text model'),
  activeParams: paramsInt('Parameters used per token'),
  nonEmbeddingParams: paramsInt('Parameters without embeddings and LM head'),
  activeFraction: z.number().nonnegative().max(1).describe('activeParams / totalParams [fraction, 0 to 1]'),
  contextTokens: tokensInt('Context of the KV and FLOP figures'),
  kvBytesPerToken: bytesNumber('Cache bytes one more token adds at this context (all growing layers, KV dtype of the scenario)'),
  decodeFlopsPerToken: flops('One decode step with contextTokens in the cache'),
  hardware: z.string().nullable().describe('Hardware profile id (--hardware), or null'),
  devices: positiveInt('Devices used on that hardware; null without --hardware or when more than 1024 would be needed', 'devices').nullable(),
  perDeviceBytes: bytesInt('Memory per device').nullable(),
  ttftSeconds: seconds('Time to first token').nullable(),
  tpotSeconds: seconds('Time per output token').nullable(),
  aggregateTokensPerSecond: z.number().nonnegative().nullable().describe('Output tokens per second over the whole batch [tokens/s]'),
  costPerMillionOutputTokens: usd('Cost of one million output tokens').nullable(),
})
export type CompareRow = z.infer<typeof compareRowSchema>

export const compareOutputSchema = listOutput('rows', compareRowSchema, 'One row per model, in the order given (or --sort)')
