// Quantities people type. Token counts: "128k" means 128 x 1024 = 131072 (as "128k context" does for
// Llama 3.1's 131072 positions); k/K = 2^10, m/M = 2^20, Ki/Mi likewise; plain integers as given.
// Decided once here and shown in the notes line of every table that uses a context.
import {UserError} from '../errors.js'

const tokenSuffixes: Record<string, number> = {'': 1, k: 1024, ki: 1024, m: 1024 ** 2, mi: 1024 ** 2}

export function parseTokenCount(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text)
  const multiplier = match ? tokenSuffixes[match[2]!.toLowerCase()] : undefined
  if (!match || multiplier === undefined)
    throw new UserError(`--${flag} "${text}" is not a token count; use an integer or a k/M suffix such as 8192, 32k, 128k, 1M`)
  const value = Number(match[1]) * multiplier
  if (!Number.isSafeInteger(value) || value <= 0) throw new UserError(`--${flag} must be a positive whole number of tokens, got "${text}"`)
  return value
}

export function parsePositiveInteger(text: string, flag: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value <= 0) throw new UserError(`--${flag} must be a positive integer, got "${text}"`)
  return value
}

/** A count that may be zero: llama.cpp's --n-gpu-layers 0 keeps every layer on the host. */
export function parseNonNegativeInteger(text: string, flag: string): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < 0) throw new UserError(`--${flag} must be a whole number (0 or more), got "${text}"`)
  return value
}

const byteUnits: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
}

/** Bytes: "80GiB" (binary), "80GB" (decimal), or a plain number of bytes. */
export function parseBytes(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text)
  const unit = match ? byteUnits[(match[2] || 'b').toLowerCase()] : undefined
  if (!match || unit === undefined) throw new UserError(`--${flag} "${text}" is not a size; use e.g. 80GiB, 512MiB or 24GB`)
  const value = Math.round(Number(match[1]) * unit)
  if (!Number.isSafeInteger(value) || value < 0) throw new UserError(`--${flag} must be a non-negative size, got "${text}"`)
  return value
}

export function parseFraction(text: string, flag: string): number {
  const value = Number(text)
  if (!/^\s*\d*\.?\d+\s*$/.test(text) || !(value > 0 && value <= 1)) throw new UserError(`--${flag} must be a fraction in (0, 1], got "${text}"`)
  return value
}

/** A share from 0 to 1 inclusive, such as a cache hit rate. */
export function parseShare(text: string, flag: string): number {
  const value = Number(text)
  if (!/^\s*\d*\.?\d+\s*$/.test(text) || !(value >= 0 && value <= 1)) throw new UserError(`--${flag} must be a share from 0 to 1, got "${text}"`)
  return value
}

/** A positive finite decimal such as a price: "2.49". */
export function parsePositiveNumber(text: string, flag: string): number {
  const value = Number(text)
  if (!/^\s*\d*\.?\d+\s*$/.test(text) || !(value > 0) || !Number.isFinite(value)) throw new UserError(`--${flag} must be a positive number, got "${text}"`)
  return value
}

const countSuffixes: Record<string, number> = {'': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12}

/** Token budgets of training runs, decimal: "15T" = 15e12, "2e12", "300B". */
export function parseTrainTokens(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-zA-Z]?)\s*$/.exec(text)
  const multiplier = match ? countSuffixes[match[2]!.toLowerCase()] : undefined
  const value = match && multiplier !== undefined ? Number(match[1]) * multiplier : Number.NaN
  if (!Number.isFinite(value) || value <= 0 || value > 1e18) throw new UserError(`--${flag} "${text}" is not a token budget; use e.g. 15T, 300B or 2e12`)
  return value
}

const paramSuffixes: Record<string, number> = {'': 1, k: 1e3, m: 1e6, b: 1e9, t: 1e12}

/** Parameter counts as vendors write them, decimal: "20B" = 2e10, "500M", "1.5T". */
export function parseParamCount(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kKmMbBtT]?)\s*$/.exec(text)
  const value = match ? Number(match[1]) * paramSuffixes[match[2]!.toLowerCase()]! : Number.NaN
  if (!Number.isFinite(value) || value <= 0) throw new UserError(`--${flag} "${text}" is not a parameter count; use e.g. 20B, 500M or 1.5T`)
  return value
}

const durationUnits: Record<string, number> = {us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, min: 60}

/** A duration with its unit, in seconds: "2s" = 2, "50ms" = 0.05, "0.1ms", "500us", "1.5min". A bare number is refused (seconds or ms?). */
export function parseDuration(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(us|µs|μs|ms|s|min)\s*$/i.exec(text)
  const unit = match ? durationUnits[match[2]!.toLowerCase()] ?? durationUnits[match[2]!] : undefined
  if (!match || unit === undefined) {
    const bare = /^\s*\d*\.?\d+\s*$/.test(text)
    throw new UserError(`--${flag} "${text}" ${bare ? 'needs a unit' : 'is not a duration'}; use e.g. 2s, 500ms, 50ms or 200us`)
  }
  const value = Number(match[1]) * unit
  if (!(value > 0) || !Number.isFinite(value)) throw new UserError(`--${flag} must be a duration above zero, got "${text}"`)
  return value
}
