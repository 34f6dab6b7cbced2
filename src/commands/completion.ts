import {defineCommand} from '../cli/definition.js'
import {fishCompletion} from '../cli/fish.js'
import {commandIds, loadCommand} from '../cli/registry.js'
import {listHardwareIds, listModelIds} from '../presets/load.js'

export default defineCommand({
  id: 'completion',
  summary: 'Shell completion for fish (bash and zsh: `archcost autocomplete bash|zsh`, from oclif\'s autocomplete plugin)',
  examples: ['<%= config.bin %> completion fish > ~/.config/fish/completions/archcost.fish', '<%= config.bin %> autocomplete bash'],
  args: [{name: 'shell', description: 'the shell', required: true, options: ['fish']}],
  flags: {},
  input: (raw) => ({shell: raw.args.shell as 'fish'}),
  run: async ({shell}): Promise<{shell: 'fish'; script: string; warnings: string[]}> => {
    const definitions = await Promise.all(commandIds.map(loadCommand))
    return {shell, script: fishCompletion(definitions, listModelIds(), listHardwareIds()), warnings: []}
  },
  present: (result) => ({views: [], text: result.script}),
})
