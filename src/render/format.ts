// Output formats and human-readable number formatting. Machine formats (json/csv/tsv) carry raw
// numbers; only the human ones (table/md) scale to K/M/B/T. Formatting is locale-independent.
export const formats = ['table', 'json', 'csv', 'tsv', 'md'] as const
export type Format = (typeof formats)[number]

const countUnits = [
  {unit: 'T', scale: 1e12},
  {unit: 'B', scale: 1e9},
  {unit: 'M', scale: 1e6},
  {unit: 'K', scale: 1e3},
]

/** Parameter-style counts: 671026419200 -> "671.03B"; below 1000 printed whole. */
export function formatCount(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value}`)
  const magnitude = Math.abs(value)
  for (const {unit, scale} of countUnits) if (magnitude >= scale) return `${(value / scale).toFixed(decimals)}${unit}`
  return String(Math.round(value))
}

/** Exact integers with thin grouping for reading: 671026419200 -> "671,026,419,200". */
export function formatInteger(value: number): string {
  const sign = value < 0 ? '-' : ''
  return sign + String(Math.abs(Math.round(value))).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Binary byte units, largest first. */
export const byteUnits = [
  {unit: 'TiB', scale: 2 ** 40},
  {unit: 'GiB', scale: 2 ** 30},
  {unit: 'MiB', scale: 2 ** 20},
  {unit: 'KiB', scale: 2 ** 10},
]

/** Bytes in binary units with the unit shown: 1073741824 -> "1.00 GiB". */
export function formatBytes(value: number, decimals = 2): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value}`)
  for (const {unit, scale} of byteUnits) if (Math.abs(value) >= scale) return `${(value / scale).toFixed(decimals)} ${unit}`
  return `${Math.round(value)} B`
}

/** At most `decimals` decimals, trailing zeros dropped: 2.50 -> "2.5", 3.14159 -> "3.14" (chart ticks, SVG coordinates). */
export const formatDecimal = (value: number, decimals = 2) => String(Number(value.toFixed(decimals)))

/** `digits` significant digits, trailing zeros dropped: 154.53 -> "155", 0.50 -> "0.5". */
export const formatSignificant = (value: number, digits = 3) => String(Number(value.toPrecision(digits)))

/** Bytes in few characters, as axis ticks read: in `unit` when given (else the largest that fits), trailing zeros dropped: "2.5 GiB", "0". */
export function formatBytesCompact(value: number, unit?: {unit: string; scale: number}): string {
  if (value === 0) return '0'
  const pick = unit ?? byteUnits.find(({scale}) => Math.abs(value) >= scale)
  if (!pick) return `${Math.round(value)} B`
  return `${formatDecimal(value / pick.scale)} ${pick.unit}`
}

/** Token counts as typed: 131072 -> "128k" when a whole multiple of 1024, else grouped digits. */
export function formatTokens(value: number): string {
  if (value >= 1024 ** 2 && value % 1024 ** 2 === 0) return `${value / 1024 ** 2}M`
  if (value >= 1024 && value % 1024 === 0) return `${value / 1024}k`
  return formatInteger(value)
}

const flopUnits = [
  {unit: 'Z', scale: 1e21},
  {unit: 'E', scale: 1e18},
  {unit: 'P', scale: 1e15},
  {unit: 'T', scale: 1e12},
  {unit: 'G', scale: 1e9},
  {unit: 'M', scale: 1e6},
]

/** FLOP counts in SI form with three significant digits: 1.2345e15 -> "1.23 PFLOP". Past 1e24, scientific. */
export function formatFlops(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value}`)
  if (Math.abs(value) >= 1e24) return `${value.toExponential(2)} FLOP`
  for (const {unit, scale} of flopUnits) if (Math.abs(value) >= scale) return `${(value / scale).toPrecision(3)} ${unit}FLOP`
  return `${Math.round(value)} FLOP`
}

/** Durations: "850 µs", "12.3 ms", "1.52 s", "3.2 min". */
export function formatSeconds(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value}`)
  if (value >= 120) return `${(value / 60).toPrecision(3)} min`
  if (value >= 1) return `${value.toPrecision(3)} s`
  if (value >= 1e-3) return `${(value * 1e3).toPrecision(3)} ms`
  return `${(value * 1e6).toPrecision(3)} µs`
}

/** Dollars: "$0.0123", "$1.23", "$1,234". */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value}`)
  if (value >= 1000) return `$${formatInteger(value)}`
  if (value >= 1) return `$${value.toFixed(2)}`
  return `$${value.toPrecision(3)}`
}

/** Rates such as tokens per second: three significant digits, grouped when large: "1,234", "56.7", "0.123". */
export function formatRate(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`cannot format ${value}`)
  if (value >= 1000) return formatInteger(value)
  return value.toPrecision(3)
}
