// Two or more architecture cards side by side, the fields that differ marked, and what the differences cost:
// parameters, KV per token and per sequence, decode and prefill FLOPs at a context, each as a ratio to the first model.
import {decodeFlopsPerToken, prefillFlops} from '../calc/flops.js'
import {kvBytesPerTokenAt, kvCache} from '../calc/kv.js'
import {defaultContextTokens} from '../calc/deployment.js'
import {defaultKvFormat} from '../calc/memory.js'
import {scenarioDefaults} from '../schema/scenario-defaults.js'
import {paramCounts} from '../calc/params.js'
import {formatBytes, formatCount, formatFlops, formatTokens} from '../render/format.js'
import type {Cell, Column, TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {DiffDerived, DiffField, DiffResult} from '../schema/results/diff.js'
import {architectureCard, type CardField} from './card.js'

/** Shown for a card field one model does not have (e.g. "Experts" of a dense model). */
export const missingValue = '—'
/** The marker column's cell for a field whose values are not all equal. */
export const differsMarker = '≠'

export type {DiffDerived, DiffField, DiffResult} from '../schema/results/diff.js'

export const derivedQuantities = [
  'totalParams',
  'activeParams',
  'nonEmbeddingParams',
  'kvBytesPerToken',
  'kvCacheBytes',
  'decodeFlopsPerToken',
  'prefillFlops',
] as const
export type DerivedQuantity = (typeof derivedQuantities)[number]

const derivedUnits: Record<DerivedQuantity, DiffDerived['unit']> = {
  totalParams: 'params',
  activeParams: 'params',
  nonEmbeddingParams: 'params',
  kvBytesPerToken: 'bytes',
  kvCacheBytes: 'bytes',
  decodeFlopsPerToken: 'flops',
  prefillFlops: 'flops',
}

const derivedLabels: Record<DerivedQuantity, string> = {
  totalParams: 'Total params',
  activeParams: 'Active params',
  nonEmbeddingParams: 'Non-embedding params',
  kvBytesPerToken: 'KV per token',
  kvCacheBytes: 'KV cache, 1 sequence',
  decodeFlopsPerToken: 'Decode FLOPs/token',
  prefillFlops: 'Prefill FLOPs',
}

/** The default context of the derived quantities: 8k, or the model's maximum if lower (as `archcost flops`). */
export const defaultDiffContext = (spec: ModelSpec) => defaultContextTokens(spec, scenarioDefaults.flopsContextTokens)

/**
 * Card rows keyed by label; a label a card repeats gets " (2)", " (3)" so nothing is lost.
 * Labels are merged in card order: each label a later card adds goes right after the label that precedes it there.
 */
function keyedCard(card: CardField[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const {field, value} of card) {
    let key = field
    for (let n = 2; out.has(key); n++) key = `${field} (${n})`
    out.set(key, value)
  }
  return out
}

export function alignLabels(cards: Map<string, string>[]): string[] {
  const order: string[] = []
  for (const card of cards) {
    let after = -1
    for (const label of card.keys()) {
      const at = order.indexOf(label)
      if (at >= 0) {
        after = at
        continue
      }
      order.splice(after + 1, 0, label)
      after += 1
    }
  }
  return order
}

export function diffFields(specs: ModelSpec[]): DiffField[] {
  const cards = specs.map((spec) => keyedCard(architectureCard(spec)))
  return alignLabels(cards).map((field) => {
    const values = cards.map((card) => card.get(field) ?? missingValue)
    return {field, values, differs: values.some((v) => v !== values[0])}
  })
}

const ratio = (value: number, base: number): number | null => (base === 0 ? (value === 0 ? 1 : null) : value / base)

/** contextTokens: one context for every model (--context), or undefined for each model's default. */
export function diffResult(specs: ModelSpec[], contextTokens?: number): DiffResult {
  if (specs.length < 2) throw new Error('diffResult needs at least two models')
  const contexts = specs.map((spec) => contextTokens ?? defaultDiffContext(spec))
  const kvFormats = specs.map(defaultKvFormat)
  const perModel = specs.map((spec, i): Record<DerivedQuantity, number> => {
    const L = contexts[i]!
    const kv = {kvFormat: kvFormats[i]!, mlaCache: 'latent'} as const
    const p = paramCounts(spec)
    return {
      totalParams: p.totalParams,
      activeParams: p.activeParams,
      nonEmbeddingParams: p.nonEmbeddingParams,
      kvBytesPerToken: kvBytesPerTokenAt(spec, L, kv),
      kvCacheBytes: kvCache(spec, L, 1, kv).totalBytes,
      decodeFlopsPerToken: decodeFlopsPerToken(spec, L),
      prefillFlops: prefillFlops(spec, L),
    }
  })
  const derived = derivedQuantities.map((quantity): DiffDerived => {
    const values = perModel.map((m) => m[quantity])
    return {quantity, unit: derivedUnits[quantity], values, ratios: values.map((v) => ratio(v, values[0]!))}
  })
  return {ids: specs.map((s) => s.id), contextTokens: contexts, kvFormats, fields: diffFields(specs), derived}
}

/** --only-diff: the fields whose values differ (the derived quantities stay). */
export const onlyDifferences = (result: DiffResult): DiffResult => ({...result, fields: result.fields.filter((f) => f.differs)})

const reservedKeys = new Set(['field', 'differs', 'quantity', 'unit'])

/** Column keys of the models: their ids, made unique (the same model may be given twice). */
function modelKeys(ids: string[]): string[] {
  const used = new Set(reservedKeys)
  return ids.map((id) => {
    let key = id
    for (let n = 2; used.has(key); n++) key = `${id}#${n}`
    used.add(key)
    return key
  })
}

/** a, b, c, ... z, then m27, m28 ... for the ratio headers. */
const letter = (i: number) => (i < 26 ? String.fromCharCode(97 + i) : `m${i + 1}`)

export function diffFieldsView(result: DiffResult): TableView {
  const keys = modelKeys(result.ids)
  const columns: Column[] = [
    {key: 'field', header: 'Field', kind: 'text'},
    {key: 'differs', header: '', kind: 'text'},
    ...keys.map((key, i): Column => ({key, header: result.ids[i]!, kind: 'text'})),
  ]
  const rows = result.fields.map((f) => {
    const row: Record<string, Cell> = {field: f.field, differs: f.differs ? differsMarker : ''}
    keys.forEach((key, i) => (row[key] = f.values[i]!))
    return row
  })
  const differing = result.fields.filter((f) => f.differs).length
  return {
    title: 'Architecture',
    split: {keepColumns: 2},
    columns,
    rows,
    notes: [`${differsMarker} marks the ${differing} field${differing === 1 ? '' : 's'} whose values differ; ${missingValue}: the model has no such field`],
  }
}

const formatDerived = (unit: DiffDerived['unit'], value: number) => (unit === 'params' ? formatCount(value) : unit === 'bytes' ? formatBytes(value) : formatFlops(value))

/**
 * The derived quantities, one row per quantity, one column per model and a ratio column per later model (b/a, c/a).
 * Rows carry different units, so for the human formats (human = true) the model cells are formatted here, right-aligned;
 * for csv/tsv they stay raw numbers with a unit column.
 */
export function diffDerivedView(result: DiffResult, human: boolean): TableView {
  const keys = modelKeys(result.ids)
  const first = keys[0]!
  const ratioKey = (key: string) => `${key}/${first}`
  const columns: Column[] = [{key: 'quantity', header: 'Quantity', kind: 'text'}]
  if (!human) columns.push({key: 'unit', header: 'Unit', kind: 'text'})
  keys.forEach((key, i) => columns.push(human ? {key, header: result.ids[i]!, kind: 'text', align: 'right'} : {key, header: result.ids[i]!, kind: 'count'}))
  keys.slice(1).forEach((key, j) => columns.push({key: ratioKey(key), header: `${letter(j + 1)}/a`, kind: 'ratio'}))

  const rows: Record<string, Cell>[] = []
  const contexts = result.contextTokens
  if (human) {
    const row: Record<string, Cell> = {quantity: 'Context (tokens)'}
    keys.forEach((key, i) => (row[key] = formatTokens(contexts[i]!)))
    keys.slice(1).forEach((key) => (row[ratioKey(key)] = null))
    rows.push(row)
  }
  for (const d of result.derived) {
    const row: Record<string, Cell> = {quantity: human ? derivedLabels[d.quantity] : d.quantity}
    if (!human) row.unit = d.unit
    keys.forEach((key, i) => (row[key] = human ? formatDerived(d.unit, d.values[i]!) : d.values[i]!))
    keys.slice(1).forEach((key, j) => (row[ratioKey(key)] = d.ratios[j + 1]!))
    rows.push(row)
  }

  const sameContext = contexts.every((c) => c === contexts[0])
  const contextText = sameContext
    ? `context ${formatTokens(contexts[0]!)} tokens`
    : `context ${result.ids.map((id, i) => `${id} ${formatTokens(contexts[i]!)}`).join(', ')} tokens (8k or the model maximum)`
  const kvText = result.kvFormats.every((f) => f === result.kvFormats[0]) ? result.kvFormats[0]! : result.ids.map((id, i) => `${id} ${result.kvFormats[i]}`).join(', ')
  const ratioText = result.ids
    .slice(1)
    .map((id, j) => `${letter(j + 1)}/a = ${id} / ${result.ids[0]}`)
    .join('; ')
  return {
    title: 'Derived',
    columns,
    rows,
    notes: [
      `${contextText} (k = 1024); KV in ${kvText} (MLA: latent + rope key); KV per token: bytes the next token adds (layers still growing); KV cache: one sequence at the context`,
      'decode: one token with the context in the cache; prefill: the whole context, causal half; MLA expanded in prefill, absorbed in decode (as `archcost flops`)',
      `ratios: ${ratioText}`,
    ],
  }
}
