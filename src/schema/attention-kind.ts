// The attention kind a head count makes (no zod here: calculators and importers read it on every start-up path).
export type HeadsKind = 'mha' | 'gqa' | 'mqa'

/** MHA when every query head has its own K/V head, MQA with one, GQA between (Ainslie et al. 2023). */
export const attentionKindOf = (heads: number, kvHeads: number): HeadsKind => (kvHeads === heads ? 'mha' : kvHeads === 1 ? 'mqa' : 'gqa')

/** The fields of a run's own attention (layerGroups[].attention, groupAttentionSchema in model.ts). */
export interface OwnAttentionFields {
  heads?: number
  kvHeads?: number
  headDim?: number
  valueHeadDim?: number
  valueFromKey?: boolean
  sinks?: boolean
}

/**
 * How a run's own attention is costed: 'heads' when only its query heads differ (Step 3.5/3.7), 'kvHeads' when only
 * its KV heads do (DeciLM / Nemotron-NAS), 'shape' when its head widths or more differ (Gemma 4 full layers, MiMo-V2-Flash
 * sliding layers: every full, or every sliding, layer has the same one); null = the spec's attention.
 */
export function ownAttentionForm(group: {attention?: OwnAttentionFields}): OwnAttentionForm {
  const o = group.attention
  if (!o) return null
  let form = formCache.get(o)
  if (form === undefined) formCache.set(o, (form = formOf(o)))
  return form
}

export type OwnAttentionForm = 'heads' | 'kvHeads' | 'shape' | null

// Once per override object: calculators ask per group on every estimate.
const formCache = new WeakMap<OwnAttentionFields, OwnAttentionForm>()

function formOf(o: OwnAttentionFields): OwnAttentionForm {
  const keys = Object.keys(o).filter((k) => o[k as keyof OwnAttentionFields] !== undefined)
  if (keys.length === 0) return null
  if (keys.length === 1 && keys[0] === 'heads') return 'heads'
  if (keys.length === 1 && keys[0] === 'kvHeads') return 'kvHeads'
  return 'shape'
}
