// Per-layer descriptions: the layer patterns a config states, and their run-length grouping into layer groups.
import {UserError} from '../errors.js'
import type {LayerGroup} from '../schema/model.js'
import type {Config} from './config.js'

export type LayerSpec = Omit<LayerGroup, 'count'>

const attentionKeys = ['heads', 'kvHeads', 'headDim', 'valueHeadDim', 'valueFromKey', 'sinks'] as const
const sameAttention = (a: LayerSpec['attention'], b: LayerSpec['attention']) => a === b || (a !== undefined && b !== undefined && attentionKeys.every((k) => a[k] === b[k]))

const sameLayer = (a: LayerSpec, b: LayerSpec) =>
  a.mixer === b.mixer &&
  a.windowTokens === b.windowTokens &&
  a.rope === b.rope &&
  a.ffn === b.ffn &&
  a.ffnIntermediateSize === b.ffnIntermediateSize &&
  a.kvSourceLayer === b.kvSourceLayer &&
  a.kvProjections === b.kvProjections &&
  a.indexer === b.indexer &&
  sameAttention(a.attention, b.attention) &&
  a.linearMixer === b.linearMixer &&
  a.norms === b.norms &&
  a.compressor === b.compressor &&
  a.hashRouting === b.hashRouting

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

/** Per-layer attention kind from a transformers `layer_types` list. */
export function mixerOf(layerType: string, where: string): 'full' | 'sliding' | 'chunked' | 'linear' {
  switch (layerType) {
    case 'full_attention':
      return 'full'
    case 'sliding_attention':
      return 'sliding'
    case 'chunked_attention':
      return 'chunked'
    case 'linear_attention':
      return 'linear'
    default:
      throw new UserError(`${where}: layer type "${layerType}" is not supported (expected full_attention, sliding_attention, chunked_attention or linear_attention)`)
  }
}

export function layerTypesOf(cfg: Config, layers: number, fallback: (i: number) => string): string[] {
  const given = cfg.strList('layer_types')
  if (given && given.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${given.length} entries for ${layers} layers`)
  return given ?? Array.from({length: layers}, (_, i) => fallback(i))
}

/** One layer; a sliding layer carries its window. */
export function layerOf(mixer: LayerSpec['mixer'], rope: boolean, ffn: LayerSpec['ffn'], window?: number): LayerSpec {
  return mixer === 'sliding' ? {mixer, windowTokens: window, rope, ffn} : {mixer, rope, ffn}
}

/**
 * Whether layer i uses RoPE, from no_rope_layers (1 = RoPE; SmolLM3Config, Llama4TextConfig); by default every
 * no_rope_layer_interval-th (4th) layer is NoPE.
 */
export function ropeLayers(cfg: Config, layers: number): (i: number) => boolean {
  const interval = cfg.int('no_rope_layer_interval', 4)
  const given = cfg.intList('no_rope_layers', [])
  // An empty list takes the default, as the configuration classes do (`no_rope_layers if no_rope_layers else ...`);
  // any other list is one flag per layer, and a list of another length would silently change which layers are NoPE.
  if (given.length > 0 && given.length !== layers) throw new UserError(`${cfg.where}: no_rope_layers has ${given.length} entries for ${layers} layers (num_hidden_layers); give one 0/1 flag per layer`)
  const useRope = given.length > 0 ? given : Array.from({length: layers}, (_, i) => Number((i + 1) % interval !== 0))
  return (i) => useRope[i] === 1
}
