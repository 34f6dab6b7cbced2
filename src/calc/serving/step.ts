// One engine step: the roofline of the work it does (decode tokens of running sequences, chunks of prompts being
// prefilled, draft tokens being verified), plus what real engines pay beyond it: collective bytes and latency,
// the per-kernel floor and the host's per-step work. Every term is a registry entry (formulas/perf.ts, serving.ts).
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import {decodeFlopsParts, prefillFlopsParts} from '../flops.js'
import {allReduceSeconds as allReduceFormula, computeSeconds as computeFormula, memorySeconds as memoryFormula} from '../formulas/perf.js'
import {collectiveLatencySeconds, deviceStepBytes, kernelFloorSeconds, stepSeconds} from '../formulas/serving.js'
import {kvBytesReadAt, kvCache} from '../kv.js'
import {layerPlan} from '../layers.js'
import type {MemoryScenario} from '../memory.js'
import {dpOf, kvShareOfDevice} from '../parallel.js'
import type {PerfOptions} from '../perf.js'
import {peakFor, weightBytesReadValues} from '../step-reads.js'
import {weightBytesRead as weightBytesReadFormula} from '../formulas/perf.js'
import {allReduceAlphaSeconds, allToAllAlphaSeconds, interconnectOf, pointToPointAlphaSeconds, type EngineTiming} from './latency.js'

/** What one step computes, for one replica (its tensor- and pipeline-parallel devices). */
export interface StepWork {
  /** Sequences decoding in this step. */
  decodeSequences: number
  /** Tokens each decoding sequence runs: 1, or the draft tokens + 1 when verifying speculation. */
  tokensPerDecodeSequence: number
  /** Mean context of the decoding sequences (tokens). */
  decodeContextTokens: number
  /** Prompt tokens prefilled in this step, all chunks together. */
  prefillTokens: number
  /** Length of the prompts those chunks come from (sets FLOPs per prompt token and the context they attend). */
  promptTokens: number
}

export interface StepTime {
  seconds: number
  computeSeconds: number
  memorySeconds: number
  /** Collective bytes over the interconnect. */
  commSeconds: number
  /** Collective start-up latency. */
  latencySeconds: number
  /** Fixed per-kernel time (graph-node gaps), or the launch time the GPU waits on when eager. */
  kernelSeconds: number
  hostSeconds: number
  flops: number
  bytes: number
  /** What the step's time is mostly made of. */
  bound: 'compute' | 'memory' | 'latency'
  /** The values each term was computed from, for explain (each term is one registry entry evaluated on them). */
  parts: StepParts
}

export interface StepParts {
  /** FLOPs of the products with the weights (at the weight format's peak) and of attention (at the 16-bit peak). */
  matmulFlops: number
  attentionFlops: number
  peakFlopsPerSecond: number
  attentionPeakFlopsPerSecond: number
  tp: number
  /** Tokens in the step, and the tokens whose routed experts the weights read counts (every replica's under wide EP). */
  tokens: number
  expertTokens: number
  /** Weight bytes the step reads in all (perf.weightBytesRead), of which the routed experts' and the rest. */
  weightBytesRead: number
  sharedBytes: number
  expertBytes: number
  expertRanks: number
  kvBytes: number
  kvShare: number
  bytesPerDevice: number
  /** Link the collectives use (the network across nodes), bytes/s; null when unknown. */
  linkBytesPerSecond: number | null
  /** Ring all-reduce bytes term (perf.allReduceSeconds), 0 without tensor parallelism. */
  allReduceSeconds: number
  /** All-to-all bytes term of expert parallelism. */
  allToAllSeconds: number
  collectives: {what: string; count: number; alphaSeconds: number}[]
  kernels: {what: string; layers: number; kernelsPerLayer: number; kernelSeconds: number}[]
  /** Eager engines: launches hide behind the GPU's work, so the kernel term is max(0, launches - roofline). */
  eager: boolean
}

const noFlops = {flops: 0, attention: 0}

const kvOptionsOf = (s: MemoryScenario) => ({kvFormat: s.kvFormat, mlaCache: s.mlaCache})

/** Activation bytes per token crossing a collective: the hidden state in 16 bits. */
const activationBytesPerElement = 2

export function stepTime(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, o: PerfOptions, engine: EngineTiming, work: StepWork): StepTime {
  const {tp, pp, ep} = s.layout
  const dp = dpOf(s.layout)
  const decodeTokens = work.decodeSequences * work.tokensPerDecodeSequence
  const tokens = decodeTokens + work.prefillTokens
  const plan = layerPlan(spec)

  // FLOPs: decode tokens at their context, prefill tokens at the mean FLOPs per token of their prompt; matmuls of
  // either reach the same share of peak (MFU) once batched enough to be compute-bound. The products with the weights
  // run at the weight format's peak (fp8, fp4 GEMMs); attention over the cache runs in 16 bits (FlashAttention and
  // FlashInfer compute QK^T and PV on bf16 tensor cores), so its FLOPs take the bf16 peak.
  const decode = decodeTokens > 0 ? decodeFlopsParts(spec, work.decodeContextTokens, o.flops) : noFlops
  const prefill = work.prefillTokens > 0 ? prefillFlopsParts(spec, work.promptTokens, o.flops) : noFlops
  // Prompt chunks: the mean FLOPs per token of their prompt, times the chunk's tokens.
  const chunkShare = work.prefillTokens > 0 ? work.prefillTokens / work.promptTokens : 0
  const flops = decodeTokens * decode.flops + chunkShare * prefill.flops
  const attentionFlops = decodeTokens * decode.attention + chunkShare * prefill.attention
  const matmulFlops = flops - attentionFlops
  const peak = peakFor(spec, s, hw, o.computeFormat).flopsPerSecond
  const attentionPeak = hw.peakFlopsPerSecond.bf16 ?? hw.peakFlopsPerSecond.fp16 ?? peak
  const computeSeconds =
    computeFormula.evaluate(computeFormula.read!(matmulFlops, peak, o.prefillMfu, tp)) + computeFormula.evaluate(computeFormula.read!(attentionFlops, attentionPeak, o.prefillMfu, tp))

  // Bytes along the step's path through the pipeline: weights (experts: those the tokens of every replica hit,
  // over the expert-parallel ranks), and the KV cache each device reads (decode) or that the chunks attend.
  const expertTokens = ep > tp ? tokens * dp : tokens
  const w = weightBytesReadValues(spec, s, expertTokens)
  const expertBytes = (w.R * w.hit * w.xb) / w.E
  const weightBytesRead = weightBytesReadFormula.evaluate(w)
  const sharedBytes = weightBytesRead - expertBytes
  const kvShare = kvShareOfDevice(spec, s.layout) * pp
  // MSA sparse layers (MiniMax-M3) read only their top-k blocks' K and V, and every index key.
  const decodeKv = work.decodeSequences > 0 ? kvBytesReadAt(spec, work.decodeContextTokens, work.decodeSequences, kvOptionsOf(s)) : 0
  const prefillKv = work.prefillTokens > 0 ? kvCache(spec, work.promptTokens, 1, kvOptionsOf(s)).totalBytes * Math.min(1, work.prefillTokens / work.promptTokens) : 0
  const bytesPerDevice = deviceStepBytes.evaluate(deviceStepBytes.read!(sharedBytes, tp, expertBytes, Math.max(ep, tp), decodeKv + prefillKv, kvShare))
  const memorySeconds = memoryFormula.evaluate(memoryFormula.read!(bytesPerDevice, hw, o.bandwidthEfficiency, 1))

  // Collectives: 2 all-reduces per layer under tensor parallelism, dispatch and combine per MoE layer when experts
  // span more ranks than the tensor-parallel group, one send per pipeline boundary.
  // Each collective over its own group: all-reduces over the tensor-parallel group, all-to-alls over the expert-
  // parallel group, stage sends between the stages (crossing nodes once tp x pp passes a node).
  const link = interconnectOf(hw, tp)
  const epLink = interconnectOf(hw, ep)
  const ppLink = interconnectOf(hw, tp * pp)
  const allReduceBytesSeconds = tp > 1 && link.bytesPerSecond !== null ? allReduceFormula.evaluate(allReduceFormula.read!(spec, tp, tokens, link.bytesPerSecond)) : 0
  let allToAllSeconds = 0
  const collectives: StepParts['collectives'] = []
  if (tp > 1) collectives.push({what: 'tensor-parallel all-reduces (2 per layer)', count: 2 * spec.layers, alphaSeconds: allReduceAlphaSeconds(link, tp, engine)})
  if (ep > tp && plan.moeLayers > 0 && spec.moe) {
    const n = 2 * plan.moeLayers
    collectives.push({what: 'expert-parallel dispatch and combine (2 per MoE layer)', count: n, alphaSeconds: allToAllAlphaSeconds(epLink, ep)})
    // Each token's hidden state goes to its top-k experts and comes back: (ep - 1) / ep of it leaves the device.
    if (epLink.bytesPerSecond !== null) allToAllSeconds = (n * tokens * spec.moe.topK * spec.hiddenSize * activationBytesPerElement * ((ep - 1) / ep)) / epLink.bytesPerSecond
  }
  if (pp > 1) collectives.push({what: 'pipeline-stage sends', count: pp - 1, alphaSeconds: pointToPointAlphaSeconds(ppLink)})
  const commSeconds = allReduceBytesSeconds + allToAllSeconds
  const latencySeconds = collectives.reduce((sum, c) => sum + collectiveLatencySeconds.evaluate(collectiveLatencySeconds.read!(c.count, c.alphaSeconds)), 0)

  // Kernels: with CUDA graphs (or a compiled engine) each costs a fixed gap; eager, the host launches them one
  // by one and the GPU waits whenever the launches take longer than the work.
  const k = engine.kernelsPerLayer
  const perLayer = (moe: boolean) => (spec.attention.mla ? k.mlaAttention : k.attention) + (moe ? k.moeFfn : k.denseFfn)
  const kernels: StepParts['kernels'] = [
    {what: 'dense layers', layers: spec.layers - plan.moeLayers, kernelsPerLayer: perLayer(false), kernelSeconds: engine.kernelSeconds},
    {what: 'MoE layers', layers: plan.moeLayers, kernelsPerLayer: perLayer(true), kernelSeconds: engine.kernelSeconds},
  ].filter((x) => x.layers > 0)
  const launches = kernels.reduce((sum, x) => sum + kernelFloorSeconds.evaluate(kernelFloorSeconds.read!(x.layers, x.kernelsPerLayer, x.kernelSeconds)), 0)
  const roofline = Math.max(computeSeconds, memorySeconds)
  const kernelSeconds = engine.eager ? Math.max(0, launches - roofline) : launches
  const hostSeconds = engine.hostSecondsPerStep
  const seconds = stepSeconds.evaluate(stepSeconds.read!(computeSeconds, memorySeconds, commSeconds, latencySeconds, kernelSeconds, hostSeconds))
  const fixed = latencySeconds + kernelSeconds + hostSeconds
  const bound = fixed > roofline + commSeconds ? 'latency' : computeSeconds >= memorySeconds ? 'compute' : 'memory'
  const parts: StepParts = {
    matmulFlops,
    attentionFlops,
    peakFlopsPerSecond: peak,
    attentionPeakFlopsPerSecond: attentionPeak,
    tp,
    tokens,
    expertTokens,
    weightBytesRead,
    sharedBytes,
    expertBytes,
    expertRanks: Math.max(ep, tp),
    kvBytes: decodeKv + prefillKv,
    kvShare,
    bytesPerDevice,
    linkBytesPerSecond: link.bytesPerSecond, allReduceSeconds: allReduceBytesSeconds, allToAllSeconds, collectives, kernels, eager: engine.eager}
  return {seconds, computeSeconds, memorySeconds, commSeconds, latencySeconds, kernelSeconds, hostSeconds, flops, bytes: bytesPerDevice, bound, parts}
}
