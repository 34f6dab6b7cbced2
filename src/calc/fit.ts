// Will it fit: fewest devices, longest context, most concurrent sequences, and engine KV capacity.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {engineKvBytes} from './engines.js'
import {kvCache} from './kv.js'
import {memoryEstimate, type MemoryScenario} from './memory.js'
import {usableBytes} from './deployment.js'
import {kvShareOfDevice} from './parallel.js'

/** Memory left for KV on one device after weights, activations and overhead (never negative). */
export function kvBudgetPerDevice(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  const fixed = memoryEstimate(spec, {...s, contextTokens: 1, batch: 1})
  const nonKv = fixed.perDevice.weightsBytes + fixed.perDevice.activationBytes + fixed.perDevice.overheadBytes
  return Math.max(0, usableBytes(hw, memoryUtilization, s.engineSettings?.wiredLimitBytes ?? null) - nonKv)
}

/** KV bytes one sequence of L tokens needs on one device (engine reservation when an engine is named). */
export function sequenceKvBytesPerDevice(spec: ModelSpec, s: MemoryScenario, contextTokens: number): number {
  const bytes = s.engine
    ? engineKvBytes(spec, contextTokens, 1, s.engine, {kvFormat: s.kvFormat})
    : kvCache(spec, contextTokens, 1, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
  return bytes * kvShareOfDevice(spec, s.layout)
}

/** Longest context, up to `limit`, whose single sequence fits the KV budget; 0 when not even one token does. */
function longestContext(spec: ModelSpec, s: MemoryScenario, budget: number, limit: number): number {
  if (sequenceKvBytesPerDevice(spec, s, 1) > budget) return 0
  if (sequenceKvBytesPerDevice(spec, s, limit) <= budget) return limit
  let low = 1
  let high = limit
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (sequenceKvBytesPerDevice(spec, s, mid) <= budget) low = mid
    else high = mid
  }
  return low
}

/** Longest context (up to the model's maximum) whose single sequence fits; 0 when not even one token does. */
export function maxContextTokens(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  return longestContext(spec, s, kvBudgetPerDevice(spec, s, hw, memoryUtilization), spec.maxContextTokens)
}

/** Sequences of s.contextTokens that fit at once (vLLM's "maximum concurrency"), as a fraction like vLLM prints. */
export function maxConcurrency(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  const perSequence = sequenceKvBytesPerDevice(spec, s, s.contextTokens)
  if (perSequence === 0) return Number.MAX_SAFE_INTEGER
  return kvBudgetPerDevice(spec, s, hw, memoryUtilization) / perSequence
}

/** Where a cache stops growing (every layer windowed or linear), capacity is reported as this many tokens at most. */
export const capacityLimitTokens = 2 ** 31

/**
 * KV capacity in tokens: the longest context one sequence could hold in the memory left for KV, windows counted as
 * they are kept, so that it agrees with the longest context (which the model's maximum also caps). Engines: engineBudget.
 */
export function kvCacheCapacityTokens(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): number {
  return longestContext(spec, s, kvBudgetPerDevice(spec, s, hw, memoryUtilization), capacityLimitTokens)
}
