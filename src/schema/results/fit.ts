// `archcost fit --json`: one row per model per hardware profile. Numbers unrounded; tables round.
import {z} from 'zod'
import {bytesInt, countInt, layoutSchema, positiveInt, tokensInt, usd, warningsSchema} from './common.js'
import {engineBudgetSchema} from './engine.js'
import {trainResultSchema} from './train.js'

export const fitResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  hardware: z.string().describe('Hardware profile id'),
  devices: positiveInt('Devices used: as given (8xh100), else the fewest that hold the model at this context and batch; null when more than 1024 would be needed', 'devices').nullable(),
  devicesGiven: z.boolean().describe('The device count was given (8xh100) rather than searched for'),
  layout: layoutSchema.nullable(),
  kvReplicated: z.boolean().describe('KV heads are replicated because there are fewer than tensor-parallel ranks'),
  fits: z.boolean().describe('perDeviceBytes <= usableDeviceBytes'),
  contextTokens: tokensInt('Context per sequence'),
  batch: positiveInt('Concurrent sequences', 'sequences'),
  perDeviceBytes: bytesInt('Memory of the fullest device (as `memory` gives it)').nullable(),
  deviceMemoryBytes: bytesInt('Memory of one device'),
  usableDeviceBytes: bytesInt('Memory of one device times --memory-utilization, rounded down'),
  maxContextTokens: tokensInt('Longest single-sequence context that fits on this layout (up to the model maximum)'),
  deviceMemoryVisibleBytes: bytesInt('Device memory as the runtime reports it (CUDA total_memory), which engines size from'),
  kvCachePoolBytesPerDevice: bytesInt('Memory left for the KV cache on one device (the engine pool with --engine)'),
  kvCacheCapacityTokens: tokensInt('The longest context one sequence could hold in that memory, windows as they are kept (agrees with maxContextTokens below the model maximum); the engine\'s own log line is engineBudget.engineReportedKvTokens'),
  maxConcurrency: z
    .number()
    .nonnegative()
    .describe('Sequences of contextTokens that fit at once, unrounded (vLLM: "Maximum concurrency for L tokens per request") [sequences]'),
  pricePerHourUsd: usd('Hourly price of all the devices, unrounded').nullable(),
  engineBudget: engineBudgetSchema.nullable().describe("With --engine: the engine's start-up accounting, term by term"),
  engineLog: z.array(z.string()).describe('With --engine: the lines the engine would log at start-up; else empty'),
})
export type FitResult = z.infer<typeof fitResultSchema>

export const trainFitResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  hardware: z.string().describe('Hardware profile id'),
  devices: positiveInt('Devices: as given (8xh100), else the fewest power of two on which one sequence per micro-batch fits; null when none up to 65,536 does', 'devices').nullable(),
  devicesGiven: z.boolean().describe('The device count was given (8xh100) rather than searched for'),
  fits: z.boolean().describe('One sequence of sequenceTokens per micro-batch fits on every device'),
  sequenceTokens: tokensInt('Training sequence length (--seq)'),
  maxMicroBatchSequences: countInt('Largest micro-batch that fits at sequenceTokens on this layout, searched up to 65,536; 0 when one sequence does not fit', 'sequences'),
  longestSequenceTokens: tokensInt('Longest sequence that fits one per micro-batch on this layout, up to the model maximum; 0 when none does'),
  train: trainResultSchema.describe('The run as `archcost train` costs it at maxMicroBatchSequences (at 1 when nothing fits, showing the shortfall)').nullable(),
})
export type TrainFitResult = z.infer<typeof trainFitResultSchema>

export const fitOutputSchema = z
  .strictObject({
    rows: z.array(fitResultSchema).describe('Serving fit: one row per model and hardware profile; empty with --train'),
    training: z.array(trainFitResultSchema).describe('With --train: one row per model and hardware profile; else empty'),
    warnings: warningsSchema,
  })
  .describe('Serving fit (rows), or with --train the training fit (training)')
