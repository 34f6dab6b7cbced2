// What one step reads and the peak it runs at: the weight bytes a forward pass over T tokens reads (MoE: the
// experts those tokens hit) and the compute format's peak FLOP/s. Shared by the roofline (perf.ts) and the engine
// step (serving/step.ts); a leaf of both, so neither imports the other.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {expectedExpertsHit as expertsHitFormula, weightBytesRead as weightBytesReadFormula} from './formulas/perf.js'
import type {Values} from './formulas/formula.js'
import type {MemoryScenario} from './memory.js'
import {paramCounts} from './params.js'
import {readBytesPerElement, weightFormatsFor} from './weights.js'

export const computeFormats = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4'] as const
export type ComputeFormat = (typeof computeFormats)[number]

export interface PeakChoice {
  format: ComputeFormat
  flopsPerSecond: number
}

/** The peak to divide FLOPs by: the requested column, else the weight format's, falling back bf16 → fp16 → fp32. */
export function peakFor(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, requested: ComputeFormat | null): PeakChoice {
  // A sweep asks for the same model, formats and hardware at every context: the last answer is kept.
  const l = lastPeak
  if (l && l.spec === spec && l.formats === s.weightFormats && l.hw === hw && l.requested === requested) return l.choice
  const choice = choosePeak(spec, s, hw, requested)
  lastPeak = {spec, formats: s.weightFormats, hw, requested, choice}
  return choice
}

let lastPeak: {spec: ModelSpec; formats: MemoryScenario['weightFormats']; hw: HardwareSpec; requested: ComputeFormat | null; choice: PeakChoice} | null = null

function choosePeak(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, requested: ComputeFormat | null): PeakChoice {
  const peaks = hw.peakFlopsPerSecond
  if (requested) {
    const value = peaks[requested]
    if (value === null) throw new RangeError(`${hw.id} has no ${requested} peak in its profile`)
    return {format: requested, flopsPerSecond: value}
  }
  const linear = weightFormatsFor(spec, s.weightFormats).linear
  const preferred: ComputeFormat[] =
    linear === 'fp8' ? ['fp8', 'bf16', 'fp16', 'fp32'] : linear === 'nvfp4' || linear === 'mxfp4' ? ['fp4', 'bf16', 'fp16', 'fp32'] : ['bf16', 'fp16', 'fp32']
  for (const format of preferred) {
    const value = peaks[format]
    if (value !== null) return {format, flopsPerSecond: value}
  }
  throw new RangeError(`${hw.id} lists no bf16, fp16 or fp32 peak`)
}

/** Expected distinct experts that `tokens` tokens route to in one MoE layer: E · (1 - (1 - k/E)^tokens), uniform routing. */
export function expectedExpertsHit(experts: number, topK: number, tokens: number): number {
  return expertsHitFormula.evaluate({E: experts, k: topK, T: tokens})
}

/** Symbols of the weight bytes one step over `tokens` tokens reads (perf.weightBytesRead). Same classes as weights.ts componentClass. */
export function weightBytesReadValues(spec: ModelSpec, s: MemoryScenario, tokens: number): Values<'head' | 'eb' | 'lin' | 'lb' | 'R' | 'hit' | 'E' | 'xb' | 'unq' | 'ub'> {
  const b = paramCounts(spec).breakdown
  const bytes = readBytesPerElement(spec, s.weightFormats, s.int4GroupSize) // a GGUF mix: its classes' own bytes per element
  const moe = spec.moe
  return {
    head: spec.embeddings.tied ? b.embedding : b.lmHead, // a tied head multiplies the embedding matrix; lookups read only their rows
    eb: bytes.head,
    lin: b.attention + b.denseFfn + b.sharedExperts + b.other,
    lb: bytes.linear,
    R: moe ? b.routedExperts : 0,
    hit: moe ? expectedExpertsHit(moe.routedExperts, moe.topK, tokens) : 0,
    E: moe ? moe.routedExperts : 1,
    xb: bytes.experts,
    unq: b.norms + b.router,
    ub: bytes.unquantized,
  }
}

/**
 * Weight bytes read by one forward step over `tokens` tokens: everything that multiplies (embedding and
 * per-layer-embedding lookups read only their rows, left out), with routed experts only for the experts hit.
 */
export function weightBytesRead(spec: ModelSpec, s: MemoryScenario, tokens: number): number {
  // A sweep asks for the same model, formats and step size at every context: the last answer is kept (specs and
  // scenarios' format objects are never mutated, as readBytesPerElement relies on too).
  const l = lastRead
  if (l && l.spec === spec && l.formats === s.weightFormats && l.group === s.int4GroupSize && l.tokens === tokens) return l.bytes
  const bytes = weightBytesReadFormula.evaluate(weightBytesReadValues(spec, s, tokens))
  lastRead = {spec, formats: s.weightFormats, group: s.int4GroupSize, tokens, bytes}
  return bytes
}

let lastRead: {spec: ModelSpec; formats: MemoryScenario['weightFormats']; group: number | undefined; tokens: number; bytes: number} | null = null

