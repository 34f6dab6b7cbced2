// Finds, reads and validates presets. No arithmetic here.
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {UserError} from '../errors.js'
import type {ImportOptions, ImportReport} from '../import/hf-config.js'
import {readBoundedFile, readBoundedText, readJson} from '../files.js'
import {printable} from '../text.js'
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {closestMatches} from './closest.js'

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const builtinModelDir = join(packageRoot, 'presets', 'models')
export const builtinHardwareDir = join(packageRoot, 'presets', 'hardware')

/** Preset folders: ARCHCOST_PRESETS (colon-separated) first, then the built-in ones. */
export function modelDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.ARCHCOST_PRESETS ?? '').split(':').filter(Boolean)
  return [...extra, builtinModelDir]
}

export function listPresetIds(dirs: string[]): string[] {
  const ids = new Set<string>()
  for (const dir of dirs) {
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir)) if (file.endsWith('.json')) ids.add(basename(file, '.json'))
  }
  return [...ids].sort()
}

/** The zod-backed validator (src/presets/validate.ts), loaded on demand: loadValidator() before parsing files. */
type Validator = typeof import('./validate.js')
let validator: Validator | null = null

/** loadValidator() before parsing files; the config.json importer, a large module, too unless no config can be read. */
export async function loadValidator(o: {importer?: boolean} = {}): Promise<void> {
  validator ??= await import('./validate.js')
  if (o.importer ?? true) importer ??= await import('../import/hf-config.js')
}

function requireValidator(): Validator {
  if (!validator) throw new Error('the preset validator was not loaded before a file needed it (loadValidator)')
  return validator
}

type Importer = typeof import('../import/hf-config.js')
let importer: Importer | null = null

function requireImporter(): Importer {
  if (!importer) throw new Error('the config.json importer was not loaded before a config needed it (loadValidator, needsImporter)')
  return importer
}

/**
 * Whether a run may read a config.json, so the importer must be loaded: `import`, extra preset folders, or a .json
 * argument that is a config (a preset file or a checkpoint needs only the validator).
 */
export function needsImporter(argv: string[], commandId: string): boolean {
  if (commandId === 'import' || process.env.ARCHCOST_PRESETS) return true
  return argv.some((a) => {
    // Only a file can be a config (loadModel reads any path with a "/" or ".json"); checkpoints are not.
    if (!(a.endsWith('.json') || a.includes('/')) || /\.(safetensors|gguf|bin|pt|pth)$/i.test(a) || !existsSync(a) || statSync(a).isDirectory()) return false
    try {
      const stamp = stampOf(a)
      const value = readJson(a, 'preset or config.json')
      sniffed = {file: a, stamp, value}
      return isHfConfig(value)
    } catch {
      return true // the command reads it again and names what is wrong
    }
  })
}

export const formatZodError: Validator['formatZodError'] = (file, error) => requireValidator().formatZodError(file, error)

export function parseModelSpec(raw: unknown, file: string): ModelSpec {
  return requireValidator().parseModel(raw, file)
}

/**
 * Built-in presets and hardware profiles validated at build time (scripts/prevalidate.js writes
 * dist/builtin-presets.json with each file's SHA-1 and its validated form). A file whose content no longer
 * matches is validated again, so editing a preset never skips validation.
 */
interface CacheEntry<T> {
  sha1: string
  size: number
  mtimeMs: number
  spec: T
}
interface BuiltinCache {
  models: Record<string, CacheEntry<ModelSpec>>
  hardware: Record<string, CacheEntry<HardwareSpec>>
}
export const builtinCacheFile = join(packageRoot, 'dist', 'builtin-presets.json')
let builtinCache: BuiltinCache | null | undefined

function readBuiltinCache(): BuiltinCache | null {
  if (builtinCache === undefined) {
    try {
      // Our own build output: a few hundred KB; the bound only keeps a damaged install from hanging the start.
      builtinCache = JSON.parse(readBoundedText(builtinCacheFile, 64 * 1024 * 1024)) as BuiltinCache
    } catch {
      builtinCache = null
    }
  }
  return builtinCache
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

let builtinsVerified: boolean | undefined

/** Whether every built-in file still matches the build-time cache (then start-up needs no validator for them). */
export function builtinCacheIsFresh(): boolean {
  if (builtinsVerified !== undefined) return builtinsVerified
  const cache = readBuiltinCache()
  if (!cache) return (builtinsVerified = false)
  // Size and modification time first (one stat per file); the content hash only when those changed.
  const unchanged = (file: string, entry: CacheEntry<unknown> | undefined) => {
    if (!entry) return false
    let stat
    try {
      stat = statSync(file)
    } catch {
      return false
    }
    if (!stat.isFile()) return false
    try {
      return (stat.size === entry.size && stat.mtimeMs === entry.mtimeMs) || entry.sha1 === sha1(readBoundedText(file))
    } catch {
      return false
    }
  }
  const check = (dir: string, entries: Record<string, CacheEntry<unknown>>) => {
    const ids = listPresetIds([dir])
    return ids.length === Object.keys(entries).length && ids.every((id) => unchanged(join(dir, `${id}.json`), entries[id]))
  }
  return (builtinsVerified = check(builtinModelDir, cache.models) && check(builtinHardwareDir, cache.hardware))
}

function cached<T>(kind: 'models' | 'hardware', id: string, file: string): T | null {
  const entries = readBuiltinCache()?.[kind]
  const entry = entries && Object.hasOwn(entries, id) ? entries[id] : undefined
  if (!entry) return null
  if (builtinsVerified) return entry.spec as T // every file was hashed once already this run
  let text: string
  try {
    text = readBoundedFile(file).toString('utf8')
  } catch {
    return null
  }
  return entry.sha1 === sha1(text) ? (entry.spec as T) : null
}

/** A JSON file (preset, config.json, hardware profile), refused before reading when it is not a regular file of at most 4 MiB. */
export function readJsonFile(file: string, what = 'preset or config.json'): unknown {
  // needsImporter has just read this argument at start-up: its parse is used once instead of reading the file twice.
  const s = sniffed
  sniffed = null
  if (s?.file === file && sameStat(file, s.stamp)) return s.value
  return readJson(file, what)
}

let sniffed: {file: string; stamp: string; value: unknown} | null = null
const stampOf = (file: string) => {
  const st = statSync(file)
  return `${st.size}:${st.mtimeMs}:${st.ino}`
}
const sameStat = (file: string, stamp: string) => {
  try {
    return stampOf(file) === stamp
  } catch {
    return false
  }
}

/** An id for a model read from a config.json: the file name, or the folder name for ".../config.json". */
export function idFromPath(file: string): string {
  // "config.json" takes its folder's name; "qwen3-8b.config.json" (as in presets/sources) is qwen3-8b.
  const stem = basename(file, '.json').replace(/\.config$/, '')
  const name = stem === 'config' ? basename(dirname(resolve(file))) : stem
  return name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'model'
}

/**
 * A Hugging Face config.json rather than a preset: it has none of a preset's own keys, and model_type or a key
 * every config.json has (so that one without model_type is told so by the importer, not by the preset schema).
 */
export const isHfConfig = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('layerGroups' in raw) && ['model_type', 'architectures', 'hidden_size', 'num_hidden_layers'].some((key) => key in raw)

/**
 * How this run imports config.json files: `strict` refuses keys unknown to the importer (--strict), else they are
 * warnings, kept in `warnings` until the command takes them (execute() puts them in the result's warnings).
 */
export const configImport = {strict: false, warnings: [] as string[]}

/** The import warnings gathered since the last call, each once. */
export function takeImportWarnings(): string[] {
  const taken = [...new Set(configImport.warnings)]
  configImport.warnings = []
  return taken
}

/** Imports a config.json as this run says (configImport): unknown keys refused with --strict, else kept as warnings. */
export function importConfig(config: Record<string, unknown>, o: ImportOptions): ImportReport {
  const report = requireImporter().importHfConfigReport(config, o, configImport.strict)
  configImport.warnings.push(...report.warnings)
  return report
}

/** A preset file, or a Hugging Face config.json imported on the fly. */
export function loadModelFile(file: string): ModelSpec {
  const raw = readJsonFile(file)
  if (isHfConfig(raw)) {
    const {_provenance: _ignored, ...config} = raw
    return parseModelSpec(importConfig(withQuantFile(config, file), {id: idFromPath(file), configPath: file}).spec, file)
  }
  return parseModelSpec(raw, file)
}

/**
 * A ModelOpt checkpoint whose config.json has no quantization_config keeps it in hf_quant_config.json beside it, and
 * vLLM reads it from there (model_loader/weight_utils.py get_quant_config: ModelOptFp8Config.get_config_filenames):
 * so does archcost, as the quantization_config of a "modelopt" checkpoint.
 */
export function withQuantFile(config: Record<string, unknown>, file: string): Record<string, unknown> {
  const sibling = join(dirname(file), 'hf_quant_config.json')
  if (statesQuantization(config) || !existsSync(sibling)) return config
  return withQuantConfig(config, readJsonFile(sibling, 'hf_quant_config.json'), sibling)
}

/** The config states its quantization itself (or its text config does): no hf_quant_config.json is read. */
export function statesQuantization(config: Record<string, unknown>): boolean {
  const text = config.text_config
  return 'quantization_config' in config || (typeof text === 'object' && text !== null && 'quantization_config' in text)
}

/** The config with an hf_quant_config.json's quantization as its quantization_config ("modelopt"); `where` names the file. */
export function withQuantConfig(config: Record<string, unknown>, quant: unknown, where: string): Record<string, unknown> {
  if (typeof quant !== 'object' || quant === null || Array.isArray(quant) || !('quantization' in quant))
    throw new UserError(`${where}: no "quantization" section, so archcost cannot tell how the checkpoint beside it is stored; remove the file or fix it`)
  return {...config, quantization_config: {quant_method: 'modelopt', quantization: (quant as {quantization: unknown}).quantization}}
}

/** Resolves an id (or a path to a preset file) to a validated spec; unknown ids list the closest ones. */
export function loadModel(idOrPath: string, dirs = modelDirs()): ModelSpec {
  if (idOrPath.endsWith('.json') || idOrPath.includes('/')) return loadModelFile(idOrPath)
  for (const dir of dirs) {
    const file = join(dir, `${idOrPath}.json`)
    if (!existsSync(file)) continue
    return (dir === builtinModelDir && cached<ModelSpec>('models', idOrPath, file)) || loadModelFile(file)
  }
  const close = closestMatches(idOrPath, listPresetIds(dirs))
  throw new UserError(
    `unknown model "${idOrPath}"${close.length ? `; did you mean ${close.map((id) => `"${id}"`).join(', ')}?` : ''}`,
    'run `archcost presets` to list them',
  )
}

export function loadAllModels(dirs = modelDirs()): ModelSpec[] {
  return listPresetIds(dirs).map((id) => loadModel(id, dirs))
}

export const listModelIds = (dirs = modelDirs()) => listPresetIds(dirs)
export const listHardwareIds = () => listPresetIds([builtinHardwareDir])

export function parseHardwareSpec(raw: unknown, file: string): HardwareSpec {
  return requireValidator().parseHardware(raw, file)
}

/**
 * A hardware profile file. A file that is not one (not JSON, not an object with the profile's keys) is refused
 * without quoting it: `--hardware ../../etc/passwd` must not echo a line of that file.
 */
function parseHardwareFile(file: string): HardwareSpec {
  const raw = readJsonFile(file, 'hardware profile')
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('id' in raw))
    throw new UserError(`${printable(file)}: not a hardware profile (a JSON object with "id", "memoryBytes", ...)`, 'see presets/hardware/*.json for the form')
  return parseHardwareSpec(raw, file)
}

/** A hardware id (or profile file); unknown ids list the closest ones. */
export function loadHardware(idOrPath: string): HardwareSpec {
  if (idOrPath.endsWith('.json') || idOrPath.includes('/')) return parseHardwareFile(idOrPath)
  const file = join(builtinHardwareDir, `${idOrPath}.json`)
  if (existsSync(file)) return cached<HardwareSpec>('hardware', idOrPath, file) ?? parseHardwareFile(file)
  const close = closestMatches(idOrPath, listHardwareIds())
  throw new UserError(
    `unknown hardware "${idOrPath}"${close.length ? `; did you mean ${close.map((id) => `"${id}"`).join(', ')}?` : ''}`,
    `known: ${listHardwareIds().join(', ')}`,
  )
}
