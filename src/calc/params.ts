// Parameter counts, exact to the parameter, of what the Hugging Face transformers model
// class builds for the text model (src/transformers/models/<type>/modeling_<type>.py).
// Totals are sums of the breakdown's leaves, never a second formula.
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {totalEncoderParams} from './encoders.js'
import {assertSafeInteger} from './exact.js'

export const paramComponents = [
  'embedding',
  'perLayerEmbedding',
  'attention',
  'denseFfn',
  'routedExperts',
  'sharedExperts',
  'router',
  'norms',
  'lmHead',
  'other',
] as const
export type ParamComponent = (typeof paramComponents)[number]
export type ParamBreakdown = Record<ParamComponent, number>

export interface ParamCounts {
  totalParams: number
  activeParams: number
  embeddingParams: number
  nonEmbeddingParams: number
  /** Gemma 3n: total without per-layer embeddings, which the runtime can keep off the accelerator. */
  effectiveParams: number
  /** Modules the checkpoint ships but inference does not run by default (DeepSeek MTP). */
  mtpParams: number
  encoderParams: number
  breakdown: ParamBreakdown
  activeBreakdown: ParamBreakdown
}

const emptyBreakdown = (): ParamBreakdown => ({
  embedding: 0,
  perLayerEmbedding: 0,
  attention: 0,
  denseFfn: 0,
  routedExperts: 0,
  sharedExperts: 0,
  router: 0,
  norms: 0,
  lmHead: 0,
  other: 0,
})

/** Linear layer weights (+ bias). */
const linear = (inFeatures: number, outFeatures: number, bias: boolean) => inFeatures * outFeatures + (bias ? outFeatures : 0)

/** A hidden-size norm: weight, plus bias for LayerNorm with bias. */
const normParams = (spec: ModelSpec, width: number) => width * (spec.norms.kind === 'layernorm' && spec.norms.bias ? 2 : 1)

/**
 * Self-attention projections of one layer (GQA/MHA/MQA or MLA), without its norms.
 * GQA: q (h, H*d[*2 if gated]), k and v (h, Hkv*d), o (H*dv, h) — LlamaAttention / Qwen3NextAttention.
 * MLA: q_a (h, rq), q_b (rq, H*dqk), kv_a (h, rkv+dr), kv_b (rkv, H*(dn+dv)), o (H*dv, h) — DeepseekV3Attention.
 */
export function attentionProjectionParams(spec: ModelSpec): number {
  const {hiddenSize: hidden, attention: att} = spec
  if (att.mla) {
    const {qLoraRank, kvLoraRank, qkRopeHeadDim, qkNopeHeadDim, vHeadDim} = att.mla
    const qkHeadDim = qkNopeHeadDim + qkRopeHeadDim
    // q_a_proj and kv_a_proj_with_mqa and o_proj take config.attention_bias; q_b_proj and kv_b_proj never have one.
    const query =
      qLoraRank === null
        ? linear(hidden, att.heads * qkHeadDim, false)
        : linear(hidden, qLoraRank, att.qkvBias) + linear(qLoraRank, att.heads * qkHeadDim, false)
    const keyValue = linear(hidden, kvLoraRank + qkRopeHeadDim, att.qkvBias) + linear(kvLoraRank, att.heads * (qkNopeHeadDim + vHeadDim), false)
    return query + keyValue + linear(att.heads * vHeadDim, hidden, att.outputBias)
  }
  const queryWidth = att.heads * att.headDim * (att.outputGate ? 2 : 1)
  return (
    linear(hidden, queryWidth, att.qkvBias) +
    linear(hidden, att.kvHeads * att.headDim, att.qkvBias) +
    linear(hidden, att.kvHeads * att.valueHeadDim, att.qkvBias) +
    linear(att.heads * att.valueHeadDim, hidden, att.outputBias) +
    (att.sinks ? att.heads : 0)
  )
}

/** Norm weights inside attention: QK-norm, or MLA's latent norms (q_a_layernorm, kv_a_layernorm) and the DSA indexer's k_norm. */
export function attentionNormParams(spec: ModelSpec): number {
  const att = spec.attention
  if (att.mla) return (att.mla.qLoraRank ?? 0) + att.mla.kvLoraRank + (att.indexer ? 2 * att.indexer.headDim : 0) // k_norm: LayerNorm weight + bias
  if (att.qkNorm === 'per-head') return 2 * att.headDim // Qwen3RMSNorm(head_dim) for q and k
  if (att.qkNorm === 'across-heads') return att.heads * att.headDim + att.kvHeads * att.headDim // Olmo2Attention q_norm, k_norm
  return 0
}

/**
 * Gated DeltaNet mixer of one layer (Qwen3NextGatedDeltaNet):
 * in_proj_qkvz (h, 2*Hk*dk + 2*Hv*dv), in_proj_ba (h, 2*Hv), conv1d (2*Hk*dk + Hv*dv, 1, K) without bias,
 * dt_bias (Hv), A_log (Hv), out_proj (Hv*dv, h); its gated RMSNorm (dv) is counted with the norms.
 */
export function linearAttentionProjectionParams(spec: ModelSpec): number {
  const la = spec.linearAttention
  if (!la) throw new Error('linear attention layer without a linearAttention block')
  if (la.kind === 'kda') {
    // KimiDeltaAttention (vLLM model_executor/layers/kda.py; transformers kimi_linear): q/k/v (h, H*d) and o (H*d, h);
    // low-rank decay and gate f_a, g_a (h, d) with f_b, g_b (d, H*d); beta b_proj (h, H); dt_bias (H*d), A_log (H);
    // q/k/v short convs (H*d channels x K, no bias). Its o_norm (d) is counted with the norms.
    const width = la.keyHeads * la.keyHeadDim
    const h = spec.hiddenSize
    return 4 * h * width + 2 * (h * la.keyHeadDim + la.keyHeadDim * width) + h * la.keyHeads + width + la.keyHeads + 3 * width * la.convKernel
  }
  const keyWidth = la.keyHeads * la.keyHeadDim
  const valueWidth = la.valueHeads * la.valueHeadDim
  const convChannels = 2 * keyWidth + valueWidth
  return (
    linear(spec.hiddenSize, 2 * keyWidth + 2 * valueWidth, false) +
    linear(spec.hiddenSize, 2 * la.valueHeads, false) +
    convChannels * la.convKernel +
    2 * la.valueHeads +
    linear(valueWidth, spec.hiddenSize, false)
  )
}

/**
 * DeepSeek-V3.2 DSA lightning indexer matrices of one attention layer (DeepseekV32Indexer; DeepSeek inference/model.py
 * Indexer): wq_b (rq, Hi*di), wk (h, di), weights_proj (h, Hi), none with bias. Counted under "other" (its k_norm
 * under norms) so the attention formula stays that of MLA.
 */
export function indexerParams(spec: ModelSpec): number {
  const idx = spec.attention.indexer
  if (!idx) return 0
  const qLoraRank = spec.attention.mla?.qLoraRank
  if (!qLoraRank) throw new Error('DSA indexer without an MLA query latent')
  return qLoraRank * idx.heads * idx.headDim + spec.hiddenSize * idx.headDim + spec.hiddenSize * idx.heads
}

/** Dense MLP: gate/up/down (gated) or up/down (plain), LlamaMLP / GPT2MLP. */
export function denseFfnParams(hidden: number, intermediate: number, gated: boolean, bias: boolean): number {
  return (gated ? 2 : 1) * linear(hidden, intermediate, bias) + linear(intermediate, hidden, bias)
}

interface LayerParams {
  attention: number
  norms: number
  denseFfn: number
  routedExperts: number
  routedExpertsActive: number
  sharedExperts: number
  router: number
  perLayerEmbedding: number
  other: number
}

/** One decoder layer of a group. */
export function layerParams(spec: ModelSpec, group: LayerGroup): LayerParams {
  const hidden = spec.hiddenSize
  const isLinear = group.mixer === 'linear'
  const attention = isLinear ? linearAttentionProjectionParams(spec) : attentionProjectionParams(spec)
  let norms = spec.norms.perLayer * normParams(spec, hidden)
  norms += isLinear ? spec.linearAttention!.valueHeadDim : attentionNormParams(spec)
  const out: LayerParams = {attention, norms, denseFfn: 0, routedExperts: 0, routedExpertsActive: 0, sharedExperts: 0, router: 0, perLayerEmbedding: 0, other: isLinear ? 0 : indexerParams(spec)}
  if (group.ffn === 'dense') {
    out.denseFfn = denseFfnParams(hidden, group.ffnIntermediateSize ?? spec.ffn.intermediateSize, spec.ffn.gated, spec.ffn.bias)
  } else {
    const moe = spec.moe!
    const oneExpert = denseFfnParams(hidden, moe.expertIntermediateSize, spec.ffn.gated, moe.expertBias)
    out.routedExperts = moe.routedExperts * oneExpert
    out.routedExpertsActive = moe.topK * oneExpert
    out.sharedExperts = moe.sharedIntermediateSize > 0 ? denseFfnParams(hidden, moe.sharedIntermediateSize, spec.ffn.gated, false) : 0
    if (moe.sharedExpertGate) out.sharedExperts += hidden // shared_expert_gate: Linear(h, 1, bias=False)
    out.router = linear(hidden, moe.routedExperts, moe.routerBias) + (moe.routerScoreCorrectionBias ? moe.routedExperts : 0)
  }
  if (spec.gemma3n) addGemma3nLayer(spec, out)
  return out
}

/**
 * Gemma 3n per-layer extras (transformers modeling_gemma3n.py @ 00aa0f5d, Gemma3nTextDecoderLayer): AltUp (correction_coefs (n, n), prediction_coefs (n, n*n),
 * modality_router (h, n), router_norm (h), correct_output_scale (h)), LAuReL (linear_left (h, r), linear_right (r, h),
 * post_laurel_norm (h)), per-layer input gate (h, p), projection (p, h) and post_per_layer_input_norm (h).
 */
function addGemma3nLayer(spec: ModelSpec, out: LayerParams): void {
  const hidden = spec.hiddenSize
  const {altupInputs: n, laurelRank: r} = spec.gemma3n!
  const perLayerDim = spec.embeddings.perLayer!.dim
  const altup = n * n + n * n * n + hidden * n + hidden /* router_norm */ + hidden /* correct_output_scale */
  const laurel = 2 * hidden * r
  const perLayerInput = 2 * hidden * perLayerDim
  out.other += altup + laurel + perLayerInput
  out.norms += hidden /* post_laurel_norm */ + hidden /* post_per_layer_input_norm */
}

/**
 * Model-level Gemma 3n extras (Gemma3nTextModel): per_layer_model_projection (h, L*p), per_layer_projection_norm (p),
 * altup_projections and altup_unembed_projections: 2*(n-1) Linear(h, h) without bias.
 */
function gemma3nModelExtras(spec: ModelSpec): {other: number; norms: number} {
  const hidden = spec.hiddenSize
  const perLayerDim = spec.embeddings.perLayer!.dim
  const n = spec.gemma3n!.altupInputs
  return {other: hidden * spec.layers * perLayerDim + 2 * (n - 1) * hidden * hidden, norms: perLayerDim}
}

// Specs are read-only once loaded, so their counts are computed once per spec object (sweeps ask thousands of times).
const countsCache = new WeakMap<ModelSpec, ParamCounts>()

/** Every parameter count of a spec, computed once per spec object and frozen. */
export function paramCounts(spec: ModelSpec): ParamCounts {
  let counts = countsCache.get(spec)
  if (!counts) {
    counts = computeParamCounts(spec)
    Object.freeze(counts.breakdown)
    Object.freeze(counts.activeBreakdown)
    countsCache.set(spec, Object.freeze(counts))
  }
  return counts
}

function computeParamCounts(spec: ModelSpec): ParamCounts {
  const total = emptyBreakdown()
  const active = emptyBreakdown()
  const hidden = spec.hiddenSize
  const {vocabSize, tied, learnedPositions, perLayer} = spec.embeddings

  total.embedding = vocabSize * hidden + learnedPositions * hidden
  if (perLayer) total.perLayerEmbedding = perLayer.vocabSize * spec.layers * perLayer.dim
  total.lmHead = tied ? 0 : vocabSize * hidden
  total.norms = spec.norms.final ? normParams(spec, hidden) : 0
  if (spec.gemma3n) {
    const extras = gemma3nModelExtras(spec)
    total.other += extras.other
    total.norms += extras.norms
  }
  Object.assign(active, total)

  for (const group of spec.layerGroups) {
    const layer = layerParams(spec, group)
    const n = group.count
    for (const key of ['attention', 'norms', 'denseFfn', 'sharedExperts', 'router', 'perLayerEmbedding', 'other'] as const) {
      total[key] += n * layer[key]
      active[key] += n * layer[key]
    }
    total.routedExperts += n * layer.routedExperts
    active.routedExperts += n * layer.routedExpertsActive
  }

  const sum = (b: ParamBreakdown) => paramComponents.reduce((acc, key) => acc + b[key], 0)
  const totalParams = assertSafeInteger(sum(total), 'totalParams')
  const embeddingParams = total.embedding + total.perLayerEmbedding
  return {
    totalParams,
    activeParams: assertSafeInteger(sum(active), 'activeParams'),
    embeddingParams,
    nonEmbeddingParams: totalParams - embeddingParams,
    effectiveParams: totalParams - total.perLayerEmbedding,
    mtpParams: mtpParams(spec),
    encoderParams: totalEncoderParams(spec.encoders),
    breakdown: total,
    activeBreakdown: active,
  }
}

/**
 * Multi-token-prediction module as shipped in the checkpoint: one full-attention MoE decoder layer plus two input
 * norms, a (2h, h) fusing projection and an output norm (DeepSeek-V3 model.layers.61: enorm, hnorm, eh_proj,
 * shared_head.norm, tech report §2.2; Qwen3-Next mtp.*: pre_fc_norm_embedding/hidden, fc, norm, vLLM
 * qwen3_next_mtp.py). Its embedding and head share the main model's, so they are not counted again.
 */
export function mtpParams(spec: ModelSpec): number {
  if (spec.mtpLayers === 0) return 0
  const moeGroup =
    spec.layerGroups.find((g) => g.ffn === 'moe' && g.mixer === 'full') ??
    spec.layerGroups.find((g) => g.ffn === 'moe') ??
    spec.layerGroups[spec.layerGroups.length - 1]!
  const layer = layerParams(spec, moeGroup)
  const layerTotal = layer.attention + layer.norms + layer.denseFfn + layer.routedExperts + layer.sharedExperts + layer.router + layer.other
  const hidden = spec.hiddenSize
  return spec.mtpLayers * (layerTotal + 3 * hidden + 2 * hidden * hidden)
}
