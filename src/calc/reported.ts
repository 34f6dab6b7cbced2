// Vendor headline figures against the computed counts, each in the vendor's own definition.
import type {ModelSpec} from '../schema/model.js'
import type {ParamCounts} from './params.js'

export type ReportedField = 'totalParams' | 'activeParams' | 'nonEmbeddingParams'

export interface ReportedComparison {
  field: ReportedField
  published: string
  /** The computed count in the vendor's definition (e.g. active without the input embedding). */
  computedParams: number
  definition: string
  agrees: boolean
}

const scales = {M: 1e6, B: 1e9, T: 1e12} as const

export interface PublishedFigure {
  value: number
  /** Size of one unit in the last published digit ("5.1B" -> 1e8); 1 for an exact count. */
  stepParams: number
  approximate: boolean
  exact: boolean
}

export function parsePublishedFigure(text: string): PublishedFigure {
  const exact = /^\d{1,3}(,\d{3})+$/.exec(text)
  if (exact) return {value: Number(text.replaceAll(',', '')), stepParams: 1, approximate: false, exact: true}
  const match = /^(~?)(\d+)(?:\.(\d+))?([MBT])$/.exec(text)
  if (!match) throw new Error(`not a published figure: "${text}"`)
  const [, tilde, whole, fraction = '', unit] = match
  const scale = scales[unit as keyof typeof scales]
  const stepParams = scale / 10 ** fraction.length
  return {value: Number(`${whole}${fraction}`) * stepParams, stepParams, approximate: tilde === '~', exact: false}
}

/** Share of the published value an approximate ("~109B") figure may differ by. */
export const approximateTolerance = 0.02

/**
 * Whether a computed count is what the vendor would have printed: exact counts must be equal; "~" figures within
 * 2%; other figures are the computed count rounded or truncated at the published precision (vendors do both:
 * "30.5B" rounds 30.53B, "A3B" truncates 3.35B).
 */
export function agreesWithPublished(computedParams: number, figure: PublishedFigure): boolean {
  if (figure.exact) return computedParams === figure.value
  if (figure.approximate) return Math.abs(computedParams - figure.value) <= approximateTolerance * figure.value
  const publishedSteps = Math.round(figure.value / figure.stepParams)
  const steps = computedParams / figure.stepParams
  return Math.round(steps) === publishedSteps || Math.floor(steps) === publishedSteps
}

export function compareReported(spec: ModelSpec, counts: ParamCounts): ReportedComparison[] {
  const r = spec.reported
  if (!r) return []
  const rows: ReportedComparison[] = []
  const add = (field: ReportedField, published: string | undefined, computedParams: number, definition: string) => {
    if (published === undefined) return
    rows.push({field, published, computedParams, definition, agrees: agreesWithPublished(computedParams, parsePublishedFigure(published))})
  }
  if (r.basis === 'effective-size-name') add('totalParams', r.totalParams, counts.effectiveParams, 'effective: total without per-layer embeddings')
  else add('totalParams', r.totalParams, counts.totalParams, 'total of the text model')
  add(
    'activeParams',
    r.activeParams,
    counts.activeParams - (r.activeExcludesInputEmbedding ? counts.breakdown.embedding : 0),
    r.activeExcludesInputEmbedding ? 'active without the input embedding' : 'active, embeddings included',
  )
  add(
    'nonEmbeddingParams',
    r.nonEmbeddingParams,
    counts.nonEmbeddingParams - (r.nonEmbeddingExcludesLmHead ? counts.breakdown.lmHead : 0),
    r.nonEmbeddingExcludesLmHead ? 'without input embedding and LM head' : 'without input embedding',
  )
  return rows
}
