// `archcost explain --json`: a figure as formulas, their symbols' values and the calculator's results.
import {z} from 'zod'
import {warningsSchema} from './common.js'

export const explainStepSchema = z.strictObject({
  id: z.string().describe('The formula registry entry (src/calc/formulas), or `<quantity>.sum` for a sum of earlier steps'),
  name: z.string().describe('What the step computes'),
  formula: z.string().describe('A mathjs expression over the symbols in `values`'),
  values: z.record(z.string(), z.number()).describe('Value of each symbol of the formula'),
  symbols: z.record(z.string(), z.string()).describe('What each symbol stands for, with its unit'),
  result: z.number().describe('What the calculator returns for this step, in `unit`'),
  unit: z.string().describe('Unit of `result` (params, bytes, FLOP, seconds, ...)'),
  source: z.string().describe('Where the formula comes from'),
  exact: z.boolean().describe('Integer quantity: the formula must match the result exactly (else to 1e-9 relative)'),
})

export const explanationSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  quantity: z.string().describe('The quantity explained (params, active, kv, flops, prefill, memory, ttft, tpot, tps, cost)'),
  result: z.number().describe('The figure, in `unit`'),
  unit: z.string().describe('Unit of `result`'),
  steps: z.array(explainStepSchema).describe('The steps, in order; the last gives `result`'),
})

export const explainOutputSchema = z.strictObject({
  ...explanationSchema.shape,
  verified: z.boolean().describe('Every formula was also evaluated with mathjs and agreed with the calculator (--verify)'),
  warnings: warningsSchema,
})
