// A fish completion script from the command definitions (oclif's autocomplete plugin covers bash and zsh,
// not fish): commands with their summaries, each command's flags with their options, preset and hardware ids.
import type {CommandDefinition} from './definition.js'
import {allFlags} from './parse.js'

/** fish single-quoted text: only \ and ' are special. */
const quote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
const firstSentence = (text: string) => text.split(/(?<=[a-z)])[.;] /)[0]!.slice(0, 120)

export function fishCompletion(definitions: CommandDefinition[], modelIds: string[], hardwareIds: string[]): string {
  const out = [
    '# archcost completions for fish: archcost completion fish > ~/.config/fish/completions/archcost.fish',
    'complete -c archcost -f',
  ]
  for (const d of definitions) out.push(`complete -c archcost -n __fish_use_subcommand -a ${d.id} -d ${quote(firstSentence(d.summary))}`)
  for (const d of definitions) {
    const when = `-n ${quote(`__fish_seen_subcommand_from ${d.id}`)}`
    const takesModels = d.variadic || d.args.some((a) => a.name === 'model' || a.name === 'a')
    if (takesModels) out.push(`complete -c archcost ${when} -a ${quote(modelIds.join(' '))}`)
    for (const arg of d.args) if (arg.options) out.push(`complete -c archcost ${when} -a ${quote(arg.options.join(' '))}`)
    for (const [name, spec] of Object.entries(allFlags(d))) {
      const parts = ['complete -c archcost', when, `-l ${name}`]
      if (spec.char) parts.push(`-s ${spec.char}`)
      if (spec.kind === 'option') {
        // -x: the value is one of these, not a file; -r: any value (files too, for --checkpoint and --out)
        const values = spec.options ?? (name === 'hardware' || name === 'fits' ? hardwareIds : null)
        parts.push(values ? `-x -a ${quote(values.join(' '))}` : '-r')
      }
      parts.push(`-d ${quote(firstSentence(spec.description))}`)
      out.push(parts.join(' '))
    }
  }
  return `${out.join('\n')}\n`
}
