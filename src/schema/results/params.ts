// `archcost params --json` and `archcost presets --json`.
import {z} from 'zod'
import {paramComponents} from '../../calc/params.js'
import {countInt, listOutput, paramsInt, tokensInt} from './common.js'

export const paramBreakdownSchema = z
  .strictObject(Object.fromEntries(paramComponents.map((key) => [key, paramsInt(`Parameters of the ${key} component`)])) as Record<(typeof paramComponents)[number], ReturnType<typeof paramsInt>>)
  .describe('Parameters per component; the components sum to the total')

export const reportedComparisonSchema = z.strictObject({
  field: z.enum(['totalParams', 'activeParams', 'nonEmbeddingParams']).describe('Which count the vendor published'),
  published: z.string().describe('The vendor figure as published ("671B", "~109B", "2,024,517,888"): text, not a number'),
  computedParams: paramsInt('The computed count in the vendor definition (e.g. active without the input embedding)'),
  definition: z.string().describe('The vendor definition the computed count follows'),
  agrees: z.boolean().describe('The computed count is what the vendor would have printed'),
})

export const paramsResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  totalParams: paramsInt('Parameters of the text model: the sum of the breakdown'),
  activeParams: paramsInt('Parameters used per token: everything but routed experts, plus the top-k routed experts of each MoE layer'),
  embeddingParams: paramsInt('Input embedding, per-layer embeddings and LM head'),
  nonEmbeddingParams: paramsInt('totalParams - embeddingParams'),
  effectiveParams: paramsInt('Total without per-layer embeddings (Gemma 3n), which the runtime can keep off the accelerator'),
  mtpParams: paramsInt('Multi-token-prediction layers shipped but not run by default (DeepSeek MTP), counted apart'),
  encoderParams: paramsInt('Vision/audio encoders and projectors, counted apart'),
  breakdown: paramBreakdownSchema,
  activeBreakdown: paramBreakdownSchema.describe('Parameters per component used per token'),
  reported: z.array(reportedComparisonSchema).describe('Vendor figures next to the computed count; empty without a reported block'),
  reportedSource: z.string().nullable().describe('Where the vendor figures come from (URL), or null'),
})
export type ParamsResult = z.infer<typeof paramsResultSchema>

export const paramsOutputSchema = listOutput('models', paramsResultSchema, 'One entry per model, in the order given')

export const presetSummarySchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  name: z.string().describe('Display name'),
  family: z.string().describe('Model family'),
  ffn: z.enum(['dense', 'moe']).describe('Feed-forward kind'),
  attention: z.string().describe('Attention kind (mha, gqa, mqa, mla), "+linear" for hybrids with linear-attention layers'),
  layers: countInt('Decoder layers', 'layers'),
  maxContextTokens: tokensInt('Longest context the model supports'),
  totalParams: paramsInt('Parameters of the text model'),
  activeParams: paramsInt('Parameters used per token'),
})
export type PresetSummary = z.infer<typeof presetSummarySchema>

export const presetsOutputSchema = listOutput('presets', presetSummarySchema, 'Every preset, sorted as listed')
