// The box table writer: padding, alignment, escape codes taking no width, and wrapping without losing text.
import {describe, expect, it} from 'vitest'
import {boxTable} from '../../src/render/box.js'
import {displayWidth as visibleWidth, wrap as wrapText} from '../../src/render/width.js'

describe('boxTable', () => {
  it('draws the compact style: a rule under the header only, cells padded and aligned', () => {
    const text = boxTable({head: ['Model', 'Total'], rows: [['qwen3-8b', '8.19B'], ['llama-3.1-8b', '8.03B']], widths: [12, 5], align: ['left', 'right']})
    expect(text).toBe(
      [
        '┌──────────────┬───────┐',
        '│ Model        │ Total │',
        '├──────────────┼───────┤',
        '│ qwen3-8b     │ 8.19B │',
        '│ llama-3.1-8b │ 8.03B │',
        '└──────────────┴───────┘',
      ].join('\n'),
    )
  })
  it('escape codes take no width', () => {
    expect(visibleWidth('\u001b[32m10.0 ms\u001b[39m')).toBe(7)
    const text = boxTable({head: ['a'], rows: [['\u001b[31mred\u001b[39m']], widths: [5], align: ['left']})
    expect(text.split('\n')[3]).toBe('│ \u001b[31mred\u001b[39m   │')
  })
  it('wraps long cells at spaces and splits words longer than the column, losing nothing', () => {
    expect(wrapText('671B published; computed 671.03B', 12)).toEqual(['671B', 'published;', 'computed', '671.03B'])
    expect(wrapText('https://github.com/deepseek-ai', 12)).toEqual(['https://gith', 'ub.com/deeps', 'eek-ai'])
    const text = boxTable({head: ['x', 'y'], rows: [['one two three', 'z']], widths: [7, 1], align: ['left', 'right']})
    expect(text.split('\n').slice(3, 5)).toEqual(['│ one two │ z │', '│ three   │   │'])
  })
})
