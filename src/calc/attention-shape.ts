// Per-layer attention shapes: the sliding-window layers of MiMo-V2-Flash have their own head counts, head dims and
// sinks (attention.sliding), and MiniMax-M3's sparse layers run an MSA indexer beside their attention.
import {perSpec} from './per-spec.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'

/** The spec as a sliding-window layer sees it: attention replaced by attention.sliding (MiMoV2Attention with the swa_* dims). */
export const slidingAttentionSpec = perSpec((spec): ModelSpec => {
  const s = spec.attention.sliding
  if (!s) return spec
  const {sliding: _, ...att} = spec.attention
  const kind = s.kvHeads === s.heads ? 'mha' : s.kvHeads === 1 ? 'mqa' : 'gqa'
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

/** Whether full-attention layers have heads of their own (Gemma 4 global layers: attention.fullAttention). */
export const hasOwnFullShape = (spec: ModelSpec): boolean => spec.attention.fullAttention !== undefined
