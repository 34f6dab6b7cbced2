// What a command's logic needs from its host (the oclif command, or the fast start-up path): where output goes.
import type {Format} from '../render/format.js'

export interface Io {
  print(text: string): void
}

export const stdoutIo: Io = {print: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)}

export function outputFormat(flags: {format?: string; json?: boolean}): Format {
  return flags.json ? 'json' : ((flags.format ?? 'table') as Format)
}
