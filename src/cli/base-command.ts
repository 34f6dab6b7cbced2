// Shared command behaviour: --format/--json, --debug, and one-line errors with exit codes
// (0 ok, 1 a check failed, 2 unusable input, 70 our bug).
import {Command, Flags} from '@oclif/core'
import {formats, type Format} from '../render/format.js'
import {detectTerminal, loadColour, terminal} from '../render/terminal.js'
import {builtinCacheIsFresh, loadValidator} from '../presets/load.js'
import type {Io} from './output.js'
import {describeFailure, needsValidator} from './failure.js'



export abstract class BaseCommand extends Command {
  static override baseFlags = {
    format: Flags.string({char: 'f', description: 'Output format', options: [...formats], default: 'table', helpGroup: 'OUTPUT'}),
    json: Flags.boolean({description: 'Same as --format json', helpGroup: 'OUTPUT'}),
    'no-color': Flags.boolean({description: 'Plain text without colour (also NO_COLOR=1)', helpGroup: 'OUTPUT'}),
    debug: Flags.boolean({description: 'Show stack traces on errors', helpGroup: 'OUTPUT'}),
  }

  public override async init(): Promise<void> {
    await super.init()
    Object.assign(terminal, detectTerminal(this.argv, process.env, process.stdout))
    if (terminal.colorLevel > 0) await loadColour()
    // zod is loaded only when something other than an unchanged built-in preset may be read.
    if (needsValidator(this.argv, this.id ?? '', builtinCacheIsFresh)) await loadValidator()
  }

  /** Where the command logic (src/handlers) prints. */
  protected io(): Io {
    return {print: (text) => this.print(text)}
  }

  protected outputFormat(flags: {format?: string; json?: boolean}): Format {
    return flags.json ? 'json' : ((flags.format ?? 'table') as Format)
  }

  protected print(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  protected override async catch(error: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<unknown> {
    if (error.oclif?.exit === 0 || error.constructor?.name === 'ExitError') throw error
    const debug = this.argv.includes('--debug') || Boolean(process.env.DEBUG)
    let {code, message} = describeFailure(error, debug)
    if (code === 70 && error.oclif?.exit !== undefined) {
      // oclif's own parse errors: unknown flag, bad option, missing argument. Its multi-line errors start with
      // a generic line; keep the first one that says what is wrong.
      code = 2
      const line = error.message.split('\n').map((l) => l.trim()).find((l) => l && !/^The following error/.test(l)) ?? error.message
      message = `${line} (see \`archcost ${this.id ?? ''} --help\`)`.replace(/\s+\(/, ' (')
    }
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`)
    process.stderr.write(`archcost: ${message}\n`)
    return this.exit(code)
  }
}
