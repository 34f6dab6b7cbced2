// Checkpoint headers that lie (issue #15): every count must be one the file's bytes can hold, each tensor once,
// and an index may only name shards inside its own folder.
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {readGguf} from '../../src/checkpoint/gguf.js'
import {readCheckpoint} from '../../src/checkpoint/read.js'
import {readSafetensorsFile, readSafetensorsIndex} from '../../src/checkpoint/safetensors.js'
import {tempDir, tinyLlamaHfTensors, userError, writeGguf, writeSafetensors} from './writers.js'

let dir: string
let remove: () => void
beforeEach(() => ({dir, remove} = tempDir()))
afterEach(() => remove())

/** A safetensors file from a header written as given (offsets and all) and `dataBytes` zero bytes. */
function rawSafetensors(name: string, header: Record<string, unknown>, dataBytes: number): string {
  const json = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(json.length))
  const file = join(dir, name)
  writeFileSync(file, Buffer.concat([length, json, Buffer.alloc(dataBytes)]))
  return file
}

/** A GGUF v3 file with no metadata and the tensor infos as given (type ids and offsets unchecked). */
function rawGguf(name: string, tensors: {name: string; shape: number[]; type: number; offset: number}[], dataBytes: number): string {
  const parts: Buffer[] = [Buffer.from('GGUF')]
  const u32 = (v: number) => parts.push(Buffer.from(new Uint32Array([v]).buffer))
  const u64 = (v: number) => parts.push(Buffer.from(new BigUint64Array([BigInt(v)]).buffer))
  u32(3)
  u64(tensors.length)
  u64(0)
  for (const t of tensors) {
    u64(Buffer.byteLength(t.name))
    parts.push(Buffer.from(t.name))
    u32(t.shape.length)
    t.shape.forEach(u64)
    u32(t.type)
    u64(t.offset)
  }
  const head = Buffer.concat(parts)
  const file = join(dir, name)
  writeFileSync(file, Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32), Buffer.alloc(dataBytes)]))
  return file
}

describe('safetensors', () => {
  it('refuses tensors whose data_offsets overlap (the same bytes counted twice)', () => {
    // a: F32 [2] = 8 bytes at [0, 8); b: F32 [2] at [4, 12): bytes 4..8 are in both
    const file = rawSafetensors('overlap.safetensors', {a: {dtype: 'F32', shape: [2], data_offsets: [0, 8]}, b: {dtype: 'F32', shape: [2], data_offsets: [4, 12]}}, 12)
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(/tensors "a" \[0, 8\) and "b" \[4, 12\) overlap/)
  })
  it('accepts tensors that touch, and zero-size tensors anywhere', () => {
    const file = rawSafetensors('touch.safetensors', {a: {dtype: 'F32', shape: [2], data_offsets: [0, 8]}, e: {dtype: 'F32', shape: [0], data_offsets: [4, 4]}, b: {dtype: 'F32', shape: [2], data_offsets: [8, 16]}}, 16)
    expect(readSafetensorsFile(file).totalParams).toBe(2 + 0 + 2)
  })
  it.each([['Q99'], ['constructor'], ['__proto__'], ['toString']])('refuses the unknown dtype %s instead of counting its shape', (dtype) => {
    // [1e6, 1e6, 4500] = 4.5e15 elements over 4 bytes: only a known dtype ties the count to the bytes
    const file = rawSafetensors('odd.safetensors', {w: {dtype, shape: [1_000_000, 1_000_000, 4500], data_offsets: [0, 4]}}, 4)
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(new RegExp(`dtype "${dtype}", which safetensors does not define`))
  })
  it('keeps a "__proto__" metadata key as a key', () => {
    const file = rawSafetensors('meta.safetensors', JSON.parse('{"__metadata__": {"__proto__": "x", "format": "pt"}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}'), 4)
    const ck = readSafetensorsFile(file)
    expect(Object.keys(ck.metadata)).toEqual(['__proto__', 'format'])
    expect(Object.getPrototypeOf(ck.metadata)).toBe(Object.prototype)
  })
})

describe('counts past any real checkpoint are refused before they cost memory', () => {
  it('a GGUF header that claims 300,000 tensors', () => {
    // 24 bytes per tensor info at least: 300,000 fit in the file, so it is the count that is refused
    const header = Buffer.alloc(64 + 300_000 * 24)
    header.write('GGUF')
    header.writeUInt32LE(3, 4)
    header.writeBigUInt64LE(300_000n, 8) // tensor count
    header.writeBigUInt64LE(0n, 16) // metadata count
    const file = join(dir, 'many.gguf')
    writeFileSync(file, header)
    expect(userError(() => readGguf(file)).message).toMatch(/lists 300000 tensors, more than any real checkpoint file \(the limit is 200,000\)/)
  })
  it('a safetensors header with 200,001 tensors', () => {
    const header: Record<string, unknown> = {}
    for (let i = 0; i <= 200_000; i++) header[`t${i}`] = {dtype: 'F32', shape: [0], data_offsets: [0, 0]}
    const file = rawSafetensors('many.safetensors', header, 0)
    expect(userError(() => readSafetensorsFile(file)).message).toMatch(/lists 200001 tensors, more than any real checkpoint file/)
  })
})

describe('safetensors index: shards stay inside the checkpoint folder', () => {
  const index = (folder: string, shard: string) => {
    mkdirSync(folder, {recursive: true})
    const file = join(folder, 'model.safetensors.index.json')
    writeFileSync(file, JSON.stringify({metadata: {}, weight_map: {'model.embed_tokens.weight': shard}}))
    return file
  }
  it.each([['../outside.safetensors'], ['../../../../../../../../etc/hostname'], ['/etc/hostname'], ['sub/../../outside.safetensors']])('refuses the shard path %s', (shard) => {
    writeSafetensors(join(dir, 'outside.safetensors'), tinyLlamaHfTensors())
    expect(userError(() => readSafetensorsIndex(index(join(dir, 'ck'), shard))).message).toMatch(/is outside the checkpoint's folder/)
  })
  it('refuses a symlink inside the folder that leads out of it', () => {
    writeSafetensors(join(dir, 'outside.safetensors'), tinyLlamaHfTensors())
    const file = index(join(dir, 'ck'), 'model-00001.safetensors')
    symlinkSync(join(dir, 'outside.safetensors'), join(dir, 'ck', 'model-00001.safetensors'))
    expect(userError(() => readSafetensorsIndex(file)).message).toMatch(/shard "model-00001.safetensors" is outside the checkpoint's folder/)
  })
  it('follows a shard in a subfolder, and a folder reached through a symlink', () => {
    const real = join(dir, 'real')
    mkdirSync(join(real, 'shards'), {recursive: true})
    const tensors = tinyLlamaHfTensors().filter((t) => t.name === 'model.embed_tokens.weight')
    writeSafetensors(join(real, 'shards', 'a.safetensors'), tensors)
    index(real, 'shards/a.safetensors')
    symlinkSync(real, join(dir, 'link'))
    expect(readCheckpoint(join(dir, 'link')).totalParams).toBe(256 * 64) // vocab x hidden of the tiny Llama
  })
})

describe('GGUF', () => {
  it('refuses a ggml type it does not know instead of counting its shape (type 999, [2^26, 2^26], 96 bytes)', () => {
    const file = rawGguf('t999.gguf', [{name: 'blk.0.attn_q.weight', shape: [2 ** 26, 2 ** 26], type: 999, offset: 0}], 0)
    expect(userError(() => readGguf(file)).message).toMatch(/"blk.0.attn_q.weight" has ggml type 999, which this reader does not know/)
  })
  it('refuses a tensor name given twice', () => {
    const file = rawGguf('dup.gguf', [{name: 'token_embd.weight', shape: [8], type: 0, offset: 0}, {name: 'token_embd.weight', shape: [8], type: 0, offset: 32}], 64)
    expect(userError(() => readGguf(file)).message).toMatch(/tensor "token_embd.weight" appears twice/)
  })
  it('refuses tensors whose data overlap', () => {
    // F32 [8] = 32 bytes: at offsets 0 and 16 they share 16 bytes
    const file = rawGguf('overlap.gguf', [{name: 'token_embd.weight', shape: [8], type: 0, offset: 0}, {name: 'output.weight', shape: [8], type: 0, offset: 16}], 64)
    expect(userError(() => readGguf(file)).message).toMatch(/the data of tensors "token_embd.weight" and "output.weight" overlap/)
  })
  it('a known type without a tabled block size is held to at least one bit per value', () => {
    // NVFP4 (40): [2^20] values need at least 2^17 bytes; the file has 64
    const file = rawGguf('nvfp4.gguf', [{name: 'token_embd.weight', shape: [2 ** 20], type: 40, offset: 0}], 64)
    expect(userError(() => readGguf(file)).message).toMatch(/truncated: tensor "token_embd.weight" ends at byte/)
  })
  it('keeps a "__proto__" metadata key as a plain key', () => {
    const file = join(dir, 'meta.gguf')
    const metadata = Object.fromEntries([['general.architecture', {type: 'string', value: 'llama'}], ['__proto__', {type: 'string', value: 'x'}]])
    writeGguf(file, metadata as never, [{name: 'token_embd.weight', shape: [8], type: 'F32'}] as never)
    const ck = readGguf(file)
    expect(Object.getPrototypeOf(ck.metadata)).toBe(Object.prototype)
    expect(Object.keys(ck.metadata)).toEqual(['general.architecture', '__proto__'])
    expect(ck.totalParams).toBe(8)
  })
})
