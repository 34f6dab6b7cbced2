// Forward, prefill, decode and training FLOPs. Plain numbers: FLOP counts pass 2^53 on long prefills and whole
// training runs, so they are floats and printed in SI form; only parameter and byte counts are exact integers.
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {paramCounts} from './params.js'

/** How MLA attention is computed: absorbed into the latent space (vLLM/SGLang decode) or with per-head K and V (prefill). */
export type MlaAttentionForm = 'absorbed' | 'expanded'

export interface FlopsOptions {
  /** MLA form for prefill and for decode; engines expand for prefill and absorb for decode (vLLM MLACommonImpl). */
  mlaPrefill: MlaAttentionForm
  mlaDecode: MlaAttentionForm
}

export const defaultFlopsOptions: FlopsOptions = {mlaPrefill: 'expanded', mlaDecode: 'absorbed'}

/**
 * Parameters one token multiplies: every active weight matrix, the LM head included (a tied head multiplies the
 * embedding matrix), embedding and per-layer-embedding lookups and norm scales excluded. Biases, sinks and decay
 * vectors stay in (under 0.1% of any preset).
 */
export function matmulParamsPerToken(spec: ModelSpec): number {
  const a = paramCounts(spec).activeBreakdown
  const head = spec.embeddings.tied ? spec.embeddings.vocabSize * spec.hiddenSize : a.lmHead
  return a.attention + a.denseFfn + a.sharedExperts + a.routedExperts + a.router + a.other + head
}

/**
 * Score and value FLOPs per key for one query in one attention layer: 2 · heads · (qk dim + v dim)
 * (QK^T and the weighted sum of V; Kaplan et al. 2020 Table 1 counts 2 · n_ctx · d_attn per token for each).
 * MLA absorbed: queries and values live in the latent, qk dim = kv_lora_rank + rope dim, v dim = kv_lora_rank
 * (DeepSeek-V2 §2.1.2 weight absorption); expanded: the per-head nope+rope and v dims.
 */
export function attentionFlopsPerKey(spec: ModelSpec, form: MlaAttentionForm): number {
  const att = spec.attention
  if (att.mla && form === 'absorbed') return 2 * att.heads * (2 * att.mla.kvLoraRank + att.mla.qkRopeHeadDim)
  return 2 * att.heads * (att.headDim + att.valueHeadDim)
}

/** Keys the query at 0-based position `pos` attends to in a layer of this group. */
export function keysSeen(group: LayerGroup, pos: number): number {
  switch (group.mixer) {
    case 'full':
      return pos + 1
    case 'sliding':
      return Math.min(pos + 1, group.windowTokens!)
    case 'chunked':
      return (pos % group.windowTokens!) + 1 // Llama 4 chunked attention: keys from the start of the query's chunk
    case 'linear':
      return 0
  }
}

/** Σ_{pos < L} keysSeen(pos): the causal half only; masked positions are not counted (FlashAttention skips them). */
export function keysSeenPrefill(group: LayerGroup, tokens: number): number {
  const triangle = (n: number) => (n * (n + 1)) / 2
  switch (group.mixer) {
    case 'full':
      return triangle(tokens)
    case 'sliding': {
      const w = group.windowTokens!
      return tokens <= w ? triangle(tokens) : triangle(w) + (tokens - w) * w
    }
    case 'chunked': {
      const c = group.windowTokens!
      return Math.floor(tokens / c) * triangle(c) + triangle(tokens % c)
    }
    case 'linear':
      return 0
  }
}

/**
 * Per-token FLOPs of one linear-attention layer, independent of context: the short convolution
 * (2 · channels · K) and the recurrent delta-rule step on each head's dk × dv state (S·k, the rank-1 update, the
 * decay and S·q: about 7 · dk · dv; Yang et al. 2024, Gated Delta Networks, arXiv 2412.06464, recurrent form).
 */
export function linearMixerFlopsPerToken(spec: ModelSpec): number {
  const la = spec.linearAttention
  if (!la) return 0
  const convChannels = 2 * la.keyHeads * la.keyHeadDim + la.valueHeads * la.valueHeadDim
  return 2 * convChannels * la.convKernel + 7 * la.valueHeads * la.keyHeadDim * la.valueHeadDim
}

const linearLayers = (spec: ModelSpec) => spec.layerGroups.reduce((n, g) => n + (g.mixer === 'linear' ? g.count : 0), 0)

/** Forward FLOPs of the token at 0-based position `pos`: 2 · matmul params + attention over the keys it sees + linear mixers. */
export function forwardFlopsAt(spec: ModelSpec, pos: number, form: MlaAttentionForm): number {
  const perKey = attentionFlopsPerKey(spec, form)
  let attention = 0
  for (const g of spec.layerGroups) attention += g.count * keysSeen(g, pos) * perKey
  return 2 * matmulParamsPerToken(spec) + attention + linearLayers(spec) * linearMixerFlopsPerToken(spec)
}

/** One decode step at context L: the new token is at position L - 1 and sees the L tokens cached before and with it. */
export const decodeFlopsPerToken = (spec: ModelSpec, contextTokens: number, o: FlopsOptions = defaultFlopsOptions) =>
  forwardFlopsAt(spec, contextTokens - 1, o.mlaDecode)

/** Prefill of L tokens, causal: Σ over positions of the forward FLOPs; the LM head is counted for every position. */
export function prefillFlops(spec: ModelSpec, tokens: number, o: FlopsOptions = defaultFlopsOptions): number {
  const perKey = attentionFlopsPerKey(spec, o.mlaPrefill)
  let attention = 0
  for (const g of spec.layerGroups) attention += g.count * keysSeenPrefill(g, tokens) * perKey
  return tokens * (2 * matmulParamsPerToken(spec) + linearLayers(spec) * linearMixerFlopsPerToken(spec)) + attention
}

/**
 * Training FLOPs per token at sequence length L: forward + backward ≈ 3 × forward (backward = 2 × forward;
 * Kaplan et al. 2020 §2.1, the 6N rule with the attention term kept), 4 × with full activation recomputation
 * (Korthikanti et al. 2022). The forward is the sequence's prefill averaged over its tokens.
 */
export function trainFlopsPerToken(spec: ModelSpec, sequenceTokens: number, recompute = false): number {
  return ((recompute ? 4 : 3) * prefillFlops(spec, sequenceTokens, {mlaPrefill: 'expanded', mlaDecode: 'expanded'})) / sequenceTokens
}
