import type {LayerGroup} from '../schema/model.js'

export type LayerSpec = Omit<LayerGroup, 'count'>

const sameLayer = (a: LayerSpec, b: LayerSpec) =>
  a.mixer === b.mixer &&
  a.windowTokens === b.windowTokens &&
  a.rope === b.rope &&
  a.ffn === b.ffn &&
  a.ffnIntermediateSize === b.ffnIntermediateSize &&
  a.kvSourceLayer === b.kvSourceLayer

/** Run-length encodes per-layer descriptions into layer groups (the canonical preset form). */
export function groupLayers(layers: LayerSpec[]): LayerGroup[] {
  const groups: LayerGroup[] = []
  for (const layer of layers) {
    const last = groups[groups.length - 1]
    if (last && sameLayer(last, layer)) last.count += 1
    else groups.push(dropUndefined({count: 1, ...layer}))
  }
  return groups
}

/** Expands layer groups back to one entry per layer. */
export function expandLayers(groups: LayerGroup[]): LayerSpec[] {
  const layers: LayerSpec[] = []
  for (const {count, ...layer} of groups) for (let i = 0; i < count; i++) layers.push(layer)
  return layers
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key]
  return value
}
