// A command, defined once as data: its arguments and flags (names, types, defaults, descriptions), how their
// text becomes a typed input, run(input) -> a typed result, and the views that show the result. Both entry
// paths (the oclif class generated from it in src/cli/oclif.ts, and bin/run.js straight to execute()) run it
// through the same parser (src/cli/parse.ts) and the same present() (src/cli/present.ts).
import type {Format} from '../render/format.js'
import type {TableView} from '../render/view.js'

export interface OptionFlag {
  kind: 'option'
  description: string
  char?: string
  /** Text default, as a user would type it; shown in help and applied before input() runs. */
  default?: string
  options?: readonly string[]
  helpGroup?: string
}

export interface BooleanFlag {
  kind: 'boolean'
  description: string
  char?: string
  helpGroup?: string
}

export type FlagSpec = OptionFlag | BooleanFlag
export type FlagSpecs = Record<string, FlagSpec>

export interface ArgSpec {
  name: string
  description: string
  required?: boolean
  options?: readonly string[]
  default?: string
}

/** Flag values as parsed: booleans are true/false, options their text (or their default, or undefined). */
export type RawFlags<F extends FlagSpecs> = {
  [K in keyof F]: F[K] extends BooleanFlag ? boolean : F[K] extends {default: string} ? string : string | undefined
}

export interface RawInput<F extends FlagSpecs> {
  /** Positional arguments by name (the declared ones). */
  args: Record<string, string | undefined>
  /** Every positional argument, for commands that take a list. */
  argv: string[]
  flags: RawFlags<F>
}

/** Every result carries its warnings: printed on stderr, and in JSON under `warnings`. */
export interface Result {
  warnings: string[]
}

/** What present() prints for a result in a human or delimited format. */
export interface Presentation {
  views: TableView[]
  /** Printed after the tables when the format is `table` (the sweep's chart). */
  after?: string
  /** Printed instead of the views whatever the format (import's preset, schema's document). */
  text?: string
}

export interface CommandDefinition<F extends FlagSpecs = FlagSpecs, I = unknown, R extends Result = Result> {
  id: string
  summary: string
  description?: string
  examples: string[]
  usage?: string
  args: ArgSpec[]
  /** Positional arguments after the declared ones are taken (model lists). */
  variadic?: boolean
  flags: F
  /** false for commands that read no model (completion, schema): they take no --strict. */
  readsConfigs?: false
  /** Extra output formats beside table|json|csv|tsv|md (check and validate: github, junit). */
  extraFormats?: readonly string[]
  /** Flag and argument text -> the typed input; bad input throws UserError. */
  input(raw: RawInput<F>): I | Promise<I>
  run(input: I): R | Promise<R>
  /** Views of the result; the input is at hand for the notes that state the assumptions. */
  present(result: R, format: Format, input: I): Presentation
  /** Lines for stderr after the output in every format, without the "warning:" prefix (e.g. "wrote chart.svg"). */
  messages?(result: R, input: I): string[]
  /** github/junit and other formats a command renders itself. */
  presentExtra?(result: R, format: string, input: I): string
  /** What such a format prints when the run stopped on bad input (exit 2), beside the line on stderr; null for nothing. */
  presentFailure?(message: string, format: string): string | null
  /** 0 unless a check in the result failed (1) or its input was unusable (2). */
  exitCode?(result: R): number
}

/** Defines a command with its types inferred from the flags. */
export function defineCommand<F extends FlagSpecs, I, R extends Result>(definition: CommandDefinition<F, I, R>): CommandDefinition<F, I, R> {
  return definition
}

/** What every command that reads models takes: how a config.json key unknown to the importer is treated. */
export const configFlags = {
  strict: {kind: 'boolean', description: 'Refuse a config.json key the importer does not know (exit 2); by default it is a warning and assumed to change no cost'},
} as const satisfies FlagSpecs

/** Output flags every command takes. */
export const outputFlags = {
  format: {kind: 'option', char: 'f', description: 'Output format', default: 'table', helpGroup: 'OUTPUT'},
  json: {kind: 'boolean', description: 'Same as --format json', helpGroup: 'OUTPUT'},
  'no-color': {kind: 'boolean', description: 'Plain text without colour (also NO_COLOR=1)', helpGroup: 'OUTPUT'},
  debug: {kind: 'boolean', description: 'Show stack traces on errors', helpGroup: 'OUTPUT'},
} as const satisfies FlagSpecs
