// KV-cache sizes: the theoretical cache of a set of requests, per kind of layer. Engine policies (paging,
// sliding-window handling, MLA layout) are applied on top, in src/calc/engines.ts. Every formula is a registry
// entry (src/calc/formulas/kv.ts); the functions here read their symbols and evaluate them.
import {perSpec} from './per-spec.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {kvBytesPerElement, type KvFormat} from './dtype.js'
import type {Formula, Values} from './formulas/formula.js'
import {
  channelConvStateElements,
  gqaKvElements,
  kvBytesPerTokenAt as bytesPerTokenFormula,
  layerKvBytes,
  linearConvStateElements,
  linearRecurrentStateElements,
  linearStateKvBytes,
  linearStateLayerBytes,
  mlaExpandedKvElements,
  dsaExpandedKvElements,
  dsaLatentKvElements,
  mlaLatentKvElements,
  msaKvBytesRead,
  msaKvElements,
  windowTokensHeld,
} from './formulas/kv.js'
import {fullAttentionSpec, hasDsa, hasMsa, hasOwnFullShape, hasOwnIndexer, hasOwnShape, isSparseGroup, runKvHeads, slidingAttentionSpec, withKvHeads} from './attention-shape.js'
import {layerPlan, type AttentionKind, type LayerPlan} from './layers.js'
import {compressedEntriesHeld, compressedEntryElements, sharedKvElements, v4KvBytesPerToken} from './formulas/deepseek-v4.js'

export type MlaCacheLayout = 'latent' | 'expanded'

export interface KvOptions {
  kvFormat: KvFormat
  mlaCache: MlaCacheLayout
}

/** The entry for cached elements per token in one attention layer: GQA/MHA/MQA, MLA latent or MLA expanded. */
export function kvElementsFormula(spec: ModelSpec, mlaCache: MlaCacheLayout): Formula<string, [ModelSpec]> {
  if (spec.deepseekV4) return sharedKvElements
  if (!spec.attention.mla) return gqaKvElements
  return mlaCache === 'latent' ? mlaLatentKvElements : mlaExpandedKvElements
}

/**
 * Cached elements per token in one attention layer.
 * GQA/MHA/MQA: keys and values of every KV head, kvHeads * (headDim + valueHeadDim) (Ainslie et al. 2023, GQA).
 * MLA latent: kvLoraRank + qkRopeHeadDim, the compressed latent plus the decoupled RoPE key
 * (DeepSeek-V2 tech report §2.1, arXiv 2405.04434); MLA expanded: heads * (qkHeadDim + vHeadDim).
 */
export function kvElementsPerTokenPerLayer(spec: ModelSpec, mlaCache: MlaCacheLayout): number {
  return mlaCache === 'latent' ? kvFacts(spec).latentElements : kvFacts(spec).expandedElements
}

/**
 * The entry for cached elements per token in one layer of this kind, and the spec it reads: a sparse layer with its
 * own indexer adds its index key (MiniMax-M3 MSA, DeepSeek-V3.2 / GLM-5 DSA); a DSA layer reusing an earlier top-k
 * caches the MLA latent alone; a sliding layer with its own shape reads it (MiMo-V2-Flash, layerGroups[].attention).
 */
export function kindKvElementsFormula(spec: ModelSpec, kind: KvKind, mlaCache: MlaCacheLayout): {formula: Formula<string, [ModelSpec]>; spec: ModelSpec} {
  if (kind.sparse && !kind.sharedIndex) return {formula: hasMsa(spec) ? msaKvElements : mlaCache === 'latent' ? dsaLatentKvElements : dsaExpandedKvElements, spec}
  // DeciLM / Nemotron-NAS: a block with KV heads of its own caches kvHeads x (headDim + valueHeadDim).
  if (ownKvHeads(spec, kind)) return {formula: gqaKvElements, spec: withKvHeads(spec, kind.kvHeads!)}
  if (hasOwnShape(spec, kind.mixer)) return {formula: gqaKvElements, spec: slidingAttentionSpec(spec)}
  // Gemma 4: full-attention layers with heads of their own.
  if (hasOwnFullShape(spec) && kind.mixer === 'full') return {formula: gqaKvElements, spec: fullAttentionSpec(spec)}
  return {formula: kvElementsFormula(spec, mlaCache), spec}
}

/** Cached elements per token in one layer of this kind (evaluated once per spec, kind and layout: sweeps ask per point). */
export function kindKvElements(spec: ModelSpec, kind: KvKind, mlaCache: MlaCacheLayout): number {
  // Gemma 4: full-attention layers with heads of their own cache their own kvHeads x 2 x headDim.
  const full = kvFacts(spec).fullElements
  if (full !== null && !kind.sparse && kind.mixer === 'full') return full
  if (!kind.sparse && !hasOwnShape(spec, kind.mixer) && !ownKvHeads(spec, kind)) return kvElementsPerTokenPerLayer(spec, mlaCache)
  const cache = kindElementsCache(spec)
  const key = `${kind.mixer}:${kind.sparse ?? false}:${kind.sharedIndex ?? false}:${mlaCache}:${kind.kvHeads ?? spec.attention.kvHeads}`
  let elements = cache.get(key)
  if (elements === undefined) {
    const {formula, spec: read} = kindKvElementsFormula(spec, kind, mlaCache)
    elements = formula.evaluate(formula.read!(read))
    cache.set(key, elements)
  }
  return elements
}
const kindElementsCache = perSpec((_spec): Map<string, number> => new Map())

/** A layer kind as the KV formulas read it: its mixer, sparsity and (DeciLM / Nemotron-NAS) its own KV heads. */
export type KvKind = Pick<AttentionKind, 'mixer' | 'sparse' | 'sharedIndex'> & {kvHeads?: number}

/** Whether a (dense) kind has KV heads other than attention.kvHeads (a DeciLM / Nemotron-NAS block's n_heads_in_group). */
const ownKvHeads = (spec: ModelSpec, kind: KvKind): boolean => !kind.sparse && kind.kvHeads !== undefined && kind.kvHeads !== spec.attention.kvHeads

/** Whether the attention layers of a spec cache different amounts per token (MSA / DSA index keys, sliding layers of their own shape, Gemma 4 full layers of their own). */
export const perKindKv = (spec: ModelSpec): boolean => kvFacts(spec).perKind

/** Elements per token of the widest attention layer: layers of different shapes (perKindKv) differ, the widest is the page an engine sizes. */
export function widestKvElementsPerLayer(spec: ModelSpec, mlaCache: MlaCacheLayout): number {
  return kvFacts(spec).perKind ? Math.max(...kindElementsList(spec)[mlaCache]) : kvElementsPerTokenPerLayer(spec, mlaCache)
}

/** kindKvElements of each kind of layerPlan(spec).attention, in its order, per MLA layout (once per spec). */
const kindElementsList = perSpec((spec) => {
  const kinds = kvFacts(spec).plan.attention
  return {latent: kinds.map((k) => kindKvElements(spec, k, 'latent')), expanded: kinds.map((k) => kindKvElements(spec, k, 'expanded'))}
})

/** Cached elements per token in one layer of this group (0 for a layer without attention). */
export function groupKvElements(spec: ModelSpec, group: LayerGroup, mlaCache: MlaCacheLayout): number {
  if (group.mixer === 'linear' || group.mixer === 'none') return 0
  const sparse = isSparseGroup(spec, group)
  const sharedIndex = sparse && !hasOwnIndexer(spec, group)
  return kindKvElements(spec, {mixer: group.mixer === 'parallel' ? 'full' : group.mixer, sparse: sparse ? true : undefined, sharedIndex: sharedIndex ? true : undefined, kvHeads: runKvHeads(group)}, mlaCache)
}

/** Per-spec constants of the KV formulas, evaluated once per spec object (sweeps ask per point). */
interface KvFacts {
  plan: LayerPlan
  latentElements: number
  expandedElements: number
  /** State of one linear-attention layer per sequence as the theoretical cache keeps it; 0 without linear layers. */
  linearStateBytesPerLayer: number
  /** Elements per token of one full-attention layer with heads of its own (Gemma 4 global layers); null without. */
  fullElements: number | null
  /** Whether layers cache different amounts per token (perKindKv). */
  perKind: boolean
}

const kvFacts = perSpec((spec): KvFacts => {
  const elements = (layout: MlaCacheLayout) => {
    const f = kvElementsFormula(spec, layout)
    return f.evaluate(f.read!(spec))
  }
  const plan = layerPlan(spec)
  // Gemma4TextAttention caches keys and values apart even when values come from k_proj (values skip k_norm and RoPE).
  const fullElements = hasOwnFullShape(spec) ? gqaKvElements.evaluate(gqaKvElements.read!(fullAttentionSpec(spec))) : null
  const perKind = hasOwnShape(spec, 'sliding') || hasMsa(spec) || hasDsa(spec) || fullElements !== null || plan.attention.some((k) => k.kvHeads !== spec.attention.kvHeads)
  return {plan, latentElements: elements('latent'), expandedElements: elements('expanded'), linearStateBytesPerLayer: plan.linearLayers ? theoreticalLinearStateBytesPerLayer(spec) : 0, fullElements, perKind}
})

/** Tokens one layer of the group holds at context L: all of them, at most the window/chunk, or none if it reuses another layer's KV. */
export function tokensHeld(group: LayerGroup, contextTokens: number): number {
  if (group.kvSourceLayer !== undefined || group.mixer === 'linear' || group.mixer === 'none') return 0
  if (group.mixer === 'sliding' || group.mixer === 'chunked') return windowTokensHeld.evaluate({L: contextTokens, w: group.windowTokens!})
  return contextTokens
}

/** Tokens each layer of a kind holds at context L (full attention: all of them). */
export const kindTokensHeld = (kind: AttentionKind, contextTokens: number): number =>
  kind.mixer === 'full' ? contextTokens : windowTokensHeld.evaluate(windowTokensHeld.read!(kind, contextTokens))

/** Symbols of the KV bytes of one kind of layers (kv.bytes.layers). */
export const layerKvValues = (kind: AttentionKind, contextTokens: number, elementsPerToken: number, bytesPerElement: number, batch: number): Values<'n' | 'T' | 'e' | 'bytes' | 'B'> => ({
  n: kind.kvLayers,
  T: kindTokensHeld(kind, contextTokens),
  e: elementsPerToken,
  bytes: bytesPerElement,
  B: batch,
})

/**
 * Fixed recurrent state of one Gated DeltaNet layer per sequence, in elements, as transformers'
 * Qwen3NextDynamicCache keeps it: conv_states (2*Hk*dk + Hv*dv, convWindow) and
 * recurrent_states (Hv, dk, dv). transformers keeps the whole kernel window (K); vLLM keeps K - 1.
 */
export function linearStateElements(spec: ModelSpec, convWindow: number): {convElements: number; recurrentElements: number} {
  if (!spec.linearAttention) throw new Error('linear layer without a linearAttention block')
  const conv = linearConvStateFormula(spec)
  const recurrent = linearRecurrentStateFormula(spec)
  return {
    convElements: conv.evaluate(conv.read!(spec, convWindow)),
    recurrentElements: recurrent ? recurrent.evaluate(recurrent.read!(spec)) : 0,
  }
}

/**
 * The entry for a linear layer's conv state: Gated DeltaNet, KDA and Mamba-2 convolve q/k/v (x, B, C) together
 * (2·Hk·dk + Hv·dv channels); Mamba-1 convolves only x (d_inner) and LFM2's short conv the hidden state.
 */
export function linearConvStateFormula(spec: ModelSpec): Formula<string, [ModelSpec, number]> {
  const kind = spec.linearAttention!.kind
  return kind === 'mamba' || kind === 'short-conv' ? channelConvStateElements : linearConvStateElements
}

/** The entry for a linear layer's recurrent state; null for LFM2's short conv, which keeps only its conv window. */
export function linearRecurrentStateFormula(spec: ModelSpec): Formula<string, [ModelSpec]> | null {
  return spec.linearAttention!.kind === 'short-conv' ? null : linearRecurrentStateElements
}

/** Element sizes of the linear-attention state: conv state and recurrent state are kept apart from the KV dtype. */
export interface StateElementBytes {
  conv: number
  recurrent: number
}

/**
 * Bytes per element of the compute dtype the state is kept in. Checkpoints in 16-bit or quantized formats compute
 * in bf16/fp16, and fp32 checkpoints are served in bf16 (as the KV default), so this is 2 for every preset.
 */
export function modelStateBytes(_spec: ModelSpec): number {
  return 2
}

/** Symbols of one linear-attention layer's state bytes (kv.linearState.bytesPerLayer). */
export function linearStateLayerValues(spec: ModelSpec, convWindow: number, bytes: StateElementBytes): Values<'conv' | 'cb' | 'rec' | 'rb'> {
  const state = linearStateElements(spec, convWindow)
  return {conv: state.convElements, cb: bytes.conv, rec: state.recurrentElements, rb: bytes.recurrent}
}

/** Bytes of one linear-attention layer's state per sequence. */
export function linearStateBytesPerLayer(spec: ModelSpec, convWindow: number, bytes: StateElementBytes): number {
  return linearStateLayerBytes.evaluate(linearStateLayerValues(spec, convWindow, bytes))
}

/** The state the theoretical cache keeps (transformers): the whole conv kernel window, both parts in the model's compute dtype. */
export function theoreticalLinearState(spec: ModelSpec): {convWindow: number; bytes: StateElementBytes} {
  const stateBytes = modelStateBytes(spec)
  return {convWindow: spec.linearAttention!.convKernel, bytes: {conv: stateBytes, recurrent: stateBytes}}
}

/** Bytes of one linear-attention layer's state per sequence in the theoretical cache. */
export function theoreticalLinearStateBytesPerLayer(spec: ModelSpec): number {
  const t = theoreticalLinearState(spec)
  return linearStateBytesPerLayer(spec, t.convWindow, t.bytes)
}

/** Symbols of the state of all linear-attention layers (kv.bytes.linearState). */
export const linearStateKvValues = (spec: ModelSpec, batch: number): Values<'nl' | 'S' | 'B'> => ({nl: kvFacts(spec).plan.linearLayers, S: kvFacts(spec).linearStateBytesPerLayer, B: batch})

export interface KvBreakdown {
  /** Bytes of full-attention layers. */
  fullBytes: number
  /** Bytes of sliding-window and chunked layers (bounded by their window). */
  windowedBytes: number
  /** Fixed-size state of linear-attention layers (does not grow with context). */
  linearStateBytes: number
  totalBytes: number
}

/**
 * Theoretical cache of `batch` sequences of `contextTokens` each:
 *     Σ_kinds layers · tokensHeld(kind, L) · kvElementsPerToken · bytesPerElement · B  +  linear states · B
 * Linear-attention state (conv window K, recurrent) is kept in the model's compute dtype whatever the KV dtype,
 * as vLLM's mamba_cache_dtype / mamba_ssm_cache_dtype "auto" do (mamba_utils.py); engines differ (engines.ts).
 */
export function kvCache(spec: ModelSpec, contextTokens: number, batch: number, o: KvOptions): KvBreakdown {
  // The same cache is often asked twice in a row (a decode step's reads, then the table's KV column): the last answer is kept.
  const l = lastKv
  if (l && l.spec === spec && l.contextTokens === contextTokens && l.batch === batch && l.kvFormat === o.kvFormat && l.mlaCache === o.mlaCache) return l.kv
  const kv = computeKvCache(spec, contextTokens, batch, o)
  lastKv = {spec, contextTokens, batch, kvFormat: o.kvFormat, mlaCache: o.mlaCache, kv}
  return kv
}

let lastKv: {spec: ModelSpec; contextTokens: number; batch: number; kvFormat: KvOptions['kvFormat']; mlaCache: MlaCacheLayout; kv: KvBreakdown} | null = null

function computeKvCache(spec: ModelSpec, contextTokens: number, batch: number, o: KvOptions): KvBreakdown {
  const facts = kvFacts(spec)
  const bytes = kvBytesPerElement(o.kvFormat)
  const e = o.mlaCache === 'latent' ? facts.latentElements : facts.expandedElements
  const perKind = facts.perKind ? kindElementsList(spec)[o.mlaCache] : null
  let fullBytes = 0
  let windowedBytes = 0
  const kinds = facts.plan.attention
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!
    if (kind.kvLayers === 0) continue
    const part = layerKvBytes.evaluate(layerKvValues(kind, contextTokens, perKind ? perKind[i]! : e, bytes, batch))
    if (kind.mixer === 'full') fullBytes += part
    else windowedBytes += part
  }
  // DeepSeek-V4: the CSA and HCA layers' compressed entries grow with the context, as full attention does.
  if (spec.deepseekV4) for (const c of compressedKinds(spec)) fullBytes += layerKvBytes.evaluate(compressedKvValues(spec, c, contextTokens, bytes, batch))
  const linearStateBytes = facts.plan.linearLayers ? linearStateKvBytes.evaluate(linearStateKvValues(spec, batch)) : 0
  return {fullBytes, windowedBytes, linearStateBytes, totalBytes: fullBytes + windowedBytes + linearStateBytes}
}

/** DeepSeek-V4 compressed layer kinds present in a spec: layer count, ratio and elements per entry (once per spec: sweeps ask per point). */
export const compressedKinds = perSpec((spec): {kind: 'csa' | 'hca'; layers: number; ratio: number; entryElements: number}[] => {
  const v4 = spec.deepseekV4
  if (!v4) return []
  const n = {csa: 0, hca: 0}
  for (const g of spec.layerGroups) if (g.compressor) n[g.compressor] += g.count
  return (['csa', 'hca'] as const)
    .filter((k) => n[k] > 0)
    .map((kind) => ({kind, layers: n[kind], ratio: kind === 'csa' ? v4.csaRatio : v4.hcaRatio, entryElements: compressedEntryElements.evaluate(compressedEntryElements.read!(spec, kind))}))
})

/** Symbols of the compressed cache of one kind of DeepSeek-V4 layers (kv.bytes.layers with T = entries held). */
export const compressedKvValues = (spec: ModelSpec, c: ReturnType<typeof compressedKinds>[number], contextTokens: number, bytesPerElement: number, batch: number): Values<'n' | 'T' | 'e' | 'bytes' | 'B'> => ({
  n: c.layers,
  T: compressedEntriesHeld.evaluate({L: contextTokens, r: c.ratio}),
  e: c.entryElements,
  bytes: bytesPerElement,
  B: batch,
})

/**
 * KV bytes one decode step of `batch` sequences at context L reads: the whole cache, except that a sparse layer
 * (MiniMax-M3 MSA, DeepSeek-V3.2 / GLM-5 DSA) reads the K and V (MLA: the latent) of its top-k keys and every index
 * key it has (msaKvBytesRead; none in a GLM-5 IndexShare layer).
 */
export function kvBytesReadAt(spec: ModelSpec, contextTokens: number, batch: number, o: KvOptions): number {
  const whole = kvCache(spec, contextTokens, batch, o).totalBytes
  if (!hasMsa(spec) && !hasDsa(spec)) return whole
  const bytes = kvBytesPerElement(o.kvFormat)
  let read = whole
  const kinds = kvFacts(spec).plan.attention
  const elements = kindElementsList(spec)[o.mlaCache]
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[i]!
    if (!kind.sparse || kind.kvLayers === 0) continue
    read -= layerKvBytes.evaluate(layerKvValues(kind, contextTokens, elements[i]!, bytes, batch))
    const di = kind.sharedIndex ? 0 : spec.attention.indexer!.headDim
    read += msaKvBytesRead.evaluate({n: kind.kvLayers, T: kindTokensHeld(kind, contextTokens), k: spec.attention.indexer!.topK, e: kvElementsPerTokenPerLayer(spec, o.mlaCache), di, bytes, B: batch})
  }
  return read
}

/** Layers whose cache still grows at context L: full attention, and windowed layers not yet at their window. */
export function growingLayers(spec: ModelSpec, contextTokens: number): number {
  let layers = 0
  for (const kind of kvFacts(spec).plan.attention) if (kindTokensHeld(kind, contextTokens + 1) > kindTokensHeld(kind, contextTokens)) layers += kind.kvLayers
  return layers
}

/** Symbols of the bytes one more token adds (kv.bytesPerToken). */
export const kvBytesPerTokenValues = (spec: ModelSpec, contextTokens: number, o: KvOptions): Values<'growing' | 'e' | 'bytes'> => ({
  growing: growingLayers(spec, contextTokens),
  e: kvElementsPerTokenPerLayer(spec, o.mlaCache),
  bytes: kvBytesPerElement(o.kvFormat),
})

/** Symbols of the bytes one more token adds in the layers of one kind (kv.bytesPerToken), or null when they no longer grow. */
export function kindBytesPerTokenValues(spec: ModelSpec, kind: AttentionKind, contextTokens: number, o: KvOptions): Values<'growing' | 'e' | 'bytes'> | null {
  if (kind.kvLayers === 0 || kindTokensHeld(kind, contextTokens + 1) <= kindTokensHeld(kind, contextTokens)) return null
  return {growing: kind.kvLayers, e: kindKvElements(spec, kind, o.mlaCache), bytes: kvBytesPerElement(o.kvFormat)}
}

/** Bytes the cache of one sequence grows by for the next token at context L: only layers still growing count. */
export function kvBytesPerTokenAt(spec: ModelSpec, contextTokens: number, o: KvOptions): number {
  if (spec.deepseekV4) return v4KvBytesPerToken.evaluate(v4KvBytesPerTokenValues(spec, contextTokens, o))
  if (!perKindKv(spec)) return bytesPerTokenFormula.evaluate(kvBytesPerTokenValues(spec, contextTokens, o))
  // Layers of different shapes (Gemma 4's full layers, MiMo's sliding layers, MSA sparse layers): the same entry once
  // per kind still growing, summed.
  let bytes = 0
  for (const kind of kvFacts(spec).plan.attention) {
    const v = kindBytesPerTokenValues(spec, kind, contextTokens, o)
    if (v) bytes += bytesPerTokenFormula.evaluate(v)
  }
  return bytes
}
/** Symbols of DeepSeek-V4's bytes per token (kv.bytesPerToken.deepseekV4). */
export function v4KvBytesPerTokenValues(spec: ModelSpec, contextTokens: number, o: KvOptions): Values<'growing' | 'e' | 'nc' | 'ec' | 'rc' | 'nh' | 'eh' | 'rh' | 'bytes'> {
  const kinds = compressedKinds(spec)
  const csa = kinds.find((k) => k.kind === 'csa')
  const hca = kinds.find((k) => k.kind === 'hca')
  return {
    growing: growingLayers(spec, contextTokens),
    e: kvElementsPerTokenPerLayer(spec, o.mlaCache),
    nc: csa?.layers ?? 0,
    ec: compressedEntryElements.evaluate(compressedEntryElements.read!(spec, 'csa')),
    rc: spec.deepseekV4!.csaRatio,
    nh: hca?.layers ?? 0,
    eh: compressedEntryElements.evaluate(compressedEntryElements.read!(spec, 'hca')),
    rh: spec.deepseekV4!.hcaRatio,
    bytes: kvBytesPerElement(o.kvFormat),
  }
}
