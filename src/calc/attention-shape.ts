// Per-layer attention shapes: a run's own attention (layerGroups[].attention: Gemma 4 global layers, MiMo-V2-Flash
// sliding layers, Step 3.5/3.7 query heads, DeciLM / Nemotron-NAS KV heads), and the sparse layers of MiniMax-M3 (MSA)
// and DeepSeek-V3.2 / GLM-5 (DSA) that run an indexer beside their attention.
import {perSpec} from './per-spec.js'
import type {GroupAttention, LayerGroup, ModelSpec} from '../schema/model.js'
import {attentionKindOf, ownAttentionForm} from '../schema/attention-kind.js'

export {ownAttentionForm}

/** The spec with a run's own attention fields over its attention block (the kind follows the heads). */
function withGroupAttention(spec: ModelSpec, o: GroupAttention): ModelSpec {
  const att = spec.attention
  const heads = o.heads ?? att.heads
  const kvHeads = o.kvHeads ?? att.kvHeads
  return {
    ...spec,
    attention: {...att, kind: attentionKindOf(heads, kvHeads), heads, kvHeads, headDim: o.headDim ?? att.headDim, valueHeadDim: o.valueHeadDim ?? att.valueHeadDim, sinks: o.sinks ?? att.sinks},
  }
}

// Resolved specs by override object, per spec: sweeps resolve the same groups of the same spec many times.
const resolved = perSpec(() => new WeakMap<GroupAttention, ModelSpec>())

/**
 * The spec whose attention block describes the layers of this group: the one resolver of a layer's attention. The
 * spec itself when the group has no attention of its own.
 */
export function groupAttentionSpec(spec: ModelSpec, group: {attention?: GroupAttention}): ModelSpec {
  const o = group.attention
  if (!o) return spec
  const memo = resolved(spec)
  let out = memo.get(o)
  if (!out) memo.set(o, (out = withGroupAttention(spec, o)))
  return out
}

/** Whether a group's attention is full attention (a parallel layer's is too). */
export const isFullAttentionGroup = (g: Pick<LayerGroup, 'mixer'>): boolean => g.mixer === 'full' || g.mixer === 'parallel'

/** The first run of this mixer whose layers have head widths of their own ('shape'); every such run has the same. */
const shapeGroup = (mixer: 'full' | 'sliding') => perSpec((spec): LayerGroup | undefined => spec.layerGroups.find((g) => g.mixer === mixer && ownAttentionForm(g) === 'shape'))
const fullShapeGroup = shapeGroup('full')
const slidingShapeGroup = shapeGroup('sliding')

/** Whether full-attention layers have heads of their own (Gemma 4 global layers). */
export const hasOwnFullShape = (spec: ModelSpec): boolean => fullShapeGroup(spec) !== undefined

/** The spec as a full-attention layer sees it (Gemma 4 global layers, Gemma4TextAttention in modeling_gemma4.py: global_head_dim, num_global_key_value_heads); else the spec. */
export const fullAttentionSpec = (spec: ModelSpec): ModelSpec => groupAttentionSpec(spec, fullShapeGroup(spec) ?? {})

/** The full-attention layers have no v_proj: values are k_proj's output (Gemma 4 attention_k_eq_v). */
export const fullValueFromKey = (spec: ModelSpec): boolean => fullShapeGroup(spec)?.attention?.valueFromKey === true

/** The spec as a sliding-window layer sees it: the sliding runs' own shape (MiMoV2Attention with the swa_* dims); else the spec. */
export const slidingAttentionSpec = (spec: ModelSpec): ModelSpec => groupAttentionSpec(spec, slidingShapeGroup(spec) ?? {})

/** Whether a layer of this mixer has an attention shape of its own (a sliding layer of MiMo-V2-Flash). */
export const hasOwnShape = (spec: ModelSpec, mixer: LayerGroup['mixer']): boolean => mixer === 'sliding' && slidingShapeGroup(spec) !== undefined

/** A run's own query heads when they are all its attention changes (Step 3.5/3.7 sliding layers); else undefined. */
export const runHeads = (g: {attention?: GroupAttention}): number | undefined => (ownAttentionForm(g) === 'heads' ? g.attention!.heads : undefined)

/** A run's own KV heads when they are all its attention changes (DeciLM / Nemotron-NAS blocks); else undefined. */
export const runKvHeads = (g: {attention?: GroupAttention}): number | undefined => (ownAttentionForm(g) === 'kvHeads' ? g.attention!.kvHeads : undefined)

/**
 * Attention layers whose runs state query heads (or KV heads) other than the attention block's, counted by that head
 * count (Step 3.5/3.7 sliding layers' 96 query heads; a DeciLM / Nemotron-NAS block's KV heads).
 */
export function layersByOwnHeads(spec: ModelSpec, which: 'heads' | 'kvHeads'): Map<number, number> {
  const out = new Map<number, number>()
  for (const g of spec.layerGroups) {
    const own = which === 'heads' ? runHeads(g) : runKvHeads(g)
    if (own !== undefined && own !== spec.attention[which] && g.mixer !== 'linear' && g.mixer !== 'none') out.set(own, (out.get(own) ?? 0) + g.count)
  }
  return out
}

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

/**
 * The distinct query heads and KV heads runs state as all their attention changes (runHeads, runKvHeads), in layer
 * order, once per spec: layouts and engine budgets ask on every estimate.
 */
export const runHeadCounts = perSpec((spec): {heads: readonly number[]; kvHeads: readonly number[]} => {
  const heads = new Set<number>()
  const kvHeads = new Set<number>()
  for (const g of spec.layerGroups) {
    const h = runHeads(g)
    const kv = runKvHeads(g)
    if (h !== undefined) heads.add(h)
    if (kv !== undefined) kvHeads.add(kv)
  }
  return {heads: [...heads], kvHeads: [...kvHeads]}
})

/** The spec with these KV heads (a DeciLM / Nemotron-NAS block's num_attention_heads / n_heads_in_group); the spec itself when they are its own. */
export const withKvHeads = (spec: ModelSpec, kvHeads: number): ModelSpec =>
  kvHeads === spec.attention.kvHeads ? spec : {...spec, attention: {...spec.attention, kind: attentionKindOf(spec.attention.heads, kvHeads), kvHeads}}

