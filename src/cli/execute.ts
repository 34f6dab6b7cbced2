// Runs one command from its definition: parse, set up the terminal, input, run, present. Errors become one
// line on stderr and an exit code (2 unusable input, 1 a check failed, 70 our bug); never a stack unless --debug.
import {builtinCacheIsFresh, configImport, loadValidator, needsImporter, takeImportWarnings} from '../presets/load.js'
import {detectTerminal, loadColour, terminal} from '../render/terminal.js'
import type {CommandDefinition} from './definition.js'
import {describeFailure, needsValidator} from './failure.js'
import {parseCommandLine} from './parse.js'
import {present, type Io} from './present.js'
import {printable} from '../text.js'

export async function execute(definition: CommandDefinition, tokens: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const debug = tokens.includes('--debug') || Boolean(env.DEBUG)
  let format: string | undefined
  try {
    const raw = parseCommandLine(definition as CommandDefinition<never, unknown, never>, tokens)
    Object.assign(terminal, detectTerminal(tokens, env, process.stdout))
    if (terminal.colorLevel > 0) await loadColour()
    // zod is loaded only when something other than an unchanged built-in preset may be read.
    if (needsValidator(tokens, definition.id, builtinCacheIsFresh)) await loadValidator({importer: needsImporter(tokens, definition.id)})
    const flags = raw.flags as Record<string, unknown>
    format = flags.json ? 'json' : (flags.format as string)
    configImport.strict = flags.strict === true
    takeImportWarnings()
    const input = await definition.input(raw as never)
    const ran = await definition.run(input as never)
    // Keys a config.json had that the importer does not know: warnings of the result, before the command's own.
    const imported = takeImportWarnings()
    const result = imported.length ? {...ran, warnings: [...imported, ...ran.warnings]} : ran
    return present(definition as CommandDefinition<never, unknown, typeof result>, result, format, input, io)
  } catch (error) {
    const failure = describeFailure(error as Error, debug)
    if (debug && (error as Error).stack) io.err(printable(`${(error as Error).stack}`, false))
    io.err(`archcost: ${printable(failure.message)}`)
    // CI formats (check, validate, verify) still print a report of the failure, so a CI job never ends without one.
    const report = failure.code === 2 ? definition.presentFailure?.(printable(failure.message), format ?? formatOfTokens(tokens)) : null
    if (report) io.out(report)
    return failure.code
  }
}

/** --format's value read from the raw tokens, for a failure before the command line parsed. */
function formatOfTokens(tokens: string[]): string {
  let format = 'table'
  tokens.forEach((t, i) => {
    if ((t === '--format' || t === '-f') && tokens[i + 1] !== undefined) format = tokens[i + 1]!
    else if (t.startsWith('--format=')) format = t.slice('--format='.length)
  })
  return format
}
