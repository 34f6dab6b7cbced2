// The published JSON Schemas of presets, generated from the zod schemas (the one source of truth).
import {z} from 'zod'
import {hardwareSpecObject} from './hardware.js'
import {modelSpecObject} from './model.js'
import {resultCommandIds, resultJsonSchema} from './results/index.js'
import {schemaFile} from './files.js'
import {scenarioSchema} from './scenario.js'

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

/** Every published JSON Schema and the file it is kept in (scripts/write-schema.js writes them; `archcost schema` prints them). */
export function jsonSchemaFiles(): {file: string; schema: Record<string, unknown>}[] {
  return [
    {file: schemaFile('model'), schema: modelJsonSchema()},
    {file: schemaFile('hardware'), schema: hardwareJsonSchema()},
    {file: schemaFile('scenario'), schema: scenarioJsonSchema()},
    ...resultCommandIds.map((id) => ({file: schemaFile('result', id), schema: resultJsonSchema(id)})),
  ]
}
