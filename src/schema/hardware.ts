// Hardware profile: one accelerator (or one unified-memory machine), in base units, every figure sourced.
import {z} from 'zod'

const positive = z.number().positive().finite()
const url = z.string().regex(/^https?:\/\//, 'a source URL')

export const hardwareSpecObject = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
    name: z.string().min(1),
    vendor: z.string().min(1),
    memoryBytes: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('Nominal device memory in bytes (the vendor figure, read as binary where the profile notes say so)'),
    visibleMemoryBytes: z
      .number()
      .int()
      .positive()
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .describe(
        "Device memory as the runtime reports it, in bytes: CUDA cudaMemGetInfo total / torch total_memory (what vLLM's gpu_memory_utilization multiplies), ROCm likewise, Gaudi as habana reports, TPU as JAX reports; for Apple silicon the Metal recommendedMaxWorkingSetSize at the default wired limit. Kept as reported (usually a little below memoryBytes). null where no runtime figure has been published: use memoryBytes then",
      ),
    memoryBandwidthBytesPerSecond: positive,
    peakFlopsPerSecond: z
      .object({
        fp32: positive.nullable(),
        bf16: positive.nullable(),
        fp16: positive.nullable(),
        fp8: positive.nullable(),
        int8: positive.nullable(),
        fp4: positive.nullable(),
      })
      .strict()
      .describe('Dense (not sparse) peak FLOP/s per dtype; null where the device has no such path'),
    interconnectBytesPerSecond: positive.nullable().describe('Device-to-device bandwidth per device, one direction'),
    interconnectName: z.string().nullable(),
    interconnectKind: z
      .enum(['nvswitch', 'nvlink-bridge', 'xgmi', 'pcie', 'ethernet', 'ici', 'thunderbolt'])
      .nullable()
      .optional()
      .describe('Class of the device-to-device link, which sets the latency of each collective (src/calc/serving/latency.ts); absent or null: PCIe for latency'),
    powerWatts: positive,
    pricePerHourUsd: positive.nullable().describe('On-demand price of one device per hour; null where not rented by the hour'),
    sources: z.record(z.string(), url),
    notes: z.array(z.string()),
  })
  .strict()

export const hardwareSpecSchema = hardwareSpecObject
export type HardwareSpec = z.infer<typeof hardwareSpecObject>
