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

const byteUnits = [
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

/** Token counts as typed: 131072 -> "128k" when a whole multiple of 1024, else grouped digits. */
export function formatTokens(value: number): string {
  if (value >= 1024 ** 2 && value % 1024 ** 2 === 0) return `${value / 1024 ** 2}M`
  if (value >= 1024 && value % 1024 === 0) return `${value / 1024}k`
  return formatInteger(value)
}
