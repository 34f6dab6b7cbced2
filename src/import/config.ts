// Reading a config.json: the options of an import and the Config view every builder reads keys through.
import {UserError} from '../errors.js'

export type Json = Record<string, unknown>

export interface ImportOptions {
  id: string
  name?: string
  hfRepo?: string
  configPath?: string
}

/**
 * A config object with typed, default-aware getters that name the key when it is wrong. A value is taken from the
 * file, else from `defaults` (the configuration class's own defaults for that model_type), else from the getter's
 * fallback.
 */
export class Config {
  constructor(
    readonly raw: Json,
    readonly where: string,
    readonly defaults: Json = {},
  ) {}

  private value(key: string, fallback: unknown): unknown {
    return this.raw[key] ?? this.defaults[key] ?? fallback
  }

  has(key: string): boolean {
    return (this.raw[key] !== undefined && this.raw[key] !== null) || (this.raw[key] === undefined && this.defaults[key] !== undefined && this.defaults[key] !== null)
  }

  /** The first of several alias keys (a class's attribute_map) that the file gives, else the first. */
  pick(...keys: string[]): string {
    return keys.find((key) => this.raw[key] !== undefined && this.raw[key] !== null) ?? keys[0]!
  }

  int(key: string, fallback?: number): number {
    const value = this.value(key, fallback)
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw new UserError(`${this.where}: "${key}" must be a non-negative integer, found ${JSON.stringify(value)}`)
    return value
  }

  num(key: string, fallback?: number): number {
    const value = this.value(key, fallback)
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`${this.where}: "${key}" must be a number, found ${JSON.stringify(value)}`)
    return value
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.value(key, fallback)
    if (typeof value !== 'boolean') throw new UserError(`${this.where}: "${key}" must be true or false, found ${JSON.stringify(value)}`)
    return value
  }

  str(key: string, fallback: string): string {
    const value = this.value(key, fallback)
    if (typeof value !== 'string') throw new UserError(`${this.where}: "${key}" must be a string, found ${JSON.stringify(value)}`)
    return value
  }

  intOrNull(key: string, fallback: number | null): number | null {
    if (this.raw[key] === null) return null
    if (this.raw[key] === undefined) {
      const d = this.defaults[key]
      if (d === null) return null
      if (d === undefined) return fallback
    }
    return this.int(key)
  }

  intList(key: string, fallback: number[]): number[] {
    const value = this.value(key, fallback)
    if (!Array.isArray(value) || !value.every((v) => Number.isSafeInteger(v)))
      throw new UserError(`${this.where}: "${key}" must be a list of integers, found ${JSON.stringify(value)}`)
    return value as number[]
  }

  strList(key: string): string[] | undefined {
    const value = this.raw[key]
    if (value === undefined || value === null) return undefined
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      throw new UserError(`${this.where}: "${key}" must be a list of strings, found ${JSON.stringify(value)}`)
    return value as string[]
  }

  sub(key: string): Config {
    const value = this.raw[key]
    if (value === undefined || value === null) return new Config({}, `${this.where}.${key}`)
    if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${this.where}: "${key}" must be an object`)
    return new Config(value as Json, `${this.where}.${key}`)
  }

  /** The same file seen with a configuration class's defaults. */
  withDefaults(defaults: Json): Config {
    return new Config(this.raw, this.where, defaults)
  }
}

/**
 * JSON as Python's json module writes it: bare Infinity, -Infinity and NaN (Mamba-2 configs state time_step_limit
 * [0.0, Infinity]). Standard JSON first; otherwise those tokens outside strings become 1e999, -1e999 (which
 * JSON.parse reads as ±Infinity) and null, and the text is parsed again. Throws JSON.parse's error if still invalid.
 */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const fixed = text.replace(/("(?:[^"\\]|\\.)*")|(-?)Infinity\b|\bNaN\b/g, (match, str: string | undefined, sign: string | undefined) =>
      str !== undefined ? str : match === 'NaN' ? 'null' : `${sign ?? ''}1e999`,
    )
    if (fixed === text) throw error
    return JSON.parse(fixed)
  }
}
