// The compare table: one row per model. Later issues add KV, FLOP, memory and speed columns.
import {paramCounts} from '../calc/params.js'
import {isMoe} from '../calc/layers.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'

export interface CompareRow {
  id: string
  family: string
  ffn: 'dense' | 'moe'
  attention: string
  layers: number
  hiddenSize: number
  totalParams: number
  activeParams: number
  nonEmbeddingParams: number
  activeFraction: number
}

export function compareRows(specs: ModelSpec[]): CompareRow[] {
  return specs.map((spec) => {
    const p = paramCounts(spec)
    return {
      id: spec.id,
      family: spec.family,
      ffn: isMoe(spec) ? 'moe' : 'dense',
      attention: spec.attention.kind,
      layers: spec.layers,
      hiddenSize: spec.hiddenSize,
      totalParams: p.totalParams,
      activeParams: p.activeParams,
      nonEmbeddingParams: p.nonEmbeddingParams,
      activeFraction: p.activeParams / p.totalParams,
    }
  })
}

export function compareView(rows: CompareRow[]): TableView {
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'ffn', header: 'FFN', kind: 'text'},
      {key: 'attention', header: 'Attn', kind: 'text'},
      {key: 'layers', header: 'Layers', kind: 'integer'},
      {key: 'hiddenSize', header: 'Hidden', kind: 'integer'},
      {key: 'totalParams', header: 'Total', kind: 'count', unit: 'params'},
      {key: 'activeParams', header: 'Active', kind: 'count', unit: 'params'},
      {key: 'nonEmbeddingParams', header: 'Non-embed', kind: 'count', unit: 'params'},
      {key: 'activeFraction', header: 'Active %', kind: 'percent'},
    ],
    rows: rows.map((r) => ({...r})),
    notes: ['parameters of the text model; encoders and MTP modules apart (see `archcost params`)'],
  }
}
