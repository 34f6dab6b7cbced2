// The published JSON Schemas of presets, generated from the zod schemas (the one source of truth).
import {z} from 'zod'
import {hardwareSpecObject} from './hardware.js'
import {modelSpecObject} from './model.js'

export function modelJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(modelSpecObject, {target: 'draft-2020-12', io: 'input'}),
    $id: 'https://archcost.dev/schemas/model.schema.json',
    title: 'archcost model preset',
  }
}

export function hardwareJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(hardwareSpecObject, {target: 'draft-2020-12', io: 'input'}),
    $id: 'https://archcost.dev/schemas/hardware.schema.json',
    title: 'archcost hardware profile',
  }
}
