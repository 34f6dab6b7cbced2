// Box-drawn terminal tables in the compact style (header rule only). Written here rather than with cli-table3,
// which made `compare` (35 rows) start in about 2.4-2.5x a bare `node -e 0` against 1.84x with this writer
// (measured: about 9 ms to import it and 40 ms to lay the table out, as it measures every cell again). The
// renderer has already formatted, measured and fitted the cells, so this only wraps, pads and aligns them, with the
// one width and wrap functions (width.ts): wide characters, escape codes and newlines in cells keep the borders true.
import {pad, wrap} from './width.js'

export interface BoxOptions {
  head: string[]
  rows: string[][]
  /** Content width of each column (without padding); cells wider than this wrap, a newline in a cell breaks its line. */
  widths: number[]
  align: ('left' | 'right')[]
}

export function boxTable(o: BoxOptions): string {
  const rule = (left: string, mid: string, right: string) => `${left}${o.widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`
  const line = (cells: string[]) => {
    const wrapped = cells.map((cell, j) => wrap(cell, o.widths[j]!))
    const height = Math.max(...wrapped.map((w) => w.length))
    const out: string[] = []
    for (let k = 0; k < height; k++) out.push(`│ ${wrapped.map((lines, j) => pad(lines[k] ?? '', o.widths[j]!, o.align[j])).join(' │ ')} │`)
    return out.join('\n')
  }
  return [rule('┌', '┬', '┐'), line(o.head), rule('├', '┼', '┤'), ...o.rows.map(line), rule('└', '┴', '┘')].join('\n')
}
