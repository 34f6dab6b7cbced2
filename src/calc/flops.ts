// Forward, prefill, decode and training FLOPs. Plain numbers: FLOP counts pass 2^53 on long prefills and whole
// training runs, so they are floats and printed in SI form; only parameter and byte counts are exact integers.
// Every formula is a registry entry (src/calc/formulas/flops.ts); the functions here read and evaluate them.
import {perSpec} from './per-spec.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import type {Formula, Values} from './formulas/formula.js'
import {
  absorbedMlaFlopsPerKey,
  attentionFlopsPerKey as perKeyFormula,
  chunkedKeysSeen,
  chunkedKeysSeenPrefill,
  decodePosition,
  forwardFlops,
  fullKeysSeen,
  fullKeysSeenPrefill,
  layerAttentionFlops,
  linearMixerFlopsPerToken as linearMixerFormula,
  mamba2MixerFlopsPerToken,
  msaIndexerFlopsPerKey,
  mambaMixerFlopsPerToken,
  shortConvFlopsPerToken,
  matmulParamsPerToken as matmulFormula,
  prefillFlops as prefillFormula,
  slidingKeysSeen,
  slidingKeysSeenPrefill,
  trainFlopsPerToken as trainFormula,
} from './formulas/flops.js'
import {layerPlan, type AttentionKind, type LayerPlan} from './layers.js'
import {paramCounts} from './params.js'
import {compressedKinds} from './kv.js'
import {csaEntriesSeen, csaEntriesSeenPrefill, hcaEntriesSeen, hcaEntriesSeenPrefill, v4CompressedAttentionFlops, v4IndexerFlopsPerEntry} from './formulas/deepseek-v4.js'
import {fullAttentionSpec, hasMsa, hasOwnFullShape, hasOwnShape, slidingAttentionSpec} from './attention-shape.js'

/** How MLA attention is computed: absorbed into the latent space (vLLM/SGLang decode) or with per-head K and V (prefill). */
export type MlaAttentionForm = 'absorbed' | 'expanded'

export interface FlopsOptions {
  /** MLA form for prefill and for decode; engines expand for prefill and absorb for decode (vLLM MLACommonImpl). */
  mlaPrefill: MlaAttentionForm
  mlaDecode: MlaAttentionForm
}

export const defaultFlopsOptions: FlopsOptions = {mlaPrefill: 'expanded', mlaDecode: 'absorbed'}

/** Per-spec constants of the FLOP formulas, evaluated once per spec object (sweeps ask per point). */
interface FlopsFacts {
  plan: LayerPlan
  matmulParams: number
  linearMixerFlops: number
  perKeyAbsorbed: number
  perKeyExpanded: number
  /** Per key in a full-attention layer with heads of its own (Gemma 4 global layers, global_head_dim); null without. */
  perKeyFull: number | null
}

const flopsFacts = perSpec((spec): FlopsFacts => {
  const perKey = (form: MlaAttentionForm) => {
    const f = perKeyFormulaFor(spec, form)
    return f.evaluate(f.read!(spec))
  }
  return {
    plan: layerPlan(spec),
    matmulParams: matmulFormula.evaluate(matmulParamsValues(spec)),
    linearMixerFlops: spec.linearAttention ? linearMixerFormulaFor(spec).evaluate(linearMixerFormulaFor(spec).read!(spec)) : 0,
    perKeyAbsorbed: perKey('absorbed'),
    perKeyExpanded: perKey('expanded'),
    perKeyFull: hasOwnFullShape(spec) ? perKeyFormula.evaluate(perKeyFormula.read!(fullAttentionSpec(spec))) : null,
  }
})

/** The entry for one linear layer's per-token FLOPs: delta rule (Gated DeltaNet, KDA), Mamba, Mamba-2 or short conv. */
export function linearMixerFormulaFor(spec: ModelSpec): Formula<string, [ModelSpec]> {
  switch (spec.linearAttention!.kind) {
    case 'mamba':
      return mambaMixerFlopsPerToken
    case 'mamba2':
      return mamba2MixerFlopsPerToken
    case 'short-conv':
      return shortConvFlopsPerToken
    default:
      return linearMixerFormula
  }
}

/** Symbols of the parameters one token multiplies (flops.matmulParams). */
export const matmulParamsValues = (spec: ModelSpec) => matmulFormula.read!(spec, paramCounts(spec).activeBreakdown)

/**
 * Parameters one token multiplies: every active weight matrix, the LM head included (a tied head multiplies the
 * embedding matrix), embedding and per-layer-embedding lookups and norm scales excluded. Biases, sinks and decay
 * vectors stay in (under 0.1% of any preset). Computed once per spec.
 */
export function matmulParamsPerToken(spec: ModelSpec): number {
  return flopsFacts(spec).matmulParams
}

/** The entry for FLOPs per key: MLA absorbed works in the latent; everything else (and expanded MLA) per head. */
export function perKeyFormulaFor(spec: ModelSpec, form: MlaAttentionForm): Formula<string, [ModelSpec]> {
  return spec.attention.mla && form === 'absorbed' ? absorbedMlaFlopsPerKey : perKeyFormula
}

/**
 * Score and value FLOPs per key for one query in one attention layer: 2 · heads · (qk dim + v dim)
 * (QK^T and the weighted sum of V; Kaplan et al. 2020 Table 1 counts 2 · n_ctx · d_attn per token for each).
 * MLA absorbed: queries and values live in the latent, qk dim = kv_lora_rank + rope dim, v dim = kv_lora_rank
 * (DeepSeek-V2 §2.1.2 weight absorption); expanded: the per-head nope+rope and v dims.
 */
export function attentionFlopsPerKey(spec: ModelSpec, form: MlaAttentionForm): number {
  return form === 'absorbed' ? flopsFacts(spec).perKeyAbsorbed : flopsFacts(spec).perKeyExpanded
}

/** Keys the query at 0-based position `pos` attends to in a layer of this kind (chunked: since its chunk began, Llama 4). */
export function kindKeysSeen(kind: Pick<AttentionKind, 'mixer' | 'windowTokens'>, pos: number): number {
  switch (kind.mixer) {
    case 'full':
      return fullKeysSeen.evaluate(fullKeysSeen.read!(kind, pos))
    case 'sliding':
      return slidingKeysSeen.evaluate(slidingKeysSeen.read!(kind, pos))
    case 'chunked':
      return chunkedKeysSeen.evaluate(chunkedKeysSeen.read!(kind, pos))
  }
}

/** Σ_{pos < P} keys seen in a layer of this kind: the causal half only; masked positions are not counted (FlashAttention skips them). */
export function kindKeysSeenPrefill(kind: Pick<AttentionKind, 'mixer' | 'windowTokens'>, tokens: number): number {
  switch (kind.mixer) {
    case 'full':
      return fullKeysSeenPrefill.evaluate(fullKeysSeenPrefill.read!(kind, tokens))
    case 'sliding':
      return slidingKeysSeenPrefill.evaluate(slidingKeysSeenPrefill.read!(kind, tokens))
    case 'chunked':
      return chunkedKeysSeenPrefill.evaluate(chunkedKeysSeenPrefill.read!(kind, tokens))
  }
}

/** The entry for the keys seen by one query (at a position), or by all prompt positions (over a prompt), in a layer of this kind. */
export function keysSeenFormula(kind: Pick<AttentionKind, 'mixer'>, phase: 'decode' | 'prefill'): Formula<string, [Pick<AttentionKind, 'windowTokens'>, number]> {
  if (phase === 'decode') return kind.mixer === 'full' ? fullKeysSeen : kind.mixer === 'sliding' ? slidingKeysSeen : chunkedKeysSeen
  return kind.mixer === 'full' ? fullKeysSeenPrefill : kind.mixer === 'sliding' ? slidingKeysSeenPrefill : chunkedKeysSeenPrefill
}

const kindOf = (group: LayerGroup) => ({mixer: (group.mixer === 'parallel' ? 'full' : group.mixer) as AttentionKind['mixer'], windowTokens: group.windowTokens ?? 0})

/** Keys the query at 0-based position `pos` attends to in a layer of this group. */
export function keysSeen(group: LayerGroup, pos: number): number {
  return group.mixer === 'linear' || group.mixer === 'none' ? 0 : kindKeysSeen(kindOf(group), pos)
}

/** Σ_{pos < L} keysSeen(pos) in a layer of this group. */
export function keysSeenPrefill(group: LayerGroup, tokens: number): number {
  return group.mixer === 'linear' || group.mixer === 'none' ? 0 : kindKeysSeenPrefill(kindOf(group), tokens)
}

/** Symbols of the attention FLOPs of one kind of layers (flops.attention.layers): K keys seen, at a position or summed over a prefill. */
export const layerAttentionValues = (kind: AttentionKind, keys: number, perKey: number): Values<'n' | 'K' | 'perKey'> => ({n: kind.layers, K: keys, perKey})

/**
 * Per-token FLOPs of one linear-attention layer, independent of context: the short convolution
 * (2 · channels · K) and the recurrent delta-rule step on each head's dk × dv state (S·k, the rank-1 update, the
 * decay and S·q: about 7 · dk · dv; Yang et al. 2024, Gated Delta Networks, arXiv 2412.06464, recurrent form).
 */
export function linearMixerFlopsPerToken(spec: ModelSpec): number {
  return flopsFacts(spec).linearMixerFlops
}

/**
 * The per-key entry's symbols for one kind of layers: the spec's, with the kind's own query heads when a run states
 * them (Step 3.5/3.7 sliding layers; never with MLA, which the schema refuses).
 */
export function kindPerKeyValues(spec: ModelSpec, kind: AttentionKind, form: MlaAttentionForm): Values<string> {
  const values = perKeyFormulaFor(spec, form).read!(spec) as Values<string>
  return kind.heads === spec.attention.heads ? values : {...values, H: kind.heads}
}

/** The per-key symbols of a kind whose query heads differ from attention.heads; null when they are the spec's. */
export const kindOwnPerKeyValues = (spec: ModelSpec, kind: AttentionKind, form: MlaAttentionForm): Values<string> | null =>
  kind.heads === spec.attention.heads ? null : kindPerKeyValues(spec, kind, form)

/**
 * FLOPs per key of one kind of layers: the spec's per-key figure; full-attention layers with heads of their own
 * (Gemma 4) and sliding layers with a shape of their own (MiMo-V2-Flash) use theirs; a kind whose query heads
 * differ (Step 3.5/3.7 sliding layers) its own.
 */
export function kindAttentionFlopsPerKey(spec: ModelSpec, kind: AttentionKind, form: MlaAttentionForm): number {
  const facts = flopsFacts(spec)
  if (facts.perKeyFull !== null && kind.mixer === 'full') return facts.perKeyFull
  // MiMo-V2-Flash: sliding layers with a shape of their own.
  if (hasOwnShape(spec, kind.mixer)) return perKeyFormula.evaluate(perKeyFormula.read!(slidingAttentionSpec(spec)))
  if (kind.heads === spec.attention.heads) return attentionFlopsPerKey(spec, form)
  return perKeyFormulaFor(spec, form).evaluate(kindPerKeyValues(spec, kind, form))
}
/**
 * The keys a sparse layer attends: at most its top-k (MSA: blocks x block size), as a sliding window of topK keys
 * counts them (min(pos + 1, topK)); the selected keys need not be the newest, but their number is the same
 * (DeepSeek-V3.2-Exp inference/model.py Indexer.forward: index_score.topk(min(index_topk, end_pos))).
 */
export const sparseAttendedKind = (spec: ModelSpec): Pick<AttentionKind, 'mixer' | 'windowTokens'> => ({mixer: 'sliding', windowTokens: spec.attention.indexer!.topK})

/**
 * The entry for the indexer's FLOPs per key scored: MSA's dot products (msaIndexerFlopsPerKey), or the DSA lightning
 * indexer's weighted ReLU scores, the same entry as DeepSeek-V4's (DeepSeek-V3.2-Exp inference/model.py Indexer).
 */
export const indexerFlopsPerKeyFormula = (spec: ModelSpec): Formula<string, [ModelSpec]> => (hasMsa(spec) ? msaIndexerFlopsPerKey : v4IndexerFlopsPerEntry)

/** The indexer's FLOPs per key scored in a sparse layer with its own indexer (once per spec). */
export const indexerFlopsPerKey = perSpec((spec): number => {
  const f = indexerFlopsPerKeyFormula(spec)
  return f.evaluate(f.read!(spec))
})

/** Attention FLOPs over all attention layers, each seeing the keys `keysOf` gives for its kind. */
function attentionFlops(spec: ModelSpec, form: MlaAttentionForm, keysOf: (kind: Pick<AttentionKind, 'mixer' | 'windowTokens'>) => number): number {
  const facts = flopsFacts(spec)
  let attention = 0
  for (const kind of facts.plan.attention) {
    if (kind.sparse) {
      // Sparse attention (MSA, DSA): attention over the top-k keys, plus the indexer scoring every key it has cached;
      // a layer reusing an earlier layer's top-k (GLM-5 IndexShare) runs no indexer.
      attention += layerAttentionFlops.evaluate(layerAttentionValues(kind, keysOf(sparseAttendedKind(spec)), kindAttentionFlopsPerKey(spec, kind, form)))
      if (!kind.sharedIndex) attention += layerAttentionFlops.evaluate(layerAttentionValues(kind, keysOf(kind), indexerFlopsPerKey(spec)))
      continue
    }
    attention += layerAttentionFlops.evaluate(layerAttentionValues(kind, keysOf(kind), kindAttentionFlopsPerKey(spec, kind, form)))
  }
  return attention
}

/**
 * Symbols of DeepSeek-V4's compressed-entry attention (flops.attention.deepseekV4Compressed), for the query at
 * position `at` (decode) or summed over a prompt of `at` tokens (prefill): HCA layers read every closed entry, CSA
 * layers the indexer's top-k, and the indexer scores every closed CSA entry. The sliding window is the sliding kind's.
 */
export function v4CompressedValues(spec: ModelSpec, phase: 'decode' | 'prefill', at: number): Values<'nc' | 'Kc' | 'nh' | 'Kh' | 'perKey' | 'S' | 'perEntry'> {
  const v4 = spec.deepseekV4!
  const {n, perEntry} = v4FlopsFacts(spec)
  const k = spec.attention.indexer?.topK ?? 0
  const decode = phase === 'decode'
  return {
    nc: n.csa,
    Kc: decode ? csaEntriesSeen.evaluate({p: at, r: v4.csaRatio, k}) : csaEntriesSeenPrefill.evaluate({P: at, r: v4.csaRatio, k}),
    nh: n.hca,
    Kh: decode ? hcaEntriesSeen.evaluate({p: at, r: v4.hcaRatio}) : hcaEntriesSeenPrefill.evaluate({P: at, r: v4.hcaRatio}),
    perKey: flopsFacts(spec).perKeyExpanded,
    S: decode ? hcaEntriesSeen.evaluate({p: at, r: v4.csaRatio}) : hcaEntriesSeenPrefill.evaluate({P: at, r: v4.csaRatio}),
    perEntry,
  }
}

/** The per-spec part of v4CompressedValues: layers of each compressed kind and the indexer's FLOPs per entry. */
const v4FlopsFacts = perSpec((spec) => {
  const n = {csa: 0, hca: 0}
  for (const c of compressedKinds(spec)) n[c.kind] = c.layers
  return {n, perEntry: n.csa > 0 ? v4IndexerFlopsPerEntry.evaluate(v4IndexerFlopsPerEntry.read!(spec)) : 0}
})

/** Symbols of the entries-seen entries behind v4CompressedValues: CSA entries read, HCA entries read, CSA entries scored. */
export function v4EntriesSeenValues(spec: ModelSpec, phase: 'decode' | 'prefill', at: number): {csa: Values<string>; hca: Values<string>; scored: Values<string>} {
  const v4 = spec.deepseekV4!
  const k = spec.attention.indexer?.topK ?? 0
  return phase === 'decode'
    ? {csa: {p: at, r: v4.csaRatio, k}, hca: {p: at, r: v4.hcaRatio}, scored: {p: at, r: v4.csaRatio}}
    : {csa: {P: at, r: v4.csaRatio, k}, hca: {P: at, r: v4.hcaRatio}, scored: {P: at, r: v4.csaRatio}}
}

const v4Compressed = (spec: ModelSpec, phase: 'decode' | 'prefill', at: number): number => (spec.deepseekV4 ? v4CompressedAttentionFlops.evaluate(v4CompressedValues(spec, phase, at)) : 0)

/** Attention FLOPs of the token at 0-based position `pos`, all attention layers. */
export const attentionFlopsAt = (spec: ModelSpec, pos: number, form: MlaAttentionForm): number => attentionFlops(spec, form, (kind) => kindKeysSeen(kind, pos)) + v4Compressed(spec, 'decode', pos)

/** Attention FLOPs of a causal prefill of `tokens` tokens, all attention layers. */
export const attentionFlopsPrefill = (spec: ModelSpec, tokens: number, form: MlaAttentionForm): number =>
  attentionFlops(spec, form, (kind) => kindKeysSeenPrefill(kind, tokens)) + v4Compressed(spec, 'prefill', tokens)

/** Symbols of the forward FLOPs of the token at position `pos` (flops.forward). */
export const forwardValues = (spec: ModelSpec, pos: number, form: MlaAttentionForm): Values<'N' | 'A' | 'nl' | 'lin'> => {
  const facts = flopsFacts(spec)
  return {N: facts.matmulParams, A: attentionFlopsAt(spec, pos, form), nl: facts.plan.linearLayers, lin: facts.linearMixerFlops}
}

/** Forward FLOPs of the token at 0-based position `pos`: 2 · matmul params + attention over the keys it sees + linear mixers. */
export function forwardFlopsAt(spec: ModelSpec, pos: number, form: MlaAttentionForm): number {
  return forwardFlops.evaluate(forwardValues(spec, pos, form))
}

/** One decode step at context L: the new token is at position L - 1 and sees the L tokens cached before and with it. */
export function decodeFlopsPerToken(spec: ModelSpec, contextTokens: number, o: FlopsOptions = defaultFlopsOptions): number {
  // A sweep asks for the same contexts on every hardware profile: each spec and MLA form keeps its answers per
  // context (at most decodeMemoLimit of them, then starts over, so no loop can grow it without bound).
  const memo = decodeMemo(spec)[o.mlaDecode]
  let flops = memo.get(contextTokens)
  if (flops === undefined) {
    flops = forwardFlopsAt(spec, decodePosition.evaluate({L: contextTokens}), o.mlaDecode)
    if (memo.size >= decodeMemoLimit) memo.clear()
    memo.set(contextTokens, flops)
  }
  return flops
}

const decodeMemoLimit = 4096
const decodeMemo = perSpec((): Record<MlaAttentionForm, Map<number, number>> => ({absorbed: new Map(), expanded: new Map()}))

/** One decode step's FLOPs per token and, of them, attention's (one evaluation of the forward symbols). */
export function decodeFlopsParts(spec: ModelSpec, contextTokens: number, o: FlopsOptions = defaultFlopsOptions): {flops: number; attention: number} {
  const v = forwardValues(spec, decodePosition.evaluate({L: contextTokens}), o.mlaDecode)
  return {flops: forwardFlops.evaluate(v), attention: v.A}
}

/** Symbols of the prefill FLOPs of `tokens` tokens (flops.prefill). */
export const prefillValues = (spec: ModelSpec, tokens: number, form: MlaAttentionForm): Values<'P' | 'N' | 'nl' | 'lin' | 'A'> => {
  const facts = flopsFacts(spec)
  return {P: tokens, N: facts.matmulParams, nl: facts.plan.linearLayers, lin: facts.linearMixerFlops, A: attentionFlopsPrefill(spec, tokens, form)}
}

/** Prefill of L tokens, causal: Σ over positions of the forward FLOPs; the LM head is counted for every position. */
export function prefillFlops(spec: ModelSpec, tokens: number, o: FlopsOptions = defaultFlopsOptions): number {
  return prefillFormula.evaluate(prefillValues(spec, tokens, o.mlaPrefill))
}

/** A prefill's FLOPs and, of them, attention's (one evaluation of the prefill symbols). */
export function prefillFlopsParts(spec: ModelSpec, tokens: number, o: FlopsOptions = defaultFlopsOptions): {flops: number; attention: number} {
  const v = prefillValues(spec, tokens, o.mlaPrefill)
  return {flops: prefillFormula.evaluate(v), attention: v.A}
}

/**
 * Training FLOPs per token at sequence length L: forward + backward ≈ 3 × forward (backward = 2 × forward;
 * Kaplan et al. 2020 §2.1, the 6N rule with the attention term kept), 4 × with full activation recomputation
 * (Korthikanti et al. 2022). The forward is the sequence's prefill averaged over its tokens.
 */
export function trainFlopsPerToken(spec: ModelSpec, sequenceTokens: number, recompute = false): number {
  return trainFormula.evaluate({x: recompute ? 4 : 3, F: prefillFlops(spec, sequenceTokens, {mlaPrefill: 'expanded', mlaDecode: 'expanded'}), S: sequenceTokens})
}
