// `archcost memory --json`: the memory of a deployment as a tree of leaves, for the whole deployment and per device.
import {z} from 'zod'
import {engineBudgetSchema} from './engine.js'
import {bytesInt, bytesNumber, engineSchema, kvFormatSchema, layoutSchema, listOutput, positiveInt, tokensInt, weightFormatSchema} from './common.js'

/**
 * Leaves of the memory tree, in this order. Weights by component class (as src/calc/weights.ts groups them), and
 * the draft network speculative decoding loads (`weights/draft`, only with --speculative mtp: the MTP layers);
 * one KV leaf, the cache the deployment holds: `kv/engine-reserved` with --engine, else `kv/theoretical`;
 * the activations of one prefill chunk; the runtime overhead.
 */
export const memoryLeafPaths = [
  'weights/embeddings',
  'weights/linear',
  'weights/experts',
  'weights/unquantized',
  'weights/draft',
  'kv/theoretical',
  'kv/engine-reserved',
  'activations',
  'overhead',
] as const
export type MemoryLeafPath = (typeof memoryLeafPaths)[number]

export const memoryLeafSchema = z
  .strictObject({
    path: z.enum(memoryLeafPaths).describe('Where the leaf sits in the tree: weights/<class>, kv/<theoretical | engine-reserved>, activations, overhead'),
    bytes: bytesInt('Bytes of this leaf, rounded up once'),
  })
  .describe('One leaf of the memory tree')
export type MemoryLeaf = z.infer<typeof memoryLeafSchema>

export const memoryLeavesSchema = z
  .array(memoryLeafSchema)
  .describe('The ordered leaves of the memory tree; its total is exactly their sum. The one KV leaf is what the deployment holds: the engine reservation with --engine, else the theoretical cache')

export const weightFormatsByClassSchema = z
  .strictObject({
    embeddings: weightFormatSchema.describe('Input embedding, per-layer embeddings and LM head'),
    linear: weightFormatSchema.describe('Attention, dense FFN, shared-expert and other matrices'),
    experts: weightFormatSchema.optional().describe('Routed experts (MoE models only)'),
    unquantized: weightFormatSchema.describe('Norms and routers'),
  })
  .describe('Storage format of each weight class')

export const memoryResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  contextTokens: tokensInt('Context per sequence'),
  batch: positiveInt('Concurrent sequences', 'sequences'),
  kvFormat: kvFormatSchema,
  weightFormats: weightFormatsByClassSchema,
  engine: engineSchema.nullable(),
  hardware: z.string().nullable().describe('Hardware profile id (--hardware), or null'),
  devices: positiveInt('Devices of the layout: tp x pp', 'devices'),
  layout: layoutSchema,
  kvReplicated: z.boolean().describe('KV heads (or the MLA latent) are replicated because there are fewer than tensor-parallel ranks'),
  kvBytesPerToken: bytesNumber('Cache bytes one sequence grows by for one more token at this context (only layers still growing count)'),
  kvBytes: bytesInt('Theoretical KV cache of the whole deployment; a leaf only without --engine (else shown for comparison, not summed)'),
  engineKvBytes: bytesInt('KV cache the engine reserves for the same requests (the KV leaf with --engine); null without --engine').nullable(),
  weightsBytes: bytesInt('Weights on the accelerators: the sum of the weights/* leaves'),
  offloadedWeightsBytes: bytesInt('Per-layer embeddings kept in host memory (Gemma 3n offload); not a leaf, not in the total'),
  activationBytes: bytesInt('Activations of one prefill chunk on every device: the activations leaf'),
  overheadBytes: bytesInt('Runtime overhead on every device: the overhead leaf'),
  totalBytes: bytesInt('Memory of the whole deployment: exactly the sum of `leaves`'),
  leaves: memoryLeavesSchema,
  perDeviceBytes: bytesInt('Memory of the fullest device: exactly the sum of `perDevice.leaves`'),
  perDevice: z
    .strictObject({
      weightsBytes: bytesInt('Weights one device holds (its shard; the worst pipeline stage): the sum of its weights/* leaves'),
      kvBytes: bytesInt('KV cache one device holds (its share of the KV leaf: engine reservation with --engine, else theoretical)'),
      activationBytes: bytesInt('Activations of one prefill chunk on one device'),
      overheadBytes: bytesInt('Runtime overhead of one device'),
      leaves: memoryLeavesSchema.describe('The ordered leaves of one device; perDeviceBytes is exactly their sum'),
    })
    .describe('What one device holds'),
  deviceMemoryBytes: bytesInt('Memory of one device of the hardware profile').nullable(),
  usableDeviceBytes: bytesInt('Memory of one device times --memory-utilization, rounded down').nullable(),
  fits: z.boolean().nullable().describe('perDeviceBytes <= usableDeviceBytes (with --engine and --hardware: one batch of requests fits the engine\'s pool); null without --hardware'),
  engineBudget: engineBudgetSchema.nullable().describe("With --engine and --hardware: the engine's start-up accounting, term by term"),
  engineLog: z.array(z.string()).describe('With --engine and --hardware: the lines the engine would log at start-up; else empty'),
})
export type MemoryResult = z.infer<typeof memoryResultSchema>

export const memoryOutputSchema = listOutput('models', memoryResultSchema, 'One entry per model, in the order given')
