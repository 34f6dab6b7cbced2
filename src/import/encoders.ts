import type {ModelSpec} from '../schema/model.js'

// Filled in from the vision/audio tower formulas (see src/calc/encoders.ts).
export function encodersFromHfConfig(_outer: unknown, _modelType: string): ModelSpec['encoders'] {
  return []
}
