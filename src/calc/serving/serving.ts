// Serving a workload: a static batch (all requests arrive together: benchmark_latency), a closed loop of C users
// (benchmark_serving --max-concurrency), or Poisson arrivals at a request rate. Continuous batching in steady state:
// each engine step runs every decoding sequence and fills the rest of its token budget with prompt chunks (vLLM V1's
// scheduler, vllm/v1/core/sched/scheduler.py schedule(): running requests first, then waiting ones, within
// max_num_batched_tokens and max_num_seqs). Pipeline stages hold pp micro-batches in flight; data-parallel replicas
// each serve their share of the users.
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import {kvTransferSeconds as kvTransferFormula, poissonWaitSeconds, ttftPoolsSeconds as ttftPoolsFormula, requestsPerSecond as requestsFormula, tpotSeconds as tpotFormula, ttftSeconds as ttftFormula} from '../formulas/serving.js'
import type {MemoryScenario} from '../memory.js'
import {dpOf, replicaDevicesOf} from '../parallel.js'
import {kvCache} from '../kv.js'
import {interNodeBytesPerSecond} from './latency.js'
import type {PerfOptions} from '../perf.js'
import type {EngineTiming} from './latency.js'
import {draftSeconds, tokensPerStep, type Speculation} from './speculative.js'
import {stepTime, type StepTime, type StepWork} from './step.js'

export type WorkloadMode = 'batch' | 'concurrency' | 'rate'
/** A colocated engine runs both phases; a disaggregated deployment has a prefill pool and a decode pool. */
export type ServingPhase = 'both' | 'prefill' | 'decode'

export interface Workload {
  mode: WorkloadMode
  /** batch: sequences together; concurrency: users in the closed loop; rate: ignored. */
  users: number
  /** rate mode: Poisson arrivals per second, all replicas. */
  requestsPerSecond: number | null
  inputTokens: number
  outputTokens: number
  /** Share of each prompt already in the prefix cache (its prefill is skipped). */
  prefixHitRate: number
  speculation: Speculation | null
  phase: ServingPhase
  /** Disaggregated serving: prompts prefill on x replicas, outputs decode on y others (the layout's dp = x + y). */
  disaggregation: {prefillReplicas: number; decodeReplicas: number} | null
  /** Prompts of a benchmark run that starts them all at once (its first wave's burst counts); null: steady state. */
  numPrompts: number | null
  /** Token budget of one engine step (vLLM max_num_batched_tokens). */
  maxNumBatchedTokens: number
  /** Sequences one replica runs at once at most (vLLM max_num_seqs). */
  maxNumSeqs: number
  /** Sequences of input + output tokens the KV cache of one replica holds at once. */
  kvSequences: number
}

export interface ServingEstimate {
  mode: WorkloadMode
  /** Requests being served at once, all replicas (running, not queued). */
  runningSequences: number
  /** Users waiting for a slot (closed loop past capacity), all replicas. */
  queuedSequences: number
  /** What caps the running sequences below the users: the KV cache, max_num_seqs, or nothing. */
  limit: 'kv-cache' | 'max-num-seqs' | null
  /** Time a request waits for its first token: queueing, then its prompt's prefill steps. */
  ttftSeconds: number
  /** Time per output token after the first, as each user sees it. */
  tpotSeconds: number
  /** Whole request: TTFT + the rest of the output. */
  e2eSeconds: number
  tokensPerSecondPerUser: number
  aggregateOutputTokensPerSecond: number
  requestsPerSecond: number
  /** Engine steps a prompt's prefill takes (chunks, and the waits for budget between them). */
  prefillSteps: number
  queueWaitSeconds: number
  /** Mean tokens a decode step yields per sequence (1 without speculation). */
  tokensPerStep: number
  /** The representative steady-state step (a micro-batch's trip through every pipeline stage). */
  step: StepTime
  /** Seconds the draft adds to each step (speculative decoding). */
  draftSecondsPerStep: number
  /** The step that prefills a prompt, its draft seconds, and how many such steps TTFT counts (TTFT = wait + n x step). */
  prefillStep: StepTime | null
  prefillDraftSeconds: number
  prefillStepCount: number
  /** TTFT is the mean over a benchmark of numPrompts started at once (the first wave's burst), not the formula above. */
  ttftIsBenchmarkMean: boolean
  /** Rate mode: the arrivals exceed what the engine completes; the figures are the engine at capacity, and waits grow without bound. */
  saturated: boolean
  /** Disaggregated serving: the two pools, the KV hand-over, and which pool limits the throughput. */
  disaggregation: {
    prefillReplicas: number
    decodeReplicas: number
    kvTransferSeconds: number
    /** TTFT in the prefill pool alone: its wait (M/D/1) and the prompt's prefill steps. */
    prefillTtftSeconds: number
    /** The prompt's KV bytes that cross to the decode pool, and the bandwidth they cross at. */
    kvTransferBytes: number
    kvTransferBytesPerSecond: number
    prefillRequestsPerSecondMax: number
    decodeRequestsPerSecond: number
    limitedBy: 'prefill' | 'decode'
  } | null
}

interface Context {
  spec: ModelSpec
  s: MemoryScenario
  hw: HardwareSpec
  o: PerfOptions
  engine: EngineTiming
  w: Workload
}

/** Decode context of the representative step: the prompt plus half the output. */
const meanDecodeContext = (w: Workload) => w.inputTokens + Math.max(1, Math.round(w.outputTokens / 2))

/** Prompt tokens a request must prefill: what the prefix cache does not already hold (at least one); none in a decode pool. */
const prefillTokensOf = (w: Workload) => (w.phase === 'decode' ? 0 : Math.max(1, Math.round(w.inputTokens * (1 - w.prefixHitRate))))

/** Decode steps after the first token (none in a prefill pool, which hands the request over after it). */
const decodeStepsOf = (w: Workload, tau: number) => (w.phase === 'prefill' ? 0 : Math.max(0, w.outputTokens - 1) / tau)

/** One pipeline micro-batch's step, the draft included. */
function timedStep(c: Context, work: StepWork): {step: StepTime; seconds: number; draft: number} {
  const step = stepTime(c.spec, c.s, c.hw, c.o, c.engine, work)
  const draft = c.w.speculation ? draftSeconds(c.spec, c.s, c.hw, c.o, c.engine, c.w.speculation, work) : 0
  return {step, seconds: step.seconds + draft, draft}
}

/**
 * Steady state of n sequences running on one replica. Each request spends kp steps in prefill and D = (O - 1) / tau
 * steps decoding; per step, on average n D / S sequences decode and n P / S prompt tokens prefill, where S = kp + D
 * is its lifetime in steps. The budget caps a step's tokens, so S >= n (P + D (k + 1)) / budget. A request's own
 * prefill steps carry its chunk (up to the budget left by the decodes) beside the average decodes.
 */
function steadyState(c: Context, n: number) {
  const w = c.w
  const pp = c.s.layout.pp
  const tau = tokensPerStep(w.speculation)
  const perSequenceTokens = (w.speculation?.draftTokens ?? 0) + 1
  const P = prefillTokensOf(w)
  const D = decodeStepsOf(w, tau)
  const chunkSteps = Math.ceil(P / w.maxNumBatchedTokens)
  const lifetime = Math.max(chunkSteps + D, (n * (P + D * perSequenceTokens)) / (w.maxNumBatchedTokens * pp), 1e-9)
  // A micro-batch holds n / pp of the sequences; it crosses every stage once per step of theirs.
  const micro = n / pp
  const decodeSequences = (micro * D) / lifetime
  const base = {tokensPerDecodeSequence: perSequenceTokens, decodeContextTokens: meanDecodeContext(w), promptTokens: w.inputTokens}
  const t = timedStep(c, {...base, decodeSequences, prefillTokens: (micro * P) / lifetime})
  const prefillSteps = lifetime - D
  // The steps that prefill this request's prompt: its chunk with the decodes running beside it.
  const room = Math.max(1, w.maxNumBatchedTokens - decodeSequences * perSequenceTokens)
  const chunk = Math.min(P, room)
  const own = P === 0 ? null : timedStep(c, {...base, decodeSequences, prefillTokens: chunk})
  const ownCount = own === null ? 0 : Math.max(prefillSteps, P / chunk)
  const ttftSteadySeconds = own === null ? 0 : ttftFormula.evaluate(ttftFormula.read!(0, ownCount, own.step.seconds, own.draft))
  // A benchmark of N prompts starts with a burst: the first wave of W requests prefills together, FCFS, so the
  // i-th waits for i prompts' chunks; on average (W + 1) / 2 prompts' worth of full-budget prefill steps.
  let ttftSeconds = ttftSteadySeconds
  let burstSeconds = 0
  if (w.numPrompts !== null && P > 0 && w.mode !== 'rate') {
    const wave = Math.min(w.numPrompts, n)
    const full = timedStep(c, {...base, decodeSequences: 0, prefillTokens: Math.min(w.maxNumBatchedTokens, wave * P)})
    const burstTtft = Math.max(1, ((wave + 1) / 2) * (P / w.maxNumBatchedTokens)) * full.seconds
    ttftSeconds = (wave * burstTtft + (w.numPrompts - wave) * ttftSteadySeconds) / w.numPrompts
    burstSeconds = Math.max(0, burstTtft - ttftSteadySeconds)
  }
  return {t, lifetime, prefillSteps, D, tau, ttftSeconds, burstSeconds, own, ownCount}
}

function estimateFor(c: Context, n: number, queueWaitSeconds: number, queued: number, limit: ServingEstimate['limit'], saturated: boolean): ServingEstimate {
  const dp = dpOf(c.s.layout)
  const {t, lifetime, prefillSteps, D, tau, ttftSeconds, burstSeconds, own, ownCount} = steadyState(c, n)
  const perRequestSeconds = lifetime * t.seconds
  let rate = requestsFormula.evaluate(requestsFormula.read!(n, perRequestSeconds)) * dp
  // Over a benchmark of N prompts, the start-up burst delays the whole run by about the first wave's extra wait.
  const N = c.w.numPrompts
  if (N !== null && burstSeconds > 0) rate = N / (N / rate + burstSeconds)
  const ttft = queueWaitSeconds + ttftSeconds
  const tpot = tpotFormula.evaluate(tpotFormula.read!(t.step.seconds, t.draft, tau))
  return {
    mode: c.w.mode,
    runningSequences: n * dp,
    queuedSequences: queued * dp,
    limit,
    ttftSeconds: ttft,
    tpotSeconds: tpot,
    e2eSeconds: ttft + D * t.seconds,
    tokensPerSecondPerUser: 1 / tpot,
    aggregateOutputTokensPerSecond: rate * c.w.outputTokens,
    requestsPerSecond: rate,
    prefillSteps,
    queueWaitSeconds,
    tokensPerStep: tau,
    step: t.step,
    draftSecondsPerStep: t.draft,
    prefillStep: own?.step ?? null,
    prefillDraftSeconds: own?.draft ?? 0,
    prefillStepCount: ownCount,
    ttftIsBenchmarkMean: c.w.numPrompts !== null && c.w.mode !== 'rate' && own !== null,
    saturated,
    disaggregation: null,
  }
}

/** Sequences one replica can run at once, and what caps them. */
function capacityOf(w: Workload): {n: number; limit: 'kv-cache' | 'max-num-seqs'} {
  return w.kvSequences < w.maxNumSeqs ? {n: Math.max(0, Math.floor(w.kvSequences)), limit: 'kv-cache'} : {n: w.maxNumSeqs, limit: 'max-num-seqs'}
}

/** A static batch: every prompt prefilled in budget-sized chunks, then every sequence decodes together. */
function staticBatch(c: Context): ServingEstimate {
  const w = c.w
  const dp = dpOf(c.s.layout)
  const pp = c.s.layout.pp
  const perReplica = Math.ceil(w.users / dp)
  const P = prefillTokensOf(w)
  const tau = tokensPerStep(w.speculation)
  const perSequenceTokens = (w.speculation?.draftTokens ?? 0) + 1
  // Prefill: all prompts, budget tokens per step (a micro-batch per stage in flight).
  const prefillTokensTotal = perReplica * P
  const prefillSteps = P === 0 ? 0 : Math.max(1, Math.ceil(prefillTokensTotal / w.maxNumBatchedTokens))
  const prefill = prefillSteps === 0 ? null : timedStep(c, {decodeSequences: 0, tokensPerDecodeSequence: 1, decodeContextTokens: 0, prefillTokens: prefillTokensTotal / prefillSteps, promptTokens: w.inputTokens})
  const prefillSeconds = prefill === null ? 0 : ttftFormula.evaluate(ttftFormula.read!(0, prefillSteps, prefill.step.seconds, prefill.draft))
  const decode = timedStep(c, {decodeSequences: perReplica / pp, tokensPerDecodeSequence: perSequenceTokens, decodeContextTokens: meanDecodeContext(w), prefillTokens: 0, promptTokens: w.inputTokens})
  const D = decodeStepsOf(w, tau)
  const e2e = Math.max(prefillSeconds + D * decode.seconds, 1e-12)
  const tpot = tpotFormula.evaluate(tpotFormula.read!(decode.step.seconds, decode.draft, tau))
  const rate = (perReplica * dp) / e2e
  return {
    mode: 'batch',
    runningSequences: perReplica * dp,
    queuedSequences: 0,
    limit: null,
    ttftSeconds: prefillSeconds,
    tpotSeconds: tpot,
    e2eSeconds: e2e,
    tokensPerSecondPerUser: 1 / tpot,
    aggregateOutputTokensPerSecond: (perReplica * dp * w.outputTokens) / e2e,
    requestsPerSecond: rate,
    prefillSteps,
    queueWaitSeconds: 0,
    tokensPerStep: tau,
    step: decode.step,
    draftSecondsPerStep: decode.draft,
    prefillStep: prefill?.step ?? null,
    prefillDraftSeconds: prefill?.draft ?? 0,
    prefillStepCount: prefillSteps,
    ttftIsBenchmarkMean: false,
    saturated: false,
    disaggregation: null,
  }
}

/** Closed loop of C users: min(C, capacity) run; the rest wait for a slot (Little's law on the queue). */
function closedLoop(c: Context): ServingEstimate {
  const dp = dpOf(c.s.layout)
  const users = c.w.users / dp
  const cap = capacityOf(c.w)
  const n = Math.max(1, Math.min(users, cap.n))
  const queued = Math.max(0, users - n)
  if (queued === 0) return estimateFor(c, n, 0, 0, null, false)
  const base = estimateFor(c, n, 0, 0, cap.limit, false)
  // A waiting user waits for `queued` completions ahead of it at the replica's completion rate.
  const wait = queued / (base.requestsPerSecond / dp)
  return estimateFor(c, n, wait, queued, cap.limit, false)
}

/** Poisson arrivals: the running sequences n solve rate = n / lifetime(n); the prefill queue waits as M/D/1. */
function openLoop(c: Context): ServingEstimate {
  const dp = dpOf(c.s.layout)
  const rate = (c.w.requestsPerSecond ?? 0) / dp
  const cap = capacityOf(c.w)
  const served = (n: number) => estimateFor(c, n, 0, 0, null, false).requestsPerSecond / dp
  const maxRate = served(Math.max(1, cap.n))
  // Past the most the engine completes, the queue grows without bound: report the engine at capacity, saturated.
  if (rate >= maxRate) return estimateFor(c, Math.max(1, cap.n), 0, 0, cap.limit, true)
  // served(n) grows with n; find the n whose completion rate equals the arrival rate.
  let low = 0
  let high = Math.max(1, cap.n)
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2
    if (served(Math.max(mid, 1e-9)) < rate) low = mid
    else high = mid
  }
  const n = Math.max(high, 1e-9)
  const rho = rate / maxRate
  const wait = poissonWaitSeconds.evaluate(poissonWaitSeconds.read!(rho, maxRate))
  return estimateFor(c, n, wait, 0, null, false)
}

function colocated(c: Context): ServingEstimate {
  if (c.w.mode === 'batch') return staticBatch(c)
  if (c.w.mode === 'concurrency') return closedLoop(c)
  return openLoop(c)
}

/**
 * Disaggregated prefill and decode (DistServe, Zhong et al. 2024; SGLang and Dynamo xPyD): the decode pool serves the
 * users with no prompt chunks in its steps; the prefill pool takes their prompts at the rate the decode pool completes
 * them (Poisson, M/D/1 wait); each prompt's KV cache then crosses the network to a decode replica. The slower pool
 * sets the throughput.
 */
function disaggregated(c: Context, pd: {prefillReplicas: number; decodeReplicas: number}): ServingEstimate {
  const pool = (replicas: number, phase: ServingPhase, w: Partial<Workload>): Context => ({...c, s: {...c.s, layout: {...c.s.layout, dp: replicas}}, w: {...c.w, phase, ...w}})
  // The decode pool holds every user (split over its replicas as data-parallel replicas are).
  const decode = colocated(pool(pd.decodeReplicas, 'decode', {}))
  const prefillCtx = pool(pd.prefillReplicas, 'prefill', {mode: 'rate', outputTokens: 1})
  const prefillMax = openLoop({...prefillCtx, w: {...prefillCtx.w, requestsPerSecond: 1e12}}).requestsPerSecond
  const rate = c.w.mode === 'rate' ? c.w.requestsPerSecond ?? 0 : decode.requestsPerSecond
  const limitedBy = rate >= prefillMax ? 'prefill' : 'decode'
  const served = Math.min(rate, prefillMax)
  const prefill = openLoop({...prefillCtx, w: {...prefillCtx.w, requestsPerSecond: Math.min(served, prefillMax * 0.999)}})
  // Each device of the prefill replica sends its shard of the prompt's KV over its own network link.
  const kvBytes = kvCache(c.spec, c.w.inputTokens, 1, {kvFormat: c.s.kvFormat, mlaCache: c.s.mlaCache}).totalBytes
  const linkBytesPerSecond = interNodeBytesPerSecond * replicaDevicesOf(c.s.layout)
  const transfer = kvTransferFormula.evaluate(kvTransferFormula.read!(kvBytes, linkBytesPerSecond))
  const ttft = ttftPoolsFormula.evaluate(ttftPoolsFormula.read!(prefill.ttftSeconds, transfer))
  const e2e = ttft + Math.max(0, c.w.outputTokens - 1) * decode.tpotSeconds
  return {
    ...decode,
    mode: c.w.mode,
    ttftSeconds: ttft,
    e2eSeconds: e2e,
    aggregateOutputTokensPerSecond: served * c.w.outputTokens,
    requestsPerSecond: served,
    prefillSteps: prefill.prefillStepCount,
    queueWaitSeconds: prefill.queueWaitSeconds,
    prefillStep: prefill.prefillStep,
    prefillDraftSeconds: 0,
    prefillStepCount: prefill.prefillStepCount,
    saturated: decode.saturated || (c.w.mode === 'rate' && limitedBy === 'prefill'),
    disaggregation: {
      prefillReplicas: pd.prefillReplicas,
      decodeReplicas: pd.decodeReplicas,
      kvTransferSeconds: transfer,
      prefillTtftSeconds: prefill.ttftSeconds,
      kvTransferBytes: kvBytes,
      kvTransferBytesPerSecond: linkBytesPerSecond,
      prefillRequestsPerSecondMax: prefillMax,
      decodeRequestsPerSecond: decode.requestsPerSecond,
      limitedBy,
    },
  }
}

export function servingEstimate(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, o: PerfOptions, engine: EngineTiming, w: Workload): ServingEstimate {
  const c: Context = {spec, s, hw, o, engine, w}
  return w.disaggregation ? disaggregated(c, w.disaggregation) : colocated(c)
}
