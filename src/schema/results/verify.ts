// `archcost verify --json`: a preset's calculated parameter counts against a checkpoint's headers.
import {z} from 'zod'
import type {GgufValue} from '../../checkpoint/gguf.js'
import {paramComponents} from '../../calc/params.js'
import {countInt, paramsInt, warningsSchema} from './common.js'

export const ggufValueSchema: z.ZodType<GgufValue> = z.lazy(() =>
  z.union([
    z.number(),
    z.string(),
    z.boolean(),
    z.array(ggufValueSchema),
    z.strictObject({arrayOf: z.string().describe('ggml type of the elements'), length: countInt('Array length', 'elements')}).describe('A long array, summarised'),
  ]),
)

export const verifyComponentSchema = z.strictObject({
  component: z.enum(paramComponents).describe('Breakdown component'),
  calculated: paramsInt('Parameters the preset gives this component'),
  checkpoint: paramsInt('Parameters of the checkpoint tensors mapped to this component'),
  matches: z.boolean().describe('calculated === checkpoint'),
})
export type VerifyComponent = z.infer<typeof verifyComponentSchema>

export const verifyApartCountSchema = z.strictObject({
  calculated: paramsInt('What the preset counts apart (mtpParams, encoderParams)'),
  checkpoint: paramsInt('What the checkpoint holds of it'),
  tensors: z.array(z.string()).describe('Checkpoint tensor names'),
})
export type VerifyApartCount = z.infer<typeof verifyApartCountSchema>

export const verifyResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  checkpoint: z.string().describe('The path given to --checkpoint'),
  format: z.enum(['safetensors', 'gguf']).describe('Checkpoint format'),
  files: z.array(z.string()).describe('Files whose headers were read (shards, splits)'),
  calculatedTotalParams: paramsInt('The preset text-model total, as `archcost params` prints it'),
  checkpointTotalParams: paramsInt('The checkpoint text-model tensors: everything but MTP and encoder tensors, scales and buffers'),
  matches: z.boolean().describe('calculatedTotalParams === checkpointTotalParams'),
  components: z.array(verifyComponentSchema).describe('One row per component either side has'),
  paramsByDtype: z.record(z.string(), paramsInt('Parameters stored in this type')).describe('Every parameter tensor of the checkpoint, per stored type (MXFP4 for packed blocks; ggml types for GGUF) [parameters]'),
  apart: z
    .strictObject({
      mtp: verifyApartCountSchema.describe('Multi-token-prediction layers'),
      encoders: verifyApartCountSchema.describe('Vision/audio encoders and projectors'),
      unmapped: z
        .strictObject({params: paramsInt('Parameters of the tensors of no known component'), tensors: z.array(z.string()).describe('Their names')})
        .describe('Text-model tensors of no known component: in checkpointTotalParams, in no component row'),
    })
    .describe('What is counted apart'),
  gguf: z
    .strictObject({
      architecture: z.string().nullable().describe('general.architecture'),
      name: z.string().nullable().describe('general.name'),
      fileType: z.strictObject({id: countInt('general.file_type', 'id'), name: z.string().describe('Its name')}).nullable().describe('general.file_type'),
      metadata: z.record(z.string(), ggufValueSchema).describe('The `<architecture>.*` keys, without the prefix'),
    })
    .nullable()
    .describe('GGUF only'),
  causes: z
    .array(z.string())
    .describe("When the totals differ: what the checkpoint's tensor names and shapes say against the model (layer count, embedding rows, LM head, routed experts, final norm width); empty when none is found"),
  notes: z.array(z.string()).describe('What was left out and why'),
})
export type VerifyResult = z.infer<typeof verifyResultSchema>

export const verifyOutputSchema = z.strictObject({...verifyResultSchema.shape, warnings: warningsSchema})
