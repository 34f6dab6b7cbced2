// The one presenter: a command's typed result -> stdout (JSON of the result itself, or its views through the
// renderer) and stderr (its warnings and messages). Every command prints through here.
import {render} from '../render/render.js'
import type {Format} from '../render/format.js'
import type {TableView} from '../render/view.js'
import {jsonSafe, printable} from '../text.js'
import type {CommandDefinition, Result} from './definition.js'

export interface Io {
  out(text: string): void
  err(text: string): void
}

const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`)

/**
 * A failed write to stdout. EPIPE (the reader left: `archcost compare | head -1`) ends the run quietly with exit 0,
 * as the reader took what it wanted and a pipeline under `set -o pipefail` should not fail for it (a process killed
 * by SIGPIPE would show 141; Node ignores SIGPIPE, so the write error is where the run learns of it). Any other
 * failure (ENOSPC on /dev/full, EIO) is one line on stderr and exit 2: the output is incomplete.
 */
export function stdoutFailed(error: NodeJS.ErrnoException): never {
  if (error.code === 'EPIPE') process.exit(0)
  const why = error.code === 'ENOSPC' ? 'no space left on device (ENOSPC)' : (error.code ?? error.message)
  try {
    process.stderr.write(`archcost: cannot write the output: ${why}\n`)
  } catch {
    // stderr is gone too: the exit code is all that is left
  }
  process.exit(2)
}

let stdoutWatched = false

function writeOut(text: string): void {
  if (!stdoutWatched) {
    stdoutWatched = true
    // first, before oclif's own listener (which rethrows anything but EPIPE)
    process.stdout.prependListener('error', stdoutFailed)
  }
  try {
    process.stdout.write(line(text))
  } catch (error) {
    stdoutFailed(error as NodeJS.ErrnoException)
  }
}

export const processIo: Io = {
  out: writeOut,
  err: (text) => process.stderr.write(line(text)),
}

/** The views with every text that may come from a file or an argument (names, notes, titles) made printable. */
function printableViews(views: TableView[]): TableView[] {
  const safe = (text: string) => printable(text, false)
  return views.map((view) => ({
    ...view,
    ...(view.title !== undefined && {title: safe(view.title)}),
    columns: view.columns.map((c) => ({...c, header: safe(c.header)})),
    rows: view.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? safe(v) : v]))),
    notes: view.notes.map(safe),
  }))
}

const humanFormats: readonly string[] = ['table', 'csv', 'tsv', 'md']

/** Prints a result in `format`; returns the command's exit code. */
export function present<I, R extends Result>(definition: CommandDefinition<never, I, R>, result: R, format: string, input: I, io: Io): number {
  for (const warning of result.warnings) io.err(`warning: ${printable(warning)}`)
  const shown = format === 'json' || !humanFormats.includes(format) ? null : definition.present(result, format as Format, input)
  if (format === 'json') io.out(jsonSafe(JSON.stringify(result, null, 2)))
  else if (!shown) io.out(definition.presentExtra!(result, format, input))
  else if (shown.text !== undefined) {
    // import's preset and schema's document are JSON text
    if (shown.text) io.out(jsonSafe(shown.text))
  }
  else {
    let text = render(format as Format, {views: printableViews(shown.views), data: result})
    if (format === 'table' && shown.after) text += `\n${printable(shown.after, false)}`
    io.out(text)
  }
  for (const message of definition.messages?.(result, input) ?? []) io.err(printable(message))
  return definition.exitCode?.(result) ?? 0
}
