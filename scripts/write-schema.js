#!/usr/bin/env node
// Writes schemas/*.schema.json from the zod schemas: presets, hardware, the scenario, and each command's --json
// result. `archcost schema` prints these files, so it starts without zod; a contract test holds them equal to
// what the zod schemas generate. Run after `npm run build`.
import {mkdirSync, writeFileSync} from 'node:fs'
import {jsonSchemaFiles} from '../dist/schema/json-schema.js'

mkdirSync('schemas/results', {recursive: true})
for (const {file, schema} of jsonSchemaFiles()) {
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`)
  console.log(file)
}
