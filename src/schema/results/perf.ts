// `archcost perf --json`: serving speed and cost per model per hardware profile (the engine-step model of src/calc/serving).
import {z} from 'zod'
import {countInt, layoutSchema, listOutput, positiveInt, seconds, tokensInt, usd} from './common.js'

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
  mode: z.enum(['batch', 'concurrency', 'rate']).describe('How requests arrive: one static batch (--batch), a closed loop of users (--concurrency), or Poisson arrivals (--request-rate)'),
  concurrency: countInt('Users in the closed loop (--concurrency); the batch in batch mode; null in rate mode', 'users').nullable(),
  requestRate: rate('Arrivals per second (--request-rate); null otherwise', 'requests/s').nullable(),
  engine: z.string().describe('Engine whose step timing applies: --engine, else "default" (a CUDA-graph engine like vLLM)'),
  ttftSeconds: seconds('Time to first token, what a request waits: queueing, then the prefill steps of its prompt (in batch mode, the prefill of every prompt)').nullable(),
  tpotSeconds: seconds('Time per output token after the first, as each user sees it: one engine step over the tokens it yields (speculation)').nullable(),
  e2eSeconds: seconds('Whole request: TTFT + the rest of the output').nullable(),
  tokensPerSecond: rate('Output tokens per second of one user (1 / TPOT)', 'tokens/s').nullable(),
  aggregateTokensPerSecond: rate('Output tokens per second of every request together, all replicas', 'tokens/s').nullable(),
  requestsPerSecond: rate('Requests completed per second, all replicas', 'requests/s').nullable(),
  runningSequences: z.number().nonnegative().nullable().describe('Requests being served at once, all replicas [sequences]'),
  queuedSequences: z.number().nonnegative().nullable().describe('Users waiting for a slot (past the KV cache or max_num_seqs), all replicas [sequences]'),
  limit: z.enum(['kv-cache', 'max-num-seqs']).nullable().describe('What keeps users waiting: the KV cache (the engine would preempt or queue) or the scheduler limit; null when every user runs'),
  saturated: z.boolean().describe('Rate mode: arrivals exceed what the engine completes, so waits grow without bound (figures are the engine at capacity)'),
  disaggregation: z
    .strictObject({
      prefillReplicas: positiveInt('Replicas of the layout that prefill prompts', 'replicas'),
      decodeReplicas: positiveInt('Replicas of the layout that decode', 'replicas'),
      kvTransferSeconds: seconds("One prompt's KV cache from a prefill replica to a decode replica over the network"),
      prefillTtftSeconds: seconds('TTFT in the prefill pool alone: its wait and the prompt\'s prefill steps'),
      kvTransferBytes: z.number().nonnegative().describe("One prompt's KV cache, the bytes that cross [bytes]"),
      kvTransferBytesPerSecond: rate('Bandwidth the KV crosses at: 400 Gb/s InfiniBand per device of the replica', 'bytes/s'),
      prefillRequestsPerSecondMax: rate('Prompts the prefill pool can take per second at most', 'requests/s'),
      decodeRequestsPerSecond: rate('Requests the decode pool completes per second at this load', 'requests/s'),
      limitedBy: z.enum(['prefill', 'decode']).describe('The pool that sets the throughput'),
    })
    .nullable()
    .describe('--disaggregate xPyD: the two pools; null when prefill and decode share the engines'),
  tokensPerStep: z.number().positive().nullable().describe('Mean tokens a decode step yields per sequence: 1, more with speculative decoding [tokens]'),
  step: z
    .strictObject({
      seconds: seconds('One engine step (a micro-batch through every pipeline stage), the draft included'),
      computeSeconds: seconds('Compute time of the step'),
      memorySeconds: seconds('Memory time of the step (weights read + KV, per device)'),
      commSeconds: seconds('Collective bytes over the interconnect'),
      latencySeconds: seconds('Collective start-up latency (all-reduce, all-to-all, pipeline sends)'),
      kernelSeconds: seconds('Fixed per-kernel time (CUDA-graph node gaps, or eager launches the GPU waits on)'),
      hostSeconds: seconds("The engine's host work per step"),
      draftSeconds: seconds('Draft passes of speculative decoding'),
      bound: z.enum(['compute', 'memory', 'latency']).describe('What the step is mostly made of'),
    })
    .nullable()
    .describe('The representative steady-state step, term by term'),
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
