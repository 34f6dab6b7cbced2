// Done when: a preset named with CJK characters lines up in every table, at any terminal width.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../cli/run.js'

const dir = mkdtempSync(join(tmpdir(), 'archcost-cjk-'))
const spec = JSON.parse(readFileSync(new URL('../../presets/models/qwen3-8b.json', import.meta.url), 'utf8'))
writeFileSync(join(dir, 'tongyi-qwen3-8b.json'), JSON.stringify({...spec, id: 'tongyi-qwen3-8b', name: '通义千问 Qwen3-8B'}, null, 2))

const commands = [
  ['show', 'tongyi-qwen3-8b'],
  ['presets'],
  ['params', 'tongyi-qwen3-8b', 'qwen3-8b'],
  ['compare', 'tongyi-qwen3-8b', 'qwen3-8b'],
  ['kv', 'tongyi-qwen3-8b', 'qwen3-8b'],
  ['memory', 'tongyi-qwen3-8b', 'qwen3-8b'],
  ['flops', 'tongyi-qwen3-8b', 'qwen3-8b'],
  ['fit', 'tongyi-qwen3-8b', '--hardware', 'h100,l4'],
  ['perf', 'tongyi-qwen3-8b', '--hardware', 'h100'],
]

/** Columns a line takes, counted apart from the renderer: every character one, CJK ideographs and fullwidth forms two. */
const columnsOf = (line: string) => [...line].reduce((sum, ch) => sum + (/[\u3000-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0)

/** Lines of each box-drawn table. */
function tables(text: string): string[][] {
  const out: string[][] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) out.push([])
    if (/^[┌│├└]/.test(line)) out[out.length - 1]!.push(line)
  }
  return out
}

describe('a preset named 通义千问', () => {
  for (const columns of [undefined, '80', '60']) {
    for (const args of commands) {
      it(`${args.join(' ')}${columns ? ` at ${columns} columns` : ''}: every table's lines are one width`, () => {
        const r = runCli(args, {ARCHCOST_PRESETS: dir, ...(columns ? {COLUMNS: columns} : {})})
        expect(r.code, r.stderr).toBe(0)
        const found = tables(r.stdout)
        // Where even the columns that answer the question do not fit, the table prints as one card per row.
        const cards = /shown as one card per row/.test(r.stdout)
        if (!cards) expect(found.length).toBeGreaterThan(0)
        if (cards) for (const line of r.stdout.split('\n')) expect(columnsOf(line), line).toBeLessThanOrEqual(Number(columns))
        for (const lines of found) {
          const widths = new Set(lines.map(columnsOf))
          expect([...widths], lines.join('\n')).toHaveLength(1)
          if (columns) expect([...widths][0]).toBeLessThanOrEqual(Number(columns))
        }
        if (args[0] === 'show') expect(r.stdout).toContain('通义千问 Qwen3-8B')
      })
    }
  }
})
