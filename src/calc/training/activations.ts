// Activation memory per device for one training step: the tensors each layer saves for its backward pass, per token,
// from the architecture (Korthikanti et al. 2022 §4, "Reducing Activation Recomputation in Large Transformer
// Models", generalised in src/calc/formulas/training.ts), times the tokens of one micro-batch, times the micro-batches
// the first pipeline stage holds in flight, with none, selective or full recomputation.
import type {LayerGroup, ModelSpec} from '../../schema/model.js'
import {
  activationTotalBytes,
  attentionActivationBytes,
  attentionScoreActivationBytes,
  checkpointActivationBytes,
  headActivationBytes,
  inFlightMicroBatches,
  linearMixerActivationBytes,
  mlaActivationBytes,
  mlpActivationBytes,
  moeActivationBytes,
  opCheckpointActivationBytes,
  stageActivationBytes,
} from '../formulas/training.js'
import {bit} from '../formulas/formula.js'
import {lossChunks, type LossKind, type Recompute, type PipelineSchedule} from './options.js'

export {lossChunks, lossKinds, pipelineSchedules, recomputeModes, type LossKind, type PipelineSchedule, type Recompute} from './options.js'
import type {Layout} from '../parallel.js'



/** fp32 bytes per logit F.cross_entropy holds in its backward: log-softmax output, incoming gradient, returned gradient. */
const eagerFp32BytesPerLogit = 3 * 4

/** headActivationBytes' b, f and c for a loss: 16-bit share, fp32 bytes per logit, fp32 share. */
export function lossLogitShares(loss: LossKind): {b: number; f: number; c: number} {
  switch (loss) {
    case 'vocab-parallel':
      return {b: 1, f: 4, c: 1}
    case 'eager':
      return {b: 0, f: eagerFp32BytesPerLogit, c: 1}
    case 'chunked':
      return {b: 1, f: eagerFp32BytesPerLogit, c: 1 / lossChunks}
    case 'fused':
      return {b: 1 / lossChunks, f: eagerFp32BytesPerLogit, c: 1 / lossChunks}
  }
}


export interface ActivationOptions {
  sequenceTokens: number
  /** Sequences per micro-batch. */
  microBatchSequences: number
  recompute: Recompute
  /** Fused attention (FlashAttention): no s x s scores kept. */
  flashAttention: boolean
  /** Dropout on (1-byte masks after attention and MLP, and on the scores without flash); modern LLM pre-training uses 0. */
  dropout: boolean
  /** Megatron sequence parallelism: the h-wide tensors split over tp as well (Korthikanti §4.2.2); on whenever tp > 1. */
  sequenceParallel: boolean
  /** Bytes per saved activation element: 2 for bf16 and fp8 recipes (fp8 GEMM inputs are cast copies), 4 for fp32. */
  bytesPerElement: number
  schedule: PipelineSchedule
  /** Model chunks per pipeline stage (interleaved schedule). */
  chunksPerStage: number
  /** Micro-batches per step and data-parallel replica; null = enough to fill the pipeline. */
  microBatchesPerStep: number | null
  /** LoRA: Σ rank over the adapted matrices one token passes (x A, kept for B's gradient), all layers; 0 without LoRA. */
  loraRankPerToken: number
  /** Context-parallel ranks: each holds sequence / cp tokens of every micro-batch (Megatron-Core context_parallel_size); 1 without. */
  contextParallel: number
  /** The cross-entropy (lossKinds); absent: vocab-parallel, Korthikanti's and Megatron-LM's. */
  loss?: LossKind
}

export interface ActivationBytes {
  /** Saved activations per token of the average decoder layer, this device's tp share. */
  perTokenPerLayerBytes: number
  /** Micro-batches whose activations the first stage holds. */
  inFlightMicroBatches: number
  /** Decoder layers' saved tensors on the device (checkpointed inputs under full recomputation). */
  layersBytes: number
  /** Full recomputation: one layer's activations rebuilt during its backward. */
  recomputedLayerBytes: number
  /** Final norm, LM head input and the logits of the loss (all, or a chunk's); on the device only without pipeline stages (the first stage peaks). */
  headBytes: number
  totalBytes: number
}

interface Widths {
  p: number
  sp: number
  t: number
  D: number
}

/** Saved bytes per token of one attention block (GQA/MHA/MQA or MLA), with the s^2 scores when unfused and kept. */
function attentionPerToken(spec: ModelSpec, w: Widths, o: ActivationOptions): number {
  const att = spec.attention
  const mla = att.mla
  const core = mla
    ? mlaActivationBytes.evaluate({p: w.p, h: spec.hiddenSize, sp: w.sp, qr: mla.qLoraRank ?? 0, c: mla.kvLoraRank, r: mla.qkRopeHeadDim, H: att.heads, dqk: mla.qkNopeHeadDim + mla.qkRopeHeadDim, dv: mla.vHeadDim, f: bit(o.flashAttention), t: w.t, D: w.D})
    : attentionActivationBytes.evaluate({p: w.p, h: spec.hiddenSize, sp: w.sp, H: att.heads, d: att.headDim, n: bit(att.qkNorm !== 'none'), Hkv: att.kvHeads, dv: att.valueHeadDim, g: bit(att.outputGate), f: bit(o.flashAttention), t: w.t, D: w.D})
  const scores = !o.flashAttention && o.recompute === 'none' ? attentionScoreActivationBytes.evaluate({H: att.heads, S: o.sequenceTokens, p: w.p, D: w.D, t: w.t}) : 0
  return core + scores
}

function linearPerToken(spec: ModelSpec, w: Widths): number {
  const la = spec.linearAttention!
  return linearMixerActivationBytes.evaluate({p: w.p, h: spec.hiddenSize, sp: w.sp, Hk: la.keyHeads, dk: la.keyHeadDim, Hv: la.valueHeads, dv: la.valueHeadDim, C: 64, t: w.t})
}

function ffnPerToken(spec: ModelSpec, group: LayerGroup, w: Widths): number {
  if (group.ffn === 'none') return 0
  if (group.ffn === 'dense') return mlpActivationBytes.evaluate({p: w.p, h: spec.hiddenSize, sp: w.sp, G: bit(spec.ffn.gated), I: group.ffnIntermediateSize ?? spec.ffn.intermediateSize, t: w.t, D: w.D})
  const moe = spec.moe!
  return moeActivationBytes.evaluate({
    p: w.p,
    h: spec.hiddenSize,
    sp: w.sp,
    k: moe.topK,
    w: moe.latentSize ?? spec.hiddenSize,
    G: bit(spec.ffn.gated),
    Ie: moe.expertIntermediateSize,
    Is: moe.sharedIntermediateSize,
    t: w.t,
    E: moe.routedExperts,
    D: w.D,
  })
}

/** Saved bytes per token of one layer of a group: its token mixer and its FFN. */
export function layerActivationBytesPerToken(spec: ModelSpec, group: LayerGroup, w: Widths, o: ActivationOptions): number {
  const att = spec.attention
  // The op policy as torchtitan's Llama runs it: softmax attention without MLA, QK-norm or an output gate, a gated dense MLP.
  if (o.recompute === 'op' && ['full', 'sliding', 'chunked'].includes(group.mixer) && !att.mla && att.qkNorm === 'none' && !att.outputGate && group.ffn === 'dense' && spec.ffn.gated)
    return opCheckpointActivationBytes.evaluate({
      p: w.p,
      h: spec.hiddenSize,
      sp: w.sp,
      H: att.heads,
      d: att.headDim,
      Hkv: att.kvHeads,
      dv: att.valueHeadDim,
      I: group.ffnIntermediateSize ?? spec.ffn.intermediateSize,
      t: w.t,
      T: bit(w.t > 1),
    })
  const mixer =
    group.mixer === 'none' ? 0 : group.mixer === 'linear' ? linearPerToken(spec, w) : group.mixer === 'parallel' ? attentionPerToken(spec, w, o) + linearPerToken(spec, w) : attentionPerToken(spec, w, o)
  return mixer + ffnPerToken(spec, group, w)
}

/** Activation bytes one device holds at the peak of a step (the first pipeline stage). */
export function trainingActivationBytes(spec: ModelSpec, layout: Layout, o: ActivationOptions): ActivationBytes {
  const t = layout.tp
  const w: Widths = {p: o.bytesPerElement, sp: o.sequenceParallel ? t : 1, t, D: bit(o.dropout)}
  // Context parallelism splits each sequence over cp ranks (Megatron-Core: sequence dim / cp per rank, ring attention).
  const tokens = (o.sequenceTokens * o.microBatchSequences) / o.contextParallel
  const layers = spec.layerGroups.reduce((n, g) => n + g.count, 0)
  const perLayer = spec.layerGroups.map((g) => layerActivationBytesPerToken(spec, g, w, o))
  const allLayers = spec.layerGroups.reduce((sum, g, i) => sum + g.count * perLayer[i]!, 0) + o.loraRankPerToken * w.p
  const inFlight = inFlightMicroBatches.evaluate({pp: layout.pp, m: o.microBatchesPerStep ?? layout.pp, v: o.chunksPerStage, il: bit(o.schedule === 'interleaved')})
  // Layers split evenly over the stages: the first stage holds L / pp layers of `inFlight` micro-batches.
  const savedPerToken = o.recompute === 'full' ? layers * checkpointActivationBytes.evaluate({p: w.p, h: spec.hiddenSize, sp: w.sp}) : allLayers
  const layersBytes = stageActivationBytes.evaluate({A: savedPerToken, k: inFlight, pp: layout.pp, T: tokens})
  const recomputedLayerBytes = o.recompute === 'full' ? Math.max(...perLayer) * tokens : 0
  const headBytes = layout.pp === 1 ? headActivationBytes.evaluate({p: w.p, h: spec.hiddenSize, sp: w.sp, ...lossLogitShares(o.loss ?? 'vocab-parallel'), V: spec.embeddings.vocabSize, t}) * tokens : 0
  return {
    perTokenPerLayerBytes: allLayers / layers,
    inFlightMicroBatches: inFlight,
    layersBytes,
    recomputedLayerBytes,
    headBytes,
    totalBytes: activationTotalBytes.evaluate({Ls: layersBytes, R: recomputedLayerBytes, Hd: headBytes}),
  }
}
