// The fields every calibration case carries about where it comes from and what it is allowed to prove.
import {z} from 'zod'

export const caseProvenanceFields = {
  role: z.enum(['sets-constant', 'independent']),
  constant: z.string().optional().describe('The constant this case informed'),
  caveat: z.string().optional().describe('What makes the case less clean, where something does'),
  source: z.string().regex(/^https?:\/\//),
  quote: z.string(),
}
