// Bytes per stored element, one table for weights and caches. Block formats carry their scales:
// the figure is the average over a block (bits per weight / 8, registry entry dtype.bytesPerElement).
import {bytesPerElement, int4BitsPerElement as int4Bits} from './formulas/dtype.js'

/** Weight storage formats. GGUF types by their bits per weight (ggml-quants.h block layouts). */
export const weightFormats = {
  fp32: {bitsPerElement: 32, source: 'IEEE 754 single'},
  bf16: {bitsPerElement: 16, source: 'bfloat16'},
  fp16: {bitsPerElement: 16, source: 'IEEE 754 half'},
  fp8: {bitsPerElement: 8, source: 'OCP FP8 (E4M3/E5M2); per-tensor or 128x128-block scales add < 0.01%'},
  int8: {bitsPerElement: 8, source: 'per-channel scales, negligible'},
  // int4 with group-wise scales: 4 bits + one fp16 scale (and fp16 zero) per group; see int4WithGroup().
  int4: {bitsPerElement: 4 + 32 / 128, source: 'GPTQ/AWQ: 4-bit weights, fp16 scale + zero per group of 128'},
  // OCP Microscaling: 32 FP4 (E2M1) values share one 8-bit E8M0 scale -> 4 + 8/32 bits.
  mxfp4: {bitsPerElement: 4 + 8 / 32, source: 'OCP Microscaling Formats (MX) v1.0: block 32, E8M0 scale'},
  // NVFP4: 16 FP4 values share one FP8 (E4M3) scale (+ a per-tensor fp32 scale, negligible).
  nvfp4: {bitsPerElement: 4 + 8 / 16, source: 'NVIDIA Blackwell NVFP4: block 16, E4M3 scale'},
  // GGUF block formats (ggml-common.h): bytes per block of 32 (or 256 for k-quants) values.
  q8_0: {bitsPerElement: (34 * 8) / 32, source: 'ggml block_q8_0: 32 x int8 + fp16 scale'},
  q6_k: {bitsPerElement: (210 * 8) / 256, source: 'ggml block_q6_K: 210 bytes per 256'},
  q5_k: {bitsPerElement: (176 * 8) / 256, source: 'ggml block_q5_K: 176 bytes per 256'},
  q5_0: {bitsPerElement: (22 * 8) / 32, source: 'ggml block_q5_0: 22 bytes per 32'},
  q4_k: {bitsPerElement: (144 * 8) / 256, source: 'ggml block_q4_K: 144 bytes per 256'},
  q4_0: {bitsPerElement: (18 * 8) / 32, source: 'ggml block_q4_0: 32 x 4-bit + fp16 scale'},
  q3_k: {bitsPerElement: (110 * 8) / 256, source: 'ggml block_q3_K: 110 bytes per 256'},
  q2_k: {bitsPerElement: (84 * 8) / 256, source: 'ggml block_q2_K: 84 bytes per 256'},
} as const
export type WeightFormat = keyof typeof weightFormats
export const weightFormatNames = Object.keys(weightFormats) as WeightFormat[]

/** int4 with a chosen group size: 4 bits + fp16 scale and fp16 zero point per group. */
export function int4BitsPerElement(groupSize: number): number {
  return int4Bits.evaluate(int4Bits.read!(groupSize))
}

/** Bits per element of a weight format (int4: with its group's scale and zero point). */
export const weightBitsPerElement = (format: WeightFormat, int4GroupSize = 128): number =>
  format === 'int4' ? int4BitsPerElement(int4GroupSize) : weightFormats[format].bitsPerElement

// Bytes per element of every fixed format, evaluated once from the registry entry (sweeps ask per point).
const weightBytesTable = Object.fromEntries(weightFormatNames.map((f) => [f, bytesPerElement.evaluate(bytesPerElement.read!(weightFormats[f].bitsPerElement))])) as Record<WeightFormat, number>
const int4DefaultBytes = bytesPerElement.evaluate(bytesPerElement.read!(int4BitsPerElement(128)))

export function weightBytesPerElement(format: WeightFormat, int4GroupSize = 128): number {
  if (format !== 'int4') return weightBytesTable[format]
  return int4GroupSize === 128 ? int4DefaultBytes : bytesPerElement.evaluate(bytesPerElement.read!(int4BitsPerElement(int4GroupSize)))
}

/** KV-cache element formats. int8/int4 follow llama.cpp's q8_0/q4_0 cache types, which carry fp16 block scales. */
export const kvFormats = {
  fp32: {bitsPerElement: 32},
  bf16: {bitsPerElement: 16},
  fp16: {bitsPerElement: 16},
  fp8: {bitsPerElement: 8}, // vLLM fp8_e4m3 / fp8_e5m2 KV cache: per-tensor scale
  int8: {bitsPerElement: (34 * 8) / 32}, // q8_0: 32 values + fp16 scale
  int4: {bitsPerElement: (18 * 8) / 32}, // q4_0: 32 values + fp16 scale
} as const
export type KvFormat = keyof typeof kvFormats
export const kvFormatNames = Object.keys(kvFormats) as KvFormat[]

/** Bits per cached element of a KV format. */
export const kvBitsPerElement = (format: KvFormat): number => kvFormats[format].bitsPerElement

const kvBytesTable = Object.fromEntries(kvFormatNames.map((f) => [f, bytesPerElement.evaluate(bytesPerElement.read!(kvBitsPerElement(f)))])) as Record<KvFormat, number>

/** Bytes per cached element (dtype.bytesPerElement of the format's bits, evaluated once per format). */
export const kvBytesPerElement = (format: KvFormat): number => kvBytesTable[format]
