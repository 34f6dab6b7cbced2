import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {defineCommand} from '../cli/definition.js'
import {fishCompletion, type ManifestCommand} from '../cli/fish.js'
import {listHardwareIds, listModelIds} from '../presets/load.js'
import {readBoundedText} from '../files.js'

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export default defineCommand({
  id: 'completion',
  summary: "Shell completion for fish (for bash and zsh: `archcost autocomplete bash` or `zsh`, oclif's autocomplete plugin)",
  examples: ['<%= config.bin %> completion fish > ~/.config/fish/completions/archcost.fish', '<%= config.bin %> autocomplete bash'],
  readsConfigs: false,
  args: [{name: 'shell', description: 'the shell', required: true, options: ['fish']}],
  flags: {},
  input: (raw) => ({shell: raw.args.shell as 'fish'}),
  run: ({shell}): {shell: 'fish'; script: string; warnings: string[]} => {
    // The manifest the build writes from the definitions (scripts/write-manifest.js): no command module is loaded.
    const manifest = JSON.parse(readBoundedText(join(packageRoot, 'oclif.manifest.json'), 16 * 1024 * 1024)) as {commands: Record<string, ManifestCommand>}
    const commands = Object.values(manifest.commands).sort((a, b) => a.id.localeCompare(b.id, 'en'))
    return {shell, script: fishCompletion(commands, listModelIds(), listHardwareIds()), warnings: []}
  },
  present: (result) => ({views: [], text: result.script}),
})
