// Speculative decoding: k draft tokens proposed per step, verified together by the target in one forward pass.
// MTP (DeepSeek-V3, GLM, Qwen3-Next ship the layer) and EAGLE draft with one extra decoder layer on the target's
// hidden state; the draft runs once per draft token, the verification once per step over k + 1 tokens.
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import {tokensPerVerifyStep} from '../formulas/serving.js'
import type {MemoryScenario} from '../memory.js'
import {perSpec} from '../per-spec.js'
import type {PerfOptions} from '../perf.js'
import type {EngineTiming} from './latency.js'
import {stepTime, type StepWork} from './step.js'

export const speculativeMethods = ['mtp', 'eagle'] as const
export type SpeculativeMethod = (typeof speculativeMethods)[number]

export interface Speculation {
  method: SpeculativeMethod
  draftTokens: number
  /** Probability that one draft token is accepted. */
  acceptanceRate: number
}

/**
 * MTP acceptance: "the acceptance rate of the second token prediction ranges between 85% and 90%" (DeepSeek-V3
 * technical report, arXiv 2412.19437, §5.4.3); archcost takes the low end. EAGLE has no default: give
 * --acceptance-rate (or --acceptance-length, what engines log as the mean accepted length).
 */
export const defaultAcceptanceRate: Partial<Record<SpeculativeMethod, number>> = {mtp: 0.85}

/** Mean tokens a verification step yields per sequence, the bonus token included; 1 without speculation. */
export function tokensPerStep(sp: Speculation | null): number {
  if (!sp) return 1
  if (sp.acceptanceRate >= 1) return sp.draftTokens + 1
  return tokensPerVerifyStep.evaluate(tokensPerVerifyStep.read!(sp.acceptanceRate, sp.draftTokens))
}

/** Acceptance rate that yields a mean accepted length (bisection on the monotone formula). */
export function acceptanceRateForLength(acceptanceLength: number, draftTokens: number): number {
  let low = 0
  let high = 1
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2
    if (tokensPerStep({method: 'eagle', draftTokens, acceptanceRate: mid}) < acceptanceLength) low = mid
    else high = mid
  }
  return (low + high) / 2
}

/** The draft network as a one-layer model of the target's shape: its last layer kind (MTP and EAGLE are one decoder layer). */
const draftLayerOf = perSpec((spec): ModelSpec => {
  const last = spec.layerGroups[spec.layerGroups.length - 1]!
  return {...spec, layers: 1, layerGroups: [{...last, count: 1}], mtpLayers: 0}
})

/** Seconds the draft adds to one step: k passes of one layer and the LM head over the decoding sequences. */
export function draftSeconds(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, o: PerfOptions, engine: EngineTiming, sp: Speculation, work: StepWork): number {
  if (work.decodeSequences === 0) return 0
  const draft = draftLayerOf(spec)
  const one = stepTime(draft, s, hw, o, {...engine, hostSecondsPerStep: 0}, {...work, tokensPerDecodeSequence: 1, prefillTokens: 0})
  return sp.draftTokens * one.seconds
}
