// The oclif command classes, generated from the definitions (oclif's "explicit" command strategy): oclif gives
// help, the command list, the manifest and shell completion; running a command goes through the same execute()
// as bin/run.js's direct path, so both print the same bytes.
import {Args, Command, Flags, type Interfaces} from '@oclif/core'
import type {CommandDefinition} from './definition.js'
import {execute} from './execute.js'
import {allFlags} from './parse.js'
import {processIo} from './present.js'
import {commandIds, loadCommand} from './registry.js'

function oclifFlags(definition: CommandDefinition) {
  const flags: Interfaces.FlagInput = {}
  for (const [name, spec] of Object.entries(allFlags(definition))) {
    const common = {description: spec.description, ...(spec.char && {char: spec.char as 'a'}), ...(spec.helpGroup && {helpGroup: spec.helpGroup})}
    flags[name] =
      spec.kind === 'boolean'
        ? Flags.boolean(common)
        : Flags.string({...common, ...(spec.default !== undefined && {default: spec.default}), ...(spec.options && {options: [...spec.options]})})
  }
  return flags
}

export function commandClass(definition: CommandDefinition): Command.Class {
  const args = Object.fromEntries(
    definition.args.map((arg) => [arg.name, Args.string({description: arg.description, required: arg.required, ...(arg.options && {options: [...arg.options]}), ...(arg.default !== undefined && {default: arg.default})})]),
  )
  return class extends Command {
    static override id = definition.id
    static override summary = definition.summary
    static override description = definition.description
    static override examples = definition.examples
    static override usage = definition.usage
    static override args = args
    static override flags = oclifFlags(definition)
    static override strict = !definition.variadic

    async run(): Promise<void> {
      this.parsed = true // parsed by execute() with the definition's own parser, as on the direct path
      const code = await execute(definition, this.argv, processIo)
      if (code !== 0) process.exitCode = code
    }
  }
}

export const COMMANDS: Record<string, Command.Class> = Object.fromEntries(
  await Promise.all(commandIds.map(async (id) => [id, commandClass(await loadCommand(id))] as const)),
)
