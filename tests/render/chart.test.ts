// Chart layout: ticks, the text chart (a tiny one frozen for layout), and the SVG and HTML structure.
import {describe, expect, it} from 'vitest'
import {htmlPage, linearTicks, logRange, svgChart, textChart, tickLabel, type Chart} from '../../src/render/chart.js'

const GiB = 2 ** 30
const tiny: Chart = {
  title: 'Tiny',
  x: {label: 'Context (tokens)', kind: 'tokens', log: true},
  y: {label: 'KV cache', kind: 'bytes', log: false},
  series: [
    {name: 'one', points: [{x: 1024, y: 1 * GiB}, {x: 4096, y: 2 * GiB}, {x: 16384, y: 4 * GiB, hollow: true}]},
    {name: 'two', points: [{x: 1024, y: 3 * GiB}, {x: 4096, y: null}, {x: 16384, y: 3 * GiB}]},
  ],
  hollowMeaning: 'past max',
}

describe('ticks', () => {
  it('linear bytes: steps of 1, 2 or 5 in the unit of the largest value, from 0 to a tick above the data', () => {
    expect(linearTicks(0, 160 * GiB, 'bytes', true)).toEqual({ticks: [0, 50, 100, 150, 200].map((g) => g * GiB), unit: ['GiB', GiB]})
    expect(linearTicks(0, 4 * GiB, 'bytes', true).ticks).toEqual([0, 1, 2, 3, 4].map((g) => g * GiB))
  })
  it('linear integers never step below 1', () => {
    expect(linearTicks(1, 3, 'integer', false).ticks).toEqual([1, 2, 3])
  })
  it('log bytes: powers of two, every second one when there are many, widened to the ticks around the data', () => {
    // 68.6 MiB .. 160 GiB: 2^26 (64 MiB) .. 2^38 (256 GiB), every second power
    expect(logRange(68.63 * 2 ** 20, 160 * GiB, 'bytes').ticks).toEqual([26, 28, 30, 32, 34, 36, 38].map((e) => 2 ** e))
  })
  it('log rates and dollars: 1-2-5 steps within two decades, whole decades beyond', () => {
    expect(logRange(60, 170, 'rate')).toEqual({lo: 50, hi: 200, ticks: [50, 100, 200]})
    expect(logRange(0.3, 900, 'usd').ticks).toEqual([0.1, 1, 10, 100, 1000])
  })
  it('labels', () => {
    expect(tickLabel('bytes', 2.5 * GiB)).toBe('2.5 GiB')
    expect(tickLabel('bytes', 512 * 2 ** 20, ['GiB', GiB])).toBe('0.5 GiB')
    expect(tickLabel('bytes', 0, ['GiB', GiB])).toBe('0')
    expect(tickLabel('tokens', 131072)).toBe('128k')
    expect(tickLabel('tokens', 1048576)).toBe('1M')
    expect(tickLabel('tokens', 5793)).toBe('5.7k')
    expect(tickLabel('integer', 1000)).toBe('1,000')
    expect(tickLabel('rate', 154.53)).toBe('155')
    expect(tickLabel('usd', 0.5)).toBe('$0.5')
  })
})

describe('text chart', () => {
  it('draws a tiny chart: letters at points, dots between, a null breaks the line, lower case for hollow points', () => {
    expect(textChart(tiny, {width: 44, height: 6})).toBe(
      [
        'Tiny',
        'KV cache',
        '4 GiB ┤                                ···a',
        '3 GiB ┤B                         ······   B',
        '      │                    ······',
        '2 GiB ┤         ········A··',
        '1 GiB ┤A········',
        '    0 ┤',
        '      └┬────────────────┬─────────────────┬',
        '       1k              4k               16k',
        '           Context (tokens), log scale',
        '  A one   B two',
        '  lower case: past max',
        '',
      ].join('\n'),
    )
  })
  it('is the same every time and never wider than asked', () => {
    for (const width of [40, 80, 132]) {
      const text = textChart(tiny, {width})
      expect(textChart(tiny, {width})).toBe(text)
      for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(width)
    }
  })
  it('marks points of several series in one cell with *, and draws reference lines dashed', () => {
    const chart: Chart = {...tiny, series: [tiny.series[0]!, {name: 'three', points: [{x: 1024, y: 1 * GiB}, {x: 16384, y: 1 * GiB}]}], limits: [{label: 'usable', y: 3.5 * GiB}]}
    const text = textChart(chart, {width: 44, height: 6})
    expect(text).toContain('┤*')
    expect(text).toContain('*: several series at one point')
    expect(text).toContain('- - usable')
    expect(text).toMatch(/┤- - - -/)
  })
  it('log scale: says so on the axis', () => {
    const text = textChart({...tiny, y: {...tiny.y, log: true}}, {width: 44, height: 6})
    expect(text.split('\n')[1]).toBe('KV cache, log scale')
    expect(text).toContain('1 GiB ┤A')
  })
  it('nothing to draw', () => {
    expect(textChart({...tiny, series: [{name: 'one', points: [{x: 1, y: null}]}]})).toBe('Tiny\n(no values to plot)\n')
  })
})

describe('SVG and HTML', () => {
  it('one polyline per run of points, a circle per point (hollow ones white), escaped text, no outside references', () => {
    const svg = svgChart({...tiny, title: 'KV <cache> & more'})
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.match(/<polyline /g)).toHaveLength(1) // series two has a gap: two single points, no line
    expect(svg.match(/<circle cx=/g)!.length).toBe(5 + 2 + 1) // 5 points, 2 legend samples, 1 hollow-point key
    expect(svg).toContain('fill="#ffffff" stroke="#1f77b4"') // the hollow point of series one
    expect(svg).toContain('KV &lt;cache&gt; &amp; more')
    expect(svg).toContain('Context (tokens), log scale')
    expect(svg).not.toMatch(/href|<script|@import|url\(/)
  })
  it('the HTML page holds the SVG inline and the values as a table', () => {
    const html = htmlPage(tiny)
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<svg xmlns=')
    expect(html).toContain('<th scope="row">4k</th><td>2.00 GiB</td><td>—</td>')
    expect(html).toContain('<td class="hollow">4.00 GiB °</td>')
    expect(html).not.toMatch(/href|src=|<script|<link/)
  })
})
