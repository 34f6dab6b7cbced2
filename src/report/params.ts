// Parameter results and their table views (params, compare, presets).
import {paramComponents, paramCounts} from '../calc/params.js'
import {isMoe} from '../calc/layers.js'
import {compareReported} from '../calc/reported.js'
import type {ModelSpec} from '../schema/model.js'
import type {ParamsResult, PresetSummary} from '../schema/results/params.js'
import type {Column, TableView} from '../render/view.js'

export type {ParamsResult} from '../schema/results/params.js'

export function paramsResult(spec: ModelSpec): ParamsResult {
  const counts = paramCounts(spec)
  const {reported} = spec
  return {
    id: spec.id,
    ...counts,
    reported: compareReported(spec, counts),
    reportedSource: reported?.source ?? null,
  }
}

/** How each breakdown component is labelled in tables (params, verify). */
export const componentHeaders: Record<(typeof paramComponents)[number], string> = {
  embedding: 'Embed',
  perLayerEmbedding: 'Per-layer emb',
  attention: 'Attention',
  denseFfn: 'Dense FFN',
  routedExperts: 'Routed experts',
  sharedExperts: 'Shared experts',
  router: 'Router',
  norms: 'Norms',
  lmHead: 'LM head',
  other: 'Other',
}

export function paramsView(results: ParamsResult[]): TableView {
  // Drop components that are zero for every model shown, so a dense-only table stays narrow.
  const used = paramComponents.filter((key) => results.some((r) => r.breakdown[key] > 0))
  const columns: Column[] = [
    {key: 'id', header: 'Model', kind: 'text'},
    {key: 'totalParams', header: 'Total', kind: 'count', unit: 'params'},
    {key: 'activeParams', header: 'Active', kind: 'count', unit: 'params'},
    {key: 'nonEmbeddingParams', header: 'Non-embed', kind: 'count', unit: 'params'},
    ...used.map((key): Column => ({key, header: componentHeaders[key], kind: 'count', unit: 'params'})),
  ]
  const extras = results.some((r) => r.mtpParams > 0 || r.encoderParams > 0)
  if (extras) {
    columns.push({key: 'mtpParams', header: 'MTP (apart)', kind: 'count', unit: 'params'})
    columns.push({key: 'encoderParams', header: 'Encoders (apart)', kind: 'count', unit: 'params'})
  }
  return {
    transpose: true,
    columns,
    rows: results.map((r) => ({id: r.id, totalParams: r.totalParams, activeParams: r.activeParams, nonEmbeddingParams: r.nonEmbeddingParams, mtpParams: r.mtpParams, encoderParams: r.encoderParams, ...r.breakdown})),
    notes: [
      'text model only: vision/audio encoders and modules not run by default (DeepSeek MTP) are counted apart',
      'active = everything but routed experts + the top-k routed experts of each MoE layer; embeddings and LM head included',
    ],
  }
}

export type {PresetSummary} from '../schema/results/params.js'

export function presetSummary(spec: ModelSpec): PresetSummary {
  const counts = paramCounts(spec)
  const linear = spec.layerGroups.some((g) => g.mixer === 'linear') ? '+linear' : ''
  return {
    id: spec.id,
    name: spec.name,
    family: spec.family,
    ffn: isMoe(spec) ? 'moe' : 'dense',
    attention: `${spec.attention.kind}${linear}`,
    layers: spec.layers,
    maxContextTokens: spec.maxContextTokens,
    totalParams: counts.totalParams,
    activeParams: counts.activeParams,
  }
}

export function presetsView(rows: PresetSummary[]): TableView {
  return {
    columns: [
      {key: 'id', header: 'Id', kind: 'text'},
      {key: 'family', header: 'Family', kind: 'text'},
      {key: 'ffn', header: 'FFN', kind: 'text'},
      {key: 'attention', header: 'Attention', kind: 'text'},
      {key: 'layers', header: 'Layers', kind: 'integer'},
      {key: 'totalParams', header: 'Total', kind: 'count', unit: 'params'},
      {key: 'activeParams', header: 'Active', kind: 'count', unit: 'params'},
    ],
    rows: rows.map((r) => ({...r})),
    notes: [],
  }
}
