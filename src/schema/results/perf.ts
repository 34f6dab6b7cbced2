// `archcost perf --json`: speed and cost per model per hardware profile (roofline estimates).
import {z} from 'zod'
import {layoutSchema, listOutput, positiveInt, seconds, tokensInt, usd} from './common.js'

const bound = z.enum(['compute', 'memory'])
const rate = (what: string, unit: string) => z.number().nonnegative().describe(`${what} [${unit}]`)

export const perfResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  hardware: z.string().describe('Hardware profile id'),
  devices: positiveInt('Devices used; null when more than 1024 would be needed', 'devices').nullable(),
  layout: layoutSchema.nullable(),
  fits: z.boolean().describe('The model fits on these devices at this context and batch'),
  batch: positiveInt('Concurrent sequences', 'sequences'),
  promptTokens: tokensInt('Prompt length per sequence'),
  outputTokens: tokensInt('Output length per sequence'),
  ttftSeconds: seconds('Time to first token: the prefill of the batch').nullable(),
  tpotSeconds: seconds('Time per output token: one decode step').nullable(),
  tokensPerSecond: rate('Output tokens per second of one sequence', 'tokens/s').nullable(),
  aggregateTokensPerSecond: rate('Output tokens per second of the whole batch', 'tokens/s').nullable(),
  bound: bound.nullable().describe('What bounds a decode step: compute or memory bandwidth'),
  prefillBound: bound.nullable().describe('What bounds the prefill'),
  ridgeBatch: positiveInt('Smallest batch at which decode turns compute-bound; null if none up to 65536', 'sequences').nullable(),
  peakFormat: z.enum(['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4']).nullable().describe('Compute format whose peak FLOP/s is used'),
  commIncluded: z.boolean().describe('Tensor-parallel all-reduce time is included (single device, or the profile has an interconnect)'),
  pricePerHourUsd: usd('Hourly price of all the devices').nullable(),
  costPerMillionInputTokens: usd('Cost of one million prompt tokens').nullable(),
  costPerMillionOutputTokens: usd('Cost of one million output tokens').nullable(),
  outputTokensPerDollar: rate('Output tokens per US dollar', 'tokens/USD').nullable(),
  joulesPerOutputToken: rate('Board energy per output token', 'J/token').nullable(),
})
export type PerfResult = z.infer<typeof perfResultSchema>

export const perfOutputSchema = listOutput('rows', perfResultSchema, 'One row per model and hardware profile')
