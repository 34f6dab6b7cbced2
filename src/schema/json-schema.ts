// The published JSON Schema of presets, generated from the zod schema (the one source of truth).
import {z} from 'zod'
import {modelSpecObject} from './model.js'

export function modelJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(modelSpecObject, {target: 'draft-2020-12', io: 'input'}),
    $id: 'https://archcost.dev/schemas/model.schema.json',
    title: 'archcost model preset',
  }
}
