// Colour, terminal width, and compare's column choice, sorting and filters.
import {describe, expect, it} from 'vitest'
import {render} from '../../src/render/render.js'
import {detectTerminal} from '../../src/render/terminal.js'
import type {TableView} from '../../src/render/view.js'
import {runCli} from './run.js'

const ESC = '\u001b['

describe('colour decision', () => {
  const tty = {isTTY: true, columns: 120}
  it('--no-color beats NO_COLOR, which beats FORCE_COLOR, which beats the TTY check', () => {
    expect(detectTerminal(['--no-color'], {FORCE_COLOR: '1'}, tty).colorLevel).toBe(0)
    expect(detectTerminal([], {NO_COLOR: '1', FORCE_COLOR: '1'}, tty).colorLevel).toBe(0)
    expect(detectTerminal([], {FORCE_COLOR: '3'}, {isTTY: false}).colorLevel).toBe(3)
    expect(detectTerminal([], {FORCE_COLOR: '0'}, tty).colorLevel).toBe(0)
    expect(detectTerminal([], {}, tty).colorLevel).toBe(1)
    expect(detectTerminal([], {}, {isTTY: false}).colorLevel).toBe(0)
  })
  it('width: COLUMNS, else the TTY width, else none (pipes are never cut)', () => {
    expect(detectTerminal([], {COLUMNS: '100'}, {isTTY: false}).width).toBe(100)
    expect(detectTerminal([], {}, tty).width).toBe(120)
    expect(detectTerminal([], {}, {isTTY: false}).width).toBeNull()
  })
})

const view: TableView = {
  columns: [
    {key: 'id', header: 'Model', kind: 'text'},
    {key: 'tpot', header: 'TPOT', kind: 'seconds', better: 'lower'},
    {key: 'fit', header: 'Fits', kind: 'text'},
    {key: 'note', header: 'A long low-priority column', kind: 'text'},
  ],
  rows: [
    {id: 'a', tpot: 0.01, fit: 'fits', note: 'xxxxxxxxxxxxxxxxxxxxxxxx'},
    {id: 'b', tpot: 0.02, fit: 'DOES NOT FIT', note: 'yyyyyyyyyyyyyyyyyyyyyyyy'},
  ],
  notes: [],
}

describe('table rendering', () => {
  it('colours the best and worst of a column and a does-not-fit cell', () => {
    const text = render('table', {views: [view], data: null}, {colorLevel: 1, width: null})
    expect(text).toContain(`${ESC}32m10.0 ms`) // best: green
    expect(text).toContain(`${ESC}33m20.0 ms`) // worst: yellow
    expect(text).toMatch(/\u001b\[31m\u001b\[1mDOES NOT FIT|\u001b\[1m\u001b\[31mDOES NOT FIT/)
  })
  it('no escape codes at colour level 0', () => {
    expect(render('table', {views: [view], data: null}, {colorLevel: 0, width: null})).not.toContain(ESC)
  })
  it('drops the lowest-priority columns to fit the terminal, and says which', () => {
    const text = render('table', {views: [view], data: null}, {colorLevel: 0, width: 40})
    expect(text.split('\n').filter((l) => !/^(note:| {6})/.test(l)).join('\n')).not.toContain('A long low-priority column')
    expect(text.replace(/\n {6}/g, ' ')).toMatch(/columns left out to fit a 40-column terminal: A long low-priority column/) // notes wrap with a hanging indent
    for (const line of text.split('\n').filter((l) => !l.startsWith('note:'))) expect([...line].length).toBeLessThanOrEqual(40)
  })
  it('splits a table of models-as-columns into several narrower tables', () => {
    const wide: TableView = {...view, transpose: true, rows: Array.from({length: 6}, (_, i) => ({id: `model-number-${i}`, tpot: 0.01 * (i + 1), fit: 'fits', note: 'n'}))}
    const text = render('table', {views: [wide], data: null}, {colorLevel: 0, width: 60})
    expect(text).toMatch(/split into \d tables to fit a 60-column terminal/)
    for (const line of text.split('\n').filter((l) => !l.startsWith('note:'))) expect([...line].length).toBeLessThanOrEqual(60)
  })
})

describe('CLI colour', () => {
  it('FORCE_COLOR colours a piped table; NO_COLOR and --no-color do not', () => {
    expect(runCli(['fit', 'qwen3-8b', '--hardware', 'h100,l4'], {NO_COLOR: '', FORCE_COLOR: '1'}).stdout).toContain(ESC)
    expect(runCli(['fit', 'qwen3-8b', '--hardware', 'h100,l4'], {NO_COLOR: '1', FORCE_COLOR: '1'}).stdout).not.toContain(ESC)
    expect(runCli(['fit', 'qwen3-8b', '--hardware', 'h100,l4', '--no-color'], {NO_COLOR: '', FORCE_COLOR: '1'}).stdout).not.toContain(ESC)
  })
})

describe('compare columns, sort and filters', () => {
  it('--moe --max-active 20B keeps the MoE presets with at most 20B active, sorted by active descending', () => {
    const rows = JSON.parse(runCli(['compare', '--moe', '--max-active', '20B', '--sort', 'active', '--desc', '--json']).stdout).rows
    // DeepSeek-V3/R1 (37.55B), Mixtral-8x22B (39.15B), Qwen3-Coder-480B (35.47B), Kimi K2 (32.86B), Nemotron 3 Ultra (56.06B), DeepSeek-V4-Pro (49.78B), Qwen3-235B-A22B (22.19B) and MiniMax-M3 (25.96B) are out; dense models are out
    expect(rows.map((r: {id: string}) => r.id)).toEqual([
      'qwen3.5-397b-a17b', // 17.35B
      'llama-4-maverick-17b-128e-instruct', // 17.18B
      'llama-4-scout-17b-16e-instruct', // 17.17B
      'mimo-v2-flash', // 15.45B
      'deepseek-v4-flash', // 13.80B
      'mixtral-8x7b-v0.1', // 12.88B
      'nvidia-nemotron-3-super-120b-a12b-fp8', // 12.77B
      'minimax-m2.5', // 11.03B
      'step-3.7-flash', // 10.86B
      'qwen3.5-122b-a10b', // 9.77B
      'gpt-oss-120b', // 5.71B
      'gpt-oss-20b', // 4.19B
      'qwen3-next-80b-a3b-thinking', // 3.87B
      'gemma-4-26b-a4b', // 3.82B
      'qwen3-30b-a3b', // 3.35B
    ])
  })
  it('--columns picks and orders columns; csv headers follow', () => {
    const r = runCli(['compare', 'qwen3-8b', '--columns', 'kv,params', '--format', 'csv'])
    expect(r.stdout.split('\n')[0]).toBe('id,kv_bytes_per_token_bytes,total_params')
  })
  it('--family filters; a speed column without --hardware, or an unknown column, is a one-line error', () => {
    const rows = JSON.parse(runCli(['compare', '--family', 'olmo2', '--json']).stdout).rows
    expect(rows.map((r: {id: string}) => r.id).sort()).toEqual(['olmo-2-0325-32b', 'olmo-2-0425-1b', 'olmo-2-1124-13b', 'olmo-2-1124-7b'])
    for (const args of [['compare', '--columns', 'ttft'], ['compare', '--columns', 'speed'], ['compare', '--family', 'nope']]) {
      const r = runCli(args)
      expect(r.code).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
  })
})
