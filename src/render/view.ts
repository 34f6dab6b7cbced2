// What a command hands the renderer: typed rows plus how to show each column.
export type ColumnKind = 'text' | 'count' | 'integer' | 'ratio' | 'percent' | 'bytes' | 'tokens' | 'fraction' | 'flops' | 'seconds' | 'usd' | 'rate'

export interface Column {
  key: string
  header: string
  kind: ColumnKind
  /** Unit suffix for machine formats' column names, e.g. "params", "bytes". */
  unit?: string
  align?: 'left' | 'right'
}

export type Cell = string | number | boolean | null

export interface TableView {
  title?: string
  columns: Column[]
  rows: Record<string, Cell>[]
  /** Assumptions in force, printed under human tables. */
  notes: string[]
  /** Human formats (table, md) show rows as columns: one column per model, one row per field. */
  transpose?: boolean
}
