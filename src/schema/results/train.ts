// `archcost train --json`: one row per model. Numbers unrounded; tables round.
import {z} from 'zod'
import {bytesInt, bytesNumber, flops, listOutput, paramsInt, positiveInt, seconds, tokensInt, usd} from './common.js'

export const trainMemorySchema = z
  .strictObject({
    weights: bytesNumber('Weights the device holds: the 16-bit (fp32, or fp8-plus-bf16) compute copy, sharded under ZeRO-3/FSDP; with LoRA the frozen base (16-bit, 8-bit or NF4) and the fp32 adapters'),
    gradients: bytesNumber('Gradients, sharded under ZeRO-2/3 and FSDP; with LoRA the adapters\' only'),
    masterWeights: bytesNumber('fp32 master copy of mixed precision, sharded under ZeRO-1/2/3 and FSDP; 0 in fp32 training and for LoRA (the adapters are fp32)'),
    optimizerStates: bytesNumber('Optimizer states (AdamW moments, Adafactor factors, Muon momentum, ...), sharded under ZeRO-1/2/3 and FSDP'),
    gatheredWeights: bytesNumber('ZeRO-3/FSDP: the largest layer gathered whole for compute and the next one prefetched'),
    activations: bytesNumber('Saved activations of the first pipeline stage: its in-flight micro-batches, the recomputed layer under full recomputation, and the LM head and loss without pipeline stages'),
    framework: bytesNumber('CUDA context, NCCL buffers and allocator reserve'),
    total: bytesNumber('Sum of the terms above'),
  })
  .describe('Memory of one device by term (the fullest device: the first pipeline stage)')

export const trainResultSchema = z.strictObject({
  id: z.string().describe('Model preset id'),
  hardware: z.string().describe('Hardware profile id'),
  devices: positiveInt('Devices of the run (--gpus)', 'devices'),
  layout: z
    .strictObject({
      tp: positiveInt('Tensor-parallel ranks (sequence parallelism on when above 1)', 'devices'),
      cp: positiveInt('Context-parallel ranks: each holds 1/cp of every sequence', 'devices'),
      pp: positiveInt('Pipeline stages', 'devices'),
      dp: positiveInt('Data-parallel replicas', 'replicas'),
      ep: positiveInt('Expert-parallel ranks, carved out of each stage\'s tp x dp devices', 'devices'),
    })
    .describe('Training layout: devices = tp x cp x pp x dp'),
  mode: z.enum(['full', 'lora', 'qlora']).describe('Full training, LoRA on a 16-bit base, or LoRA on a quantized base'),
  precision: z.enum(['bf16', 'fp8', 'fp32']).describe('Training precision recipe (--precision)'),
  optimizer: z.enum(['adamw', 'adamw-8bit', 'adafactor', 'muon', 'sgd']).describe('Optimizer (--optimizer)'),
  zeroStage: z.number().int().min(0).max(3).describe('ZeRO stage in force (3 under FSDP)'),
  fsdp: z.enum(['full', 'hybrid']).nullable().describe('FSDP sharding, null without'),
  recompute: z.enum(['none', 'selective', 'op', 'full']).describe('Activation recomputation (op: torchtitan\'s selective op checkpointing)'),
  loss: z.enum(['vocab-parallel', 'eager', 'chunked', 'fused']).describe('Cross-entropy (--loss): Megatron-LM\'s in-place vocab-parallel loss, PyTorch F.cross_entropy on fp32 logits, chunked upcast (torchtune), or fused linear cross-entropy'),
  gradientDtype: z.enum(['bf16', 'fp32']).describe('Gradients of the mixed-precision recipe (--grad-dtype): bf16 as ZeRO counts them, fp32 as Megatron-LM keeps them; fp32 training keeps fp32'),
  adapterPrecision: z.enum(['fp32', 'bf16']).nullable().describe('LoRA adapters\' dtype (--adapter-precision), null for full training'),
  sequenceTokens: tokensInt('Training sequence length'),
  microBatchSequences: positiveInt('Sequences per micro-batch', 'sequences'),
  microBatchesPerStep: positiveInt('Micro-batches per step on each replica (from --global-batch); null when not given', 'micro-batches').nullable(),
  inFlightMicroBatches: z.number().positive().describe('Micro-batches whose activations the first pipeline stage holds [micro-batches]'),
  trainableParams: paramsInt('Parameters trained: every parameter, or the LoRA adapters'),
  loraAdapterParams: paramsInt('LoRA adapter parameters, r x (in + out) per targeted matrix; null without LoRA').nullable(),
  memoryPerDeviceBytes: trainMemorySchema,
  capacityBytes: bytesInt('Memory of one device as the runtime reports it (visible memory, else nominal)'),
  fits: z.boolean().describe('memoryPerDeviceBytes.total <= capacityBytes'),
  spareBytes: bytesNumber('capacityBytes - total when it fits, else 0'),
  shortByBytes: bytesNumber('total - capacityBytes when it does not fit, else 0'),
  trainFlopsPerToken: flops('Model FLOPs per token (MFU convention): 3 x the causal forward of one sequence per token, 2 x for LoRA'),
  hardwareFlopsPerToken: flops('Hardware FLOPs per token (HFU): model FLOPs plus the recomputed forward under full recomputation'),
  mfu: z.number().positive().max(1).describe('Model-FLOPs utilisation assumed (--mfu, else the default for the model and device)'),
  mfuSource: z.string().describe('Where the MFU came from: "--mfu", or the default band that applied and the cases behind it'),
  peakFlopsPerSecond: z.number().positive().describe('Dense peak of one device in the training precision [FLOP/s]'),
  tokensPerSecondPerDevice: z.number().positive().describe('Training tokens per second per device at the MFU [tokens/s]'),
  tokens: z.number().positive().describe('Token budget (--tokens; up to 1e18, so not held to an integer) [tokens]').nullable(),
  trainFlops: flops('trainFlopsPerToken x tokens').nullable(),
  wallClockSeconds: seconds('Wall-clock time of the run').nullable(),
  wallClockDays: z.number().nonnegative().describe('Wall-clock time of the run [days]').nullable(),
  gpuHours: z.number().nonnegative().describe('Devices x wall-clock hours [device-hours]').nullable(),
  costUsd: usd('gpuHours x the hardware profile\'s hourly price; null without a price or a token budget').nullable(),
  energyJoules: z.number().nonnegative().describe('Devices x board power x wall-clock time [joules]').nullable(),
  computeOptimalTokens: z.number().positive().describe('Chinchilla reference: 20 tokens per parameter (active parameters for MoE) [tokens]'),
})
export type TrainResult = z.infer<typeof trainResultSchema>

export const trainOutputSchema = listOutput('models', trainResultSchema, 'One entry per model, in the order given')
