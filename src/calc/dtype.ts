// Bytes per stored element, one table for weights and caches. Block formats carry their scales:
// the figure is the average over a block (bits per weight / 8, registry entry dtype.bytesPerElement).
import {bytesPerElement, int4BitsPerElement as int4Bits} from './formulas/dtype.js'

/**
 * ggml tensor types by their block layout (ggml/src/ggml-common.h block_* structs): [values per block, bytes per block].
 * A row of a quantized tensor is a whole number of blocks, so a tensor's bytes are elements / values x bytes.
 */
export const ggmlTypes = {
  f32: [1, 4], // float
  f16: [1, 2], // ggml_half
  bf16: [1, 2], // ggml_bf16_t
  q4_0: [32, 2 + 16], // block_q4_0: fp16 d, 32 x 4-bit
  q5_0: [32, 2 + 4 + 16], // block_q5_0: fp16 d, 32 high bits, 32 x 4-bit
  q5_1: [32, 2 + 2 + 4 + 16], // block_q5_1: fp16 d and m, 32 high bits, 32 x 4-bit
  q8_0: [32, 2 + 32], // block_q8_0: fp16 d, 32 x int8
  iq4_nl: [32, 2 + 16], // block_iq4_nl: fp16 d, 32 x 4-bit non-linear codes
  q2_k: [256, 16 + 64 + 2 + 2], // block_q2_K: scales[16], 256 x 2-bit, fp16 d and dmin
  q3_k: [256, 32 + 64 + 12 + 2], // block_q3_K: hmask[32], 256 x 2-bit, scales[12], fp16 d
  q4_k: [256, 2 + 2 + 12 + 128], // block_q4_K: fp16 d and dmin, scales[12], 256 x 4-bit
  q5_k: [256, 2 + 2 + 12 + 32 + 128], // block_q5_K: as q4_K plus qh[32]
  q6_k: [256, 128 + 64 + 16 + 2], // block_q6_K: ql[128], qh[64], scales[16], fp16 d
} as const satisfies Record<string, readonly [number, number]>
export type GgmlType = keyof typeof ggmlTypes

/** Bits per element of a ggml type: bytes per block x 8 / values per block. */
const ggmlBits = (type: GgmlType): number => (ggmlTypes[type][1] * 8) / ggmlTypes[type][0]

/** Weight storage formats. GGUF types by their bits per weight (ggml-common.h block layouts, ggmlTypes). */
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
  q8_0: {bitsPerElement: ggmlBits('q8_0'), source: 'ggml block_q8_0: 32 x int8 + fp16 scale'},
  q6_k: {bitsPerElement: ggmlBits('q6_k'), source: 'ggml block_q6_K: 210 bytes per 256'},
  q5_k: {bitsPerElement: ggmlBits('q5_k'), source: 'ggml block_q5_K: 176 bytes per 256'},
  q5_1: {bitsPerElement: ggmlBits('q5_1'), source: 'ggml block_q5_1: 24 bytes per 32'},
  q5_0: {bitsPerElement: ggmlBits('q5_0'), source: 'ggml block_q5_0: 22 bytes per 32'},
  q4_k: {bitsPerElement: ggmlBits('q4_k'), source: 'ggml block_q4_K: 144 bytes per 256'},
  q4_0: {bitsPerElement: ggmlBits('q4_0'), source: 'ggml block_q4_0: 32 x 4-bit + fp16 scale'},
  iq4_nl: {bitsPerElement: ggmlBits('iq4_nl'), source: 'ggml block_iq4_nl: 18 bytes per 32'},
  q3_k: {bitsPerElement: ggmlBits('q3_k'), source: 'ggml block_q3_K: 110 bytes per 256'},
  q2_k: {bitsPerElement: ggmlBits('q2_k'), source: 'ggml block_q2_K: 84 bytes per 256'},
} as const
/** A format with one fixed size per element. */
export type PlainWeightFormat = keyof typeof weightFormats

/**
 * GGUF files as llama.cpp's llama-quantize writes them: a file type (llama_ftype, include/llama.h) sets a default
 * ggml type that llama_tensor_get_type (src/llama-quant.cpp) then changes per tensor, so the bytes of a class
 * depend on the model's tensors (src/calc/gguf-mix.ts resolves them per spec). A file type named like its default
 * ggml type (Q8_0, Q6_K, Q4_0, Q2_K) takes a gguf- prefix, since q8_0 alone stays that one type.
 */
export const ggufMixes = {
  'gguf-q8_0': 'Q8_0',
  'gguf-q6_k': 'Q6_K',
  q5_k_m: 'Q5_K_M',
  q5_k_s: 'Q5_K_S',
  q4_k_m: 'Q4_K_M',
  q4_k_s: 'Q4_K_S',
  'gguf-q4_0': 'Q4_0',
  q3_k_l: 'Q3_K_L',
  q3_k_m: 'Q3_K_M',
  q3_k_s: 'Q3_K_S',
  'gguf-q2_k': 'Q2_K',
} as const
export type GgufMix = keyof typeof ggufMixes
export const ggufMixNames = Object.keys(ggufMixes) as GgufMix[]
export const isGgufMix = (format: string): format is GgufMix => Object.hasOwn(ggufMixes, format)

export type WeightFormat = PlainWeightFormat | GgufMix
export const plainWeightFormatNames = Object.keys(weightFormats) as PlainWeightFormat[]
export const weightFormatNames: WeightFormat[] = [...plainWeightFormatNames, ...ggufMixNames]

/** int4 with a chosen group size: 4 bits + fp16 scale and fp16 zero point per group. */
export function int4BitsPerElement(groupSize: number): number {
  return int4Bits.evaluate(int4Bits.read!(groupSize))
}

/** Bits per element of a weight format (int4: with its group's scale and zero point). */
export const weightBitsPerElement = (format: PlainWeightFormat, int4GroupSize = 128): number =>
  format === 'int4' ? int4BitsPerElement(int4GroupSize) : weightFormats[format].bitsPerElement

// Bytes per element of every fixed format, evaluated once from the registry entry (sweeps ask per point).
const weightBytesTable = Object.fromEntries(plainWeightFormatNames.map((f) => [f, bytesPerElement.evaluate(bytesPerElement.read!(weightFormats[f].bitsPerElement))])) as Record<PlainWeightFormat, number>
const int4DefaultBytes = bytesPerElement.evaluate(bytesPerElement.read!(int4BitsPerElement(128)))

/** Bytes per element of a plain format; a GGUF mix has none of its own (weights.ts resolves it per model). */
export function weightBytesPerElement(format: PlainWeightFormat, int4GroupSize = 128): number {
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
