// `archcost diff --json`: architecture cards side by side and what the differences cost.
import {z} from 'zod'
import {derivedQuantities} from '../../report/diff.js'
import {kvFormatSchema, tokensInt, warningsSchema} from './common.js'

export const diffFieldSchema = z.strictObject({
  field: z.string().describe('Card field label'),
  values: z.array(z.string()).describe('One per model, in the order given; "—" where that model has no such field'),
  differs: z.boolean().describe('The values are not all equal'),
})
export type DiffField = z.infer<typeof diffFieldSchema>

export const diffDerivedSchema = z.strictObject({
  quantity: z.enum(derivedQuantities).describe('Derived quantity; its name carries its unit, as `unit` says'),
  unit: z.enum(['params', 'bytes', 'flops']).describe('Unit of `values`'),
  values: z.array(z.number().nonnegative()).describe('One per model, in the order given, in `unit`'),
  ratios: z.array(z.number().nonnegative().nullable()).describe("Each value / the first model's [ratio]; null when the first is 0 and this one is not"),
})
export type DiffDerived = z.infer<typeof diffDerivedSchema>

export const diffResultSchema = z.strictObject({
  ids: z.array(z.string()).min(2).describe('Model ids, in the order given'),
  contextTokens: z.array(tokensInt('Context of the derived quantities')).describe('Context of the derived quantities, per model: --context, or min(8k, the model maximum) [tokens]'),
  kvFormats: z.array(kvFormatSchema).describe('KV-cache element format per model'),
  fields: z.array(diffFieldSchema).describe('Card fields, merged in card order'),
  derived: z.array(diffDerivedSchema).describe('Derived quantities, one per quantity'),
})
export type DiffResult = z.infer<typeof diffResultSchema>

export const diffOutputSchema = z.strictObject({...diffResultSchema.shape, warnings: warningsSchema})
