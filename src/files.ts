// Every file the CLI reads or writes goes through here. Reads: a regular file only (a FIFO, a device or a folder
// is refused before it is opened for reading), its size checked first, then read with a bounded read, so that
// /dev/zero or a 3 GB "config" cannot exhaust memory. Writes: never over an input, never over an existing file
// without --force, and atomically (a temporary file in the same folder, then a link or rename), so that a reader
// or a parallel writer never sees half a file.
import {closeSync, constants, fstatSync, linkSync, openSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {UserError} from './errors.js'
import {printable} from './text.js'

const MiB = 1024 * 1024

/** config.json files, presets and hardware profiles: kilobytes in practice (the largest preset here is 8 KB, the largest config.json 7 KB). */
export const maxJsonFileBytes = 4 * MiB

const sizeText = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes} bytes`)

const errnoText = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`
    case 'EISDIR':
      return 'is a folder'
    default:
      return code ?? (error as Error).message
  }
}

/**
 * Opens a regular file for reading and returns its descriptor and size; anything else (a missing file, a folder,
 * a FIFO, a device, a socket) is a one-line UserError naming it. O_NONBLOCK makes opening a FIFO return at once
 * instead of waiting for a writer; fstat then refuses it. The caller closes the descriptor.
 */
export function openRegularFile(file: string, what = 'file'): {fd: number; size: number} {
  const shown = printable(file)
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw new UserError(`${shown}: cannot read it (${errnoText(error)})`)
  }
  const stat = fstatSync(fd)
  if (stat.isDirectory() || !stat.isFile()) {
    closeSync(fd)
    throw new UserError(stat.isDirectory() ? `${shown}: is a folder, not a ${what}` : `${shown}: not a regular file (a device, pipe or socket); give a ${what}`)
  }
  return {fd, size: stat.size}
}

/** A file's bytes, at most `maxBytes` of them: the size is checked before reading, and the read itself is bounded. */
export function readBoundedFile(file: string, maxBytes: number = maxJsonFileBytes, what = 'file'): Buffer {
  const shown = printable(file)
  const {fd, size} = openRegularFile(file, what)
  try {
    if (size > maxBytes) throw new UserError(`${shown}: ${size} bytes, larger than the ${sizeText(maxBytes)} a ${what} may have`)
    // One byte more than allowed: a file that grows after the stat is still caught.
    const buffer = Buffer.alloc(size + 1)
    let done = 0
    for (;;) {
      let n: number
      try {
        n = readSync(fd, buffer, done, buffer.length - done, done)
      } catch (error) {
        throw new UserError(`${shown}: cannot read it (${errnoText(error)})`)
      }
      if (n === 0) break
      done += n
      if (done > maxBytes) throw new UserError(`${shown}: larger than the ${sizeText(maxBytes)} a ${what} may have`)
      if (done === buffer.length) break
    }
    return buffer.subarray(0, done)
  } finally {
    closeSync(fd)
  }
}

export const readBoundedText = (file: string, maxBytes?: number, what?: string): string => readBoundedFile(file, maxBytes, what).toString('utf8')

/** "at line 3, column 7" (or '' when the parser does not say where) for a JSON.parse failure, never the text around it (the file may not be JSON at all, e.g. /etc/passwd). */
export function jsonErrorPlace(text: string, error: unknown): string {
  const message = (error as Error).message ?? ''
  const at = /position (\d+)/.exec(message)
  if (!at) return /end of JSON input/.test(message) ? 'it ends too early' : ''
  const position = Number(at[1])
  const before = text.slice(0, position)
  const line = before.split('\n').length
  const column = position - before.lastIndexOf('\n')
  return `at line ${line}, column ${column}`
}

/** Configs and presets nest a few levels; past this, a walk over the parsed value could overflow the stack. */
export const maxJsonDepth = 64

/** How deep arrays and objects nest in JSON text (brackets inside strings skipped): checked before parsing. */
export function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth)
    else if (c === 0x5d || c === 0x7d) depth--
  }
  return deepest
}

/**
 * JSON as Python's json module writes it: bare Infinity, -Infinity and NaN (Mamba-2 configs state time_step_limit
 * [0.0, Infinity]). Standard JSON first; otherwise those tokens outside strings become 1e999, -1e999 (which
 * JSON.parse reads as ±Infinity) and null, and the text is parsed again. Throws JSON.parse's error if still invalid.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const fixed = text.replace(/("(?:[^"\\]|\\.)*")|(-?)Infinity\b|\bNaN\b/g, (match, str: string | undefined, sign: string | undefined) =>
      str !== undefined ? str : match === 'NaN' ? 'null' : `${sign ?? ''}1e999`,
    )
    if (fixed === text) throw error
    return JSON.parse(fixed)
  }
}

/** A file parsed as JSON, bounded in size and in nesting; `what` names the kind of file in messages. */
export function readJson(file: string, what = 'JSON file', maxBytes = maxJsonFileBytes): unknown {
  const text = readBoundedText(file, maxBytes, what)
  if (jsonDepth(text) > maxJsonDepth) throw new UserError(`${printable(file)}: not a ${what}: arrays or objects nested more than ${maxJsonDepth} deep`)
  try {
    return parseJsonText(text)
  } catch (error) {
    const place = jsonErrorPlace(text, error)
    throw new UserError(`${printable(file)}: not a ${what}: not valid JSON${place ? ` (${place})` : ''}`)
  }
}

/** The real path of a file, or of its folder joined with its name when the file does not exist yet. */
function realPathOf(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    try {
      return join(realpathSync(dirname(resolve(file))), basename(file))
    } catch {
      return resolve(file)
    }
  }
}

export interface WriteOptions {
  /** The flag naming the file, for messages ("--out"). */
  flag: string
  /** Replace an existing file (--force). */
  force: boolean
  /** Files the command read: never written over, --force or not. */
  inputs: readonly string[]
}

let tempCounter = 0

function writeExclusive(file: string, text: string, failed: (error: unknown) => UserError): void {
  try {
    writeFileSync(file, text, {flag: 'wx'})
  } catch (error) {
    throw failed(error)
  }
}

/**
 * Writes `text` to `file` atomically. Without force an existing file is refused, and the refusal is atomic too:
 * the temporary file is hard-linked to the name (link fails if the name exists), so of several parallel writers
 * exactly one wins and the file is never mixed. With force, rename replaces it in one step.
 */
export function writeOutputFile(file: string, text: string, o: WriteOptions): void {
  const shown = `"${printable(file)}"`
  const target = realPathOf(file)
  let existing: ReturnType<typeof statSync> | null = null
  try {
    existing = statSync(file)
  } catch {
    existing = null
  }
  // The same file by its real path (symlinks resolved) or by its inode (a hard link).
  const sameFile = (input: string) => {
    if (realPathOf(input) === target) return true
    if (!existing) return false
    try {
      const stat = statSync(input)
      return stat.ino === existing.ino && stat.dev === existing.dev
    } catch {
      return false
    }
  }
  if (o.inputs.some(sameFile)) throw new UserError(`${o.flag} ${shown} is also an input of this command; write to another file`)
  if (existing?.isDirectory()) throw new UserError(`${o.flag} ${shown}: is a folder; give a file name`)
  if (existing && !o.force) throw new UserError(`${o.flag} ${shown}: the file exists; add --force to replace it`)
  if (existing && !existing.isFile()) throw new UserError(`${o.flag} ${shown}: not a regular file; give a file name`)
  const temp = join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.${tempCounter++}.tmp`)
  const failed = (error: unknown) =>
    new UserError(`${o.flag} ${shown}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check that its folder exists and is writable`)
  try {
    writeFileSync(temp, text, {flag: 'wx'})
  } catch (error) {
    throw failed(error)
  }
  try {
    if (o.force) renameSync(temp, file)
    else {
      try {
        linkSync(temp, file)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EEXIST') throw new UserError(`${o.flag} ${shown}: the file exists; add --force to replace it`)
        // A file system without hard links: create-exclusive still never replaces a file, if not atomically.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') writeExclusive(file, text, failed)
        else throw failed(error)
      }
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    throw failed(error)
  } finally {
    try {
      unlinkSync(temp)
    } catch {
      // renamed away already
    }
  }
}
