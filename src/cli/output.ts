// The files a command writes (--out): what it read, so that --out can never name one of them, and the --force flag.
import type {BooleanFlag} from './definition.js'

export const forceFlag: BooleanFlag = {kind: 'boolean', description: 'Replace the --out file if it exists (never one the command reads)'}

/**
 * Every argument and flag value that may name a file the command reads: positional arguments, and each entry of
 * a flag value (a --hardware list, with any "8x" count taken off). Ids that are not files are harmless here: the
 * writer compares real paths, and an id resolves to no file the user would write over.
 */
export function possibleInputs(argv: readonly string[], flags: Record<string, unknown>, except: readonly string[] = ['out']): string[] {
  const values = Object.entries(flags)
    .filter(([name, value]) => typeof value === 'string' && !except.includes(name))
    .flatMap(([, value]) => (value as string).split(','))
    .map((part) => part.trim().replace(/^\d+\s*[x×]\s*/, ''))
  return [...argv, ...values].filter((text) => text !== '')
}
