// Per-spec constants computed once per spec object: sweeps ask for the same spec many times in a row, so the
// last one is kept at hand before the WeakMap. Specs are never mutated once loaded.
import type {ModelSpec} from '../schema/model.js'

export function perSpec<T>(compute: (spec: ModelSpec) => T): (spec: ModelSpec) => T {
  const cache = new WeakMap<ModelSpec, T>()
  let lastSpec: ModelSpec | null = null
  let lastValue: T | undefined
  return (spec) => {
    if (spec === lastSpec) return lastValue!
    let value = cache.get(spec)
    if (value === undefined) {
      value = compute(spec)
      cache.set(spec, value)
    }
    lastSpec = spec
    lastValue = value
    return value
  }
}
