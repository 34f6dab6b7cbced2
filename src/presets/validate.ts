// The file-reading half of preset loading: zod validation with one-line, path-naming errors, and the config.json
// importer. Kept apart so that start-up loads them only when a file is not an unchanged built-in preset.
import type {ZodError} from 'zod'
import {UserError} from '../errors.js'
export {importHfConfig, importHfConfigReport} from '../import/hf-config.js'
import {hardwareSpecSchema, type HardwareSpec} from '../schema/hardware.js'
import {modelSpecSchema, type ModelSpec} from '../schema/model.js'

/** One line per problem: "file: path: message". */
export function formatZodError(file: string, error: ZodError): string {
  const first = error.issues[0]!
  const path = first.path.length ? first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)'
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : ''
  return `${file}: ${path}: ${first.message}${more}`
}

export function parseModel(raw: unknown, file: string): ModelSpec {
  const result = modelSpecSchema.safeParse(raw)
  if (!result.success) throw new UserError(formatZodError(file, result.error), 'fix the preset, or check it with `archcost validate`')
  return result.data
}

export function parseHardware(raw: unknown, file: string): HardwareSpec {
  const result = hardwareSpecSchema.safeParse(raw)
  if (!result.success) throw new UserError(formatZodError(file, result.error), 'fix the hardware profile')
  return result.data
}
