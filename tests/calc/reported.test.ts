// Vendor headline figures: parsing, the agreement rule, and every preset's published figures.
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {agreesWithPublished, compareReported, parsePublishedFigure} from '../../src/calc/reported.js'
import {loadModel} from '../../src/presets/load.js'

describe('published figures', () => {
  it('parse with their precision', () => {
    expect(parsePublishedFigure('671B')).toEqual({value: 671e9, stepParams: 1e9, approximate: false, exact: false})
    expect(parsePublishedFigure('5.1B')).toEqual({value: 51 * 1e8, stepParams: 1e8, approximate: false, exact: false})
    expect(parsePublishedFigure('~109B').approximate).toBe(true)
    expect(parsePublishedFigure('2,024,517,888')).toEqual({value: 2024517888, stepParams: 1, approximate: false, exact: true})
  })
  it('agree when rounded or truncated at the published precision, and not otherwise', () => {
    expect(agreesWithPublished(30_532_122_624, parsePublishedFigure('30.5B'))).toBe(true) // rounds
    expect(agreesWithPublished(3_352_985_600, parsePublishedFigure('3.3B'))).toBe(true) // truncates ("A3B")
    expect(agreesWithPublished(3_452_985_600, parsePublishedFigure('3.3B'))).toBe(false)
    expect(agreesWithPublished(29_000_000_000, parsePublishedFigure('30.5B'))).toBe(false)
    expect(agreesWithPublished(107_769_861_120, parsePublishedFigure('~109B'))).toBe(true) // 1.1% off
    expect(agreesWithPublished(105_000_000_000, parsePublishedFigure('~109B'))).toBe(false) // 3.7% off
    expect(agreesWithPublished(2_024_517_888, parsePublishedFigure('2,024,517,888'))).toBe(true)
    expect(agreesWithPublished(2_024_517_889, parsePublishedFigure('2,024,517,888'))).toBe(false)
  })
  it('compare in the vendor definition: OpenAI\'s active count leaves out the input embedding (gpt-oss-120b)', () => {
    const spec = loadModel('gpt-oss-120b')
    const counts = paramCounts(spec)
    const active = compareReported(spec, counts).find((r) => r.field === 'activeParams')!
    expect(active.computedParams).toBe(counts.activeParams - 201088 * 2880) // vocab x hidden
    expect(active.agrees).toBe(true)
  })
  it('Qwen\'s non-embedding count leaves out the untied LM head too (Qwen3-8B: 8.2B, 6.95B non-embedding)', () => {
    const spec = loadModel('qwen3-8b')
    const row = compareReported(spec, paramCounts(spec)).find((r) => r.field === 'nonEmbeddingParams')!
    expect(row.computedParams).toBe(paramCounts(spec).totalParams - 2 * 151936 * 4096)
  })
})

// Presets whose vendor publishes no size of its own (issue #16 allows leaving `reported` out; each says why):
// glm-5.2: zai-org's card gives no count in text; third parties quote 744B (GLM-5's figure) or 753B (the HF size badge,
// MTP layer included) and ~40B active.
const noVendorFigure = new Set(['glm-5.2'])
const ids = readdirSync('presets/models').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((id) => !noVendorFigure.has(id))

describe('every preset agrees with its vendor\'s published figures', () => {
  it.each(ids)('%s', (id) => {
    const spec = loadModel(id)
    expect(spec.reported, 'every preset carries a reported block').toBeDefined()
    const rows = compareReported(spec, paramCounts(spec))
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.filter((r) => !r.agrees)).toEqual([])
  })
  it.each([...noVendorFigure])('%s: no reported block', (id) => {
    expect(loadModel(id).reported).toBeUndefined()
  })
})
