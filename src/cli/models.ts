// Model arguments: preset ids or preset file paths; none means all presets.
import {loadAllModels, loadModel} from '../presets/load.js'
import type {ModelSpec} from '../schema/model.js'

export function resolveModels(ids: string[]): ModelSpec[] {
  return ids.length === 0 ? loadAllModels() : ids.map((id) => loadModel(id))
}
