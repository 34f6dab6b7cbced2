// The workload of a speed scenario: how requests arrive, and the engine limits that shape each step (token budget,
// sequences at once, the KV cache's room). The limits are the engine's own defaults (engine-budget.ts reads them from
// its source); with no engine named, vLLM's, as archcost's default timing is a CUDA-graph engine like it.
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import type {EngineSettings} from '../../schema/scenario-fields.js'
import {scenarioDefaults} from '../../schema/scenario-defaults.js'
import {engineBudget, vllmBatchLimits} from '../engine-budget.js'
import {maxConcurrency} from '../fit.js'
import type {PerfScenario} from '../perf.js'
import type {Speculation} from './speculative.js'
import type {ServingPhase, Workload, WorkloadMode} from './serving.js'

/** What the user asks of the workload (the rest comes from the engine and the memory). */
export interface ServingRequest {
  mode: WorkloadMode
  /** concurrency mode: users in the closed loop (batch mode uses the scenario's batch). */
  users: number
  requestsPerSecond: number | null
  prefixHitRate: number
  speculation: Speculation | null
  /** Disaggregated prefill and decode: x prefill replicas and y decode replicas of the layout (its dp = x + y). */
  disaggregation?: {prefillReplicas: number; decodeReplicas: number} | null
  /** A benchmark of this many prompts, started at once (`--num-prompts`); absent: steady state. */
  numPrompts?: number | null
  /** Which phases this pool runs: both (colocated), or one pool of a disaggregated deployment. */
  phase?: ServingPhase
}

/** Engine settings when none were given: every engine's own defaults. */
export const defaultEngineSettings: EngineSettings = {
  vllmVersion: scenarioDefaults.vllmEngineVersion,
  vllmSampler: scenarioDefaults.vllmSampler,
  maxNumBatchedTokens: null,
  maxNumSeqs: null,
  enforceEager: false,
  memFractionStatic: null,
  swaFullTokensRatio: scenarioDefaults.swaFullTokensRatio,
  mambaFullMemoryRatio: scenarioDefaults.mambaFullMemoryRatio,
  kvCacheFreeFraction: scenarioDefaults.kvCacheFreeFraction,
  nGpuLayers: null,
  cacheTypeK: null,
  cacheTypeV: null,
  ubatch: scenarioDefaults.ubatch,
  wiredLimitBytes: null,
}

/** The workload of a scenario on one replica of its layout. */
export function servingWorkload(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, memoryUtilization: number): Workload {
  const request: ServingRequest = s.serving ?? {mode: 'batch', users: s.batch, requestsPerSecond: null, prefixHitRate: 0, speculation: null, phase: 'both'}
  const settings = s.engineSettings ?? defaultEngineSettings
  const contextTokens = s.promptTokens + s.outputTokens
  const base = {
    mode: request.mode,
    users: request.mode === 'batch' ? s.batch : request.users,
    requestsPerSecond: request.requestsPerSecond,
    inputTokens: s.promptTokens,
    outputTokens: s.outputTokens,
    prefixHitRate: request.prefixHitRate,
    speculation: request.speculation,
    phase: request.phase ?? 'both',
    numPrompts: request.numPrompts ?? null,
    disaggregation: request.disaggregation ?? null,
  }
  // A static batch needs no capacity (the memory check decides whether it fits): skip the memory accounting.
  if (request.mode === 'batch') return {...base, ...vllmBatchLimits(hw, settings, contextTokens), kvSequences: s.batch}
  // Engines allocate KV blocks as tokens arrive (vLLM v1/core/kv_cache_manager.py allocate_slots), so in steady
  // state a running sequence holds its prompt and, on average, half its output.
  const atContext = {...s, contextTokens: s.promptTokens + Math.max(1, Math.round(s.outputTokens / 2)), batch: 1}
  if (s.engine) {
    const b = engineBudget(spec, atContext, hw, settings, memoryUtilization)
    const maxNumSeqs = s.engine === 'vllm' ? vllmBatchLimits(hw, settings, contextTokens).maxNumSeqs : settings.maxNumSeqs ?? Number.MAX_SAFE_INTEGER
    return {...base, maxNumBatchedTokens: b.profileTokens, maxNumSeqs, kvSequences: b.maxConcurrency}
  }
  return {...base, ...vllmBatchLimits(hw, settings, contextTokens), kvSequences: maxConcurrency(spec, atContext, hw, memoryUtilization)}
}
