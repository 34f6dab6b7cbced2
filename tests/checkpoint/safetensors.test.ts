import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {readSafetensors, readSafetensorsFile, readSafetensorsIndex} from '../../src/checkpoint/safetensors.js'
import {tempDir, tinyLlamaHfTensors, writeSafetensors, writeShardedSafetensors, userError} from './writers.js'

// The tiny Llama by hand: h 64, 2 layers, q/o 64x64, k/v 32x64 (2 KV heads of 16), SwiGLU 128, vocab 256, untied.
const embedding = 256 * 64
const attention = 2 * (64 * 64 * 2 + 2 * 32 * 64)
const denseFfn = 2 * (3 * 64 * 128)
const norms = 2 * 2 * 64 + 64
const lmHead = 256 * 64
const total = embedding + attention + denseFfn + norms + lmHead

let dir: string
let remove: () => void
beforeEach(() => ({dir, remove} = tempDir()))
afterEach(() => remove())

describe('safetensors header', () => {
  it('counts every tensor exactly, per dtype, without reading the data', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors(), {format: 'pt'})
    const ck = readSafetensorsFile(file)
    expect(total).toBe(106_816)
    expect(ck.format).toBe('safetensors')
    expect(ck.totalParams).toBe(total)
    expect(ck.paramsByDtype).toEqual({BF16: total - norms, F32: norms})
    expect(ck.tensors).toHaveLength(1 + 2 * 9 + 2)
    expect(ck.tensors.find((t) => t.name === 'model.layers.1.self_attn.k_proj.weight')).toMatchObject({dtype: 'BF16', shape: [32, 64], params: 32 * 64})
    expect(ck.metadata).toEqual({format: 'pt'})
  })

  it('reads a sharded checkpoint through its index, shards resolved next to the index', () => {
    const tensors = tinyLlamaHfTensors()
    const index = writeShardedSafetensors(dir, [tensors.slice(0, 8), tensors.slice(8, 15), tensors.slice(15)])
    const ck = readSafetensors(index)
    expect(ck.files).toHaveLength(3)
    expect(ck.totalParams).toBe(total)
    expect(ck.tensors).toHaveLength(tensors.length)
  })

  it('an index naming a tensor its shard lacks is refused', () => {
    const tensors = tinyLlamaHfTensors()
    const index = writeShardedSafetensors(dir, [tensors.slice(0, 10), tensors.slice(10)])
    const raw = JSON.parse(readFileSync(index, 'utf8'))
    raw.weight_map['model.layers.9.mlp.up_proj.weight'] = 'model-00001-of-00002.safetensors'
    writeFileSync(index, JSON.stringify(raw))
    expect(userError(() => readSafetensorsIndex(index)).message).toMatch(/model\.layers\.9\.mlp\.up_proj\.weight.*no such tensor/)
  })

  it('counts gpt-oss MXFP4 blocks as 2 FP4 values per byte and leaves the scales out', () => {
    // E = 2 experts, H = 64, I = 32: gate_up_proj_blocks (E, 2I, H/32, 16) and down_proj_blocks (E, H, I/32, 16), as Mxfp4GptOssExperts has them.
    const E = 2
    const H = 64
    const I = 32
    const file = join(dir, 'experts.safetensors')
    writeSafetensors(file, [
      {name: 'model.layers.0.mlp.experts.gate_up_proj_blocks', dtype: 'U8', shape: [E, 2 * I, H / 32, 16]},
      {name: 'model.layers.0.mlp.experts.gate_up_proj_scales', dtype: 'U8', shape: [E, 2 * I, H / 32]},
      {name: 'model.layers.0.mlp.experts.gate_up_proj_bias', dtype: 'BF16', shape: [E, 2 * I]},
      {name: 'model.layers.0.mlp.experts.down_proj_blocks', dtype: 'U8', shape: [E, H, I / 32, 16]},
      {name: 'model.layers.0.mlp.experts.down_proj_scales', dtype: 'U8', shape: [E, H, I / 32]},
      {name: 'model.layers.0.mlp.experts.down_proj_bias', dtype: 'BF16', shape: [E, H]},
    ])
    const ck = readSafetensorsFile(file)
    const mxfp4 = E * 2 * I * H + E * H * I // the dequantized gate_up and down matrices
    expect(ck.paramsByDtype).toEqual({MXFP4: mxfp4, BF16: E * 2 * I + E * H})
    expect(ck.totalParams).toBe(mxfp4 + E * 2 * I + E * H)
    expect(ck.tensors.find((t) => t.name.endsWith('gate_up_proj_scales'))).toMatchObject({params: 0})
  })

  it('FP8 block scales (weight_scale_inv) are not parameters', () => {
    const file = join(dir, 'fp8.safetensors')
    writeSafetensors(file, [
      {name: 'model.layers.0.self_attn.o_proj.weight', dtype: 'F8_E4M3', shape: [256, 128]},
      {name: 'model.layers.0.self_attn.o_proj.weight_scale_inv', dtype: 'F32', shape: [2, 1]},
    ])
    const ck = readSafetensorsFile(file)
    expect(ck.totalParams).toBe(256 * 128)
    expect(ck.paramsByDtype).toEqual({F8_E4M3: 256 * 128})
  })
})

describe('safetensors: unusable files are one-line errors naming the file', () => {
  it('a header length past 32 MiB', () => {
    const file = join(dir, 'huge.safetensors')
    const b = Buffer.alloc(64)
    b.writeBigUInt64LE(BigInt(200 * 2 ** 20))
    writeFileSync(file, b)
    const e = userError(() => readSafetensorsFile(file))
    expect(e.message).toContain(file)
    expect(e.message).toContain('32 MiB')
    expect(e.message.split('\n')).toHaveLength(1)
  })

  it('a header that is not JSON', () => {
    const file = join(dir, 'garbage.safetensors')
    const b = Buffer.alloc(8 + 16, 0x41)
    b.writeBigUInt64LE(16n)
    writeFileSync(file, b)
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(/garbage\.safetensors: .*not valid JSON/)
  })

  it('a file cut inside the header or inside the data', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors())
    const bytes = readFileSync(file)
    const headerLength = Number(bytes.readBigUInt64LE(0))
    writeFileSync(file, bytes.subarray(0, 8 + headerLength / 2))
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(/truncated/)
    writeFileSync(file, bytes.subarray(0, bytes.length - 100))
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(/truncated/)
  })

  it('data_offsets that disagree with shape x dtype', () => {
    const file = join(dir, 'bad.safetensors')
    const json = JSON.stringify({w: {dtype: 'BF16', shape: [4, 4], data_offsets: [0, 16]}})
    const length = Buffer.alloc(8)
    length.writeBigUInt64LE(BigInt(json.length))
    writeFileSync(file, Buffer.concat([length, Buffer.from(json), Buffer.alloc(32)]))
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(/"w".*32 bytes.*span 16 bytes/)
  })

  it('a missing file', () => {
    expect(userError(() => readSafetensorsFile(join(dir, 'nope.safetensors'))).message).toMatch(/nope\.safetensors: cannot read it \(no such file\)/)
  })
})
