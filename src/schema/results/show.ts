// `archcost show --json` and `archcost import --json`: a model preset as the preset schema defines it.
import {z} from 'zod'
import {modelSpecObject} from '../model.js'
import {warningsSchema} from './common.js'

export const showOutputSchema = z.strictObject({
  model: modelSpecObject.describe('The model preset'),
  warnings: warningsSchema,
})

export const importOutputSchema = z.strictObject({
  preset: modelSpecObject.describe('The preset built from the Hugging Face config'),
  keysRead: z.array(z.string()).describe('Config keys the importer used'),
  keysIgnored: z.array(z.string()).describe('Config keys the importer did not use'),
  writtenTo: z.string().nullable().describe('File the preset was written to (--out), or null'),
  warnings: warningsSchema,
})
