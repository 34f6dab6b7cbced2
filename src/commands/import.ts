import {writeFileSync} from 'node:fs'
import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {UserError} from '../errors.js'
import {importHfConfigReport} from '../import/hf-config.js'
import {fetchHubConfig} from '../import/hub.js'
import {idFromPath, parseModelSpec, readJsonFile} from '../presets/load.js'

export default class Import extends BaseCommand {
  static override summary = 'A Hugging Face config.json (a file, or --hf org/name from the Hub) as an archcost preset'
  static override examples = [
    '<%= config.bin %> import ./config.json --out presets/my-model.json',
    '<%= config.bin %> import --hf Qwen/Qwen3-8B',
    'HF_ENDPOINT=https://hf-mirror.example <%= config.bin %> import --hf org/name --revision v1.0',
  ]
  static override args = {config: Args.string({description: 'path to config.json'})}
  static override flags = {
    hf: Flags.string({description: 'Fetch config.json of this Hub repository (org/name); HF_ENDPOINT and HF_TOKEN are honoured'}),
    revision: Flags.string({description: 'Hub revision (branch, tag or commit) [default: main]', dependsOn: ['hf']}),
    out: Flags.string({char: 'o', description: 'Write the preset to this file instead of printing it'}),
    id: Flags.string({description: 'Preset id [default: from the file or repository name]'}),
    name: Flags.string({description: 'Display name [default: the id]'}),
    verbose: Flags.boolean({char: 'v', description: 'List the config keys that were read and those ignored because they change no cost'}),
  }

  async run() {
    const {args, flags} = await this.parse(Import)
    if (!args.config === !flags.hf) throw new UserError('give either a config.json path or --hf org/name (not both)')
    const raw = flags.hf ? await fetchHubConfig(flags.hf, {revision: flags.revision ?? 'main'}) : readJsonFile(args.config!)
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${flags.hf ?? args.config}: not a config object`)
    const {_provenance: _ignored, ...config} = raw as Record<string, unknown>
    const id = flags.id ?? (flags.hf ? flags.hf.split('/')[1]!.toLowerCase() : idFromPath(args.config!))
    const source = flags.hf ? `${flags.hf}@${flags.revision ?? 'main'}/config.json` : args.config!
    const report = importHfConfigReport(config, {id, name: flags.name, hfRepo: flags.hf, configPath: source})
    const spec = parseModelSpec(report.spec, source)
    if (flags.verbose) {
      process.stderr.write(`read (they change the cost): ${report.used.join(', ') || '—'}\n`)
      process.stderr.write(`ignored (no effect on parameters, KV cache or FLOPs): ${report.ignored.join(', ') || '—'}\n`)
    }
    const text = `${JSON.stringify(spec, null, 2)}\n`
    if (flags.out) {
      try {
        writeFileSync(flags.out, text)
      } catch (error) {
        throw new UserError(`--out ${flags.out}: cannot write it (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
      }
      process.stderr.write(`wrote ${flags.out}\n`)
    } else this.print(text)
    return spec
  }
}
