// KV cache against context length, theoretical and as an engine reserves it.
import {engineKvBytes} from '../calc/engines.js'
import {kvCache, widestKvElementsPerLayer} from '../calc/kv.js'
import {kvBytesPerElement} from '../calc/dtype.js'
import {layerPlan} from '../calc/layers.js'
import type {MemoryScenario} from '../calc/memory.js'
import {formatTokens} from '../render/format.js'
import type {Column, TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {KvResult} from '../schema/results/kv.js'

export type {KvPoint, KvResult} from '../schema/results/kv.js'

/** Default contexts: 1k, 8k, 32k, 128k and the model's maximum (those above it dropped). */
export function defaultContexts(spec: ModelSpec): number[] {
  const picks = [1024, 8192, 32768, 131072].filter((c) => c < spec.maxContextTokens)
  return [...picks, spec.maxContextTokens]
}

export function kvResult(spec: ModelSpec, s: MemoryScenario, contexts: number[]): KvResult {
  const o = {kvFormat: s.kvFormat, mlaCache: s.mlaCache}
  return {
    id: spec.id,
    kvFormat: s.kvFormat,
    mlaCache: spec.attention.mla ? s.mlaCache : 'n/a',
    batch: s.batch,
    // An attention-free model (Mamba) caches no keys or values: its attention block is a placeholder.
    kvBytesPerTokenPerLayer: layerPlan(spec).attentionLayers === 0 ? 0 : widestKvElementsPerLayer(spec, s.mlaCache) * kvBytesPerElement(s.kvFormat),
    engine: s.engine,
    points: contexts.map((contextTokens) => {
      const kv = kvCache(spec, contextTokens, s.batch, o)
      return {
        contextTokens,
        kvBytes: Math.ceil(kv.totalBytes),
        fullBytes: Math.ceil(kv.fullBytes),
        windowedBytes: Math.ceil(kv.windowedBytes),
        linearStateBytes: Math.ceil(kv.linearStateBytes),
        engineKvBytes: s.engine ? Math.ceil(engineKvBytes(spec, contextTokens, s.batch, s.engine, o)) : null,
      }
    }),
  }
}

/** One row per model (and one more per model for the engine's reservation); one column per context. */
export function kvView(results: KvResult[], notes: string[]): TableView {
  const contexts = [...new Set(results.flatMap((r) => r.points.map((p) => p.contextTokens)))].sort((a, b) => a - b)
  const columns: Column[] = [
    {key: 'id', header: 'Model', kind: 'text'},
    {key: 'what', header: 'KV cache', kind: 'text'},
    {key: 'perLayer', header: 'Per token per layer', kind: 'bytes', unit: 'bytes'},
    ...contexts.map((c): Column => ({key: `at${c}`, header: formatTokens(c), kind: 'bytes', unit: 'bytes'})),
  ]
  const rows = results.flatMap((r) => {
    const theoretical: Record<string, string | number | null> = {id: r.id, what: 'theoretical', perLayer: r.kvBytesPerTokenPerLayer}
    const engine: Record<string, string | number | null> = {id: r.id, what: `${r.engine} reserves`, perLayer: null}
    for (const c of contexts) {
      const point = r.points.find((p) => p.contextTokens === c)
      theoretical[`at${c}`] = point?.kvBytes ?? null
      engine[`at${c}`] = point?.engineKvBytes ?? null
    }
    return r.engine ? [theoretical, engine] : [theoretical]
  })
  return {columns, rows, notes}
}
