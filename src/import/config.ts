// Reading a config.json: the options of an import and the Config view every builder reads keys through.
import {UserError} from '../errors.js'

export type Json = Record<string, unknown>

/**
 * Bounds on integer config values, by what the key counts: far beyond any released model, low enough that
 * nothing built from them (a per-layer list, a product of widths) can exhaust memory or pass 2^53. The first
 * rule whose pattern matches the key applies.
 */
export const dimensionBounds: readonly {pattern: RegExp; limit: number; kind: string}[] = [
  {pattern: /vocab/, limit: 2 ** 24, kind: 'vocabulary entries'},
  {pattern: /position|context|window|chunk|seq_len|n_ctx/, limit: 2 ** 32, kind: 'tokens'},
  {pattern: /size|dim|rank|n_embd|n_inner/, limit: 2 ** 20, kind: 'a width'},
  {pattern: /head/, limit: 65_536, kind: 'heads'},
  {pattern: /expert/, limit: 65_536, kind: 'experts'},
  {pattern: /layer|first_k_dense|nextn|mtp/, limit: 10_000, kind: 'layers'},
]
/** Every other integer (steps, intervals, counts of streams). */
const otherIntLimit = 2 ** 32

export function boundOf(key: string): {limit: number; kind: string} {
  return dimensionBounds.find((b) => b.pattern.test(key)) ?? {limit: otherIntLimit, kind: 'a count'}
}

/**
 * Keys a builder divides by or takes a remainder by (a layer every N, a width over the heads): 0 would give
 * NaN or Infinity, so they must be at least 1.
 */
const divisorKeys = new Set([
  'interleave_moe_layer_step', 'moe_layer_freq', 'decoder_sparse_step', 'full_attention_interval', 'no_rope_layer_interval',
  'sliding_window_pattern', 'num_attention_heads', 'num_key_value_heads', 'n_head', 'num_heads', 'head_dim',
])

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

  /** The refusal of a value: null (written so) and a missing key are told apart from a value of the wrong kind. */
  private wrong(key: string, value: unknown, kind: string): UserError {
    if (value === undefined && this.raw[key] !== null) return new UserError(`${this.where}: "${key}" is missing; it must be ${kind}`)
    return new UserError(`${this.where}: "${key}" must be ${kind}, found ${value === undefined ? 'null' : shown(value)}`)
  }

  int(key: string, fallback?: number): number {
    const value = this.value(key, fallback)
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw this.wrong(key, value, 'a non-negative integer')
    checkBound(this.where, key, value)
    if (value === 0 && divisorKeys.has(key)) throw new UserError(`${this.where}: "${key}" must be at least 1, found 0`)
    return value
  }

  num(key: string, fallback?: number): number {
    const value = this.value(key, fallback)
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.wrong(key, value, 'a number')
    return value
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.value(key, fallback)
    if (typeof value !== 'boolean') throw this.wrong(key, value, 'true or false')
    return value
  }

  str(key: string, fallback: string): string {
    const value = this.value(key, fallback)
    if (typeof value !== 'string') throw this.wrong(key, value, 'a string')
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
      throw this.wrong(key, value, 'a list of integers')
    // Lists of layer indexes or per-layer flags: as long as the layers at most, each within the bound.
    if (value.length > boundOf('layer').limit) throw new UserError(`${this.where}: "${key}" has ${value.length} entries; more than the ${boundOf('layer').limit.toLocaleString('en-US')} layers any model has`)
    for (const v of value as number[]) checkBound(this.where, key, Math.abs(v))
    return value as number[]
  }

  strList(key: string): string[] | undefined {
    const value = this.raw[key]
    if (value === undefined || value === null) return undefined
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
      throw new UserError(`${this.where}: "${key}" must be a list of strings, found ${shown(value)}`)
    if (value.length > boundOf('layer').limit) throw new UserError(`${this.where}: "${key}" has ${value.length} entries; more than the ${boundOf('layer').limit.toLocaleString('en-US')} layers any model has`)
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

/** A value as JSON, cut short: a message quotes what was found, never a whole array or object. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function checkBound(where: string, key: string, value: number): void {
  const {limit, kind} = boundOf(key)
  if (value > limit)
    throw new UserError(`${where}: "${key}" is ${value}, beyond any real model (the limit for ${kind} is ${limit.toLocaleString('en-US')}); check the config`)
}

export {parseJsonText} from '../files.js'
