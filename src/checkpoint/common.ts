// Shared pieces of the checkpoint-header readers: bounded reads from a file descriptor and exact element counts.
// Nothing here loads tensor data: every read is of a header, at a known offset, of a bounded length.
import {readSync} from 'node:fs'
import {UserError} from '../errors.js'
import {openRegularFile} from '../files.js'

/** What a reader says about one tensor, before the component mapping. */
export interface CheckpointTensorBase {
  name: string
  shape: number[]
  /** Logical model parameters: the element count, unpacked where the layout is known; 0 for scales and buffers. */
  params: number
  /** Why params is not the stored element count (packed values, quantization scales, buffers); absent when it is. */
  note?: string
}

/**
 * Tensors one checkpoint file may list: real files hold hundreds to a few thousand (a whole sharded 671B checkpoint
 * tens of thousands); past this a header is junk, and its tensor list alone would crowd the memory bound.
 */
export const maxTensorsPerFile = 200_000

/** Opens a checkpoint file for header reads (a regular file only: see openRegularFile); the caller closes it. */
export const openForHeader = (file: string): {fd: number; size: number} => openRegularFile(file, 'checkpoint file')

/** Reads exactly `length` bytes at `position`, or fails naming the file: the file ends before the header says it should. */
export function readExactly(fd: number, file: string, position: number, length: number, what: string): Buffer {
  const buffer = Buffer.alloc(length)
  let done = 0
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done)
    if (n === 0) throw new UserError(`${file}: truncated: the file ends inside the ${what} (byte ${position + done} of ${position + length})`)
    done += n
  }
  return buffer
}

/** Product of a shape's dimensions, refusing anything that is not an exact integer below 2^53. */
export function elementCount(shape: readonly number[], file: string, tensor: string): number {
  let count = 1
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new UserError(`${file}: tensor "${tensor}" has an invalid dimension ${dim}`)
    count *= dim
    if (!Number.isSafeInteger(count)) throw new UserError(`${file}: tensor "${tensor}" has more than 2^53 elements (shape [${shape.join(', ')}])`)
  }
  return count
}

/** a + b, refusing a sum past 2^53 (a count that can no longer be exact). */
export function addExact(a: number, b: number, what: string): number {
  const sum = a + b
  if (!Number.isSafeInteger(sum)) throw new UserError(`${what}: the parameter count passes 2^53 and can no longer be exact`)
  return sum
}

/** Sums params per key (dtype or ggml type), exactly. */
export function paramsBy<T extends {params: number}>(items: readonly T[], key: (item: T) => string, what: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const item of items) {
    if (item.params === 0) continue
    const k = key(item)
    out[k] = addExact(out[k] ?? 0, item.params, what)
  }
  return out
}

export function totalOf(items: readonly {params: number}[], what: string): number {
  return items.reduce((sum, item) => addExact(sum, item.params, what), 0)
}
