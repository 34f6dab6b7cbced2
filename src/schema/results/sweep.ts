// `archcost sweep --json`: one metric across a range of context, batch or devices, one series per model.
import {z} from 'zod'
import {sweepAxisNames, sweepMetrics} from '../../calc/sweep.js'
import {bytesInt, tokensInt, warningsSchema} from './common.js'

export const sweepPointSchema = z.strictObject({
  x: z.number().nonnegative().describe('Value of the axis: tokens (context; the prompt for decode-tps and cost), sequences (batch) or devices'),
  y: z.number().nonnegative().nullable().describe('Value of the metric, in `unit`; null where the model does not fit on the given devices, or needs more than 1024'),
  pastMaximum: z.boolean().describe("The sequence is longer than the model's maximum context (computed all the same)"),
})

export const sweepSeriesSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  maxContextTokens: tokensInt('Longest context the model supports'),
  points: z.array(sweepPointSchema).describe('One point per axis value, ascending'),
})

export const sweepResultSchema = z.strictObject({
  metric: z.enum(sweepMetrics).describe('What y measures'),
  axis: z.enum(sweepAxisNames).describe('What x varies'),
  unit: z.enum(['bytes', 'tokens/s', 'usd']).describe('Unit of every y: bytes (kv, memory), tokens/s per sequence (decode-tps) or US dollars per 1M output tokens (cost)'),
  hardware: z.string().nullable().describe('The --hardware given ("h100", "8xh100"), or null'),
  usableBytesPerDevice: bytesInt('Usable memory of one device (memory metric with --hardware)').nullable(),
  perDevice: z.boolean().describe('kv and memory: the values are what one device holds'),
  series: z.array(sweepSeriesSchema).describe('One series per model, in the order given'),
})
export type SweepResult = z.infer<typeof sweepResultSchema>

export const sweepOutputSchema = z.strictObject({...sweepResultSchema.shape, warnings: warningsSchema})
