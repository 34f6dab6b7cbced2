// The one renderer: a view (table/csv/tsv/md) or the command's typed result (json).
import {boxTable} from './box.js'
import {displayWidth, widestCluster, wrap} from './width.js'
import {colourFor, terminal, type TerminalSettings} from './terminal.js'
import {formatBytes, formatCount, formatFlops, formatInteger, formatRate, formatSeconds, formatTokens, formatUsd, type Format} from './format.js'
import type {Cell, Column, TableView} from './view.js'

export interface RenderInput {
  views: TableView[]
  /** Exactly what --json prints: the command's typed result. */
  data: unknown
}

/** A view's columns for people (table, md) or for machines (csv, tsv): `only` keeps a column to one of them. */
const columnsFor = (view: TableView, audience: 'human' | 'machine'): TableView => ({...view, columns: view.columns.filter((c) => c.only === undefined || c.only === audience)})

export function render(format: Format, input: RenderInput, settings: TerminalSettings = terminal): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(input.data, null, 2)}\n`
    case 'csv':
      return input.views.map((v) => delimited(columnsFor(v, 'machine'), ',')).join('\n')
    case 'tsv':
      return input.views.map((v) => delimited(columnsFor(v, 'machine'), '\t')).join('\n')
    case 'md':
      return input.views.map((v) => markdown(humanView(columnsFor(v, 'human')))).join('\n')
    case 'table':
      return input.views.map((v) => table(columnsFor(v, 'human'), settings)).join('\n')
  }
}

function human(column: Column, value: Cell): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (typeof value === 'string') return value
  switch (column.kind) {
    case 'count':
      return formatCount(value)
    case 'integer':
      return formatInteger(value)
    case 'bytes':
      return formatBytes(value)
    case 'tokens':
      return formatTokens(value)
    case 'fraction':
      return value >= 100 ? formatInteger(Math.floor(value)) : value.toFixed(2)
    case 'ratio':
      return `${value.toFixed(2)}x`
    case 'percent':
      return `${(value * 100).toFixed(1)}%`
    case 'flops':
      return formatFlops(value)
    case 'seconds':
      return formatSeconds(value)
    case 'usd':
      return formatUsd(value)
    case 'rate':
      return formatRate(value)
    default:
      return String(value)
  }
}

const isNumeric = (column: Column) => column.kind !== 'text' || column.align === 'right'

function machineHeader(column: Column): string {
  const snake = column.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
  return column.unit && !snake.endsWith(column.unit) ? `${snake}_${column.unit}` : snake
}

function machineValue(value: Cell): string {
  if (value === null || value === undefined) return ''
  return String(value)
}

function delimited(view: TableView, separator: string): string {
  const quote = (text: string) => (separator === ',' && /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text.replaceAll('\t', ' ').replaceAll('\n', ' '))
  const lines = [view.columns.map((c) => quote(machineHeader(c))).join(separator)]
  for (const row of view.rows) lines.push(view.columns.map((c) => quote(machineValue(row[c.key] ?? null))).join(separator))
  return `${lines.join('\n')}\n`
}

function markdown(view: TableView): string {
  const escape = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', '<br>')
  const lines: string[] = []
  if (view.title) lines.push(`### ${escape(view.title)}`, '')
  lines.push(`| ${view.columns.map((c) => escape(c.header)).join(' | ')} |`)
  lines.push(`|${view.columns.map((c) => (isNumeric(c) ? '---:' : ':---')).join('|')}|`)
  for (const row of view.rows) lines.push(`| ${view.columns.map((c) => escape(human(c, row[c.key] ?? null))).join(' | ')} |`)
  if (view.notes.length) lines.push('', ...view.notes.map((n) => `_${escape(n)}_`))
  return `${lines.join('\n')}\n`
}

type Style = 'best' | 'worst' | 'bad' | 'good' | 'changed'

/** Cell styles of a view keyed "row:column": best/worst per `better` column, fits / DOES NOT FIT, diff markers. */
function cellStyles(view: TableView): Map<string, Style> {
  const styles = new Map<string, Style>()
  for (const column of view.columns) {
    if (column.better) {
      const values = view.rows.map((row) => row[column.key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      if (new Set(values).size >= 2) {
        const best = column.better === 'lower' ? Math.min(...values) : Math.max(...values)
        const worst = column.better === 'lower' ? Math.max(...values) : Math.min(...values)
        view.rows.forEach((row, i) => {
          if (row[column.key] === best) styles.set(`${i}:${column.key}`, 'best')
          else if (row[column.key] === worst) styles.set(`${i}:${column.key}`, 'worst')
        })
      }
    }
    view.rows.forEach((row, i) => {
      const text = row[column.key]
      if (typeof text !== 'string') return
      if (/DOES NOT FIT|DISAGREES/.test(text)) styles.set(`${i}:${column.key}`, 'bad')
      else if (text === 'fits' || text === 'agrees') styles.set(`${i}:${column.key}`, 'good')
      else if (text === '≠') styles.set(`${i}:${column.key}`, 'changed')
    })
  }
  return styles
}

interface HumanTable {
  title?: string
  columns: Column[]
  /** Formatted cells. */
  rows: string[][]
  styles: (Style | undefined)[][]
  notes: string[]
}

/** Formats every cell; a row-per-model view becomes row-per-field (one column per model). */
function humanTable(view: TableView): HumanTable {
  const styles = cellStyles(view)
  if (!view.transpose) {
    return {
      title: view.title,
      columns: view.columns,
      rows: view.rows.map((row) => view.columns.map((c) => human(c, row[c.key] ?? null))),
      styles: view.rows.map((_, i) => view.columns.map((c) => styles.get(`${i}:${c.key}`))),
      notes: view.notes,
    }
  }
  const [label, ...fields] = view.columns
  const columns: Column[] = [{key: '__field', header: label!.header === 'Model' ? '' : label!.header, kind: 'text'}]
  view.rows.forEach((row, i) => columns.push({key: `c${i}`, header: String(row[label!.key]), kind: 'text', align: 'right'}))
  return {
    title: view.title,
    columns,
    rows: fields.map((field) => [field.header, ...view.rows.map((row) => human(field, row[field.key] ?? null))]),
    styles: fields.map((field) => [undefined, ...view.rows.map((_, i) => styles.get(`${i}:${field.key}`))]),
    notes: view.notes,
  }
}

/** The markdown renderer's view: formatted strings, transposed like the table. */
function humanView(view: TableView): TableView {
  const t = humanTable(view)
  return {
    title: t.title,
    columns: t.columns.map((c) => ({...c, kind: 'text', align: isNumeric(c) ? 'right' : c.align})),
    rows: t.rows.map((cells) => Object.fromEntries(t.columns.map((c, j) => [c.key, cells[j]!]))),
    notes: t.notes,
  }
}

const tableWidth = (columns: number[]) => columns.reduce((sum, w) => sum + w + 2, 0) + columns.length + 1

/** How narrow a column can go: `natural` unwrapped, `words` wrapped only at spaces, `hard` split anywhere. */
interface ColumnMeasure {
  natural: number
  words: number
  hard: number
}

function measure(t: HumanTable): ColumnMeasure[] {
  return t.columns.map((c, j) => {
    let natural = 0
    let words = 0
    let hard = 1
    const see = (text: string, wraps: boolean) => {
      for (const line of text.split('\n')) {
        const width = displayWidth(line)
        natural = Math.max(natural, width)
        if (!wraps) {
          words = Math.max(words, width)
          hard = Math.max(hard, width)
          continue
        }
        if (width > words) for (const word of line.split(' ')) words = Math.max(words, displayWidth(word))
        if (width > hard) hard = Math.max(hard, widestCluster(line))
      }
    }
    see(c.header, true)
    // Numbers are never wrapped or split; their headers are.
    for (const row of t.rows) see(row[j]!, !isNumeric(c))
    return {natural, words, hard}
  })
}

/** Narrows the widest columns (not below `floors`) until the table fits `width`; null when it cannot. */
function shrink(widths: number[], floors: number[], width: number): number[] | null {
  const out = widths.map((w, j) => Math.max(w, floors[j]!))
  while (tableWidth(out) > width) {
    let widest = -1
    out.forEach((w, j) => {
      if (w > floors[j]! && (widest < 0 || w > out[widest]!)) widest = j
    })
    if (widest < 0) return null
    out[widest]! -= 1
  }
  return out
}

/** A table ready to draw: its cells and the content width of each column. */
interface Laid extends HumanTable {
  widths: number[]
}

const pick = (t: HumanTable, columns: number[], rest: Partial<HumanTable> = {}): HumanTable => ({
  title: t.title,
  columns: columns.map((j) => t.columns[j]!),
  rows: t.rows.map((r) => columns.map((j) => r[j]!)),
  styles: t.styles.map((r) => columns.map((j) => r[j])),
  notes: t.notes,
  ...rest,
})

const widen = `(widen it, or use --format md or csv)`

/**
 * Fits a table to the terminal, or answers 'cards' when it should be shown as one card per row instead.
 *
 * A row-per-field table (one column per model), or one that asks for it (`split`), is split into several tables
 * of fewer models that repeat the leading columns; each shows at least one model, its cells wrapped when even
 * that is too wide. A `split` table first tries wrapping its long text in place.
 *
 * A row-per-model table leaves out columns, highest dropOrder (else rightmost) first, never its first column
 * nor a `keep` column, until it fits with its keep columns wrapped at spaces; then long text wraps to fit. When
 * the first and keep columns alone cannot fit, or nothing but the first column would be left, it is 'cards'.
 */
function fitToWidth(t: HumanTable, width: number | null, keepColumns: number | null, preferWrap: boolean): Laid[] | 'cards' {
  const m = measure(t)
  const natural = m.map((c) => c.natural)
  if (width === null || tableWidth(natural) <= width) return [{...t, widths: natural}]
  if (keepColumns !== null) {
    if (preferWrap) {
      // long text wraps in place rather than splitting the models apart, down to 12 columns a column
      const wrapped = shrink(natural, m.map((c) => Math.max(c.hard, Math.min(c.natural, 12))), width)
      if (wrapped) return [{...t, widths: wrapped}]
    }
    const kept = Array.from({length: Math.min(keepColumns, t.columns.length)}, (_, k) => k)
    if (kept.length >= t.columns.length) return [{...t, widths: fitWidths(m, kept, width)}]
    const parts: Laid[] = []
    let start = kept.length
    while (start < t.columns.length) {
      let end = start + 1
      while (end < t.columns.length && tableWidth([...kept, ...range(start, end + 1)].map((j) => natural[j]!)) <= width) end++
      const columns = [...kept, ...range(start, end)]
      parts.push({...pick(t, columns, {title: parts.length === 0 ? t.title : undefined, notes: []}), widths: fitWidths(m, columns, width)})
      start = end
    }
    if (parts.length > 1) parts[parts.length - 1]!.notes = [...t.notes, `split into ${parts.length} tables to fit a ${width}-column terminal`]
    else parts[0]!.notes = t.notes
    return parts
  }
  const keep = (j: number) => j === 0 || t.columns[j]!.keep === true
  const needed = (columns: number[]) => tableWidth(columns.map((j) => (keep(j) ? m[j]!.words : m[j]!.natural)))
  const order = t.columns
    .map((c, j) => ({j, rank: c.dropOrder ?? j}))
    .filter(({j}) => !keep(j))
    .sort((a, b) => b.rank - a.rank)
  const dropped = new Set<number>()
  const remaining = () => t.columns.map((_, j) => j).filter((j) => !dropped.has(j))
  for (const {j} of order) {
    if (needed(remaining()) <= width) break
    dropped.add(j)
  }
  const columns = remaining()
  if (needed(columns) > width || (columns.length === 1 && t.columns.length > 1)) return 'cards'
  const widths = shrink(
    columns.map((j) => natural[j]!),
    columns.map((j) => m[j]!.words),
    width,
  )!
  const names = [...dropped].sort((a, b) => a - b).map((j) => t.columns[j]!.header)
  const notes = names.length ? [...t.notes, `columns left out to fit a ${width}-column terminal: ${names.join(', ')} ${widen}`] : t.notes
  return [{...pick(t, columns, {notes}), widths}]
}

const range = (from: number, to: number) => Array.from({length: to - from}, (_, k) => from + k)

/** Content widths for these columns within `width`: natural, else wrapped at spaces, else split anywhere, else as narrow as can be. */
function fitWidths(m: ColumnMeasure[], columns: number[], width: number): number[] {
  const natural = columns.map((j) => m[j]!.natural)
  const hard = columns.map((j) => m[j]!.hard)
  return shrink(natural, columns.map((j) => m[j]!.words), width) ?? shrink(natural, hard, width) ?? hard
}

type Chalk = NonNullable<ReturnType<typeof colourFor>>

/** `note: ...` lines, wrapped at the terminal width with a hanging indent, dimmed when colour is on. */
function noteLines(notes: string[], width: number | null, chalk: Chalk | null): string[] {
  return notes.flatMap((note) => wrap(`note: ${note}`, width ?? Infinity, {indent: '      '})).map((line) => (chalk ? chalk.dim(line) : line))
}

function painter(chalk: Chalk | null): (text: string, style: Style | undefined) => string {
  if (!chalk) return (text) => text
  const paint: Record<Style, (text: string) => string> = {
    best: (x) => chalk.green(x),
    worst: (x) => chalk.yellow(x),
    bad: (x) => chalk.red.bold(x),
    good: (x) => chalk.green(x),
    changed: (x) => chalk.yellow.bold(x),
  }
  return (text, style) => (style ? paint[style](text) : text)
}

/**
 * Rows as numbered cards: the first column as the heading, the others as indented lines, "header value" for a
 * `list` view and "header: value" for a table too wide for the terminal; every line wrapped at its width.
 */
function cards(t: HumanTable, settings: TerminalSettings, colon: boolean): string {
  const chalk = colourFor(settings.colorLevel)
  const paint = painter(chalk)
  const width = settings.width ?? Infinity
  const out: string[] = []
  if (t.title) out.push(...wrap(chalk ? chalk.bold(t.title) : t.title, width), '')
  t.rows.forEach((cells, i) => {
    out.push(...wrap(`${i + 1}. ${chalk ? chalk.bold(cells[0]!) : cells[0]}`, width, {indent: '   '}))
    t.columns.slice(1).forEach((c, j) => {
      const label = c.header ? `${c.header}${colon ? ':' : ''} ` : ''
      out.push(...wrap(`${label}${paint(cells[j + 1]!, t.styles[i]![j + 1])}`, width, {firstIndent: '   ', indent: '     '}))
    })
    out.push('')
  })
  out.push(...noteLines(t.notes, settings.width, chalk))
  return `${out.join('\n')}\n`
}

function table(view: TableView, settings: TerminalSettings): string {
  const t = humanTable(view)
  if (view.list) return cards(t, settings, false)
  const chalk = colourFor(settings.colorLevel)
  const paint = painter(chalk)
  const laid = fitToWidth(t, settings.width, view.transpose ? 1 : (view.split?.keepColumns ?? null), view.split !== undefined)
  if (laid === 'cards') return cards({...t, notes: [...t.notes, `shown as one card per row to fit a ${settings.width}-column terminal ${widen}`]}, settings, true)
  const out: string[] = []
  for (const part of laid) {
    const body = boxTable({
      head: part.columns.map((c) => (chalk ? chalk.bold(c.header) : c.header)),
      rows: part.rows.map((cells, i) => cells.map((text, j) => paint(text, part.styles[i]![j]))),
      widths: part.widths,
      align: part.columns.map((c) => (isNumeric(c) ? 'right' : 'left')),
    })
    if (part.title) out.push(...wrap(chalk ? chalk.bold(part.title) : part.title, settings.width ?? Infinity))
    out.push(body)
    out.push(...noteLines(part.notes, settings.width, chalk))
  }
  return `${out.join('\n')}\n`
}
