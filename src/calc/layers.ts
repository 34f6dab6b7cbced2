// Per-layer facts derived from a spec's layer groups.
import {perSpec} from './per-spec.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {hasOwnIndexer, isSparseGroup, runHeads, runKvHeads} from './attention-shape.js'

export interface LayerCounts {
  full: number
  sliding: number
  chunked: number
  linear: number
  /** Layers with full attention and the linear mixer side by side (Falcon-H1); counted in neither full nor linear. */
  parallel: number
  /** Blocks without a token mixer (FFN-only, Nemotron-H). */
  noMixer: number
  dense: number
  moe: number
  /** Blocks without an FFN (mixer-only: Mamba, Nemotron-H). */
  noFfn: number
  nope: number
  kvShared: number
}

export function layerCounts(spec: ModelSpec): LayerCounts {
  const counts: LayerCounts = {full: 0, sliding: 0, chunked: 0, linear: 0, parallel: 0, noMixer: 0, dense: 0, moe: 0, noFfn: 0, nope: 0, kvShared: 0}
  for (const g of spec.layerGroups) {
    counts[g.mixer === 'none' ? 'noMixer' : g.mixer] += g.count
    counts[g.ffn === 'none' ? 'noFfn' : g.ffn] += g.count
    if (!g.rope && g.mixer !== 'linear' && g.mixer !== 'none') counts.nope += g.count
    if (g.kvSourceLayer !== undefined) counts.kvShared += g.count
  }
  return counts
}

export const isMoe = (spec: ModelSpec) => spec.layerGroups.some((g) => g.ffn === 'moe')

/** Attention layers of one mixer and window, merged across layer groups: each kind is one term of the KV and FLOP sums. */
export interface AttentionKind {
  mixer: 'full' | 'sliding' | 'chunked'
  /** Window or chunk size; 0 for full attention. */
  windowTokens: number
  layers: number
  /** Layers that keep their own KV (the rest reuse an earlier layer's, Gemma 3n). */
  kvLayers: number
  /** Short name for labels and symbols: full, sliding, chunked, with the window when a model has two of one mixer. */
  name: string
  /** Query heads of these layers (a run's heads, else attention.heads; Step 3.5/3.7 sliding layers differ). */
  heads: number
  /** KV heads of these layers (a run's kvHeads, else attention.kvHeads; DeciLM / Nemotron-NAS blocks differ). */
  kvHeads: number
  /** Sparse attention layers (MiniMax MSA, DeepSeek DSA): attention over their top-k keys, an index key cached beside K and V (or the MLA latent). Absent = dense. */
  sparse?: true
  /** Sparse layers that reuse an earlier layer's top-k (GLM-5 IndexShare, indexer: false): no index key, no indexer FLOPs. */
  sharedIndex?: true
}

/** The layer structure the KV, FLOP and parameter formulas sum over, computed once per spec. */
export interface LayerPlan {
  attention: readonly AttentionKind[]
  attentionLayers: number
  /** Layers with a linear mixer, parallel ones included. */
  linearLayers: number
  /** Of them, layers that also run full attention (Falcon-H1); they are in the full-attention kind too. */
  parallelLayers: number
  /** Blocks without a token mixer (FFN-only). */
  noMixerLayers: number
  moeLayers: number
  /** Invocations of weight-shared blocks (Zamba2 hybrid layers): each is one full-attention layer of the KV and FLOP sums, in attentionLayers and the full kind, but its weights are counted once per block (params). */
  sharedInvocations: number
  /** Dense layers by MLP width, in order of appearance. */
  denseWidths: readonly {intermediateSize: number; layers: number}[]
}

/** The merged layer kinds of a spec (once per spec object: sweeps ask per point). */
export const layerPlan = perSpec((spec) => computeLayerPlan(spec))

function computeLayerPlan(spec: ModelSpec): LayerPlan {
  const attention: AttentionKind[] = []
  const dense: {intermediateSize: number; layers: number}[] = []
  let linearLayers = 0
  let parallelLayers = 0
  let noMixerLayers = 0
  let moeLayers = 0
  for (const g of spec.layerGroups) {
    if (g.ffn === 'moe') moeLayers += g.count
    else if (g.ffn === 'dense') {
      const width = g.ffnIntermediateSize ?? spec.ffn.intermediateSize
      const d = dense.find((x) => x.intermediateSize === width)
      if (d) d.layers += g.count
      else dense.push({intermediateSize: width, layers: g.count})
    }
    if (g.mixer === 'linear') {
      linearLayers += g.count
      continue
    }
    if (g.mixer === 'none') {
      noMixerLayers += g.count
      continue
    }
    if (g.mixer === 'parallel') {
      linearLayers += g.count
      parallelLayers += g.count
    }
    const mixer = g.mixer === 'parallel' ? 'full' : g.mixer // a parallel layer's attention is full attention
    const windowTokens = mixer === 'full' ? 0 : g.windowTokens!
    const heads = runHeads(g) ?? spec.attention.heads
    const kvHeads = runKvHeads(g) ?? spec.attention.kvHeads
    const sparse = isSparseGroup(spec, g)
    const sharedIndex = sparse && !hasOwnIndexer(spec, g)
    let kind = attention.find((k) => k.mixer === mixer && k.windowTokens === windowTokens && k.heads === heads && k.kvHeads === kvHeads && (k.sparse ?? false) === sparse && (k.sharedIndex ?? false) === sharedIndex)
    if (!kind)
      attention.push(
        (kind = !sparse
          ? {mixer, windowTokens, layers: 0, kvLayers: 0, name: mixer, heads, kvHeads}
          : sharedIndex
            ? {mixer, windowTokens, layers: 0, kvLayers: 0, name: 'indexShare', heads, kvHeads, sparse, sharedIndex}
            : {mixer, windowTokens, layers: 0, kvLayers: 0, name: 'sparse', heads, kvHeads, sparse}),
      )
    kind.layers += g.count
    if (g.kvSourceLayer === undefined) kind.kvLayers += g.count
  }
  // Each invocation of a shared block (Zamba2Attention, modular_zamba2.py) attends over the whole context with its own KV cache.
  const sharedInvocations = spec.sharedBlocks?.invokedAt.length ?? 0
  if (sharedInvocations > 0) {
    let kind = attention.find((k) => k.mixer === 'full')
    if (!kind) attention.push((kind = {mixer: 'full', windowTokens: 0, layers: 0, kvLayers: 0, name: 'full', heads: spec.attention.heads, kvHeads: spec.attention.kvHeads}))
    kind.layers += sharedInvocations
    kind.kvLayers += sharedInvocations
  }
  // Kinds that differ in their KV heads (DeciLM / Nemotron-NAS blocks): the window names them only where windows
  // differ, the KV heads always (full_kv8, full_kv1).
  if (attention.some((k) => k.kvHeads !== spec.attention.kvHeads)) {
    for (const k of attention) if (!k.sparse && attention.some((o) => o.mixer === k.mixer && !o.sparse && o.windowTokens !== k.windowTokens)) k.name = `${k.mixer}${k.windowTokens}`
    for (const k of attention) k.name = `${k.name}_kv${k.kvHeads}`
  } else {
    for (const k of attention) if (!k.sparse && attention.filter((o) => o.mixer === k.mixer && !o.sparse).length > 1) k.name = `${k.mixer}${k.windowTokens}`
    // Two kinds of one mixer and window that differ only in their query heads: the heads name them apart.
    for (const k of attention) if (attention.filter((o) => o.name === k.name).length > 1) k.name = `${k.name}h${k.heads}`
  }
  return {attention, attentionLayers: attention.reduce((n, k) => n + k.layers, 0), linearLayers, parallelLayers, noMixerLayers, moeLayers, sharedInvocations, denseWidths: dense}
}

const mixerLabel = (g: Omit<LayerGroup, 'count'>) =>
  g.linearMixer ? 'linear-replacement' : g.mixer === 'none' && g.ffn === 'none' ? 'identity' : g.mixer === 'sliding' ? `sliding(${g.windowTokens})` : g.mixer === 'chunked' ? `chunked(${g.windowTokens})` : g.mixer === 'linear' ? 'linear' : g.mixer === 'none' ? 'ffn-only' : g.mixer === 'parallel' ? 'parallel' : 'full'

/**
 * The token-mixer pattern in words: "5 sliding(1024) : 1 full, repeated" or "all full".
 * Finds the shortest period of the per-layer mixer sequence (a final partial period is allowed).
 */
export function mixerPattern(spec: ModelSpec): string {
  // DeepSeek-V4: a sliding window in every layer, with a CSA or HCA compressor beside it in most.
  const v4 = spec.deepseekV4
  if (v4) {
    const n = {csa: 0, hca: 0, none: 0}
    for (const g of spec.layerGroups) n[g.compressor ?? 'none'] += g.count
    const window = spec.layerGroups[0]!.windowTokens
    return `sliding(${window}) in all; + CSA 1/${v4.csaRatio} (top-${spec.attention.indexer?.topK ?? 0}) in ${n.csa}, + HCA 1/${v4.hcaRatio} in ${n.hca}, window only in ${n.none}`
  }
  const labels: string[] = []
  for (const g of spec.layerGroups) for (let i = 0; i < g.count; i++) labels.push(mixerLabel(g))
  const n = labels.length
  if (labels.every((l) => l === labels[0])) return `all ${labels[0]}`
  for (let period = 2; period <= n / 2; period++) {
    if (!labels.every((l, i) => l === labels[i % period])) continue
    const runs: string[] = []
    let i = 0
    while (i < period) {
      let j = i
      while (j < period && labels[j] === labels[i]) j++
      runs.push(`${j - i} ${labels[i]}`)
      i = j
    }
    return `${runs.join(' : ')}, repeated${n % period ? ` (last ${n % period} cut)` : ''}`
  }
  const runs: string[] = []
  let i = 0
  while (i < n) {
    let j = i
    while (j < n && labels[j] === labels[i]) j++
    runs.push(`${j - i} ${labels[i]}`)
    i = j
  }
  return runs.join(', ')
}

// A group's own attention (layerGroups[].attention) resolves in attention-shape.ts.
export {fullAttentionSpec, groupAttentionSpec, isFullAttentionGroup} from './attention-shape.js'
