// Box-drawn terminal tables in the compact style (header rule only). Written here rather than with cli-table3,
// which cost about 45 ms of start-up to lay out the 35-row compare table (measured; BENCHMARKS.md): cells are
// already formatted and measured by the renderer, so this only pads, aligns and wraps.

const ANSI = /\u001b\[[0-9;]*m/g

/** Display width: escape codes take no room; every character archcost prints is one column wide. */
export const visibleWidth = (text: string) => [...text.replace(ANSI, '')].length

/** Greedy word wrap to `width` columns; a word longer than the column is split, never cut off. */
export function wrapText(text: string, width: number): string[] {
  if (visibleWidth(text) <= width) return [text]
  const lines: string[] = []
  let line = ''
  for (const word of text.replace(ANSI, '').split(' ')) {
    let rest = word
    while ([...rest].length > width) {
      if (line) lines.push(line)
      line = ''
      lines.push([...rest].slice(0, width).join(''))
      rest = [...rest].slice(width).join('')
    }
    if (!line) line = rest
    else if ([...line].length + 1 + [...rest].length <= width) line += ` ${rest}`
    else {
      lines.push(line)
      line = rest
    }
  }
  if (line || lines.length === 0) lines.push(line)
  return lines
}

export interface BoxOptions {
  head: string[]
  rows: string[][]
  /** Content width of each column (without padding); cells wider than this wrap. */
  widths: number[]
  align: ('left' | 'right')[]
}

export function boxTable(o: BoxOptions): string {
  const rule = (left: string, mid: string, right: string) => `${left}${o.widths.map((w) => '─'.repeat(w + 2)).join(mid)}${right}`
  const line = (cells: string[]) => {
    const wrapped = cells.map((cell, j) => wrapText(cell, o.widths[j]!))
    const height = Math.max(...wrapped.map((w) => w.length))
    const out: string[] = []
    for (let k = 0; k < height; k++) {
      const parts = wrapped.map((lines, j) => {
        const text = lines[k] ?? ''
        const pad = ' '.repeat(Math.max(0, o.widths[j]! - visibleWidth(text)))
        return o.align[j] === 'right' ? `${pad}${text}` : `${text}${pad}`
      })
      out.push(`│ ${parts.join(' │ ')} │`)
    }
    return out.join('\n')
  }
  return [rule('┌', '┬', '┐'), line(o.head), rule('├', '┼', '┤'), ...o.rows.map(line), rule('└', '┴', '┘')].join('\n')
}
