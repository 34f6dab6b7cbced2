// The one renderer: a view (table/csv/tsv/md) or the command's typed result (json).
import {boxTable, visibleWidth} from './box.js'
import {colourFor, terminal, type TerminalSettings} from './terminal.js'
import {formatBytes, formatCount, formatFlops, formatInteger, formatRate, formatSeconds, formatTokens, formatUsd, type Format} from './format.js'
import type {Cell, Column, TableView} from './view.js'

export interface RenderInput {
  views: TableView[]
  /** Exactly what --json prints: the command's typed result. */
  data: unknown
}

export function render(format: Format, input: RenderInput, settings: TerminalSettings = terminal): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(input.data, null, 2)}\n`
    case 'csv':
      return input.views.map((v) => delimited(v, ',')).join('\n')
    case 'tsv':
      return input.views.map((v) => delimited(v, '\t')).join('\n')
    case 'md':
      return input.views.map((v) => markdown(humanView(v))).join('\n')
    case 'table':
      return input.views.map((v) => table(v, settings)).join('\n')
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
  const quote = (text: string) => (separator === ',' && /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text.replaceAll('\t', ' '))
  const lines = [view.columns.map((c) => quote(machineHeader(c))).join(separator)]
  for (const row of view.rows) lines.push(view.columns.map((c) => quote(machineValue(row[c.key] ?? null))).join(separator))
  return `${lines.join('\n')}\n`
}

function markdown(view: TableView): string {
  const escape = (text: string) => text.replaceAll('|', '\\|')
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

const displayWidth = visibleWidth
const tableWidth = (columns: number[]) => columns.reduce((sum, w) => sum + w + 2, 0) + columns.length + 1

function columnWidths(t: HumanTable): number[] {
  return t.columns.map((c, j) => Math.max(displayWidth(c.header), ...t.rows.map((r) => displayWidth(r[j]!))))
}

/**
 * Fits a table to the terminal: a row-per-field table (one column per model), or one that asks for it, is split
 * into several tables of fewer models that repeat the leading columns; a row-per-model table drops columns, highest dropOrder (else rightmost) first, and says so.
 */
function fitToWidth(t: HumanTable, width: number | null, keepColumns: number | null, preferWrap = false): HumanTable[] {
  if (width === null || tableWidth(columnWidths(t)) <= width) return [t]
  const widths = columnWidths(t)
  if (preferWrap && wrapWidths(widths, width)) return [t] // long text wraps in place rather than splitting the models apart
  if (keepColumns !== null) {
    const kept = Array.from({length: keepColumns}, (_, k) => k)
    const keptWidths = kept.map((j) => widths[j]!)
    const parts: HumanTable[] = []
    let start = keepColumns
    while (start < t.columns.length) {
      let end = start + 1
      while (end < t.columns.length && tableWidth([...keptWidths, ...widths.slice(start, end + 1)]) <= width) end++
      const pick = [...kept, ...Array.from({length: end - start}, (_, k) => start + k)]
      parts.push({
        title: parts.length === 0 ? t.title : undefined,
        columns: pick.map((j) => t.columns[j]!),
        rows: t.rows.map((r) => pick.map((j) => r[j]!)),
        styles: t.styles.map((r) => pick.map((j) => r[j])),
        notes: [],
      })
      start = end
    }
    parts[parts.length - 1]!.notes = [...t.notes, `split into ${parts.length} tables to fit a ${width}-column terminal`]
    return parts
  }
  const order = t.columns
    .map((c, j) => ({j, rank: c.dropOrder ?? j}))
    .filter(({j}) => j > 0)
    .sort((a, b) => b.rank - a.rank)
  const dropped = new Set<number>()
  for (const {j} of order) {
    if (tableWidth(widths.filter((_, k) => !dropped.has(k))) <= width) break
    dropped.add(j)
  }
  const keep = t.columns.map((_, j) => j).filter((j) => !dropped.has(j))
  const names = [...dropped].sort((a, b) => a - b).map((j) => t.columns[j]!.header)
  return [
    {
      title: t.title,
      columns: keep.map((j) => t.columns[j]!),
      rows: t.rows.map((r) => keep.map((j) => r[j]!)),
      styles: t.styles.map((r) => keep.map((j) => r[j])),
      notes: [...t.notes, `columns left out to fit a ${width}-column terminal: ${names.join(', ')} (widen it, or use --format md or csv)`],
    },
  ]
}

/** Rows as numbered blocks: the first column as the heading, the others as indented "header: value" lines. */
function list(view: TableView, settings: TerminalSettings): string {
  const chalk = colourFor(settings.colorLevel)
  const t = humanTable(view)
  const out: string[] = []
  if (t.title) out.push(chalk ? chalk.bold(t.title) : t.title, '')
  t.rows.forEach((cells, i) => {
    out.push(`${i + 1}. ${chalk ? chalk.bold(cells[0]!) : cells[0]}`)
    t.columns.slice(1).forEach((c, j) => out.push(`   ${c.header ? `${c.header} ` : ''}${cells[j + 1]}`))
    out.push('')
  })
  for (const note of t.notes) out.push(chalk ? chalk.dim(`note: ${note}`) : `note: ${note}`)
  return `${out.join('\n')}\n`
}

/** Column widths that fit the terminal by narrowing the widest columns (their text wraps), or null when it fits. */
function wrapWidths(widths: number[], width: number | null): number[] | null {
  if (width === null || tableWidth(widths) <= width) return null
  const out = [...widths]
  while (tableWidth(out) > width) {
    const widest = out.indexOf(Math.max(...out))
    if (out[widest]! <= 12) return null // too narrow to wrap usefully: leave it wide
    out[widest]! -= 1
  }
  return out
}

function table(view: TableView, settings: TerminalSettings): string {
  if (view.list) return list(view, settings)
  const chalk = colourFor(settings.colorLevel)
  const paint: Record<Style, (text: string) => string> = {
    best: (x) => chalk!.green(x),
    worst: (x) => chalk!.yellow(x),
    bad: (x) => chalk!.red.bold(x),
    good: (x) => chalk!.green(x),
    changed: (x) => chalk!.yellow.bold(x),
  }
  const out: string[] = []
  for (const t of fitToWidth(humanTable(view), settings.width, view.transpose ? 1 : (view.split?.keepColumns ?? null), view.split !== undefined)) {
    const widths = wrapWidths(columnWidths(t), settings.width) ?? columnWidths(t)
    const body = boxTable({
      head: t.columns.map((c) => (chalk ? chalk.bold(c.header) : c.header)),
      rows: t.rows.map((cells, i) => cells.map((text, j) => (t.styles[i]![j] && chalk ? paint[t.styles[i]![j]!](text) : text))),
      widths,
      align: t.columns.map((c) => (isNumeric(c) ? 'right' : 'left')),
    })
    if (t.title) out.push(chalk ? chalk.bold(t.title) : t.title)
    out.push(body)
    for (const note of t.notes) out.push(chalk ? chalk.dim(`note: ${note}`) : `note: ${note}`)
  }
  return `${out.join('\n')}\n`
}
