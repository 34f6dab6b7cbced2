// The one renderer: a view (table/csv/tsv/md) or the command's typed result (json).
import Table from 'cli-table3'
import {formatBytes, formatCount, formatFlops, formatInteger, formatRate, formatSeconds, formatTokens, formatUsd, type Format} from './format.js'
import type {Cell, Column, TableView} from './view.js'

export interface RenderInput {
  views: TableView[]
  /** Exactly what --json prints: the command's typed result. */
  data: unknown
}

export function render(format: Format, input: RenderInput): string {
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
      return input.views.map((v) => table(humanView(v))).join('\n')
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

/** Turns a row-per-model view into a row-per-field one, with cells already formatted. */
function humanView(view: TableView): TableView {
  if (!view.transpose) return view
  const [label, ...fields] = view.columns
  const columns: Column[] = [{key: '__field', header: label!.header === 'Model' ? '' : label!.header, kind: 'text'}]
  view.rows.forEach((row, i) => columns.push({key: `c${i}`, header: String(row[label!.key]), kind: 'text', align: 'right'}))
  const rows = fields.map((field) => {
    const out: Record<string, Cell> = {__field: field.header}
    view.rows.forEach((row, i) => (out[`c${i}`] = human(field, row[field.key] ?? null)))
    return out
  })
  return {...view, columns, rows, transpose: false}
}

function table(view: TableView): string {
  const t = new Table({
    head: view.columns.map((c) => c.header),
    colAligns: view.columns.map((c) => (isNumeric(c) ? 'right' : 'left')),
    style: {head: [], border: [], compact: true},
  })
  for (const row of view.rows) t.push(view.columns.map((c) => human(c, row[c.key] ?? null)))
  const parts = view.title ? [view.title] : []
  parts.push(t.toString())
  for (const note of view.notes) parts.push(`note: ${note}`)
  return `${parts.join('\n')}\n`
}
