// The attention kind a head count makes (no zod here: calculators and importers read it on every start-up path).
export type HeadsKind = 'mha' | 'gqa' | 'mqa'

/** MHA when every query head has its own K/V head, MQA with one, GQA between (Ainslie et al. 2023). */
export const attentionKindOf = (heads: number, kvHeads: number): HeadsKind => (kvHeads === heads ? 'mha' : kvHeads === 1 ? 'mqa' : 'gqa')
