import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {readGguf} from '../../src/checkpoint/gguf.js'
import {tempDir, tinyLlamaGgufMetadata, tinyLlamaGgufTensors, writeGguf, userError} from './writers.js'

// The tiny Llama by hand (see safetensors.test.ts): matrices are Q8_0, the five norms F32.
const matrices = 256 * 64 + 2 * (64 * 64 * 2 + 2 * 32 * 64) + 2 * (3 * 64 * 128) + 256 * 64
const norms = 2 * 2 * 64 + 64

let dir: string
let remove: () => void
beforeEach(() => ({dir, remove} = tempDir()))
afterEach(() => remove())

describe('GGUF header', () => {
  it('gives the architecture metadata, the file type and exact counts per ggml type', () => {
    const file = join(dir, 'tiny-Q8_0.gguf')
    writeGguf(file, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    const ck = readGguf(file)
    expect(ck.version).toBe(3)
    expect(ck.architecture).toBe('llama')
    expect(ck.name).toBe('Tiny Llama')
    expect(ck.fileType).toEqual({id: 7, name: 'MOSTLY_Q8_0'})
    expect(ck.modelMetadata).toMatchObject({
      block_count: 2,
      context_length: 2048,
      embedding_length: 64,
      feed_forward_length: 128,
      'attention.head_count': 4,
      'attention.head_count_kv': 2,
      'rope.freq_base': 500000,
      vocab_size: 256,
      'attention.layer_norm_rms_epsilon': 1e-5, // the float32 nearest 1e-5, shown as 1e-5
    })
    expect(ck.metadata['tokenizer.ggml.add_bos_token']).toBe(true)
    expect((ck.metadata['tokenizer.ggml.tokens'] as string[])[255]).toBe('tok255')
    expect(ck.totalParams).toBe(matrices + norms)
    expect(ck.paramsByType).toEqual({Q8_0: matrices, F32: norms})
    expect(ck.tensors.find((t) => t.name === 'blk.1.attn_k.weight')).toMatchObject({type: 'Q8_0', typeId: 8, shape: [64, 32], elements: 2048, params: 2048})
    // Llama 3 RoPE factors are written from the config; the transformers model has no such parameter.
    expect(ck.tensors.find((t) => t.name === 'rope_freqs.weight')).toMatchObject({elements: 8, params: 0})
  })

  it('reads version 2 the same way', () => {
    const file = join(dir, 'v2.gguf')
    writeGguf(file, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors(), 2)
    expect(readGguf(file)).toMatchObject({version: 2, totalParams: matrices + norms})
  })

  it('keeps long arrays as a summary', () => {
    const file = join(dir, 'vocab.gguf')
    writeGguf(file, {...tinyLlamaGgufMetadata(), 'tokenizer.ggml.scores': {type: 'array', of: 'f32', value: Array.from({length: 5000}, () => 0)}}, tinyLlamaGgufTensors())
    expect(readGguf(file).metadata['tokenizer.ggml.scores']).toEqual({arrayOf: 'f32', length: 5000})
  })

  it('reads every part of a split GGUF from the first', () => {
    const tensors = tinyLlamaGgufTensors()
    const split = (no: number) => ({'split.no': {type: 'u16' as const, value: no}, 'split.count': {type: 'u16' as const, value: 2}})
    writeGguf(join(dir, 'tiny-00001-of-00002.gguf'), {...tinyLlamaGgufMetadata(), ...split(0)}, tensors.slice(0, 10))
    writeGguf(join(dir, 'tiny-00002-of-00002.gguf'), split(1), tensors.slice(10))
    const ck = readGguf(join(dir, 'tiny-00001-of-00002.gguf'))
    expect(ck.files).toHaveLength(2)
    expect(ck.totalParams).toBe(matrices + norms)
    expect(userError(() => readGguf(join(dir, 'tiny-00002-of-00002.gguf'))).message).toMatch(/pass the first part/)
  })
})

describe('GGUF: unusable files are one-line errors naming the file', () => {
  it('not GGUF', () => {
    const file = join(dir, 'x.gguf')
    writeFileSync(file, 'hello, world')
    expect(userError(() => readGguf(file)).message).toBe(`${file}: not a GGUF file (it does not start with "GGUF")`)
  })

  it('a header cut short', () => {
    const file = join(dir, 'cut.gguf')
    writeGguf(file, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    const bytes = readFileSync(file)
    for (const at of [10, 30, 200, 3000]) {
      writeFileSync(file, bytes.subarray(0, at))
      const e = userError(() => readGguf(file))
      expect(e.message).toMatch(/truncated/)
      expect(e.message.split('\n')).toHaveLength(1)
    }
  })

  it('tensor data cut short', () => {
    const file = join(dir, 'cut-data.gguf')
    writeGguf(file, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    const bytes = readFileSync(file)
    writeFileSync(file, bytes.subarray(0, bytes.length - 1000))
    expect(userError(() => readGguf(file)).message).toMatch(/truncated: tensor "output.weight" ends at byte/)
  })

  it('an unsupported version', () => {
    const file = join(dir, 'v1.gguf')
    writeGguf(file, {}, [], 1)
    expect(userError(() => readGguf(file)).message).toMatch(/GGUF version 1 is not supported/)
  })

  it('garbage counts', () => {
    const file = join(dir, 'counts.gguf')
    const b = Buffer.alloc(64)
    b.write('GGUF', 0, 'latin1')
    b.writeUInt32LE(3, 4)
    b.writeBigUInt64LE(2n ** 40n, 8)
    b.writeBigUInt64LE(2n ** 40n, 16)
    writeFileSync(file, b)
    expect(userError(() => readGguf(file)).message).toMatch(/cannot fit/)
  })
})
