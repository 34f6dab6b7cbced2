// The line chart as a self-contained SVG.
import {formatDecimal} from '../format.js'
import {displayWidth, wrap} from '../width.js'
import {drawable, position, runs, xScale, yScale, type Chart} from './scales.js'

/** Tableau 10: distinct hues that stay apart for the common forms of colour blindness; dashes past ten series. */
export const seriesColours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
const seriesDashes = ['', '8 4', '2 3', '8 3 2 3']

export const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;')
/** Coordinates to a tenth of a pixel. */
const n = (value: number) => formatDecimal(value, 1)

export function seriesStyle(index: number): {colour: string; dash: string} {
  return {colour: seriesColours[index % seriesColours.length]!, dash: seriesDashes[Math.floor(index / seriesColours.length) % seriesDashes.length]!}
}

/**
 * A self-contained SVG: title, gridlines at the ticks, both axes with tick labels and titles, one polyline per
 * run of points of each series (its colour and dash from seriesStyle), a circle at each point (hollow where
 * marked), dashed reference lines, the legend on the right and the notes underneath. No scripts, fonts or links.
 * Text is measured in columns (a wide character takes two), at about 7 px a column.
 */
export function svgChart(chart: Chart): string {
  const charWidth = 7
  const plotWidth = 640
  const plotHeight = 360
  const ys = yScale(chart)
  const xs = xScale(chart)
  const yTickLabels = ys ? ys.ticks.map((t) => ys.label(t)) : []
  const left = 44 + charWidth * Math.max(4, ...yTickLabels.map(displayWidth))
  const top = 56
  const legendX = left + plotWidth + 28
  const legendEntries = chart.series.length + (chart.limits?.length ?? 0) + (chart.series.some((s) => s.points.some((p) => p.hollow)) ? 1 : 0)
  const legendText = [...chart.series.map((s) => s.name), ...(chart.limits ?? []).map((l) => l.label), chart.hollowMeaning ?? '']
  const width = Math.ceil(legendX + 40 + charWidth * Math.max(...legendText.map(displayWidth)) + 16)
  const notes = (chart.notes ?? []).flatMap((note) => wrap(note, Math.floor((Math.max(width, left + plotWidth + 16) - left - 16) / 6.2)))
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
  // x labels: every k-th so that they do not overlap (about 7 px per column).
  const xLabels = xs.ticks.map((t) => ({x: px(t), text: xs.label(t)}))
  let k = 1
  while (k < xLabels.length && xLabels.some((l, i) => i % k === 0 && i + k < xLabels.length && xLabels[i + k]!.x - l.x < (charWidth * (displayWidth(l.text) + displayWidth(xLabels[i + k]!.text))) / 2 + 8)) k++
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
