import {defineCommand} from '../cli/definition.js'
import {forceFlag, possibleInputs} from '../cli/output.js'
import {UserError} from '../errors.js'
import {writeOutputFile} from '../files.js'
import {fetchHubConfig, fetchHubQuantConfig} from '../import/hub.js'
import {idFromPath, importConfig, parseModelSpec, readJsonFile, statesQuantization, withQuantConfig, withQuantFile} from '../presets/load.js'
import type {ModelSpec} from '../schema/model.js'

export interface ImportResult {
  preset: ModelSpec
  /** Config keys that change the cost and were read. */
  keysRead: string[]
  /** Config keys that change no cost (tokenizer ids, dropout, ...). */
  keysIgnored: string[]
  /** The file written with --out, else null. */
  writtenTo: string | null
  warnings: string[]
}

export default defineCommand({
  id: 'import',
  summary: 'A Hugging Face config.json (a file, or --hf org/name from the Hub) as an archcost preset',
  examples: [
    '<%= config.bin %> import ./config.json --out presets/my-model.json',
    '<%= config.bin %> import --hf Qwen/Qwen3-8B',
    'HF_ENDPOINT=https://hf-mirror.example <%= config.bin %> import --hf org/name --revision v1.0',
  ],
  args: [{name: 'config', description: 'path to config.json'}],
  flags: {
    hf: {kind: 'option', description: 'Fetch config.json of this Hub repository (org/name); HF_ENDPOINT and HF_TOKEN are honoured'},
    revision: {kind: 'option', description: 'Hub revision (branch, tag or commit) [default: main]'},
    out: {kind: 'option', char: 'o', description: 'Write the preset to this file instead of printing it (an existing file needs --force)'},
    force: forceFlag,
    id: {kind: 'option', description: 'Preset id [default: from the file or repository name]'},
    name: {kind: 'option', description: 'Display name [default: the id]'},
    verbose: {kind: 'boolean', char: 'v', description: 'List the config keys that were read and those ignored because they change no cost'},
  },
  input: (raw) => {
    const {hf, revision} = raw.flags
    if (!raw.args.config === !hf) throw new UserError('give either a config.json path or --hf org/name (not both)')
    if (revision !== undefined && !hf) throw new UserError('--revision goes with --hf org/name')
    if (raw.flags.force && raw.flags.out === undefined) throw new UserError('--force goes with --out FILE')
    const inputs = possibleInputs(raw.argv, {})
    return {config: raw.args.config ?? null, hf: hf ?? null, revision: revision ?? 'main', out: raw.flags.out ?? null, force: raw.flags.force, inputs, id: raw.flags.id ?? null, name: raw.flags.name, verbose: raw.flags.verbose}
  },
  run: async ({config, hf, revision, out, force, inputs, id, name}): Promise<ImportResult> => {
    const raw = hf ? await fetchHubConfig(hf, {revision}) : readJsonFile(config!)
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${hf ?? config}: not a config object`)
    const {_provenance: _ignored, ...fields} = raw as Record<string, unknown>
    const presetId = id ?? (hf ? hf.split('/')[1]!.toLowerCase() : idFromPath(config!))
    const source = hf ? `${hf}@${revision}/config.json` : config!
    // A ModelOpt repository keeps its quantization in hf_quant_config.json beside config.json: fetched too, as read locally.
    const hubQuant = hf && !statesQuantization(fields) ? await fetchHubQuantConfig(hf, {revision}) : null
    const stated = hf ? (hubQuant === null ? fields : withQuantConfig(fields, hubQuant, `${hf}@${revision}/hf_quant_config.json`)) : withQuantFile(fields, config!)
    const report = importConfig(stated, {id: presetId, name, hfRepo: hf ?? undefined, configPath: source})
    const preset = parseModelSpec(report.spec, source)
    if (out) writeOutputFile(out, `${JSON.stringify(preset, null, 2)}\n`, {flag: '--out', force, inputs})
    return {preset, keysRead: report.used, keysIgnored: report.ignored, writtenTo: out, warnings: []}
  },
  present: (result) => ({
    views: [],
    // The preset itself is the output, ready to save; with --out it went to the file instead.
    text: result.writtenTo ? '' : `${JSON.stringify(result.preset, null, 2)}\n`,
  }),
  messages: (result, {verbose}) => [
      ...(verbose
        ? [`read (they change the cost): ${result.keysRead.join(', ') || '—'}`, `ignored (no effect on parameters, KV cache or FLOPs): ${result.keysIgnored.join(', ') || '—'}`]
        : []),
      ...(result.writtenTo ? [`wrote ${result.writtenTo}`] : []),
    ],
})
