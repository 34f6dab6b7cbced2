// Speculative decoding: k draft tokens proposed per step, verified together by the target in one forward pass.
// MTP (DeepSeek-V3, GLM, Qwen3-Next ship the layer) and EAGLE draft with one extra decoder layer on the target's
// hidden state; the draft runs once per draft token, the verification once per step over k + 1 tokens.
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import {tokensPerVerifyStep} from '../formulas/serving.js'
import {legalLayout} from '../layout-rules.js'
import type {MemoryScenario} from '../memory.js'
import type {Layout} from '../parallel.js'
import {perSpec} from '../per-spec.js'
import type {PerfOptions} from '../perf.js'
import type {EngineTiming} from './latency.js'
import {stepTime, type StepWork} from './step.js'

export const speculativeMethods = ['mtp', 'eagle', 'draft'] as const
export type SpeculativeMethod = (typeof speculativeMethods)[number]

export interface Speculation {
  method: SpeculativeMethod
  draftTokens: number
  /** Probability that one draft token is accepted. */
  acceptanceRate: number
  /** method 'draft': the draft model as given (--draft-model), and its spec once the command has loaded it. */
  draftModelRef?: string
  draftModel?: ModelSpec
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

/** The draft network as a model of the target's shape: its last layer kind (MTP and EAGLE are one decoder layer), or the MTP module's own blocks. */
const draftLayerOf = perSpec((spec): ModelSpec => {
  const last = spec.layerGroups[spec.layerGroups.length - 1]!
  // The target's weight-shared blocks (Zamba2) run at its own layers, not in a one-layer draft.
  const {sharedBlocks: _shared, ...target} = spec
  // Nemotron-H's MTP module is its own run of blocks (an attention block and a MoE block).
  const {mtpLayerGroups, ...rest} = target
  if (mtpLayerGroups) return {...rest, layers: mtpLayerGroups.reduce((n, g) => n + g.count, 0), layerGroups: mtpLayerGroups, mtpLayers: 0}
  return {...rest, layers: 1, layerGroups: [{...last, count: 1}], mtpLayers: 0}
})

/**
 * A draft model's layout beside the target: the target's tensor parallelism where the draft allows it (vLLM
 * draft_tensor_parallel_size defaults to the target's), else one device; no expert or pipeline parallelism.
 */
export function draftLayoutOf(draft: ModelSpec, target: Layout): Layout {
  const same: Layout = {tp: target.tp, ep: 1, pp: 1}
  return legalLayout(draft, same) === null ? same : {tp: 1, ep: 1, pp: 1}
}

/**
 * Seconds the draft adds to one step: k passes over the decoding sequences, each of one layer and the LM head
 * (MTP, EAGLE) or of the whole draft model (its own checkpoint formats, its KV read at the same context).
 */
export function draftSeconds(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, o: PerfOptions, engine: EngineTiming, sp: Speculation, work: StepWork): number {
  if (work.decodeSequences === 0) return 0
  const quiet = {...engine, hostSecondsPerStep: 0}
  const decodeOnly = {...work, tokensPerDecodeSequence: 1, prefillTokens: 0}
  if (sp.method === 'draft' && sp.draftModel) {
    const d = sp.draftModel
    const one = stepTime(d, {...s, weightFormats: {}, kvFormat: s.kvFormat, layout: draftLayoutOf(d, s.layout)}, hw, o, quiet, decodeOnly)
    return sp.draftTokens * one.seconds
  }
  const one = stepTime(draftLayerOf(spec), s, hw, o, quiet, decodeOnly)
  return sp.draftTokens * one.seconds
}
