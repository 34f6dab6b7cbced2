// Per-layer attention shapes: the sliding-window layers of MiMo-V2-Flash have their own head counts, head dims and
// sinks (attention.sliding), and the sparse layers of MiniMax-M3 (MSA) and DeepSeek-V3.2 / GLM-5 (DSA) run an indexer
// beside their attention.
import {perSpec} from './per-spec.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {attentionKindOf} from '../schema/attention-kind.js'

/** The spec as a sliding-window layer sees it: attention replaced by attention.sliding (MiMoV2Attention with the swa_* dims). */
export const slidingAttentionSpec = perSpec((spec): ModelSpec => {
  const s = spec.attention.sliding
  if (!s) return spec
  const {sliding: _, ...att} = spec.attention
  const kind = attentionKindOf(s.heads, s.kvHeads)
  return {...spec, attention: {...att, kind, heads: s.heads, kvHeads: s.kvHeads, headDim: s.headDim, valueHeadDim: s.valueHeadDim, sinks: s.sinks}}
})

/** Whether a layer of this mixer has an attention shape of its own (a sliding layer beside attention.sliding). */
export const hasOwnShape = (spec: ModelSpec, mixer: LayerGroup['mixer']): boolean => mixer === 'sliding' && spec.attention.sliding !== undefined

/** The spec whose attention block describes the layers of this mixer. */
export const attentionSpecFor = (spec: ModelSpec, mixer: LayerGroup['mixer']): ModelSpec => (hasOwnShape(spec, mixer) ? slidingAttentionSpec(spec) : spec)

/** MiniMax Sparse Attention: the spec has an MSA indexer. */
export const hasMsa = (spec: ModelSpec): boolean => spec.attention.indexer?.kind === 'msa'

/** An attention layer of this group runs MSA block-sparse attention (its own indexer, its top-k blocks of keys). */
export const isMsaGroup = (spec: ModelSpec, group: LayerGroup): boolean =>
  hasMsa(spec) && group.indexer !== false && group.mixer !== 'linear' && group.mixer !== 'none'

/**
 * DeepSeek Sparse Attention (DeepSeek-V3.2, GLM-5): the lightning indexer over MLA attention. DeepSeek-V4's indexer
 * scores compressed entries and is costed with its CSA layers (compressedKinds), not here.
 */
export const hasDsa = (spec: ModelSpec): boolean => spec.attention.indexer !== undefined && spec.attention.indexer.kind !== 'msa' && !spec.deepseekV4

/**
 * An attention layer of this group attends only its top-k keys: an MSA layer with its own indexer (an MSA layer
 * marked indexer: false is dense), or any DSA layer, since a GLM-5 IndexShare layer (indexer: false) reuses the
 * previous indexer layer's top-k (GlmMoeDsaAttention, indexer_types "shared").
 */
export const isSparseGroup = (spec: ModelSpec, group: LayerGroup): boolean =>
  group.mixer !== 'linear' && group.mixer !== 'none' && (hasMsa(spec) ? group.indexer !== false : hasDsa(spec))

/** A sparse layer of this group runs an indexer of its own: it caches an index key and pays the indexer's FLOPs. */
export const hasOwnIndexer = (spec: ModelSpec, group: LayerGroup): boolean => isSparseGroup(spec, group) && group.indexer !== false

/** Whether full-attention layers have heads of their own (Gemma 4 global layers: attention.fullAttention). */
export const hasOwnFullShape = (spec: ModelSpec): boolean => spec.attention.fullAttention !== undefined

/** The spec with these KV heads (a DeciLM / Nemotron-NAS block's num_attention_heads / n_heads_in_group); the spec itself when they are its own. */
export const withKvHeads = (spec: ModelSpec, kvHeads: number): ModelSpec =>
  kvHeads === spec.attention.kvHeads ? spec : {...spec, attention: {...spec.attention, kind: attentionKindOf(spec.attention.heads, kvHeads), kvHeads}}

/** The spec a layer of this group caches and projects K/V with: its run's own KV heads when it states them. */
export const groupKvSpec = (spec: ModelSpec, group: Pick<LayerGroup, 'kvHeads'>): ModelSpec => (group.kvHeads === undefined ? spec : withKvHeads(spec, group.kvHeads))
