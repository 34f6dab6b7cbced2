// `archcost plan --json`: the cheapest deployments that meet latency targets at a load, the Pareto frontier of
// throughput per device against tokens/s per user, and what binds when nothing meets the targets.
import {z} from 'zod'
import {layoutSchema, positiveInt, seconds, tokensInt, usd, warningsSchema} from './common.js'

const rate = (what: string, unit: string) => z.number().nonnegative().describe(`${what} [${unit}]`)
const engine = z.string().describe('Engine whose step timing applies: --engine, else "default" (a CUDA-graph engine like vLLM)')

export const planOptionSchema = z.strictObject({
  hardware: z.string().describe('Hardware profile id'),
  devices: positiveInt('Devices per replica (tp x pp)', 'devices'),
  layout: layoutSchema,
  replicas: positiveInt('Replicas the load needs', 'replicas'),
  concurrency: positiveInt('Users each replica runs at once (closed loop, continuous batching)', 'users'),
  concurrencyLimit: positiveInt("Most users one replica can run at once: its KV cache, or the scheduler's max_num_seqs", 'users'),
  ttftSeconds: seconds('Time to first token at that concurrency'),
  tpotSeconds: seconds('Time per output token at that concurrency'),
  tokensPerSecondPerUser: rate('Output tokens per second of one user (1 / TPOT)', 'tokens/s'),
  tokensPerSecondPerReplica: rate('Output tokens per second of one replica, every user together', 'tokens/s'),
  aggregateTokensPerSecond: rate('Output tokens per second of all replicas', 'tokens/s'),
  requestsPerSecond: rate('Requests completed per second, all replicas', 'requests/s'),
  pricePerHourUsd: usd('Hourly price of every device of every replica'),
  costPerMillionOutputTokens: usd("Cost of one million output tokens: one replica's hourly price over its output tokens per hour"),
  engine,
})

export const planFrontierPointSchema = z.strictObject({
  hardware: z.string().describe('Hardware profile id'),
  devices: positiveInt('Devices per replica (tp x pp)', 'devices'),
  layout: layoutSchema,
  concurrency: positiveInt('Users the replica runs at once', 'users'),
  ttftSeconds: seconds('Time to first token'),
  tpotSeconds: seconds('Time per output token'),
  tokensPerSecondPerUser: rate('Output tokens per second of one user (1 / TPOT)', 'tokens/s'),
  tokensPerSecondPerDevice: rate('Output tokens per second of the replica over its devices', 'tokens/s'),
  costPerMillionOutputTokens: usd('Cost of one million output tokens at this point'),
  meetsTargets: z.boolean().describe('TTFT and TPOT are within the targets'),
  overall: z.boolean().describe('Also on the frontier of every profile together (no point of any profile beats it on both axes)'),
})

export const planBindingSchema = z
  .strictObject({
    constraint: z.enum(['memory', 'ttft', 'tpot', 'ttft-and-tpot']).describe('What no option gets past: memory (no layout holds the model), ttft, tpot, or both together'),
    message: z.string().describe('The same in one line, as printed'),
    bestTtftSeconds: seconds('Lowest TTFT of any replica that holds the model; null when none does').nullable(),
    bestTtftHardware: z.string().nullable().describe('Profile of that lowest TTFT'),
    bestTpotSeconds: seconds('Lowest TPOT of any replica that holds the model; null when none does').nullable(),
    bestTpotHardware: z.string().nullable().describe('Profile of that lowest TPOT'),
  })
  .describe('Why nothing meets the targets; null when some option does')

export const planResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  promptTokens: tokensInt('Prompt length per request (--isl)'),
  outputTokens: tokensInt('Output length per request (--osl)'),
  engine,
  targets: z
    .strictObject({
      ttftSeconds: seconds('Time to first token at most (--ttft); null: no limit').nullable(),
      tpotSeconds: seconds('Time per output token at most (--tpot); null: no limit').nullable(),
    })
    .describe('The latency targets'),
  load: z
    .strictObject({
      kind: z.enum(['throughput', 'users', 'rps']).describe('How the load is given: output tokens/s (--throughput), users at once (--users) or requests/s (--rps)'),
      value: z.number().positive().describe('Its value [tokens/s, users or requests/s]'),
    })
    .describe('The load to serve'),
  optionsFound: z.number().int().nonnegative().describe('Options that meet the targets, before --top: one per hardware profile and devices per replica, its cheapest layout [options]'),
  options: z.array(planOptionSchema).describe('The cheapest options by $/hour, then $/1M output tokens, the cheapest layout of each hardware profile and devices per replica; at most --top'),
  frontier: z.array(planFrontierPointSchema).describe('Per hardware profile, the points no other of that profile beats on both tokens/s per device and tokens/s per user; ascending in tokens/s per user'),
  binding: planBindingSchema.nullable(),
})
export type PlanResult = z.infer<typeof planResultSchema>

export const planOutputSchema = z.strictObject({...planResultSchema.shape, warnings: warningsSchema})
