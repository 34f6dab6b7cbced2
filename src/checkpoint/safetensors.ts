// Safetensors headers, never the weights: a file starts with an 8-byte little-endian u64 N, then N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {string: string}}, then the tensor data
// (format: huggingface/safetensors README "Format"). A sharded checkpoint's model.safetensors.index.json maps each
// tensor to its shard ({"metadata": {...}, "weight_map": {name: file}}); shards are read header by header.
import {closeSync, realpathSync} from 'node:fs'
import {dirname, isAbsolute, relative, resolve, sep} from 'node:path'
import {UserError} from '../errors.js'
import {jsonDepth, jsonErrorPlace, maxJsonDepth, readJson} from '../files.js'
import {elementCount, maxTensorsPerFile, openForHeader, paramsBy, readExactly, totalOf, type CheckpointTensorBase} from './common.js'
import {packedParams} from './quantized.js'

/**
 * Headers past this are refused unread: real ones are well under 10 MiB even for 100k-tensor checkpoints, and
 * parsing a JSON header takes several times its size in memory.
 */
export const maxHeaderBytes = 32 * 1024 * 1024
/** A model.safetensors.index.json: DeepSeek-V3's, with 91k tensors, is 8.9 MB. */
export const maxIndexBytes = 32 * 1024 * 1024

export interface SafetensorsTensor extends CheckpointTensorBase {
  /** The stored dtype, as the header spells it (BF16, F8_E4M3, U8, ...). */
  dtype: string
  /** The dtype the parameters have once unpacked (MXFP4 for packed gpt-oss blocks); absent when it is `dtype`. */
  logicalDtype?: string
  /** Shard holding the tensor. */
  file: string
}

export interface SafetensorsCheckpoint {
  format: 'safetensors'
  /** The .safetensors file or the index.json given. */
  path: string
  /** Every file whose header was read (one, or each shard). */
  files: string[]
  tensors: SafetensorsTensor[]
  totalParams: number
  /** Parameters per dtype, packed tensors under their logical dtype. */
  paramsByDtype: Record<string, number>
  /** The header's __metadata__ of the first file (string to string). */
  metadata: Record<string, string>
}

/** Bits per element of each safetensors dtype (safetensors `Dtype::bitsize`); shapes count logical elements. */
const dtypeBits: Record<string, number> = {
  BOOL: 8,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  C64: 64,
  F64: 64,
  I64: 64,
  U64: 64,
}

interface RawEntry {
  name: string
  dtype: string
  shape: number[]
  begin: number
  end: number
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads and checks one file's header: entries with exact shapes and offsets that fit the file. */
function readHeader(file: string): {entries: RawEntry[]; metadata: Record<string, string>} {
  const {fd, size} = openForHeader(file)
  try {
    if (size < 8) throw new UserError(`${file}: not a safetensors file (${size} bytes, shorter than the 8-byte header length)`)
    const length = readExactly(fd, file, 0, 8, 'header length').readBigUInt64LE(0)
    if (length > BigInt(maxHeaderBytes))
      throw new UserError(`${file}: not a safetensors file, or a corrupt one: its header length is ${length} bytes, past the ${maxHeaderBytes / 2 ** 20} MiB limit`)
    const n = Number(length)
    if (8 + n > size) throw new UserError(`${file}: truncated: the header is ${n} bytes but the file has ${size - 8} after the length`)
    const text = readExactly(fd, file, 8, n, 'header').toString('utf8')
    if (jsonDepth(text) > maxJsonDepth) throw new UserError(`${file}: not a safetensors file, or a corrupt one: its header nests more than ${maxJsonDepth} deep`)
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch (error) {
      const place = jsonErrorPlace(text, error)
      throw new UserError(`${file}: not a safetensors file, or a corrupt one: its header is not valid JSON${place ? ` (${place})` : ''}`)
    }
    if (!isRecord(raw)) throw new UserError(`${file}: not a safetensors file: its header is not a JSON object`)
    const count = Object.keys(raw).length - (Object.hasOwn(raw, '__metadata__') ? 1 : 0)
    if (count > maxTensorsPerFile) throw new UserError(`${file}: its header lists ${count} tensors, more than any real checkpoint file (the limit is ${maxTensorsPerFile.toLocaleString('en-US')})`)
    const metadata: Record<string, string> = {}
    const entries: RawEntry[] = []
    let dataEnd = 0
    for (const [name, value] of Object.entries(raw)) {
      if (name === '__metadata__') {
        // defineProperty: a key such as "__proto__" is kept as a key, not taken as the object's prototype
        if (isRecord(value)) for (const [k, v] of Object.entries(value)) Object.defineProperty(metadata, k, {value: String(v), enumerable: true, writable: true, configurable: true})
        continue
      }
      const bad = (why: string) => new UserError(`${file}: tensor "${name}" in the header ${why}`)
      if (!isRecord(value)) throw bad('is not an object')
      const {dtype, shape, data_offsets: offsets} = value
      if (typeof dtype !== 'string') throw bad('has no dtype')
      if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number')) throw bad('has no shape')
      if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0) || offsets[0] > offsets[1])
        throw bad('has no valid data_offsets')
      const [begin, end] = offsets as [number, number]
      const elements = elementCount(shape as number[], file, name)
      const bits = Object.hasOwn(dtypeBits, dtype) ? dtypeBits[dtype]! : undefined
      // An unknown dtype leaves the element count unbounded by the bytes; the safetensors library refuses it too.
      if (bits === undefined) throw bad(`has dtype ${JSON.stringify(dtype)}, which safetensors does not define (known: ${Object.keys(dtypeBits).join(', ')})`)
      // The safetensors library refuses a file whose byte range disagrees with shape x dtype; so do we.
      if (elements * bits !== (end - begin) * 8)
        throw bad(`says ${dtype} [${shape.join(', ')}] (${(elements * bits) / 8} bytes) but its data_offsets span ${end - begin} bytes`)
      dataEnd = Math.max(dataEnd, end)
      entries.push({name, dtype, shape: shape as number[], begin, end})
    }
    if (8 + n + dataEnd > size) throw new UserError(`${file}: truncated: the header describes ${dataEnd} bytes of tensor data but the file holds ${size - 8 - n}`)
    // Two tensors sharing bytes would count the same data twice (safetensors' own validation refuses it: InvalidOffset).
    const byStart = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin)
    for (let i = 1; i < byStart.length; i++) {
      const [before, after] = [byStart[i - 1]!, byStart[i]!]
      if (after.begin < before.end)
        throw new UserError(`${file}: corrupt header: tensors "${before.name}" [${before.begin}, ${before.end}) and "${after.name}" [${after.begin}, ${after.end}) overlap`)
    }
    return {entries, metadata}
  } finally {
    closeSync(fd)
  }
}

/**
 * Logical parameters of each stored tensor.
 * - gpt-oss MXFP4 experts: `<proj>_blocks` U8 [..., G, 16] holds two FP4 (E2M1) values per byte, 32 per block of 16 bytes,
 *   with one E8M0 exponent per block in `<proj>_scales` U8 [..., G]; dequantized, the weight has elements x 2 values
 *   (transformers src/transformers/integrations/mxfp4.py: Mxfp4GptOssExperts allocates gate_up_proj_blocks
 *   (E, 2I, H/32, 16) uint8, and convert_moe_packed_tensors writes B * 2 values per block row). The scales are not parameters.
 * - FP8 block-quantized checkpoints (DeepSeek-V3 `*.weight_scale_inv`, one F32 per 128x128 block; compressed-tensors
 *   `*.weight_scale`/`*.input_scale`): dequantization scales, not model parameters.
 * - Buffers some checkpoints carry: `rotary_emb.inv_freq` and GPT-2's causal mask `attn.bias`/`attn.masked_bias`.
 */
function toTensors(entries: RawEntry[], file: string): SafetensorsTensor[] {
  const names = new Set(entries.map((e) => e.name))
  const byName = new Map(entries.map((e) => [e.name, e]))
  return entries.map((e): SafetensorsTensor => {
    const elements = elementCount(e.shape, file, e.name)
    const base = {name: e.name, dtype: e.dtype, shape: e.shape, file}
    const packed = packedParams(e.name, e, byName, file) // GPTQ/AWQ, bitsandbytes, compressed-tensors, ModelOpt (quantized.ts)
    if (packed) return {...base, ...packed}
    if (e.name.endsWith('_blocks') && e.dtype === 'U8' && e.shape[e.shape.length - 1] === 16 && names.has(`${e.name.slice(0, -'_blocks'.length)}_scales`))
      return {...base, params: elements * 2, logicalDtype: 'MXFP4', note: 'MXFP4 packed: 2 FP4 values per byte'}
    if (e.name.endsWith('_scales') && names.has(`${e.name.slice(0, -'_scales'.length)}_blocks`))
      return {...base, params: 0, note: 'MXFP4 block scales (not parameters)'}
    if (/\.(weight_scale_inv|weight_scale|input_scale)$/.test(e.name)) return {...base, params: 0, note: 'quantization scales (not parameters)'}
    if (/(^|\.)rotary_emb\.inv_freq$/.test(e.name) || /(^|\.)attn\.(masked_)?bias$/.test(e.name)) return {...base, params: 0, note: 'buffer (not a parameter)'}
    return {...base, params: elements}
  })
}

function summarize(path: string, files: string[], tensors: SafetensorsTensor[], metadata: Record<string, string>): SafetensorsCheckpoint {
  return {
    format: 'safetensors',
    path,
    files,
    tensors,
    totalParams: totalOf(tensors, path),
    paramsByDtype: paramsBy(tensors, (t) => t.logicalDtype ?? t.dtype, path),
    metadata,
  }
}

/** One .safetensors file. */
export function readSafetensorsFile(file: string): SafetensorsCheckpoint {
  const {entries, metadata} = readHeader(file)
  return summarize(file, [file], toTensors(entries, file), metadata)
}

/** A model.safetensors.index.json and the header of each shard it names (resolved next to the index). */
export function readSafetensorsIndex(indexFile: string): SafetensorsCheckpoint {
  const raw = readJson(indexFile, 'safetensors index (model.safetensors.index.json)', maxIndexBytes)
  const weightMap = isRecord(raw) ? raw.weight_map : undefined
  if (!isRecord(weightMap) || !Object.values(weightMap).every((v) => typeof v === 'string'))
    throw new UserError(`${indexFile}: not a safetensors index: no "weight_map" of tensor name to shard file`)
  const shards = [...new Set(Object.values(weightMap) as string[])]
  const dir = dirname(indexFile)
  const tensors: SafetensorsTensor[] = []
  const seen = new Map<string, string>()
  let metadata: Record<string, string> = {}
  const files: string[] = []
  for (const shard of shards) {
    const file = shardPath(indexFile, dir, shard)
    const header = readHeader(file)
    if (files.length === 0) metadata = header.metadata
    files.push(file)
    const present = new Set(header.entries.map((e) => e.name))
    for (const [name, target] of Object.entries(weightMap))
      if (target === shard && !present.has(name)) throw new UserError(`${indexFile}: lists "${name}" in ${shard}, but that shard's header has no such tensor`)
    for (const t of toTensors(header.entries, file)) {
      const other = seen.get(t.name)
      if (other !== undefined) throw new UserError(`${indexFile}: tensor "${t.name}" is in two shards (${other} and ${shard})`)
      seen.set(t.name, shard)
      tensors.push(t)
    }
  }
  return summarize(indexFile, files, tensors, metadata)
}

/**
 * A shard named by the index, kept inside the checkpoint's folder: an absolute path, "..", or a symlink that leads
 * out of the folder is refused, so that an index cannot make archcost read (and report on) any file on the machine.
 */
function shardPath(indexFile: string, dir: string, shard: string): string {
  const outside = () => new UserError(`${indexFile}: shard "${shard}" is outside the checkpoint's folder; an index names files beside it`)
  if (shard === '' || isAbsolute(shard) || shard.includes('\0')) throw outside()
  const file = resolve(dir, shard)
  let realDir: string
  let realFile: string
  try {
    realDir = realpathSync(dir)
    realFile = realpathSync(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`${indexFile}: shard ${shard}: cannot read it (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')})`)
  }
  const rel = relative(realDir, realFile)
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw outside()
  return file
}

export const readSafetensors = (path: string): SafetensorsCheckpoint =>
  path.endsWith('.json') ? readSafetensorsIndex(path) : readSafetensorsFile(path)
