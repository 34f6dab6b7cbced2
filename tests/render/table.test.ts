// Terminal tables: wide characters, escape codes and newlines keep the borders true; at a narrow terminal a
// view keeps the columns that answer its question, or turns into one card per row; notes wrap.
import {describe, expect, it} from 'vitest'
import {render} from '../../src/render/render.js'
import type {TableView} from '../../src/render/view.js'
import {displayWidth} from '../../src/render/width.js'

const plain = (width: number | null) => ({colorLevel: 0 as const, width})
const table = (view: TableView, width: number | null = null) => render('table', {views: [view], data: null}, plain(width))

/** The lines of each box-drawn table in the output. */
function tables(text: string): string[][] {
  const out: string[][] = []
  let current: string[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('┌') && current.length) {
      out.push(current)
      current = []
    }
    if (/^[┌│├└]/.test(line)) current.push(line)
    else if (current.length) {
      out.push(current)
      current = []
    }
  }
  if (current.length) out.push(current)
  return out
}

/** Every line of every table has one display width (the borders line up), within the terminal's width. */
function expectAligned(text: string, width: number | null = null): void {
  const found = tables(text)
  expect(found.length).toBeGreaterThan(0)
  for (const lines of found) {
    const widths = new Set(lines.map(displayWidth))
    expect([...widths], lines.join('\n')).toHaveLength(1)
    if (width !== null) expect([...widths][0]).toBeLessThanOrEqual(width)
  }
}

describe('wide characters, escape codes and newlines in cells', () => {
  it('a CJK model name lines up: 通义千问 is 8 columns wide, like qwen3-8b', () => {
    const view: TableView = {
      columns: [
        {key: 'id', header: 'Model', kind: 'text'},
        {key: 'total', header: 'Total', kind: 'count'},
      ],
      rows: [
        {id: '通义千问', total: 8.19e9},
        {id: 'qwen3-8b', total: 8.03e9},
      ],
      notes: [],
    }
    const text = table(view)
    expect(text).toBe(
      [
        '┌──────────┬───────┐',
        '│ Model    │ Total │',
        '├──────────┼───────┤',
        '│ 通义千问 │ 8.19B │',
        '│ qwen3-8b │ 8.03B │',
        '└──────────┴───────┘',
        '',
      ].join('\n'),
    )
    expectAligned(text)
  })
  it('an emoji ZWJ sequence is 2 columns and a combining mark none', () => {
    const view: TableView = {
      columns: [
        {key: 'id', header: 'Model', kind: 'text'},
        {key: 'layers', header: 'Layers', kind: 'integer'},
      ],
      // "👩‍💻 coder" is 2 + 1 + 5 = 8 columns, "café-v2" (e + U+0301) 7, "🇯🇵 jp" 5
      rows: [
        {id: '👩\u200d💻 coder', layers: 32},
        {id: 'cafe\u0301-v2', layers: 4},
        {id: '🇯🇵 jp', layers: 1},
      ],
      notes: [],
    }
    const text = table(view)
    expect(tables(text)[0]).toEqual([
      '┌──────────┬────────┐',
      '│ Model    │ Layers │',
      '├──────────┼────────┤',
      '│ 👩\u200d💻 coder │     32 │',
      '│ cafe\u0301-v2  │      4 │',
      '│ 🇯🇵 jp    │      1 │',
      '└──────────┴────────┘',
    ])
    expectAligned(text)
  })
  it('a newline in a cell makes a two-line cell inside intact borders', () => {
    const view: TableView = {
      columns: [
        {key: 'id', header: 'Model', kind: 'text'},
        {key: 'note', header: 'Note', kind: 'text'},
      ],
      rows: [{id: 'a', note: 'line one\nline two'}],
      notes: [],
    }
    const text = table(view)
    expect(tables(text)[0]).toEqual([
      '┌───────┬──────────┐',
      '│ Model │ Note     │',
      '├───────┼──────────┤',
      '│ a     │ line one │',
      '│       │ line two │',
      '└───────┴──────────┘',
    ])
    expectAligned(text)
  })
  it('a coloured cell wrapped over three lines is red and bold on each', () => {
    const view: TableView = {
      columns: [
        {key: 'id', header: 'Model', kind: 'text'},
        {key: 'fit', header: 'Fits', kind: 'text', keep: true},
      ],
      rows: [{id: 'a', fit: 'DOES NOT FIT'}],
      notes: [],
    }
    // 16 columns: "│ a     │ " takes 10 and " │" 2, which leaves 4 for "DOES NOT FIT": DOES / NOT / FIT
    const text = render('table', {views: [view], data: null}, {colorLevel: 1, width: 16})
    const on = '\u001b[31m\u001b[1m'
    const off = '\u001b[22m\u001b[39m'
    expect(tables(text)[0]).toEqual([
      '┌───────┬──────┐',
      '│ \u001b[1mModel\u001b[22m │ \u001b[1mFits\u001b[22m │',
      '├───────┼──────┤',
      `│ a     │ ${on}DOES${off} │`,
      `│       │ ${on}NOT${off}  │`,
      `│       │ ${on}FIT${off}  │`,
      '└───────┴──────┘',
    ])
    expectAligned(text, 16)
  })
})

// The fit view's columns (src/report/fit.ts), with the keep columns it answers with.
const fitView: TableView = {
  columns: [
    {key: 'id', header: 'Model', kind: 'text'},
    {key: 'hardware', header: 'Hardware', kind: 'text', keep: true},
    {key: 'devices', header: 'Devices', kind: 'integer', keep: true},
    {key: 'layout', header: 'Layout', kind: 'text'},
    {key: 'fit', header: 'Fits', kind: 'text', keep: true},
    {key: 'perDevice', header: 'Per device', kind: 'bytes'},
    {key: 'usable', header: 'Usable', kind: 'bytes', dropOrder: 99},
    {key: 'maxContext', header: 'Max context (batch 1)', kind: 'integer'},
    {key: 'kvCapacity', header: 'KV capacity (tokens)', kind: 'integer', keep: true},
    {key: 'concurrency', header: 'Max concurrency', kind: 'fraction', keep: true},
    {key: 'price', header: '$/hour', kind: 'fraction'},
  ],
  rows: [
    {id: 'deepseek-v3', hardware: 'h100', devices: 16, layout: 'tp8 ep8 pp2 (KV replicated)', fit: 'fits', perDevice: 70.1 * 2 ** 30, usable: 71.2 * 2 ** 30, maxContext: 163840, kvCapacity: 1212880, concurrency: 9.25, price: 47.2},
    {id: 'deepseek-v3', hardware: 'h200', devices: 8, layout: 'tp8 ep8 (KV replicated)', fit: 'fits', perDevice: 120.5 * 2 ** 30, usable: 126.1 * 2 ** 30, maxContext: 163840, kvCapacity: 929456, concurrency: 7.09, price: 31.9},
  ],
  notes: [],
}

describe('fitting a row-per-model table to the terminal', () => {
  it('at 80 columns the fit view keeps devices, fits, KV capacity and maximum concurrency, wrapping a header', () => {
    const text = table(fitView, 80)
    // Layout (27), Per device, Usable, Max context and $/hour go; the six left need 65 + 19 = 84 columns at their
    // natural widths, so the widest, "KV capacity (tokens)" (20), narrows to 16 and its header takes two lines.
    expect(text).toBe(
      [
        '┌─────────────┬──────────┬─────────┬──────┬──────────────────┬─────────────────┐',
        '│ Model       │ Hardware │ Devices │ Fits │      KV capacity │ Max concurrency │',
        '│             │          │         │      │         (tokens) │                 │',
        '├─────────────┼──────────┼─────────┼──────┼──────────────────┼─────────────────┤',
        '│ deepseek-v3 │ h100     │      16 │ fits │        1,212,880 │            9.25 │',
        '│ deepseek-v3 │ h200     │       8 │ fits │          929,456 │            7.09 │',
        '└─────────────┴──────────┴─────────┴──────┴──────────────────┴─────────────────┘',
        'note: columns left out to fit a 80-column terminal: Layout, Per device, Usable,',
        '      Max context (batch 1), $/hour (widen it, or use --format md or csv)',
        '',
      ].join('\n'),
    )
    expectAligned(text, 80)
  })
  it('with room to spare, drops only what it must, highest dropOrder first', () => {
    const text = table(fitView, 120)
    expect(text).toMatch(/columns left out to fit a 120-column terminal: Usable, Max context \(batch 1\), \$\/hour/)
    expectAligned(text, 120)
  })
  it('when the first and keep columns cannot fit, shows one card per row with every column, wrapped', () => {
    const text = table(fitView, 40)
    expect(tables(text)).toEqual([])
    expect(text).toBe(
      [
        '1. deepseek-v3',
        '   Hardware: h100',
        '   Devices: 16',
        '   Layout: tp8 ep8 pp2 (KV replicated)',
        '   Fits: fits',
        '   Per device: 70.10 GiB',
        '   Usable: 71.20 GiB',
        '   Max context (batch 1): 163,840',
        '   KV capacity (tokens): 1,212,880',
        '   Max concurrency: 9.25',
        '   $/hour: 47.20',
        '',
        '2. deepseek-v3',
        '   Hardware: h200',
        '   Devices: 8',
        '   Layout: tp8 ep8 (KV replicated)',
        '   Fits: fits',
        '   Per device: 120.50 GiB',
        '   Usable: 126.10 GiB',
        '   Max context (batch 1): 163,840',
        '   KV capacity (tokens): 929,456',
        '   Max concurrency: 7.09',
        '   $/hour: 31.90',
        '',
        'note: shown as one card per row to fit a',
        '      40-column terminal (widen it, or',
        '      use --format md or csv)',
        '',
      ].join('\n'),
    )
    for (const line of text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(40)
  })
  it('a long card value wraps with a hanging indent', () => {
    const view: TableView = {
      columns: [
        {key: 'id', header: 'Model', kind: 'text'},
        {key: 'why', header: 'Reason', kind: 'text', keep: true},
      ],
      rows: [{id: 'a-model-with-a-long-identifier', why: 'the weights alone exceed the usable memory'}],
      notes: [],
    }
    // Model (30) + the longest word of Reason (6) need 43 columns: cards
    expect(table(view, 30)).toBe(
      [
        '1. a-model-with-a-long-identif', // a word longer than any line fills the line and goes on under it
        '   ier',
        '   Reason: the weights alone',
        '     exceed the usable memory',
        '',
        'note: shown as one card per',
        '      row to fit a 30-column',
        '      terminal (widen it, or',
        '      use --format md or csv)',
        '',
      ].join('\n'),
    )
  })
  it('never leaves only the first column: a view with no keep columns turns into cards instead', () => {
    const view: TableView = {...fitView, columns: fitView.columns.map(({keep: _keep, ...c}) => c)}
    // Model and Hardware need 13 + 8 + 7 = 28 columns; at 24 only Model would be left
    expect(tables(table(view, 30))[0]![1]).toBe('│ Model       │ Hardware │')
    expect(table(view, 24)).toMatch(/^1\. deepseek-v3\n {3}Hardware: h100\n/)
  })
  it('a field/value view with its value column kept wraps the values rather than losing them', () => {
    const view: TableView = {
      title: 'qwen3-8b',
      columns: [
        {key: 'field', header: 'Field', kind: 'text'},
        {key: 'value', header: 'Value', kind: 'text', keep: true},
      ],
      rows: [
        {field: 'Model', value: 'Qwen3-8B (Qwen/Qwen3-8B)'},
        {field: 'Vendor total', value: '8.2B published; computed 8.19B (total of the text model): agrees'},
      ],
      notes: [],
    }
    const text = table(view, 50)
    expect(text).toBe(
      [
        'qwen3-8b',
        '┌──────────────┬─────────────────────────────────┐',
        '│ Field        │ Value                           │',
        '├──────────────┼─────────────────────────────────┤',
        '│ Model        │ Qwen3-8B (Qwen/Qwen3-8B)        │',
        '│ Vendor total │ 8.2B published; computed 8.19B  │',
        '│              │ (total of the text model):      │',
        '│              │ agrees                          │',
        '└──────────────┴─────────────────────────────────┘',
        '',
      ].join('\n'),
    )
    expectAligned(text, 50)
  })
})

describe('a row-per-field view (one column per model)', () => {
  const memory: TableView = {
    transpose: true,
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'weights', header: 'Weights', kind: 'bytes'},
      {key: 'kv', header: 'KV cache at 128k tokens of context', kind: 'bytes'},
    ],
    rows: [
      {id: '通义千问-72b-instruct', weights: 135.4 * 2 ** 30, kv: 40 * 2 ** 30},
      {id: 'llama-3.1-70b', weights: 131.4 * 2 ** 30, kv: 40 * 2 ** 30},
    ],
    notes: [],
  }
  it('splits by models, each part keeping the field column and at least one model', () => {
    const text = table(memory, 60)
    expect(text).toMatch(/split into 2 tables to fit a 60-column terminal/)
    const parts = tables(text)
    expect(parts).toHaveLength(2)
    // the field column (34) and the first model (21) need 62 columns: the field column narrows to 32
    expect(parts[0]!.slice(1, 6)).toEqual([
      `│ ${' '.repeat(32)} │ 通义千问-72b-instruct │`,
      '├──────────────────────────────────┼───────────────────────┤',
      `│ Weights${' '.repeat(25)} │            135.40 GiB │`,
      `│ KV cache at 128k tokens of${' '.repeat(6)} │             40.00 GiB │`,
      `│ context${' '.repeat(25)} │                       │`,
    ])
    expect(parts[1]![1]).toBe(`│ ${' '.repeat(34)} │ llama-3.1-70b │`)
    expectAligned(text, 60)
  })
  it('wraps the cells when even the field column and one model do not fit', () => {
    const text = table(memory, 30)
    const parts = tables(text)
    expect(parts).toHaveLength(2)
    // 23 columns of content for 34 + 21: the widest narrows first, so 11 and 12; the id splits after "72b"
    // (8 + 4 columns), never inside 通义千问, and "135.40 GiB" is never split
    expect(parts[0]).toEqual([
      '┌─────────────┬──────────────┐',
      '│             │ 通义千问-72b │',
      '│             │    -instruct │',
      '├─────────────┼──────────────┤',
      '│ Weights     │   135.40 GiB │',
      '│ KV cache at │    40.00 GiB │',
      '│ 128k tokens │              │',
      '│ of context  │              │',
      '└─────────────┴──────────────┘',
    ])
    expectAligned(text, 30)
  })
})

describe('notes', () => {
  it('wrap at the terminal width with a hanging indent under the text', () => {
    const view: TableView = {
      columns: [{key: 'id', header: 'Model', kind: 'text'}],
      rows: [{id: 'a'}],
      notes: ['roofline: prefill max(FLOPs / (peak x MFU 0.5), bytes / (bandwidth x MBU 0.7)); decode max(bytes / (bandwidth x MBU), FLOPs / peak)'],
    }
    const notes = table(view, 60)
      .split('\n')
      .filter((l) => l && !/^[┌│├└]/.test(l))
    expect(notes).toEqual([
      'note: roofline: prefill max(FLOPs / (peak x MFU 0.5), bytes',
      '      / (bandwidth x MBU 0.7)); decode max(bytes /',
      '      (bandwidth x MBU), FLOPs / peak)',
    ])
    for (const line of notes) expect(displayWidth(line)).toBeLessThanOrEqual(60)
  })
  it('are not wrapped when output is not a terminal', () => {
    const view: TableView = {columns: [{key: 'id', header: 'Model', kind: 'text'}], rows: [{id: 'a'}], notes: ['x '.repeat(60).trim()]}
    expect(table(view, null)).toContain(`note: ${'x '.repeat(60).trim()}\n`)
  })
})
