// Per-layer facts derived from a spec's layer groups.
import type {LayerGroup, ModelSpec} from '../schema/model.js'

export interface LayerCounts {
  full: number
  sliding: number
  chunked: number
  linear: number
  dense: number
  moe: number
  nope: number
  kvShared: number
}

export function layerCounts(spec: ModelSpec): LayerCounts {
  const counts: LayerCounts = {full: 0, sliding: 0, chunked: 0, linear: 0, dense: 0, moe: 0, nope: 0, kvShared: 0}
  for (const g of spec.layerGroups) {
    counts[g.mixer] += g.count
    counts[g.ffn] += g.count
    if (!g.rope && g.mixer !== 'linear') counts.nope += g.count
    if (g.kvSourceLayer !== undefined) counts.kvShared += g.count
  }
  return counts
}

export const isMoe = (spec: ModelSpec) => spec.layerGroups.some((g) => g.ffn === 'moe')

const mixerLabel = (g: Omit<LayerGroup, 'count'>) =>
  g.mixer === 'sliding' ? `sliding(${g.windowTokens})` : g.mixer === 'chunked' ? `chunked(${g.windowTokens})` : g.mixer === 'linear' ? 'linear' : 'full'

/**
 * The token-mixer pattern in words: "5 sliding(1024) : 1 full, repeated" or "all full".
 * Finds the shortest period of the per-layer mixer sequence (a final partial period is allowed).
 */
export function mixerPattern(spec: ModelSpec): string {
  const labels: string[] = []
  for (const g of spec.layerGroups) for (let i = 0; i < g.count; i++) labels.push(mixerLabel(g))
  const n = labels.length
  if (labels.every((l) => l === labels[0])) return `all ${labels[0]}`
  for (let period = 2; period <= n / 2; period++) {
    if (!labels.every((l, i) => l === labels[i % period])) continue
    const runs: string[] = []
    let i = 0
    while (i < period) {
      let j = i
      while (j < period && labels[j] === labels[i]) j++
      runs.push(`${j - i} ${labels[i]}`)
      i = j
    }
    return `${runs.join(' : ')}, repeated${n % period ? ` (last ${n % period} cut)` : ''}`
  }
  const runs: string[] = []
  let i = 0
  while (i < n) {
    let j = i
    while (j < n && labels[j] === labels[i]) j++
    runs.push(`${j - i} ${labels[i]}`)
    i = j
  }
  return runs.join(', ')
}
