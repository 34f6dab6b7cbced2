// Will it fit: fewest devices, longest context, most concurrent sequences, and engine KV capacity.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {enginePolicies, engineKvBytes, kvBytesPerTokenAllLayers} from './engines.js'
import {kvCache} from './kv.js'
import {memoryEstimate, type MemoryScenario} from './memory.js'
import {usableBytes} from './deployment.js'
import {kvShareOfDevice} from './parallel.js'

/** Memory left for KV on one device after weights, activations and overhead (never negative). */
export function kvBudgetPerDevice(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  const fixed = memoryEstimate(spec, {...s, contextTokens: 1, batch: 1})
  const nonKv = fixed.perDevice.weightsBytes + fixed.perDevice.activationBytes + fixed.perDevice.overheadBytes
  return Math.max(0, usableBytes(hw, memoryUtilization) - nonKv)
}

/** KV bytes one sequence of L tokens needs on one device (engine reservation when an engine is named). */
export function sequenceKvBytesPerDevice(spec: ModelSpec, s: MemoryScenario, contextTokens: number): number {
  const bytes = s.engine
    ? engineKvBytes(spec, contextTokens, 1, s.engine, {kvFormat: s.kvFormat})
    : kvCache(spec, contextTokens, 1, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  return bytes * kvShareOfDevice(spec, s.layout)
}

/** Longest context (up to the model's maximum) whose single sequence fits; 0 when not even one token does. */
export function maxContextTokens(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  const budget = kvBudgetPerDevice(spec, s, hw, memoryUtilization)
  if (sequenceKvBytesPerDevice(spec, s, 1) > budget) return 0
  let low = 1
  let high = spec.maxContextTokens
  if (sequenceKvBytesPerDevice(spec, s, high) <= budget) return high
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (sequenceKvBytesPerDevice(spec, s, mid) <= budget) low = mid
    else high = mid
  }
  return low
}

/** Sequences of s.contextTokens that fit at once (vLLM's "maximum concurrency"), as a fraction like vLLM prints. */
export function maxConcurrency(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  const perSequence = sequenceKvBytesPerDevice(spec, s, s.contextTokens)
  if (perSequence === 0) return Number.MAX_SAFE_INTEGER
  return kvBudgetPerDevice(spec, s, hw, memoryUtilization) / perSequence
}

/**
 * KV capacity in tokens as the engine reports it at start-up (vLLM: "GPU KV cache size: N tokens"):
 * whole pages of the free memory divided by the bytes of one token across every KV-holding layer on the device.
 */
export function kvCacheCapacityTokens(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  const engine = s.engine ?? 'vllm'
  const perToken = kvBytesPerTokenAllLayers(spec, engine, {kvFormat: s.kvFormat}) * kvShareOfDevice(spec, s.layout)
  if (perToken === 0) return 0
  const page = enginePolicies[engine].pageTokens
  return Math.floor(kvBudgetPerDevice(spec, s, hw, memoryUtilization) / perToken / page) * page
}
