// GGUF headers, never the weights (spec: ggml docs/gguf.md). Little-endian:
//   magic "GGUF", u32 version (2 or 3), u64 tensor_count, u64 metadata_kv_count,
//   metadata_kv_count x {gguf_string key, u32 value_type, value},
//   tensor_count x {gguf_string name, u32 n_dims, u64 dims[n_dims], u32 ggml_type, u64 offset},
//   padding to general.alignment (default 32), then the tensor data.
// gguf_string is a u64 byte length then UTF-8 bytes; an array value is u32 element type, u64 count, the elements.
// Our own parser rather than @huggingface/gguf: that one pads reads past the end of a local file with zeros, so a
// truncated header parses as zero-sized tensors instead of failing; here every read is bounded by the file's size.
import {closeSync, existsSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {UserError} from '../errors.js'
import {elementCount, maxTensorsPerFile, openForHeader, paramsBy, readExactly, totalOf, type CheckpointTensorBase} from './common.js'

/**
 * Metadata, tensor infos and padding past this are refused: real headers are a few MiB (a 262k-token vocabulary
 * with its scores is ~6 MiB), and what is kept of them must stay well inside the memory a run may use.
 */
export const maxGgufHeaderBytes = 64 * 1024 * 1024
/** Metadata entries: real files have 30 to 60. */
export const maxMetadataEntries = 100_000
/** Arrays longer than this (tokenizer vocabularies, merges) are kept as a summary, not element by element. */
export const maxKeptArrayLength = 1024

export type GgufScalar = number | string | boolean
export type GgufValue = GgufScalar | GgufValue[] | {arrayOf: string; length: number}

export interface GgufTensor extends CheckpointTensorBase {
  /** ggml type name (F32, BF16, Q4_K, MXFP4, ...), or "type N" for one this parser does not know. */
  type: string
  typeId: number
  /** Dimensions as stored, innermost (ne[0]) first. */
  shape: number[]
  elements: number
  /** Byte offset of the data from the start of the file's data section. */
  offset: number
  file: string
}

export interface GgufCheckpoint {
  format: 'gguf'
  path: string
  /** Every file whose header was read (one, or each split of a -00001-of-0000N.gguf set). */
  files: string[]
  version: number
  /** general.architecture (llama, qwen3, deepseek2, gpt-oss, ...). */
  architecture: string | null
  name: string | null
  /** general.file_type as llama.cpp names it (llama_ftype: MOSTLY_Q4_K_M, ...). */
  fileType: {id: number; name: string} | null
  alignment: number
  /** Every key of the first file; arrays longer than maxKeptArrayLength are {arrayOf, length}. */
  metadata: Record<string, GgufValue>
  /** The `<architecture>.` keys with that prefix removed: block_count, embedding_length, attention.head_count, ... */
  modelMetadata: Record<string, GgufValue>
  tensors: GgufTensor[]
  totalParams: number
  /** Parameters per ggml type. */
  paramsByType: Record<string, number>
}

/** ggml_type ids (ggml/include/ggml.h; removed ids 4, 5, 31-33, 36-38 are absent). */
export const ggmlTypeNames: Record<number, string> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 6: 'Q5_0', 7: 'Q5_1', 8: 'Q8_0', 9: 'Q8_1',
  10: 'Q2_K', 11: 'Q3_K', 12: 'Q4_K', 13: 'Q5_K', 14: 'Q6_K', 15: 'Q8_K',
  16: 'IQ2_XXS', 17: 'IQ2_XS', 18: 'IQ3_XXS', 19: 'IQ1_S', 20: 'IQ4_NL', 21: 'IQ3_S', 22: 'IQ2_S', 23: 'IQ4_XS',
  24: 'I8', 25: 'I16', 26: 'I32', 27: 'I64', 28: 'F64', 29: 'IQ1_M', 30: 'BF16',
  34: 'TQ1_0', 35: 'TQ2_0', 39: 'MXFP4', 40: 'NVFP4', 41: 'Q1_0', 42: 'Q2_0',
}

const K = 256
/** [values per block, bytes per block] (gguf-py constants.py GGML_QUANT_SIZES; MXFP4: one E8M0 byte + 16 bytes of FP4 pairs). */
const ggmlBlockSizes: Record<string, [number, number]> = {
  F32: [1, 4], F16: [1, 2], BF16: [1, 2], F64: [1, 8], I8: [1, 1], I16: [1, 2], I32: [1, 4], I64: [1, 8],
  Q4_0: [32, 18], Q4_1: [32, 20], Q5_0: [32, 22], Q5_1: [32, 24], Q8_0: [32, 34], Q8_1: [32, 40],
  Q2_K: [K, 2 + 2 + K / 16 + K / 4], Q3_K: [K, 2 + K / 4 + K / 8 + 12], Q4_K: [K, 2 + 2 + K / 2 + 12],
  Q5_K: [K, 2 + 2 + K / 2 + K / 8 + 12], Q6_K: [K, 2 + K / 2 + K / 4 + K / 16], Q8_K: [K, 4 + K + K / 8],
  IQ2_XXS: [K, 2 + K / 4], IQ2_XS: [K, 2 + K / 4 + K / 32], IQ3_XXS: [K, 2 + K / 4 + K / 8], IQ1_S: [K, 2 + K / 8 + K / 16],
  IQ4_NL: [32, 18], IQ3_S: [K, 2 + K / 4 + K / 8 + K / 32 + 4], IQ2_S: [K, 2 + K / 4 + K / 16], IQ4_XS: [K, 2 + 2 + K / 2 + K / 64],
  IQ1_M: [K, K / 8 + K / 16 + K / 32], TQ1_0: [K, 2 + 4 * 13], TQ2_0: [K, 2 + 64], MXFP4: [32, 17],
}

/** llama_ftype (llama.cpp include/llama.h), as general.file_type stores it. */
export const ggufFileTypeNames: Record<number, string> = {
  0: 'ALL_F32', 1: 'MOSTLY_F16', 2: 'MOSTLY_Q4_0', 3: 'MOSTLY_Q4_1', 4: 'MOSTLY_Q4_1_SOME_F16',
  7: 'MOSTLY_Q8_0', 8: 'MOSTLY_Q5_0', 9: 'MOSTLY_Q5_1', 10: 'MOSTLY_Q2_K', 11: 'MOSTLY_Q3_K_S', 12: 'MOSTLY_Q3_K_M',
  13: 'MOSTLY_Q3_K_L', 14: 'MOSTLY_Q4_K_S', 15: 'MOSTLY_Q4_K_M', 16: 'MOSTLY_Q5_K_S', 17: 'MOSTLY_Q5_K_M', 18: 'MOSTLY_Q6_K',
  19: 'MOSTLY_IQ2_XXS', 20: 'MOSTLY_IQ2_XS', 21: 'MOSTLY_Q2_K_S', 22: 'MOSTLY_IQ3_XS', 23: 'MOSTLY_IQ3_XXS', 24: 'MOSTLY_IQ1_S',
  25: 'MOSTLY_IQ4_NL', 26: 'MOSTLY_IQ3_S', 27: 'MOSTLY_IQ3_M', 28: 'MOSTLY_IQ2_S', 29: 'MOSTLY_IQ2_M', 30: 'MOSTLY_IQ4_XS',
  31: 'MOSTLY_IQ1_M', 32: 'MOSTLY_BF16', 36: 'MOSTLY_TQ1_0', 37: 'MOSTLY_TQ2_0', 38: 'MOSTLY_MXFP4_MOE', 39: 'MOSTLY_NVFP4',
  40: 'MOSTLY_Q1_0', 1024: 'GUESSED',
}

const valueTypeNames = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'bool', 'string', 'array', 'u64', 'i64', 'f64'] as const
/** Smallest encoding of one value of each type, to bound array counts by the bytes left in the file. */
const minValueBytes = [1, 1, 2, 2, 4, 4, 4, 1, 8, 12, 8, 8, 8]

/** Sequential reads through a window of the file, each checked against the file's end and the header limit. */
class HeaderCursor {
  private window: Buffer = Buffer.alloc(0)
  private windowStart = 0
  position = 0

  constructor(
    private readonly fd: number,
    readonly file: string,
    readonly size: number,
  ) {}

  get remaining(): number {
    return this.size - this.position
  }

  private take(n: number, what: string): Buffer {
    if (this.position + n > maxGgufHeaderBytes)
      throw new UserError(`${this.file}: GGUF header runs past ${maxGgufHeaderBytes / 2 ** 20} MiB while reading ${what}; not a valid GGUF file?`)
    if (this.position + n > this.size)
      throw new UserError(`${this.file}: truncated: the file ends inside the GGUF header (reading ${what} at byte ${this.position} of ${this.size})`)
    const start = this.position - this.windowStart
    if (this.position < this.windowStart || start + n > this.window.length) {
      const length = Math.min(Math.max(n, 1 << 20), this.size - this.position)
      this.window = readExactly(this.fd, this.file, this.position, length, 'GGUF header')
      this.windowStart = this.position
    }
    const offset = this.position - this.windowStart
    this.position += n
    return this.window.subarray(offset, offset + n)
  }

  u32 = (what: string) => this.take(4, what).readUInt32LE(0)
  u64 = (what: string) => this.take(8, what).readBigUInt64LE(0)

  /** A u64 that must be an exact JavaScript integer (a count, a dimension, an offset). */
  count(what: string): number {
    const value = this.u64(what)
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new UserError(`${this.file}: ${what} is ${value}, past 2^53; not a valid GGUF file?`)
    return Number(value)
  }

  string(what: string): string {
    const length = this.count(`${what} length`)
    if (length > this.remaining) throw new UserError(`${this.file}: truncated: ${what} is ${length} bytes but the file has ${this.remaining} left`)
    return this.take(length, what).toString('utf8')
  }

  value(type: number, what: string, depth = 0): GgufValue {
    switch (type) {
      case 0: return this.take(1, what).readUInt8(0)
      case 1: return this.take(1, what).readInt8(0)
      case 2: return this.take(2, what).readUInt16LE(0)
      case 3: return this.take(2, what).readInt16LE(0)
      case 4: return this.take(4, what).readUInt32LE(0)
      case 5: return this.take(4, what).readInt32LE(0)
      case 6: return shortestFloat32(this.take(4, what).readFloatLE(0))
      case 7: return this.take(1, what).readUInt8(0) !== 0
      case 8: return this.string(what)
      case 10: return bigToValue(this.take(8, what).readBigUInt64LE(0))
      case 11: return bigToValue(this.take(8, what).readBigInt64LE(0))
      case 12: return this.take(8, what).readDoubleLE(0)
      case 9: {
        if (depth > 8) throw new UserError(`${this.file}: ${what}: arrays nested more than 8 deep; not a valid GGUF file?`)
        const elementType = this.u32(`${what} element type`)
        if (elementType >= valueTypeNames.length) throw new UserError(`${this.file}: ${what}: unknown array element type ${elementType}`)
        const length = this.count(`${what} array length`)
        if (length * minValueBytes[elementType]! > this.remaining)
          throw new UserError(`${this.file}: truncated: ${what} has ${length} elements, more than the ${this.remaining} bytes left can hold`)
        const keep = length <= maxKeptArrayLength
        const values: GgufValue[] = []
        for (let i = 0; i < length; i++) {
          const v = this.value(elementType, what, depth + 1)
          if (keep) values.push(v)
        }
        return keep ? values : {arrayOf: valueTypeNames[elementType]!, length}
      }
      default:
        throw new UserError(`${this.file}: ${what} has an unknown value type ${type}; not a valid GGUF file?`)
    }
  }
}

/** A float32 as the shortest decimal that reads back to the same float32 (1e-5, not 0.000009999999747378752). */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(value.toPrecision(digits))
    if (Math.fround(candidate) === value) return candidate
  }
  return value
}

/** 64-bit integers as numbers when exact, else as their decimal digits. */
const bigToValue = (value: bigint): number | string =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString()

/**
 * Tensors that are not model parameters: llama.cpp's `rope_freqs` (Llama 3 RoPE scaling factors) and Phi-3's
 * `rope_factors_long/short` are written by the converter from config values; the transformers model computes them.
 */
const nonParameter = (name: string) => /^rope_(freqs|factors_long|factors_short)\.weight$/.test(name)

interface ParsedFile {
  version: number
  metadata: Record<string, GgufValue>
  tensors: GgufTensor[]
  alignment: number
}

function parseFile(file: string): ParsedFile {
  const {fd, size} = openForHeader(file)
  try {
    const cursor = new HeaderCursor(fd, file, size)
    if (size < 4 || readExactly(fd, file, 0, 4, 'magic').toString('latin1') !== 'GGUF') throw new UserError(`${file}: not a GGUF file (it does not start with "GGUF")`)
    cursor.position = 4
    const version = cursor.u32('version')
    if ((version & 0xffff) === 0 && version !== 0) throw new UserError(`${file}: a big-endian GGUF file; only little-endian files are read`)
    if (version !== 2 && version !== 3) throw new UserError(`${file}: GGUF version ${version} is not supported (versions 2 and 3 are)`)
    const tensorCount = cursor.count('tensor count')
    const kvCount = cursor.count('metadata count')
    // Each key/value takes at least 8 + 4 + 1 bytes, each tensor info at least 8 + 4 + 4 + 8: bounds garbage counts.
    if (kvCount * 13 + tensorCount * 24 > cursor.remaining)
      throw new UserError(`${file}: truncated or corrupt: ${kvCount} metadata entries and ${tensorCount} tensors cannot fit in the ${cursor.remaining} bytes left`)
    if (tensorCount > maxTensorsPerFile) throw new UserError(`${file}: lists ${tensorCount} tensors, more than any real checkpoint file (the limit is ${maxTensorsPerFile.toLocaleString('en-US')}); not a valid GGUF file?`)
    if (kvCount > maxMetadataEntries) throw new UserError(`${file}: lists ${kvCount} metadata entries, more than any real GGUF file (the limit is ${maxMetadataEntries.toLocaleString('en-US')}); not a valid GGUF file?`)
    const metadata: Record<string, GgufValue> = {}
    for (let i = 0; i < kvCount; i++) {
      const key = cursor.string(`metadata key ${i}`)
      const type = cursor.u32(`type of ${JSON.stringify(key)}`)
      if (Object.hasOwn(metadata, key)) throw new UserError(`${file}: metadata key ${JSON.stringify(key)} appears twice; not a valid GGUF file`)
      // defineProperty: a key such as "__proto__" stays a key instead of replacing the object's prototype
      Object.defineProperty(metadata, key, {value: cursor.value(type, key), enumerable: true, writable: true, configurable: true})
    }
    const rawAlignment = metadata['general.alignment']
    const alignment = typeof rawAlignment === 'number' ? rawAlignment : 32
    if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0)
      throw new UserError(`${file}: general.alignment ${String(rawAlignment)} is not a power of two`)
    const infos: {name: string; shape: number[]; typeId: number; offset: number}[] = []
    for (let i = 0; i < tensorCount; i++) {
      const name = cursor.string(`tensor ${i} name`)
      const nDims = cursor.u32(`dimension count of ${name}`)
      if (nDims > 4) throw new UserError(`${file}: tensor "${name}" has ${nDims} dimensions; GGUF allows at most 4`)
      const shape: number[] = []
      for (let d = 0; d < nDims; d++) shape.push(cursor.count(`dimension ${d} of ${name}`))
      const typeId = cursor.u32(`type of ${name}`)
      const offset = cursor.count(`offset of ${name}`)
      infos.push({name, shape, typeId, offset})
    }
    const dataStart = Math.ceil(cursor.position / alignment) * alignment
    const seen = new Set<string>()
    const ranges: {name: string; start: number; end: number}[] = []
    const tensors = infos.map(({name, shape, typeId, offset}): GgufTensor => {
      // gguf.cpp refuses a repeated tensor name (it would be counted twice here)
      if (seen.has(name)) throw new UserError(`${file}: tensor ${JSON.stringify(name)} appears twice; not a valid GGUF file`)
      seen.add(name)
      if (!Object.hasOwn(ggmlTypeNames, typeId))
        throw new UserError(`${file}: tensor ${JSON.stringify(name)} has ggml type ${typeId}, which this reader does not know; its size cannot be checked (a newer llama.cpp type, or a corrupt file)`)
      const type = ggmlTypeNames[typeId]!
      const elements = elementCount(shape, file, name)
      const start = dataStart + offset
      const block = Object.hasOwn(ggmlBlockSizes, type) ? ggmlBlockSizes[type] : undefined
      let end: number
      if (block) {
        const [values, bytes] = block
        if ((shape[0] ?? 1) % values !== 0) throw new UserError(`${file}: tensor "${name}": a ${type} row of ${shape[0]} values is not a whole number of ${values}-value blocks`)
        end = start + (elements / values) * bytes
      } else {
        // A known type whose block size is not tabled here: every ggml type stores at least one bit per value.
        end = start + Math.ceil(elements / 8)
      }
      if (!Number.isSafeInteger(end) || end > size) throw new UserError(`${file}: truncated: tensor "${name}" ends at byte ${end} but the file has ${size}`)
      if (block && end > start) ranges.push({name, start, end})
      const base = {name, type, typeId, shape, elements, offset, file}
      return nonParameter(name) ? {...base, params: 0, note: 'computed from the config (not a parameter)'} : {...base, params: elements}
    })
    // Two tensors sharing bytes would count the same data twice.
    ranges.sort((a, b) => a.start - b.start)
    for (let i = 1; i < ranges.length; i++) {
      const [before, after] = [ranges[i - 1]!, ranges[i]!]
      if (after.start < before.end) throw new UserError(`${file}: corrupt header: the data of tensors "${before.name}" and "${after.name}" overlap`)
    }
    return {version, metadata, tensors, alignment}
  } finally {
    closeSync(fd)
  }
}

const splitPattern = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/

/** A .gguf file; the first file of a split set (name-00001-of-00003.gguf) brings in the others. */
export function readGguf(path: string): GgufCheckpoint {
  const first = parseFile(path)
  const files = [path]
  const tensors = [...first.tensors]
  const splitCount = first.metadata['split.count']
  const match = splitPattern.exec(basename(path))
  if (typeof splitCount === 'number' && splitCount > 1) {
    if (!match || Number(match[2]) !== 1)
      throw new UserError(`${path}: one part of a ${splitCount}-file split GGUF; pass the first part (…-00001-of-${String(splitCount).padStart(5, '0')}.gguf)`)
    for (let i = 2; i <= splitCount; i++) {
      const part = join(dirname(path), `${match[1]}-${String(i).padStart(5, '0')}-of-${match[3]}.gguf`)
      if (!existsSync(part)) throw new UserError(`${path}: split part ${i} of ${splitCount} is missing (${part})`)
      files.push(part)
      tensors.push(...parseFile(part).tensors)
    }
    const names = new Set<string>()
    for (const t of tensors) {
      if (names.has(t.name)) throw new UserError(`${path}: tensor ${JSON.stringify(t.name)} is in two parts of the split`)
      names.add(t.name)
    }
  }
  const architecture = typeof first.metadata['general.architecture'] === 'string' ? first.metadata['general.architecture'] : null
  const fileTypeId = first.metadata['general.file_type']
  const modelMetadata: Record<string, GgufValue> = {}
  if (architecture)
    for (const [key, value] of Object.entries(first.metadata))
      if (key.startsWith(`${architecture}.`)) Object.defineProperty(modelMetadata, key.slice(architecture.length + 1), {value, enumerable: true, writable: true, configurable: true})
  return {
    format: 'gguf',
    path,
    files,
    version: first.version,
    architecture,
    name: typeof first.metadata['general.name'] === 'string' ? first.metadata['general.name'] : null,
    fileType: typeof fileTypeId === 'number' ? {id: fileTypeId, name: (Object.hasOwn(ggufFileTypeNames, fileTypeId) ? ggufFileTypeNames[fileTypeId] : undefined) ?? `file type ${fileTypeId}`} : null,
    alignment: first.alignment,
    metadata: first.metadata,
    modelMetadata,
    tensors,
    totalParams: totalOf(tensors, path),
    paramsByType: paramsBy(tensors, (t) => t.type, path),
  }
}
