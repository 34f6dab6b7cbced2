// The one presenter: a command's typed result -> stdout (JSON of the result itself, or its views through the
// renderer) and stderr (its warnings and messages). Every command prints through here.
import {render} from '../render/render.js'
import type {Format} from '../render/format.js'
import type {CommandDefinition, Result} from './definition.js'

export interface Io {
  out(text: string): void
  err(text: string): void
}

const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`)

export const processIo: Io = {
  out: (text) => process.stdout.write(line(text)),
  err: (text) => process.stderr.write(line(text)),
}

const humanFormats: readonly string[] = ['table', 'csv', 'tsv', 'md']

/** Prints a result in `format`; returns the command's exit code. */
export function present<I, R extends Result>(definition: CommandDefinition<never, I, R>, result: R, format: string, input: I, io: Io): number {
  for (const warning of result.warnings) io.err(`warning: ${warning}`)
  const shown = format === 'json' || !humanFormats.includes(format) ? null : definition.present(result, format as Format, input)
  if (format === 'json') io.out(JSON.stringify(result, null, 2))
  else if (!shown) io.out(definition.presentExtra!(result, format, input))
  else if (shown.text !== undefined) {
    if (shown.text) io.out(shown.text)
  }
  else {
    let text = render(format as Format, {views: shown.views, data: result})
    if (format === 'table' && shown.after) text += `\n${shown.after}`
    io.out(text)
  }
  for (const message of definition.messages?.(result, input) ?? []) io.err(message)
  return definition.exitCode?.(result) ?? 0
}
