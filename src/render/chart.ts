// Line charts of a few series (one line per model): as plain text for the terminal, as a self-contained SVG,
// and as an HTML page with that SVG inline. Pure functions of their input: the same chart gives the same text.
import {formatBytes, formatInteger, formatRate, formatTokens, formatUsd} from './format.js'

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

// ---------------------------------------------------------------------------------------------- scales and ticks

export interface Scale {
  lo: number
  hi: number
  log: boolean
  ticks: number[]
  /** Tick labels: compact, in one unit along a linear byte axis. */
  label: (value: number) => string
}

const binaryUnits: [string, number][] = [
  ['TiB', 2 ** 40],
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
]

/** 2.50 -> "2.5", 3.14159 -> "3.14". */
const trim = (value: number, decimals = 2) => String(Number(value.toFixed(decimals)))
const significant = (value: number) => String(Number(value.toPrecision(3)))

function compactBytes(value: number, unit?: [string, number]): string {
  if (value === 0) return '0'
  const pick = unit ?? binaryUnits.find(([, scale]) => Math.abs(value) >= scale)
  if (!pick) return `${Math.round(value)} B`
  return `${trim(value / pick[1])} ${pick[0]}`
}

/** Short labels for ticks. */
export function tickLabel(kind: ChartValueKind, value: number, unit?: [string, number]): string {
  switch (kind) {
    case 'tokens':
      return value >= 1024 && value % 1024 !== 0 ? `${trim(value / 1024, 1)}k` : formatTokens(value)
    case 'integer':
      return formatInteger(value)
    case 'bytes':
      return compactBytes(value, unit)
    case 'rate':
      return value >= 1000 ? formatInteger(value) : significant(value)
    case 'usd':
      return `$${value >= 1000 ? formatInteger(value) : significant(value)}`
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
export function linearTicks(lo: number, hi: number, kind: ChartValueKind, extend: boolean): {ticks: number[]; unit?: [string, number]} {
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

const drawable = (axis: ChartAxis, value: number | null): value is number => value !== null && Number.isFinite(value) && (!axis.log || value > 0)

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
function runs(chart: Chart, series: ChartSeries): ChartPoint[][] {
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

// ---------------------------------------------------------------------------------------------- terminal

export const textMarkers = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export interface TextChartOptions {
  /** Columns available (the terminal's width); 80 by default, at least 40. */
  width?: number
  /** Rows of the plot area; 15 by default. */
  height?: number
}

/** Picks every k-th tick label (smallest k) so that the labels, centred on their columns, do not touch. */
function placeLabels(ticks: {column: number; text: string}[], width: number): string {
  for (let k = 1; k <= Math.max(1, ticks.length); k++) {
    const line = Array.from({length: width}, () => ' ')
    let end = -2
    let ok = true
    for (let i = 0; i < ticks.length; i += k) {
      const {column, text} = ticks[i]!
      const start = Math.max(0, Math.min(width - text.length, column - Math.floor(text.length / 2)))
      if (start <= end + 1) {
        ok = false
        break
      }
      for (let j = 0; j < text.length; j++) line[start + j] = text[j]!
      end = start + text.length - 1
    }
    if (ok) return line.join('')
  }
  return ''
}

function wrap(entries: string[], width: number, indent: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const entry of entries) {
    if (line && indent.length + line.length + 3 + entry.length > width) {
      lines.push(indent + line)
      line = ''
    }
    line = line ? `${line}   ${entry}` : entry
  }
  if (line) lines.push(indent + line)
  return lines
}

/**
 * A line chart in plain text: one letter per series (A, B, C ...) at its points, joined by dots; the y axis
 * labelled at its ticks on the left, the x axis below, the legend under it. Lower-case letters mark hollow
 * points, '*' points of several series in one cell, dashes the reference lines.
 */
export function textChart(chart: Chart, options: TextChartOptions = {}): string {
  const width = Math.max(40, Math.floor(options.width ?? 80))
  const height = Math.max(5, Math.floor(options.height ?? 15))
  const out = [chart.title]
  if (chart.series.length > textMarkers.length) return `${[...out, `(more than ${textMarkers.length} series to draw as text; see the table, or write the chart to a file)`].join('\n')}\n`
  const ys = yScale(chart)
  if (!ys) return `${[...out, '(no values to plot)'].join('\n')}\n`
  const xs = xScale(chart)

  const yLabels = new Map<number, string>()
  const rowOf = (y: number) => Math.round((1 - position(ys, y)) * (height - 1))
  for (const tick of ys.ticks) if (!yLabels.has(rowOf(tick))) yLabels.set(rowOf(tick), ys.label(tick))
  const labelWidth = Math.max(...[...yLabels.values()].map((l) => l.length))
  const plotWidth = Math.max(10, width - labelWidth - 3)
  const columnOf = (x: number) => Math.round(position(xs, x) * (plotWidth - 1))

  const grid = Array.from({length: height}, () => Array.from({length: plotWidth}, () => ' '))
  const owner = Array.from({length: height}, () => Array.from({length: plotWidth}, () => -1))
  for (const limit of chart.limits ?? []) {
    if (!drawable(chart.y, limit.y)) continue
    const row = rowOf(limit.y)
    for (let c = 0; c < plotWidth; c += 2) grid[row]![c] = '-'
  }
  const runsOf = chart.series.map((s) => runs(chart, s))
  for (const seriesRuns of runsOf) {
    for (const run of seriesRuns) {
      for (let i = 1; i < run.length; i++) {
        // Bresenham between the two points' cells, ends left for the markers.
        let c0 = columnOf(run[i - 1]!.x)
        let r0 = rowOf(run[i - 1]!.y!)
        const c1 = columnOf(run[i]!.x)
        const r1 = rowOf(run[i]!.y!)
        const dc = Math.abs(c1 - c0)
        const dr = -Math.abs(r1 - r0)
        const sc = c0 < c1 ? 1 : -1
        const sr = r0 < r1 ? 1 : -1
        let err = dc + dr
        for (;;) {
          if (c0 === c1 && r0 === r1) break
          const e2 = 2 * err
          if (e2 >= dr) {
            err += dr
            c0 += sc
          }
          if (e2 <= dc) {
            err += dc
            r0 += sr
          }
          if (c0 === c1 && r0 === r1) break
          grid[r0]![c0] = '·'
        }
      }
    }
  }
  let collision = false
  runsOf.forEach((seriesRuns, i) => {
    for (const run of seriesRuns)
      for (const p of run) {
        const row = rowOf(p.y!)
        const column = columnOf(p.x)
        const previous = owner[row]![column]!
        if (previous >= 0 && previous !== i) {
          grid[row]![column] = '*'
          collision = true
        } else {
          const marker = textMarkers[i]!
          grid[row]![column] = p.hollow ? marker.toLowerCase() : marker
        }
        owner[row]![column] = i
      }
  })

  const hollowDrawn = grid.some((cells) => cells.some((cell) => /[a-z]/.test(cell)))
  out.push(`${chart.y.label}${chart.y.log ? ', log scale' : ''}`)
  for (let r = 0; r < height; r++) out.push(`${(yLabels.get(r) ?? '').padStart(labelWidth)} ${yLabels.has(r) ? '┤' : '│'}${grid[r]!.join('')}`)
  const xTicks = xs.ticks.map((x) => ({column: columnOf(x), text: xs.label(x)}))
  const axis = Array.from({length: plotWidth}, () => '─')
  for (const {column} of xTicks) axis[column] = '┬'
  out.push(`${' '.repeat(labelWidth)} └${axis.join('')}`)
  out.push(`${' '.repeat(labelWidth + 2)}${placeLabels(xTicks, plotWidth)}`)
  const xTitle = `${chart.x.label}${chart.x.log ? ', log scale' : ''}`
  out.push(`${' '.repeat(labelWidth + 2 + Math.max(0, Math.floor((plotWidth - xTitle.length) / 2)))}${xTitle}`)
  out.push(...wrap(chart.series.map((s, i) => `${textMarkers[i]} ${s.name}`), width, '  '))
  const keys: string[] = []
  if (hollowDrawn) keys.push(`lower case: ${chart.hollowMeaning ?? 'hollow point'}`)
  if (collision) keys.push('*: several series at one point')
  for (const limit of chart.limits ?? []) if (drawable(chart.y, limit.y)) keys.push(`- - ${limit.label}`)
  out.push(...wrap(keys, width, '  '))
  for (const note of chart.notes ?? []) out.push(note)
  return `${out.map((line) => line.trimEnd()).join('\n')}\n`
}

// ---------------------------------------------------------------------------------------------- SVG and HTML

/** Tableau 10: distinct hues that stay apart for the common forms of colour blindness; dashes past ten series. */
export const seriesColours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
const seriesDashes = ['', '8 4', '2 3', '8 3 2 3']

export const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;')
const n = (value: number) => String(Number(value.toFixed(1)))

export function seriesStyle(index: number): {colour: string; dash: string} {
  return {colour: seriesColours[index % seriesColours.length]!, dash: seriesDashes[Math.floor(index / seriesColours.length) % seriesDashes.length]!}
}

/**
 * A self-contained SVG: title, gridlines at the ticks, both axes with tick labels and titles, one polyline per
 * run of points of each series (its colour and dash from seriesStyle), a circle at each point (hollow where
 * marked), dashed reference lines, the legend on the right and the notes underneath. No scripts, fonts or links.
 */
export function svgChart(chart: Chart): string {
  const charWidth = 7
  const plotWidth = 640
  const plotHeight = 360
  const ys = yScale(chart)
  const xs = xScale(chart)
  const yTickLabels = ys ? ys.ticks.map((t) => ys.label(t)) : []
  const left = 44 + charWidth * Math.max(4, ...yTickLabels.map((l) => l.length))
  const top = 56
  const legendX = left + plotWidth + 28
  const legendEntries = chart.series.length + (chart.limits?.length ?? 0) + (chart.series.some((s) => s.points.some((p) => p.hollow)) ? 1 : 0)
  const legendText = [...chart.series.map((s) => s.name), ...(chart.limits ?? []).map((l) => l.label), chart.hollowMeaning ?? '']
  const width = Math.ceil(legendX + 40 + charWidth * Math.max(...legendText.map((t) => t.length)) + 16)
  const notes = (chart.notes ?? []).flatMap((note) => wrapWords(note, Math.floor((Math.max(width, left + plotWidth + 16) - left - 16) / 6.2)))
  const height = Math.ceil(Math.max(top + plotHeight + 64 + 18 * notes.length, top + 22 * legendEntries + 16))
  const px = (x: number) => left + position(xs, x) * plotWidth
  const py = (y: number) => top + (1 - position(ys!, y)) * plotHeight

  const parts: string[] = []
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="'DejaVu Sans', Helvetica, Arial, sans-serif" font-size="12" role="img" aria-labelledby="chart-title">`,
    `<title id="chart-title">${escapeXml(chart.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="30" font-size="16" font-weight="bold" fill="#111111">${escapeXml(chart.title)}</text>`,
  )
  if (!ys) {
    parts.push(`<text x="${left}" y="${top + plotHeight / 2}" fill="#555555">no values to plot</text>`, '</svg>')
    return `${parts.join('\n')}\n`
  }
  parts.push('<g class="grid" stroke="#e3e3e3" stroke-width="1">')
  for (const t of ys.ticks) parts.push(`<line x1="${left}" y1="${n(py(t))}" x2="${left + plotWidth}" y2="${n(py(t))}"/>`)
  for (const t of xs.ticks) parts.push(`<line x1="${n(px(t))}" y1="${top}" x2="${n(px(t))}" y2="${top + plotHeight}"/>`)
  parts.push('</g>')
  parts.push(
    '<g class="axes" stroke="#333333" stroke-width="1">',
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}"/>`,
    ...ys.ticks.map((t) => `<line x1="${left - 5}" y1="${n(py(t))}" x2="${left}" y2="${n(py(t))}"/>`),
    ...xs.ticks.map((t) => `<line x1="${n(px(t))}" y1="${top + plotHeight}" x2="${n(px(t))}" y2="${top + plotHeight + 5}"/>`),
    '</g>',
  )
  parts.push('<g class="tick-labels" fill="#333333">')
  ys.ticks.forEach((t, i) => parts.push(`<text x="${left - 8}" y="${n(py(t) + 4)}" text-anchor="end">${escapeXml(yTickLabels[i]!)}</text>`))
  // x labels: every k-th so that they do not overlap (about 7 px per character).
  const xLabels = xs.ticks.map((t) => ({x: px(t), text: xs.label(t)}))
  let k = 1
  while (k < xLabels.length && xLabels.some((l, i) => i % k === 0 && i + k < xLabels.length && xLabels[i + k]!.x - l.x < (charWidth * (l.text.length + xLabels[i + k]!.text.length)) / 2 + 8)) k++
  xLabels.forEach((l, i) => {
    if (i % k === 0) parts.push(`<text x="${n(l.x)}" y="${top + plotHeight + 20}" text-anchor="middle">${escapeXml(l.text)}</text>`)
  })
  parts.push('</g>')
  parts.push(
    `<text class="x-title" x="${left + plotWidth / 2}" y="${top + plotHeight + 44}" text-anchor="middle" fill="#111111">${escapeXml(`${chart.x.label}${chart.x.log ? ', log scale' : ''}`)}</text>`,
    `<text class="y-title" x="0" y="0" transform="translate(18 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle" fill="#111111">${escapeXml(`${chart.y.label}${chart.y.log ? ', log scale' : ''}`)}</text>`,
  )
  for (const limit of chart.limits ?? []) {
    if (!drawable(chart.y, limit.y)) continue
    parts.push(
      `<g class="limit"><line x1="${left}" y1="${n(py(limit.y))}" x2="${left + plotWidth}" y2="${n(py(limit.y))}" stroke="#444444" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      `<text x="${left + plotWidth - 4}" y="${n(py(limit.y) - 5)}" text-anchor="end" fill="#444444">${escapeXml(limit.label)}</text></g>`,
    )
  }
  chart.series.forEach((series, i) => {
    const {colour, dash} = seriesStyle(i)
    parts.push(`<g class="series" data-series="${escapeXml(series.name)}">`)
    for (const run of runs(chart, series)) {
      if (run.length >= 2)
        parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${run.map((p) => `${n(px(p.x))},${n(py(p.y!))}`).join(' ')}"/>`)
      for (const p of run) parts.push(`<circle cx="${n(px(p.x))}" cy="${n(py(p.y!))}" r="3.5" fill="${p.hollow ? '#ffffff' : colour}" stroke="${colour}" stroke-width="1.5"/>`)
    }
    parts.push('</g>')
  })
  parts.push('<g class="legend">')
  let ly = top + 6
  chart.series.forEach((series, i) => {
    const {colour, dash} = seriesStyle(i)
    parts.push(
      `<line x1="${legendX}" y1="${ly}" x2="${legendX + 28}" y2="${ly}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      `<circle cx="${legendX + 14}" cy="${ly}" r="3.5" fill="${colour}"/>`,
      `<text x="${legendX + 36}" y="${ly + 4}" fill="#111111">${escapeXml(series.name)}</text>`,
    )
    ly += 22
  })
  for (const limit of chart.limits ?? []) {
    parts.push(`<line x1="${legendX}" y1="${ly}" x2="${legendX + 28}" y2="${ly}" stroke="#444444" stroke-width="1.5" stroke-dasharray="6 4"/>`, `<text x="${legendX + 36}" y="${ly + 4}" fill="#111111">${escapeXml(limit.label)}</text>`)
    ly += 22
  }
  if (chart.series.some((s) => s.points.some((p) => p.hollow)))
    parts.push(`<circle cx="${legendX + 14}" cy="${ly}" r="3.5" fill="#ffffff" stroke="#444444" stroke-width="1.5"/>`, `<text x="${legendX + 36}" y="${ly + 4}" fill="#111111">${escapeXml(chart.hollowMeaning ?? 'hollow point')}</text>`)
  parts.push('</g>')
  if (notes.length) {
    parts.push('<g class="notes" fill="#555555" font-size="11">')
    notes.forEach((note, i) => parts.push(`<text x="${left}" y="${top + plotHeight + 68 + 18 * i}">${escapeXml(note)}</text>`))
    parts.push('</g>')
  }
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

/** A standalone HTML page: the SVG inline, then the values as a table. No scripts, styles or fonts from elsewhere. */
export function htmlPage(chart: Chart): string {
  const xs = [...new Set(chart.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b)
  const rows = xs.map((x) => {
    const cells = chart.series.map((s) => {
      const p = s.points.find((q) => q.x === x)
      if (!p || p.y === null) return '<td>—</td>'
      return `<td${p.hollow ? ' class="hollow"' : ''}>${escapeXml(valueLabel(chart.y.kind, p.y))}${p.hollow ? ' °' : ''}</td>`
    })
    return `<tr><th scope="row">${escapeXml(valueLabel(chart.x.kind, x))}</th>${cells.join('')}</tr>`
  })
  const hollow = chart.series.some((s) => s.points.some((p) => p.hollow))
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(chart.title)}</title>`,
    '<style>',
    "body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 24px; color: #111; background: #fff; }",
    'figure { margin: 0 0 24px 0; } svg { max-width: 100%; height: auto; }',
    'table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }',
    'thead th { background: #f3f3f3; } td.hollow { color: #777; } p.note { color: #555; font-size: 13px; }',
    '</style>',
    '</head>',
    '<body>',
    '<figure>',
    svgChart({...chart, notes: []}).trimEnd(),
    '</figure>',
    '<table>',
    `<thead><tr><th scope="col">${escapeXml(chart.x.label)}</th>${chart.series.map((s) => `<th scope="col">${escapeXml(s.name)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    ...(hollow ? [`<p class="note">°: ${escapeXml(chart.hollowMeaning ?? 'hollow point')}</p>`] : []),
    ...(chart.notes ?? []).map((note) => `<p class="note">${escapeXml(note)}</p>`),
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
