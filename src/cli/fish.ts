// A fish completion script from the command manifest (written from the definitions at build time; oclif's
// autocomplete plugin covers bash and zsh, not fish): commands with their summaries, each command's flags with
// their options, preset and hardware ids.

export interface ManifestCommand {
  id: string
  summary?: string
  strict?: boolean
  args: Record<string, {name: string; options?: string[]}>
  flags: Record<string, {name: string; char?: string; type: 'option' | 'boolean'; options?: string[]; description?: string}>
}

/** fish single-quoted text: only \ and ' are special. */
const quote = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
const firstSentence = (text = '') => text.split(/(?<=[a-z)])[.;] /)[0]!.slice(0, 120)

export function fishCompletion(commands: ManifestCommand[], modelIds: string[], hardwareIds: string[]): string {
  const out = ['# archcost completions for fish: archcost completion fish > ~/.config/fish/completions/archcost.fish', 'complete -c archcost -f']
  for (const c of commands) out.push(`complete -c archcost -n __fish_use_subcommand -a ${c.id} -d ${quote(firstSentence(c.summary))}`)
  for (const c of commands) {
    const when = `-n ${quote(`__fish_seen_subcommand_from ${c.id}`)}`
    const args = Object.values(c.args)
    // Model lists (variadic commands) and the model argument of show, explain, verify, diff.
    if (c.strict === false || args.some((a) => a.name === 'model')) out.push(`complete -c archcost ${when} -a ${quote(modelIds.join(' '))}`)
    for (const arg of args) if (arg.options) out.push(`complete -c archcost ${when} -a ${quote(arg.options.join(' '))}`)
    for (const flag of Object.values(c.flags)) {
      const parts = ['complete -c archcost', when, `-l ${flag.name}`]
      if (flag.char) parts.push(`-s ${flag.char}`)
      if (flag.type === 'option') {
        // -x: the value is one of these, not a file; -r: any value (files too, for --checkpoint and --out)
        const values = flag.options ?? (flag.name === 'hardware' || flag.name === 'fits' ? hardwareIds : null)
        parts.push(values ? `-x -a ${quote(values.join(' '))}` : '-r')
      }
      parts.push(`-d ${quote(firstSentence(flag.description))}`)
      out.push(parts.join(' '))
    }
  }
  return `${out.join('\n')}\n`
}
