// Bytes per stored element, from the bits per element of a format (src/calc/dtype.ts holds the bits of each).
import {formula} from './formula.js'

// Bytes are 8 bits; block formats give their average bits per element, scales included.
export const bytesPerElement = formula({
  id: 'dtype.bytesPerElement',
  label: 'bytes per element',
  expression: 'bits / 8',
  symbols: {bits: 'bits per stored element, block scales averaged in (bits)'},
  unit: 'bytes/element',
  integer: false,
  source: 'src/calc/dtype.ts format tables (OCP MX v1.0, ggml-common.h block layouts, NVFP4)',
  evaluate: (v) => v.bits / 8,
  read: (bits: number) => ({bits}),
})

// GPTQ/AWQ int4: 4-bit weights plus one fp16 scale and one fp16 zero point (32 bits) per group of g weights.
export const int4BitsPerElement = formula({
  id: 'dtype.int4Bits',
  label: 'bits per int4 weight with its group scale and zero point',
  expression: '4 + 32 / g',
  symbols: {g: 'int4 group size (weights per scale)'},
  unit: 'bits',
  integer: false,
  source: 'GPTQ (Frantar et al. 2022) / AutoAWQ WQLinear: fp16 scales and zeros per group',
  evaluate: (v) => 4 + 32 / v.g,
  read: (groupSize: number) => ({g: groupSize}),
})
