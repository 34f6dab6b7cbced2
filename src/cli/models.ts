// Model arguments: preset ids or preset file paths; none means all presets.
import {loadAllModels, loadModel} from '../presets/load.js'
import type {ModelSpec} from '../schema/model.js'
import type {ScenarioInput} from '../schema/scenario-fields.js'

export function resolveModels(ids: string[]): ModelSpec[] {
  return ids.length === 0 ? loadAllModels() : ids.map((id) => loadModel(id))
}

/** The scenario with its draft model loaded (--speculative draft --draft-model id-or-file); unchanged otherwise. */
export function withDraftModel<T extends {serving: ScenarioInput['serving']}>(input: T): T {
  const sp = input.serving.speculation
  if (!sp?.draftModelRef) return input
  return {...input, serving: {...input.serving, speculation: {...sp, draftModel: loadModel(sp.draftModelRef)}}}
}
