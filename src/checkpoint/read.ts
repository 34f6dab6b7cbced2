// Finds the checkpoint a path names (a .safetensors file, an index.json, a .gguf file, or a folder holding one)
// and reads its headers into one shape for comparison.
import {closeSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {UserError} from '../errors.js'
import {openForHeader, readExactly} from './common.js'
import type {NamingScheme} from './components.js'
import {readGguf, type GgufCheckpoint} from './gguf.js'
import {readSafetensorsFile, readSafetensorsIndex, type SafetensorsCheckpoint} from './safetensors.js'

export type Checkpoint = SafetensorsCheckpoint | GgufCheckpoint

/** One tensor as the comparison sees it: its stored type (safetensors dtype, packed ones unpacked; ggml type). */
export interface CheckpointEntry {
  name: string
  dtype: string
  params: number
}

export const namingScheme = (checkpoint: Checkpoint): NamingScheme => (checkpoint.format === 'gguf' ? 'gguf' : 'hf')

export function checkpointEntries(checkpoint: Checkpoint): CheckpointEntry[] {
  return checkpoint.format === 'gguf'
    ? checkpoint.tensors.map((t) => ({name: t.name, dtype: t.type, params: t.params}))
    : checkpoint.tensors.map((t) => ({name: t.name, dtype: t.logicalDtype ?? t.dtype, params: t.params}))
}

export const paramsByDtype = (checkpoint: Checkpoint): Record<string, number> =>
  checkpoint.format === 'gguf' ? checkpoint.paramsByType : checkpoint.paramsByDtype

/** The checkpoint file inside a folder: the safetensors index, the one .safetensors file, or the one .gguf (first split). */
function pickInFolder(dir: string): string {
  const files = readdirSync(dir).sort()
  if (files.includes('model.safetensors.index.json')) return join(dir, 'model.safetensors.index.json')
  const indexes = files.filter((f) => f.endsWith('.safetensors.index.json'))
  if (indexes.length === 1) return join(dir, indexes[0]!)
  const safetensors = files.filter((f) => f.endsWith('.safetensors'))
  if (files.includes('model.safetensors')) return join(dir, 'model.safetensors')
  if (safetensors.length === 1) return join(dir, safetensors[0]!)
  if (safetensors.length > 1) throw new UserError(`${dir}: ${safetensors.length} .safetensors files and no model.safetensors.index.json; name the file or the index`)
  const gguf = files.filter((f) => f.endsWith('.gguf') && !/-0000[2-9]-of-|-000[1-9]\d-of-/.test(f))
  if (gguf.length === 1) return join(dir, gguf[0]!)
  if (gguf.length > 1) throw new UserError(`${dir}: ${gguf.length} .gguf files (${gguf.slice(0, 3).join(', ')}${gguf.length > 3 ? ', ...' : ''}); name one`)
  throw new UserError(`${dir}: no checkpoint found (no .safetensors, model.safetensors.index.json or .gguf file)`)
}

/** Whether a file starts with the GGUF magic, whatever its name. */
function startsWithGguf(file: string): boolean {
  const {fd, size} = openForHeader(file)
  try {
    return size >= 4 && readExactly(fd, file, 0, 4, 'magic').toString('latin1') === 'GGUF'
  } finally {
    closeSync(fd)
  }
}

/** Reads the headers of the checkpoint at `path`; nothing of the weights is loaded. */
export function readCheckpoint(path: string): Checkpoint {
  let isDir: boolean
  try {
    isDir = statSync(path).isDirectory()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`${path}: cannot read it (${code === 'ENOENT' ? 'no such file or folder' : (code ?? 'error')})`)
  }
  const file = isDir ? pickInFolder(path) : path
  if (file.endsWith('.json')) return readSafetensorsIndex(file)
  if (file.endsWith('.gguf') || startsWithGguf(file)) return readGguf(file)
  return readSafetensorsFile(file)
}
