// Command-line text -> raw input, from a command's definition: node:util parseArgs in strict mode, then
// the definition's own rules (option lists, required arguments, defaults). The one parser of both entry paths.
import {parseArgs} from 'node:util'
import {UserError} from '../errors.js'
import {closestMatches} from '../presets/closest.js'
import {formats} from '../render/format.js'
import {configFlags, outputFlags, type CommandDefinition, type FlagSpec, type FlagSpecs, type RawInput} from './definition.js'

/** Every flag a command takes: its own, --strict when it reads models, and the output flags. */
export function allFlags(definition: CommandDefinition): FlagSpecs {
  const format = {...outputFlags.format, options: [...formats, ...(definition.extraFormats ?? [])]}
  return {...definition.flags, ...(definition.readsConfigs === false ? {} : configFlags), ...outputFlags, format}
}

const help = (id: string) => `see \`archcost ${id} --help\``

function optionText(name: string, spec: FlagSpec, value: string, id: string): string {
  if (spec.kind === 'option' && spec.options && !spec.options.includes(value))
    throw new UserError(`--${name} "${value}" is not one of ${spec.options.join(', ')}`, help(id))
  return value
}

/** Reads parseArgs' error text back into one line naming the flag. */
function parseFailure(error: Error & {code?: string}, id: string, flags: string[]): UserError {
  const flag = /--[\w-]+/.exec(error.message)?.[0] ?? /'(-\w)/.exec(error.message)?.[1]
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const close = flag?.startsWith('--') ? closestMatches(flag.slice(2), flags, 2).map((name) => `--${name}`) : []
      return new UserError(`unknown flag ${flag ?? error.message}${close.length ? `; did you mean ${close.join(' or ')}?` : ''}`, help(id))
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing|ambiguous/.test(error.message)
        ? new UserError(`${flag ?? 'a flag'} needs a value`, help(id))
        : new UserError(`${flag ?? 'a flag'} takes no value`, help(id))
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UserError(`unexpected argument: ${/'([^']*)'/.exec(error.message)?.[1] ?? ''}`.trim(), help(id))
    default:
      return new UserError(error.message, help(id))
  }
}

/**
 * `--lora-rank -4`: a negative number after an option is its value, where parseArgs would take it for a flag and
 * say the value is missing; joined as `--lora-rank=-4`, the flag's own check says what is wrong with it.
 */
function joinNegativeValues(tokens: string[], specs: FlagSpecs): string[] {
  const byChar = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.char ? [[spec.char, name] as const] : [])))
  const out: string[] = []
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (token === '--') return [...out, ...tokens.slice(i)]
    const name = token.startsWith('--') ? token.slice(2) : /^-\w$/.test(token) ? byChar.get(token.slice(1)) : undefined
    const next = tokens[i + 1]
    if (name !== undefined && specs[name]?.kind === 'option' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`--${name}=${next}`)
      i++
    } else out.push(token)
  }
  return out
}

export function parseCommandLine<F extends FlagSpecs>(definition: CommandDefinition<F, unknown, never>, tokens: string[]): RawInput<F> {
  const specs = allFlags(definition as unknown as CommandDefinition)
  const options: Record<string, {type: 'string' | 'boolean'; short?: string; multiple: true}> = {}
  for (const [name, spec] of Object.entries(specs)) options[name] = {type: spec.kind === 'boolean' ? 'boolean' : 'string', ...(spec.char && {short: spec.char}), multiple: true}
  let parsed: ReturnType<typeof parseArgs>
  try {
    // `multiple` so that a repeated flag is seen, and refused, rather than silently taking the last value.
    parsed = parseArgs({args: joinNegativeValues(tokens, specs), options, allowPositionals: true, strict: true})
  } catch (error) {
    throw parseFailure(error as Error & {code?: string}, definition.id, Object.keys(specs))
  }
  const flags: Record<string, string | boolean | undefined> = {}
  for (const [name, spec] of Object.entries(specs)) {
    const values = parsed.values[name] as (string | boolean)[] | undefined
    if (values && values.length > 1) throw new UserError(`--${name} is given ${values.length} times; give it once`, help(definition.id))
    const value = values?.[0]
    if (spec.kind === 'boolean') flags[name] = value === true
    else flags[name] = value === undefined ? spec.default : optionText(name, spec, value as string, definition.id)
  }
  const argv = parsed.positionals
  const args: Record<string, string | undefined> = {}
  definition.args.forEach((arg, i) => {
    const value = argv[i] ?? arg.default
    if (value === undefined && arg.required) throw new UserError(`missing ${arg.name} (${arg.description.toLowerCase()})`, help(definition.id))
    if (value !== undefined && arg.options && !arg.options.includes(value)) throw new UserError(`${arg.name} "${value}" is not one of ${arg.options.join(', ')}`, help(definition.id))
    args[arg.name] = value
  })
  if (!definition.variadic && argv.length > definition.args.length) throw new UserError(`unexpected argument: ${argv[definition.args.length]}`, help(definition.id))
  return {args, argv, flags: flags as RawInput<F>['flags']}
}
