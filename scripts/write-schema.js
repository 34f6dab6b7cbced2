#!/usr/bin/env node
// Writes schemas/model.schema.json from the zod schema. Run after `npm run build`.
import {writeFileSync} from 'node:fs'
import {modelJsonSchema} from '../dist/schema/json-schema.js'

writeFileSync('schemas/model.schema.json', `${JSON.stringify(modelJsonSchema(), null, 2)}\n`)
console.log('schemas/model.schema.json')
