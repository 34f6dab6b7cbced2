// The line chart in plain text, for the terminal.
import {displayWidth, pad, wrap, wrapItems} from '../width.js'
import {drawable, position, runs, xScale, yScale, type Chart} from './scales.js'

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

/**
 * A line chart in plain text: one letter per series (A, B, C ...) at its points, joined by dots; the y axis
 * labelled at its ticks on the left, the x axis below, the legend under it. Lower-case letters mark hollow
 * points, '*' points of several series in one cell, dashes the reference lines. Legend and notes wrap at the width.
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
  const labelWidth = Math.max(...[...yLabels.values()].map(displayWidth))
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
  for (let r = 0; r < height; r++) out.push(`${pad(yLabels.get(r) ?? '', labelWidth, 'right')} ${yLabels.has(r) ? '┤' : '│'}${grid[r]!.join('')}`)
  const xTicks = xs.ticks.map((x) => ({column: columnOf(x), text: xs.label(x)}))
  const axis = Array.from({length: plotWidth}, () => '─')
  for (const {column} of xTicks) axis[column] = '┬'
  out.push(`${' '.repeat(labelWidth)} └${axis.join('')}`)
  out.push(`${' '.repeat(labelWidth + 2)}${placeLabels(xTicks, plotWidth)}`)
  const xTitle = `${chart.x.label}${chart.x.log ? ', log scale' : ''}`
  out.push(`${' '.repeat(labelWidth + 2 + Math.max(0, Math.floor((plotWidth - displayWidth(xTitle)) / 2)))}${xTitle}`)
  const legend = {firstIndent: '  ', indent: '  ', gap: '   '}
  out.push(...wrapItems(chart.series.map((s, i) => `${textMarkers[i]} ${s.name}`), width, legend))
  const keys: string[] = []
  if (hollowDrawn) keys.push(`lower case: ${chart.hollowMeaning ?? 'hollow point'}`)
  if (collision) keys.push('*: several series at one point')
  for (const limit of chart.limits ?? []) if (drawable(chart.y, limit.y)) keys.push(`- - ${limit.label}`)
  out.push(...wrapItems(keys, width, legend))
  for (const note of chart.notes ?? []) out.push(...wrap(note, width))
  return `${out.map((line) => line.trimEnd()).join('\n')}\n`
}
