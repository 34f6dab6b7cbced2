#!/usr/bin/env node
// Writes schemas/*.schema.json from the zod schemas. Run after `npm run build`.
import {writeFileSync} from 'node:fs'
import {hardwareJsonSchema, modelJsonSchema} from '../dist/schema/json-schema.js'

for (const [file, schema] of [
  ['schemas/model.schema.json', modelJsonSchema()],
  ['schemas/hardware.schema.json', hardwareJsonSchema()],
]) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`)
  console.log(file)
}
