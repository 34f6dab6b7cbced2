// The published JSON Schemas of presets, generated from the zod schemas (the one source of truth).
import {z} from 'zod'
import {hardwareSpecObject} from './hardware.js'
import {modelSpecObject} from './model.js'
import {resultJsonSchema, resultSchemas} from './results/index.js'
import {scenarioSchema} from './scenario.js'
import {UserError} from '../errors.js'

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

export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, {target: 'draft-2020-12', io: 'input'}),
    $id: 'https://archcost.dev/schemas/scenario.schema.json',
    title: 'archcost scenario',
  }
}

/** The JSON Schema `archcost schema` prints. */
export function jsonSchemaOf(kind: 'model' | 'hardware' | 'scenario' | 'result', command?: string): Record<string, unknown> {
  if (kind === 'hardware') return hardwareJsonSchema()
  if (kind === 'scenario') return scenarioJsonSchema()
  if (kind === 'result') {
    if (!(command! in resultSchemas)) throw new UserError(`schema result: no command "${command}"; use one of ${Object.keys(resultSchemas).join(', ')}`)
    return resultJsonSchema(command!)
  }
  return modelJsonSchema()
}
