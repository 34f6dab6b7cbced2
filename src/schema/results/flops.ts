// `archcost flops --json`.
import {z} from 'zod'
import {flops, listOutput, paramsInt, tokensInt} from './common.js'

export const flopsResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  contextTokens: tokensInt('Context: prefill length, decode position, training sequence length'),
  matmulParams: paramsInt('Parameters each token multiplies (active matrices, LM head included, lookups excluded)'),
  forwardFlopsPerTokenNoAttention: flops('2 x matmulParams: the context-independent part of the forward pass per token'),
  prefillFlops: flops('Prefill of contextTokens tokens, causal (masked half not counted)'),
  decodeFlopsPerToken: flops('One decode step with contextTokens in the cache'),
  trainFlopsPerToken: flops('Training per token at sequence length contextTokens: 3 x forward'),
  trainFlopsPerTokenRecompute: flops('Training per token with full activation recomputation: 4 x forward'),
  trainRunFlops: flops('trainFlopsPerToken x trainTokens').nullable(),
  trainTokens: z.number().positive().describe('Training token budget (--train-tokens; up to 1e18, so not held to an integer) [tokens]').nullable(),
})
export type FlopsResult = z.infer<typeof flopsResultSchema>

export const flopsOutputSchema = listOutput('models', flopsResultSchema, 'One entry per model, in the order given')
