// Sweep ranges people type: "context=1k..1M" (geometric points), "batch=1..64", "devices=1,2,4,8" (a list).
// Contexts use the token suffixes of quantity.ts (k = 1024); batch and devices are plain positive integers.
import {sweepAxisNames, type SweepAxisName} from '../calc/sweep.js'
import {UserError} from '../errors.js'
import {parsePositiveInteger, parseTokenCount} from './quantity.js'

export interface SweepRange {
  name: SweepAxisName
  /** Distinct whole numbers, ascending. */
  values: number[]
  /** True for an a..b range (geometric points) or a list spanning 16x or more: the chart's x axis is then logarithmic. */
  geometric: boolean
}

/** Points of an a..b range when --points is not given and the ends are not both powers of two. */
export const defaultRangePoints = 12
export const maxRangePoints = 1000

const example = 'e.g. context=1k..1M, batch=1..64 or devices=1,2,4,8'
const isPowerOfTwo = (n: number) => Number.isSafeInteger(n) && n > 0 && Number.isInteger(Math.log2(n))

/** --points: a whole number from 2 to 1000. */
export function parsePoints(text: string, flag = 'points'): number {
  const value = parsePositiveInteger(text, flag)
  if (value < 2 || value > maxRangePoints) throw new UserError(`--${flag} must be from 2 to ${maxRangePoints}, got "${text}"`)
  return value
}

/**
 * N geometric points from a to b, rounded to whole numbers, duplicates dropped (both ends kept exactly):
 * v_i = a * (b/a)^(i/(N-1)). Without N, and when a and b are both powers of two, every power of two from a to b
 * (1k..1M: 1k, 2k, 4k ... 1M, 11 points); otherwise N = 12.
 */
export function geometricPoints(a: number, b: number, points?: number): number[] {
  if (points === undefined && isPowerOfTwo(a) && isPowerOfTwo(b)) {
    const out: number[] = []
    for (let e = Math.round(Math.log2(a)); e <= Math.round(Math.log2(b)); e++) out.push(2 ** e)
    return out
  }
  const n = points ?? defaultRangePoints
  const values = new Set<number>([a])
  for (let i = 1; i < n - 1; i++) values.add(Math.round(a * (b / a) ** (i / (n - 1))))
  values.add(b)
  return [...values].sort((x, y) => x - y)
}

function parseValue(axis: SweepAxisName, text: string, flag: string): number {
  if (text.trim() === '') throw new UserError(`--${flag} ${axis}=…: an empty value; ${example}`)
  return axis === 'context' ? parseTokenCount(text, `${flag} ${axis}`) : parsePositiveInteger(text, `${flag} ${axis}`)
}

/**
 * "context=1k..1M" -> the geometric points from 1024 to 1048576; "context=1k,8k,32k" -> those three.
 * Bad input throws a UserError that names the flag and shows a form that works.
 */
export function parseSweepRange(text: string, points?: number, flag = 'over'): SweepRange {
  const eq = text.indexOf('=')
  if (eq < 0) throw new UserError(`--${flag} "${text}" names no axis; write axis=range, ${example}`)
  const name = text.slice(0, eq).trim().toLowerCase()
  const spec = text.slice(eq + 1).trim()
  if (!(sweepAxisNames as readonly string[]).includes(name))
    throw new UserError(`--${flag} "${text}": unknown axis "${text.slice(0, eq).trim()}"; use one of ${sweepAxisNames.join(', ')}, ${example}`)
  const axis = name as SweepAxisName
  if (spec === '') throw new UserError(`--${flag} "${text}" gives no values; ${example}`)
  const isRange = spec.includes('..')
  if (isRange && spec.includes(',')) throw new UserError(`--${flag} "${text}": use either a range a..b or a list a,b,c, not both`)
  if (isRange) {
    const parts = spec.split('..')
    if (parts.length !== 2) throw new UserError(`--${flag} "${text}": a range has two ends, a..b, ${example}`)
    const low = parseValue(axis, parts[0]!, flag)
    const high = parseValue(axis, parts[1]!, flag)
    if (low === high) throw new UserError(`--${flag} "${text}": both ends are ${low}; a sweep needs two different ends, ${example}`)
    if (low > high) throw new UserError(`--${flag} "${text}" runs downwards; put the smaller end first (${axis}=${parts[1]!.trim()}..${parts[0]!.trim()})`)
    return {name: axis, values: geometricPoints(low, high, points), geometric: true}
  }
  if (points !== undefined) throw new UserError(`--points applies to a range a..b, not to the list "${spec}"; drop --points or write ${axis}=low..high`)
  const values = [...new Set(spec.split(',').map((part) => parseValue(axis, part, flag)))].sort((x, y) => x - y)
  if (values.length > maxRangePoints) throw new UserError(`--${flag}: ${values.length} values; a sweep takes at most ${maxRangePoints}`)
  if (values.length < 2) throw new UserError(`--${flag} "${text}": a sweep needs at least two different values, ${example}`)
  return {name: axis, values, geometric: values[values.length - 1]! / values[0]! >= 16}
}
