// Writers of small checkpoint files for the tests: safetensors (header + zero-filled data), a sharded index, and
// GGUF v2/v3 (header, metadata, tensor infos, zero-filled data). Plus a tiny Llama-style model to write them for.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'vitest'
import {UserError} from '../../src/errors.js'

export interface StTensor {
  name: string
  dtype: string
  shape: number[]
}

const stBytes: Record<string, number> = {BF16: 2, F16: 2, F32: 4, U8: 1, I8: 1, F8_E4M3: 1, I32: 4, I64: 8}

/** A .safetensors file: u64 header length, the JSON header (padded with spaces to 8 bytes, as the library does), zero data. */
export function writeSafetensors(file: string, tensors: StTensor[], metadata?: Record<string, string>): void {
  const header: Record<string, unknown> = {}
  if (metadata) header.__metadata__ = metadata
  let offset = 0
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * stBytes[t.dtype]!
    header[t.name] = {dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes]}
    offset += bytes
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - (json.length % 8)) % 8)
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)))
  writeFileSync(file, Buffer.concat([length, Buffer.from(json), Buffer.alloc(offset)]))
}

/** Shards named model-0000i-of-0000n.safetensors and the model.safetensors.index.json that maps them; returns the index path. */
export function writeShardedSafetensors(dir: string, shards: StTensor[][]): string {
  const weightMap: Record<string, string> = {}
  shards.forEach((tensors, i) => {
    const name = `model-${String(i + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`
    writeSafetensors(join(dir, name), tensors)
    for (const t of tensors) weightMap[t.name] = name
  })
  const index = join(dir, 'model.safetensors.index.json')
  writeFileSync(index, JSON.stringify({metadata: {total_size: 0}, weight_map: weightMap}, null, 2))
  return index
}

export type GgufTyped =
  | {type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64' | 'u64' | 'i64'; value: number}
  | {type: 'bool'; value: boolean}
  | {type: 'string'; value: string}
  | {type: 'array'; of: 'string'; value: string[]}
  | {type: 'array'; of: 'i32' | 'f32' | 'u32'; value: number[]}

export interface GgufTensorSpec {
  name: string
  /** ne[0] first, as GGUF stores it. */
  shape: number[]
  /** ggml type id and its [values per block, bytes per block]. */
  type: keyof typeof ggmlTypes
}

export const ggmlTypes = {F32: {id: 0, block: [1, 4]}, F16: {id: 1, block: [1, 2]}, Q8_0: {id: 8, block: [32, 34]}, BF16: {id: 30, block: [1, 2]}} as const

const typeIds = {u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12} as const

class Bytes {
  parts: Buffer[] = []
  length = 0
  push(b: Buffer) {
    this.parts.push(b)
    this.length += b.length
  }
  u32(n: number) {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    this.push(b)
  }
  u64(n: number | bigint) {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(BigInt(n))
    this.push(b)
  }
  str(s: string) {
    const b = Buffer.from(s, 'utf8')
    this.u64(b.length)
    this.push(b)
  }
  scalar(type: string, value: number | boolean | string) {
    const b = Buffer.alloc(8)
    switch (type) {
      case 'u8': return this.push(Buffer.from([value as number]))
      case 'i8': b.writeInt8(value as number); return this.push(b.subarray(0, 1))
      case 'u16': b.writeUInt16LE(value as number); return this.push(b.subarray(0, 2))
      case 'i16': b.writeInt16LE(value as number); return this.push(b.subarray(0, 2))
      case 'u32': return this.u32(value as number)
      case 'i32': b.writeInt32LE(value as number); return this.push(b.subarray(0, 4))
      case 'f32': b.writeFloatLE(value as number); return this.push(b.subarray(0, 4))
      case 'f64': b.writeDoubleLE(value as number); return this.push(b)
      case 'u64': return this.u64(value as number)
      case 'i64': b.writeBigInt64LE(BigInt(value as number)); return this.push(b)
      case 'bool': return this.push(Buffer.from([value ? 1 : 0]))
      case 'string': return this.str(value as string)
    }
    throw new Error(`no writer for ${type}`)
  }
}

/** A GGUF file (default v3, alignment 32) with the given metadata and tensor infos, and zero-filled tensor data. */
export function writeGguf(file: string, metadata: Record<string, GgufTyped>, tensors: GgufTensorSpec[], version = 3): void {
  const out = new Bytes()
  out.push(Buffer.from('GGUF', 'latin1'))
  out.u32(version)
  out.u64(tensors.length)
  out.u64(Object.keys(metadata).length)
  for (const [key, entry] of Object.entries(metadata)) {
    out.str(key)
    out.u32(typeIds[entry.type])
    if (entry.type === 'array') {
      out.u32(typeIds[entry.of])
      out.u64(entry.value.length)
      for (const v of entry.value) out.scalar(entry.of, v)
    } else out.scalar(entry.type, entry.value)
  }
  const align = (n: number) => Math.ceil(n / 32) * 32
  let offset = 0
  for (const t of tensors) {
    out.str(t.name)
    out.u32(t.shape.length)
    for (const d of t.shape) out.u64(d)
    const {id, block} = ggmlTypes[t.type]
    out.u32(id)
    out.u64(offset)
    offset = align(offset + (t.shape.reduce((a, b) => a * b, 1) / block[0]) * block[1])
  }
  const headerEnd = align(out.length)
  out.push(Buffer.alloc(headerEnd - out.length))
  out.push(Buffer.alloc(offset))
  writeFileSync(file, Buffer.concat(out.parts))
}

/** A temporary folder, removed by the returned function. */
export function tempDir(): {dir: string; remove: () => void} {
  const dir = mkdtempSync(join(tmpdir(), 'archcost-checkpoint-'))
  return {dir, remove: () => rmSync(dir, {recursive: true, force: true})}
}

/** A tiny Llama-style preset: h 64, 2 layers, 4 heads of 16 with 2 KV heads, SwiGLU 128, vocabulary 256, untied. */
export function tinyLlamaPreset(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'tiny-llama',
    name: 'Tiny Llama (test)',
    family: 'llama3',
    source: {hfRepo: 'test/tiny-llama', modelType: 'llama', config: 'tests/checkpoint/writers.ts'},
    dtype: 'bf16',
    checkpointWeights: {embeddings: 'bf16', linear: 'bf16', experts: 'bf16', unquantized: 'bf16'},
    hiddenSize: 64,
    layers: 2,
    maxContextTokens: 2048,
    embeddings: {vocabSize: 256, tied: false, learnedPositions: 0, perLayer: null},
    attention: {kind: 'gqa', heads: 4, kvHeads: 2, headDim: 16, valueHeadDim: 16, qkvBias: false, outputBias: false, qkNorm: 'none', sinks: false, outputGate: false},
    ffn: {gated: true, activation: 'silu', intermediateSize: 128, bias: false},
    norms: {kind: 'rmsnorm', bias: false, placement: 'pre', perLayer: 2, final: true},
    rope: {theta: 500000, scaling: null, partialRotaryFactor: 1},
    layerGroups: [{count: 2, mixer: 'full', rope: true, ffn: 'dense'}],
    mtpLayers: 0,
    encoders: [],
    ...overrides,
  }
}

/** The tiny model's tensors as transformers' LlamaForCausalLM names them ([out, in]); matrices BF16, norms F32. */
export function tinyLlamaHfTensors(layers = 2): StTensor[] {
  const t: StTensor[] = [{name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [256, 64]}]
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`
    t.push(
      {name: `${p}.self_attn.q_proj.weight`, dtype: 'BF16', shape: [64, 64]},
      {name: `${p}.self_attn.k_proj.weight`, dtype: 'BF16', shape: [32, 64]},
      {name: `${p}.self_attn.v_proj.weight`, dtype: 'BF16', shape: [32, 64]},
      {name: `${p}.self_attn.o_proj.weight`, dtype: 'BF16', shape: [64, 64]},
      {name: `${p}.mlp.gate_proj.weight`, dtype: 'BF16', shape: [128, 64]},
      {name: `${p}.mlp.up_proj.weight`, dtype: 'BF16', shape: [128, 64]},
      {name: `${p}.mlp.down_proj.weight`, dtype: 'BF16', shape: [64, 128]},
      {name: `${p}.input_layernorm.weight`, dtype: 'F32', shape: [64]},
      {name: `${p}.post_attention_layernorm.weight`, dtype: 'F32', shape: [64]},
    )
  }
  t.push({name: 'model.norm.weight', dtype: 'F32', shape: [64]}, {name: 'lm_head.weight', dtype: 'BF16', shape: [256, 64]})
  return t
}

/** The same model as llama.cpp's converter names it (ne[0] first): matrices Q8_0, norms F32, plus rope_freqs. */
export function tinyLlamaGgufTensors(): GgufTensorSpec[] {
  const t: GgufTensorSpec[] = [{name: 'token_embd.weight', shape: [64, 256], type: 'Q8_0'}, {name: 'rope_freqs.weight', shape: [8], type: 'F32'}]
  for (let i = 0; i < 2; i++) {
    const p = `blk.${i}`
    t.push(
      {name: `${p}.attn_norm.weight`, shape: [64], type: 'F32'},
      {name: `${p}.attn_q.weight`, shape: [64, 64], type: 'Q8_0'},
      {name: `${p}.attn_k.weight`, shape: [64, 32], type: 'Q8_0'},
      {name: `${p}.attn_v.weight`, shape: [64, 32], type: 'Q8_0'},
      {name: `${p}.attn_output.weight`, shape: [64, 64], type: 'Q8_0'},
      {name: `${p}.ffn_norm.weight`, shape: [64], type: 'F32'},
      {name: `${p}.ffn_gate.weight`, shape: [64, 128], type: 'Q8_0'},
      {name: `${p}.ffn_up.weight`, shape: [64, 128], type: 'Q8_0'},
      {name: `${p}.ffn_down.weight`, shape: [128, 64], type: 'Q8_0'},
    )
  }
  t.push({name: 'output_norm.weight', shape: [64], type: 'F32'}, {name: 'output.weight', shape: [64, 256], type: 'Q8_0'})
  return t
}

/** llama.cpp-style metadata for the tiny model (general.file_type 7 = MOSTLY_Q8_0), with a 256-token vocabulary. */
export function tinyLlamaGgufMetadata(): Record<string, GgufTyped> {
  return {
    'general.architecture': {type: 'string', value: 'llama'},
    'general.name': {type: 'string', value: 'Tiny Llama'},
    'general.file_type': {type: 'u32', value: 7},
    'general.quantization_version': {type: 'u32', value: 2},
    'llama.block_count': {type: 'u32', value: 2},
    'llama.context_length': {type: 'u32', value: 2048},
    'llama.embedding_length': {type: 'u32', value: 64},
    'llama.feed_forward_length': {type: 'u32', value: 128},
    'llama.attention.head_count': {type: 'u32', value: 4},
    'llama.attention.head_count_kv': {type: 'u32', value: 2},
    'llama.rope.freq_base': {type: 'f32', value: 500000},
    'llama.attention.layer_norm_rms_epsilon': {type: 'f32', value: 1e-5},
    'llama.vocab_size': {type: 'u64', value: 256},
    'tokenizer.ggml.model': {type: 'string', value: 'gpt2'},
    'tokenizer.ggml.tokens': {type: 'array', of: 'string', value: Array.from({length: 256}, (_, i) => `tok${i}`)},
    'tokenizer.ggml.token_type': {type: 'array', of: 'i32', value: Array.from({length: 256}, () => 1)},
    'tokenizer.ggml.add_bos_token': {type: 'bool', value: true},
    'tokenizer.ggml.bos_token_id': {type: 'u32', value: 1},
  }
}

/** Runs fn and returns the UserError it throws (any other outcome fails the test). */
export function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }
  throw new Error('expected a UserError')
}
