// Runs one command from its definition: parse, set up the terminal, input, run, present. Errors become one
// line on stderr and an exit code (2 unusable input, 1 a check failed, 70 our bug); never a stack unless --debug.
import {builtinCacheIsFresh, loadValidator} from '../presets/load.js'
import {detectTerminal, loadColour, terminal} from '../render/terminal.js'
import type {CommandDefinition} from './definition.js'
import {describeFailure, needsValidator} from './failure.js'
import {parseCommandLine} from './parse.js'
import {present, type Io} from './present.js'
import {printable} from '../text.js'

export async function execute(definition: CommandDefinition, tokens: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const debug = tokens.includes('--debug') || Boolean(env.DEBUG)
  try {
    const raw = parseCommandLine(definition as CommandDefinition<never, unknown, never>, tokens)
    Object.assign(terminal, detectTerminal(tokens, env, process.stdout))
    if (terminal.colorLevel > 0) await loadColour()
    // zod is loaded only when something other than an unchanged built-in preset may be read.
    if (needsValidator(tokens, definition.id, builtinCacheIsFresh)) await loadValidator()
    const flags = raw.flags as Record<string, unknown>
    const format = flags.json ? 'json' : (flags.format as string)
    const input = await definition.input(raw as never)
    const result = await definition.run(input as never)
    return present(definition as CommandDefinition<never, unknown, typeof result>, result, format, input, io)
  } catch (error) {
    const failure = describeFailure(error as Error, debug)
    if (debug && (error as Error).stack) io.err(printable(`${(error as Error).stack}`, false))
    io.err(`archcost: ${printable(failure.message)}`)
    return failure.code
  }
}
