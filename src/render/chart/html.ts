// The line chart as a standalone HTML page: the SVG inline, then the values as a table.
import {valueLabel, type Chart} from './scales.js'
import {escapeXml, svgChart} from './svg.js'

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
