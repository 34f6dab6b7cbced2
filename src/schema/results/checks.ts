// `archcost validate --json` and `archcost check --json`: one line per rule or budget, per file or model.
import {z} from 'zod'
import {warningsSchema} from './common.js'

export const checkUnits = ['params', 'bytes', 'tokens/s', 's'] as const
export type CheckUnit = (typeof checkUnits)[number]

export const checkLineSchema = z.strictObject({
  subject: z.string().describe('File or model id the line is about'),
  rule: z.string().describe('Rule or budget name: schema, consistency, reported, max-total, fits, ...'),
  status: z.enum(['pass', 'fail', 'error']).describe('error: the input was unusable'),
  measured: z
    .number()
    .nonnegative()
    .nullable()
    .describe('The measured figure, in `unit`; null where there is none (a rule without a figure, or a budget that could not be measured because the model does not fit)'),
  limit: z.number().nonnegative().nullable().describe('The limit it is held to, in `unit`; null where there is none'),
  unit: z.enum(checkUnits).nullable().describe('Unit of measured and limit: params, bytes, tokens/s or s (seconds); null when neither is given'),
  message: z.string().describe('What was checked, in words'),
  file: z.string().nullable().describe('File to annotate in CI, when the subject is a file'),
})
export type CheckLine = z.infer<typeof checkLineSchema>

export const checksOutputSchema = z.strictObject({
  passed: z.boolean().describe('Every line passed (exitCode 0)'),
  exitCode: z.literal([0, 1, 2]).describe('2 when any input was unusable, 1 when a rule or budget failed, else 0'),
  checks: z.array(checkLineSchema).describe('One line per rule or budget, per subject'),
  warnings: warningsSchema,
})
export type ChecksOutput = z.infer<typeof checksOutputSchema>
