// What a chart is (a few series of points, one line per model), and its scales and ticks: shared by the
// terminal, SVG and HTML charts. Pure functions of their input: the same chart gives the same output.
import {byteUnits, formatBytes, formatBytesCompact, formatDecimal, formatInteger, formatRate, formatSignificant, formatTokens, formatUsd} from '../format.js'

/** How the numbers of an axis read: token counts (k = 1024), plain integers, bytes (binary units), rates, dollars. */
export type ChartValueKind = 'tokens' | 'integer' | 'bytes' | 'rate' | 'usd'

export interface ChartAxis {
  label: string
  kind: ChartValueKind
  log: boolean
}

export interface ChartPoint {
  x: number
  /** null: no value here (the line breaks). */
  y: number | null
  /** Drawn hollow (SVG) or in lower case (text); what it means is Chart.hollowMeaning. */
  hollow?: boolean
}

export interface ChartSeries {
  name: string
  points: ChartPoint[]
}

/** A horizontal reference line, such as a device's usable memory. */
export interface ChartLimit {
  label: string
  y: number
}

export interface Chart {
  title: string
  x: ChartAxis
  y: ChartAxis
  series: ChartSeries[]
  limits?: ChartLimit[]
  /** What a hollow (lower-case) point means, for the legend. */
  hollowMeaning?: string
  /** Lines printed under the chart. */
  notes?: string[]
}

export interface Scale {
  lo: number
  hi: number
  log: boolean
  ticks: number[]
  /** Tick labels: compact, in one unit along a linear byte axis. */
  label: (value: number) => string
}

/** A binary byte unit as [name, bytes], e.g. ['GiB', 2 ** 30]. */
export type ByteUnit = [string, number]

const binaryUnits: ByteUnit[] = byteUnits.map(({unit, scale}) => [unit, scale])

/** Short labels for ticks. */
export function tickLabel(kind: ChartValueKind, value: number, unit?: ByteUnit): string {
  switch (kind) {
    case 'tokens':
      return value >= 1024 && value % 1024 !== 0 ? `${formatDecimal(value / 1024, 1)}k` : formatTokens(value)
    case 'integer':
      return formatInteger(value)
    case 'bytes':
      return formatBytesCompact(value, unit ? {unit: unit[0], scale: unit[1]} : undefined)
    case 'rate':
      return value >= 1000 ? formatInteger(value) : formatSignificant(value)
    case 'usd':
      return `$${value >= 1000 ? formatInteger(value) : formatSignificant(value)}`
  }
}

/** Full labels for values, as the tables print them. */
export function valueLabel(kind: ChartValueKind, value: number): string {
  switch (kind) {
    case 'tokens':
      return formatTokens(value)
    case 'integer':
      return formatInteger(value)
    case 'bytes':
      return formatBytes(value)
    case 'rate':
      return formatRate(value)
    case 'usd':
      return formatUsd(value)
  }
}

const clean = (value: number) => Number(value.toPrecision(12))

/**
 * About five evenly spaced ticks at 1, 2 or 5 x 10^k (in KiB/MiB/GiB for bytes). With `extend`, the first and
 * last tick lie at or beyond lo and hi (the axis then runs from tick to tick); without, within them.
 */
export function linearTicks(lo: number, hi: number, kind: ChartValueKind, extend: boolean): {ticks: number[]; unit?: ByteUnit} {
  const unit = kind === 'bytes' ? binaryUnits.find(([, scale]) => Math.max(Math.abs(lo), Math.abs(hi)) >= scale) : undefined
  const scale = unit?.[1] ?? 1
  const raw = (hi - lo) / scale / 5
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  let step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9))!
  if (kind === 'integer' || kind === 'tokens') step = Math.max(1, step)
  const first = extend ? Math.floor(lo / scale / step + 1e-9) : Math.ceil(lo / scale / step - 1e-9)
  const last = extend ? Math.ceil(hi / scale / step - 1e-9) : Math.floor(hi / scale / step + 1e-9)
  const ticks: number[] = []
  for (let i = first; i <= last; i++) ticks.push(clean(i * step) * scale)
  return {ticks, unit}
}

/**
 * Ticks within [lo, hi] on a log axis: powers of two for bytes, tokens and integers (every 1st, 2nd, 5th or 10th
 * power so that at most 8 remain: 1k, 4k, 16k ...), powers of ten otherwise (with 2 and 5 when the range spans
 * less than two decades). Fewer than two: the ends themselves.
 */
export function logTicks(lo: number, hi: number, kind: ChartValueKind): number[] {
  const base = kind === 'rate' || kind === 'usd' ? 10 : 2
  const logOf = (v: number) => Math.log(v) / Math.log(base)
  const a = Math.ceil(logOf(lo) - 1e-9)
  const b = Math.floor(logOf(hi) + 1e-9)
  let ticks: number[] = []
  if (base === 2) {
    const step = [1, 2, 5, 10, 20, 50].find((s) => Math.floor(b / s) - Math.ceil(a / s) + 1 <= 8) ?? 100
    for (let e = Math.ceil(a / step) * step; e <= b; e += step) ticks.push(2 ** e)
  } else {
    for (let e = a; e <= b; e++) ticks.push(clean(10 ** e))
    if (b - a < 2)
      for (let e = a - 1; e <= b; e++) for (const m of [2, 5]) if (clean(m * 10 ** e) >= lo * (1 - 1e-9) && clean(m * 10 ** e) <= hi * (1 + 1e-9)) ticks.push(clean(m * 10 ** e))
    ticks.sort((p, q) => p - q)
  }
  if (ticks.length < 2) ticks = [...new Set([lo, ...ticks, hi])].sort((p, q) => p - q)
  return ticks
}

/**
 * A log y axis widened to the ticks around the values: powers of two for bytes, tokens and integers (every 1st,
 * 2nd, 5th or 10th power so that at most 8 ticks remain), 1-2-5 steps (or whole decades past three) otherwise.
 */
export function logRange(lo: number, hi: number, kind: ChartValueKind): {lo: number; hi: number; ticks: number[]} {
  if (kind !== 'rate' && kind !== 'usd') {
    const a = Math.log2(lo)
    const b = Math.log2(hi)
    const step = [1, 2, 5, 10, 20, 50].find((s) => Math.ceil(b / s - 1e-9) - Math.floor(a / s + 1e-9) + 1 <= 8) ?? 100
    const first = Math.floor(a / step + 1e-9) * step
    const last = Math.ceil(b / step - 1e-9) * step
    const ticks: number[] = []
    for (let e = first; e <= last; e += step) ticks.push(2 ** e)
    return {lo: ticks[0]!, hi: ticks[ticks.length - 1]!, ticks}
  }
  const decades = Math.ceil(Math.log10(hi) - 1e-9) - Math.floor(Math.log10(lo) + 1e-9)
  const mantissas = decades >= 3 ? [1] : [1, 2, 5]
  const candidates: number[] = []
  for (let e = Math.floor(Math.log10(lo) + 1e-9); e <= Math.ceil(Math.log10(hi) - 1e-9); e++) for (const m of mantissas) candidates.push(clean(m * 10 ** e))
  const low = [...candidates].reverse().find((c) => c <= lo * (1 + 1e-9)) ?? lo
  const high = candidates.find((c) => c >= hi * (1 - 1e-9)) ?? hi
  return {lo: low, hi: high, ticks: candidates.filter((c) => c >= low && c <= high)}
}

/** A value that can be drawn on this axis: finite, and positive on a log axis. */
export const drawable = (axis: ChartAxis, value: number | null): value is number => value !== null && Number.isFinite(value) && (!axis.log || value > 0)

/** The y scale: linear from 0 (or below, for negative values) up to a tick at or above the largest value; log from the tick below the values to the tick above. */
export function yScale(chart: Chart): Scale | null {
  const values = chart.series.flatMap((s) => s.points.map((p) => p.y)).filter((v) => drawable(chart.y, v)) as number[]
  for (const limit of chart.limits ?? []) if (drawable(chart.y, limit.y)) values.push(limit.y)
  if (values.length === 0) return null
  let lo = Math.min(...values)
  let hi = Math.max(...values)
  if (chart.y.log) {
    if (lo === hi) [lo, hi] = [lo / 2, hi * 2]
    return {...logRange(lo, hi, chart.y.kind), log: true, label: (v) => tickLabel(chart.y.kind, v)}
  }
  lo = Math.min(0, lo)
  if (hi === lo) hi = lo + (Math.abs(lo) || 1)
  const {ticks, unit} = linearTicks(lo, hi, chart.y.kind, true)
  return {lo: ticks[0]!, hi: ticks[ticks.length - 1]!, log: false, ticks, label: (v) => tickLabel(chart.y.kind, v, unit)}
}

/** The x scale runs from the smallest to the largest x; its ticks are the x values themselves when there are at most 16. */
export function xScale(chart: Chart): Scale {
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.x)).filter((x) => drawable(chart.x, x)))].sort((a, b) => a - b)
  let lo = xs[0] ?? 1
  let hi = xs[xs.length - 1] ?? 2
  if (lo === hi) [lo, hi] = chart.x.log ? [lo / 2, hi * 2] : [lo - 1, hi + 1]
  const ticks = xs.length >= 2 && xs.length <= 16 ? xs : chart.x.log ? logTicks(lo, hi, chart.x.kind) : linearTicks(lo, hi, chart.x.kind, false).ticks
  return {lo, hi, log: chart.x.log, ticks, label: (v) => tickLabel(chart.x.kind, v)}
}

/** Where a value lies along a scale, 0 at lo and 1 at hi. */
export function position(scale: Scale, value: number): number {
  if (scale.log) return (Math.log(value) - Math.log(scale.lo)) / (Math.log(scale.hi) - Math.log(scale.lo))
  return (value - scale.lo) / (scale.hi - scale.lo)
}

/** Runs of consecutive drawable points of a series (a null y breaks the line). */
export function runs(chart: Chart, series: ChartSeries): ChartPoint[][] {
  const out: ChartPoint[][] = []
  let current: ChartPoint[] = []
  for (const p of series.points) {
    if (drawable(chart.x, p.x) && drawable(chart.y, p.y)) current.push(p)
    else if (current.length) {
      out.push(current)
      current = []
    }
  }
  if (current.length) out.push(current)
  return out
}
