// Finds, reads and validates presets. No arithmetic here.
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {ZodError} from 'zod'
import {UserError} from '../errors.js'
import {hardwareSpecSchema, type HardwareSpec} from '../schema/hardware.js'
import {modelSpecSchema, type ModelSpec} from '../schema/model.js'
import {closestMatches} from './closest.js'
import {importHfConfig} from '../import/hf-config.js'

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

/** One line per problem: "file: path: message". */
export function formatZodError(file: string, error: ZodError): string {
  const first = error.issues[0]!
  const path = first.path.length ? first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)'
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : ''
  return `${file}: ${path}: ${first.message}${more}`
}

export function parseModelSpec(raw: unknown, file: string): ModelSpec {
  const result = modelSpecSchema.safeParse(raw)
  if (!result.success) throw new UserError(formatZodError(file, result.error), 'fix the preset, or check it with `archcost validate`')
  return result.data
}

export function readJsonFile(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UserError(`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message})`)
  }
}

/** An id for a model read from a config.json: the file name, or the folder name for ".../config.json". */
export function idFromPath(file: string): string {
  const name = basename(file, '.json') === 'config' ? basename(dirname(resolve(file))) : basename(file, '.json')
  return name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'model'
}

/** A Hugging Face config.json (it has model_type and none of a preset's own keys) rather than a preset. */
export const isHfConfig = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'model_type' in raw && !('layerGroups' in raw)

/** A preset file, or a Hugging Face config.json imported on the fly. */
export function loadModelFile(file: string): ModelSpec {
  const raw = readJsonFile(file)
  if (isHfConfig(raw)) {
    const {_provenance: _ignored, ...config} = raw
    return parseModelSpec(importHfConfig(config, {id: idFromPath(file), configPath: file}), file)
  }
  return parseModelSpec(raw, file)
}

/** Resolves an id (or a path to a preset file) to a validated spec; unknown ids list the closest ones. */
export function loadModel(idOrPath: string, dirs = modelDirs()): ModelSpec {
  if (idOrPath.endsWith('.json') || idOrPath.includes('/')) return loadModelFile(idOrPath)
  for (const dir of dirs) {
    const file = join(dir, `${idOrPath}.json`)
    if (existsSync(file)) return loadModelFile(file)
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
  const result = hardwareSpecSchema.safeParse(raw)
  if (!result.success) throw new UserError(formatZodError(file, result.error), 'fix the hardware profile')
  return result.data
}

/** A hardware id (or profile file); unknown ids list the closest ones. */
export function loadHardware(idOrPath: string): HardwareSpec {
  if (idOrPath.endsWith('.json') || idOrPath.includes('/')) return parseHardwareSpec(readJsonFile(idOrPath), idOrPath)
  const file = join(builtinHardwareDir, `${idOrPath}.json`)
  if (existsSync(file)) return parseHardwareSpec(readJsonFile(file), file)
  const close = closestMatches(idOrPath, listHardwareIds())
  throw new UserError(
    `unknown hardware "${idOrPath}"${close.length ? `; did you mean ${close.map((id) => `"${id}"`).join(', ')}?` : ''}`,
    `known: ${listHardwareIds().join(', ')}`,
  )
}
