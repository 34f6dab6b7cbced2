// Start-up without oclif for the everyday commands. Importing @oclif/core costs about as much as starting
// Node itself, so plain invocations of these commands are parsed here, from the same oclif.manifest.json the
// oclif path uses, and run by the same handlers. Anything this parser does not fully understand (help, an
// unknown or repeated flag, flag relationships, a bad option value) returns null, and oclif runs the command
// as usual, with its own messages.
import {readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {builtinCacheIsFresh, loadValidator} from '../presets/load.js'
import {detectTerminal, loadColour, terminal} from '../render/terminal.js'
import {describeFailure, needsValidator} from './failure.js'
import {stdoutIo} from './output.js'

type Handler = (argv: string[], flags: Record<string, unknown>, ...rest: unknown[]) => Promise<unknown>

const handlers: Record<string, () => Promise<Handler>> = {
  params: async () => (await import('../handlers/params.js')).runParams as Handler,
  presets: async () => (await import('../handlers/presets.js')).runPresets as Handler,
  show: async () => (await import('../handlers/show.js')).runShow as Handler,
  compare: async () => (await import('../handlers/compare.js')).runCompare as Handler,
  kv: async () => (await import('../handlers/kv.js')).runKv as Handler,
  memory: async () => (await import('../handlers/memory.js')).runMemory as Handler,
  fit: async () => (await import('../handlers/fit.js')).runFit as Handler,
  perf: async () => (await import('../handlers/perf.js')).runPerf as Handler,
  flops: async () => (await import('../handlers/flops.js')).runFlopsCommand as Handler,
}

interface ManifestFlag {
  name: string
  char?: string
  type: 'boolean' | 'option'
  default?: unknown
  options?: string[]
  multiple?: boolean
  allowNo?: boolean
  exclusive?: string[]
  dependsOn?: string[]
  exactlyOne?: string[]
  relationships?: unknown[]
}
interface ManifestCommand {
  strict?: boolean
  args: Record<string, {name: string; required?: boolean}>
  flags: Record<string, ManifestFlag>
}

export interface Parsed {
  flags: Record<string, unknown>
  args: Record<string, string | undefined>
  argv: string[]
}

/** Parses argv with the manifest's flag definitions, or returns null when oclif should handle it. */
export function parseWithManifest(tokens: string[], command: ManifestCommand): Parsed | null {
  const flags: Record<string, unknown> = {}
  const positional: string[] = []
  const byChar = new Map(Object.values(command.flags).filter((f) => f.char).map((f) => [f.char!, f]))
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token === '--') {
      positional.push(...tokens.slice(i + 1))
      break
    }
    let flag: ManifestFlag | undefined
    let inline: string | undefined
    if (token.startsWith('--')) {
      const eq = token.indexOf('=')
      const name = eq === -1 ? token.slice(2) : token.slice(2, eq)
      inline = eq === -1 ? undefined : token.slice(eq + 1)
      flag = command.flags[name]
    } else if (/^-[A-Za-z]$/.test(token)) {
      flag = byChar.get(token[1]!)
    } else if (token.startsWith('-') && token.length > 1) {
      return null // bundled short flags, negative numbers as arguments: oclif decides
    } else {
      positional.push(token)
      continue
    }
    if (!flag || flag.multiple || flag.name in flags) return null
    if (flag.type === 'boolean') {
      if (inline !== undefined) return null
      flags[flag.name] = true
      continue
    }
    const value = inline ?? tokens[++i]
    if (value === undefined || (flag.options && !flag.options.includes(value))) return null
    flags[flag.name] = value
  }
  for (const flag of Object.values(command.flags)) {
    if (flag.name in flags) {
      if (flag.exclusive?.some((other) => other in flags) || flag.dependsOn?.some((other) => !(other in flags)) || flag.exactlyOne || flag.relationships) return null
    } else if (flag.default !== undefined) flags[flag.name] = flag.default
  }
  const argNames = Object.keys(command.args)
  const args: Record<string, string | undefined> = {}
  argNames.forEach((name, i) => (args[name] = positional[i]))
  if (argNames.some((name, i) => command.args[name]!.required && positional[i] === undefined)) return null
  if (command.strict !== false && positional.length > argNames.length) return null
  return {flags, args, argv: positional}
}

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Runs an everyday command without oclif; returns its exit code, or null to let oclif run it. */
export async function runFast(tokens: string[]): Promise<number | null> {
  const id = tokens[0]
  if (!id || !handlers[id] || tokens.includes('--help') || tokens.includes('-h')) return null
  let command: ManifestCommand | undefined
  try {
    command = (JSON.parse(readFileSync(join(packageRoot, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, ManifestCommand>}).commands[id]
  } catch {
    return null
  }
  const parsed = command && parseWithManifest(tokens.slice(1), command)
  if (!parsed) return null
  const rest = tokens.slice(1)
  const debug = rest.includes('--debug') || Boolean(process.env.DEBUG)
  try {
    Object.assign(terminal, detectTerminal(rest, process.env, process.stdout))
    if (terminal.colorLevel > 0) await loadColour()
    if (needsValidator(rest, id, builtinCacheIsFresh)) await loadValidator()
    const handler = await handlers[id]!()
    await handler(parsed.argv, parsed.flags, ...(Object.keys(command!.args).length ? [parsed.args] : []), stdoutIo)
    return 0
  } catch (error) {
    const failure = describeFailure(error as Error, debug)
    if (debug && (error as Error).stack) process.stderr.write(`${(error as Error).stack}\n`)
    process.stderr.write(`archcost: ${failure.message}\n`)
    return failure.code
  }
}
