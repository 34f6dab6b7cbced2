// The file-reading half of preset loading: zod validation with one-line, path-naming errors, and the config.json
// importer. Kept apart so that start-up loads them only when a file is not an unchanged built-in preset.
import type {ZodError} from 'zod'
import {UserError} from '../errors.js'
import {hardwareSpecSchema, type HardwareSpec} from '../schema/hardware.js'
import {modelSpecSchema, type ModelSpec} from '../schema/model.js'

/** One line per problem: "file: path: message". */
export function formatZodError(file: string, error: ZodError): string {
  const first = error.issues[0]!
  const path = first.path.length ? first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)'
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : ''
  return `${file}: ${path}: ${first.message}${more}`
}

/**
 * Bounds on a preset's integer fields, by key: the same limits as a config.json's (src/import/config.ts), so that a
 * hand-written preset cannot make a calculator build a billion-entry per-layer list either. First match applies.
 */
export const presetBounds: readonly {pattern: RegExp; limit: number; kind: string}[] = [
  {pattern: /^(layers|count|featureLayers|mtpLayers|\w*Layers)$/, limit: 10_000, kind: 'layers'},
  {pattern: /^vocabSize$/, limit: 2 ** 24, kind: 'vocabulary entries'},
  {pattern: /^(heads|\w*Heads)$/, limit: 65_536, kind: 'heads'},
  {pattern: /^(routedExperts|sharedExperts|topK|altupInputs)$/, limit: 65_536, kind: 'experts'},
  {pattern: /Tokens$/, limit: 2 ** 32, kind: 'tokens'},
  {pattern: /(Size|Dim|Rank|Kernel)$|^(dim|perLayer)$/, limit: 2 ** 20, kind: 'a width'},
]

/** The first integer field past its bound, as "path: message", or null. */
export function presetBoundProblem(raw: unknown, path: string[] = []): string | null {
  if (typeof raw !== 'object' || raw === null) return null
  for (const [key, value] of Object.entries(raw)) {
    const here = Array.isArray(raw) ? [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${key}]`] : [...path, key]
    if (typeof value === 'number') {
      const bound = Array.isArray(raw) ? undefined : presetBounds.find((b) => b.pattern.test(key))
      if (bound && value > bound.limit) return `${here.join('.')}: ${value} is beyond any real model (the limit for ${bound.kind} is ${bound.limit.toLocaleString('en-US')})`
    } else if (typeof value === 'object' && value !== null) {
      const problem = presetBoundProblem(value, here)
      if (problem) return problem
    }
  }
  return null
}

export function parseModel(raw: unknown, file: string): ModelSpec {
  const tooLarge = presetBoundProblem(raw)
  if (tooLarge) throw new UserError(`${file}: ${tooLarge}`, 'fix the preset, or check it with `archcost validate`')
  const result = modelSpecSchema.safeParse(raw)
  if (!result.success) throw new UserError(formatZodError(file, result.error), 'fix the preset, or check it with `archcost validate`')
  return result.data
}

export function parseHardware(raw: unknown, file: string): HardwareSpec {
  const result = hardwareSpecSchema.safeParse(raw)
  if (!result.success) throw new UserError(formatZodError(file, result.error), 'fix the hardware profile')
  return result.data
}
