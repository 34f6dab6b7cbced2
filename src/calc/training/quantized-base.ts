// The frozen base of LoRA fine-tuning: 16-bit, or quantized by bitsandbytes as QLoRA and LLM.int8 load it.
// bitsandbytes replaces the decoder layers' nn.Linear modules only (transformers replace_with_bnb_linear); embeddings,
// the LM head (get_keys_to_not_convert), norms, biases and convolutions stay 16-bit.
import {nf4BitsPerParam} from '../formulas/training.js'

export const baseQuantizations = ['none', '8bit', '4bit'] as const
export type BaseQuantization = (typeof baseQuantizations)[number]

/** NF4 with double quantization: 4 + 8/64 + 32/(64 x 256) = 4.127 bits per parameter (Dettmers et al. 2023 §3). */
export const nf4BytesPerParam = nf4BitsPerParam.evaluate({q: 4, B1: 64, B2: 256}) / 8

/** A tensor as gguf-mix.ts tensorsOf gives it: ne[0] = input width, ne[1] = output rows, ne[2] = stacked experts. */
interface TensorShape {
  name: string
  ne: readonly number[]
  cls: string
}

/** Whether bitsandbytes quantizes this tensor: a matrix of a decoder layer (not an embedding, the head, a vector or a conv). */
export const bnbQuantizes = (t: TensorShape) => t.ne.length >= 2 && t.cls !== 'embeddings' && t.cls !== 'perLayerEmbeddings' && !t.name.includes('conv')

/**
 * Bytes per parameter of one base tensor. 8-bit: LLM.int8 Int8Params, an int8 code per weight and an fp32 scale per
 * output row (SCB; Dettmers et al. 2022, vector-wise quantization). 4-bit: NF4 with double quantization.
 */
export function quantizedBaseBytesPerParam(q: BaseQuantization, t: TensorShape): number {
  if (q === 'none' || !bnbQuantizes(t)) return 2
  return q === '4bit' ? nf4BytesPerParam : 1 + 4 / t.ne[0]!
}
