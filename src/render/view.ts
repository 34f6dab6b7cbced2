// What a command hands the renderer: typed rows plus how to show each column.
export type ColumnKind = 'text' | 'count' | 'integer' | 'ratio' | 'percent' | 'bytes' | 'tokens' | 'fraction' | 'flops' | 'seconds' | 'usd' | 'rate'

export interface Column {
  key: string
  header: string
  kind: ColumnKind
  /** Unit suffix for machine formats' column names, e.g. "params", "bytes". */
  unit?: string
  align?: 'left' | 'right'
  /** Highlight the best and worst value of this column across rows (when colour is on). */
  better?: 'lower' | 'higher'
  /** When a table is wider than the terminal, columns with the highest number go first (default: their position). */
  dropOrder?: number
  /** Shown to people only (table, md: a figure formatted by a per-row unit) or to machines only (csv, tsv: the raw number). */
  only?: 'human' | 'machine'
  /**
   * A column that answers the view's question: never dropped to fit the terminal. Its text may wrap; when the first
   * column and the keep columns still cannot fit, the table is shown as one card per row instead of dropping any.
   */
  keep?: boolean
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
  /** When wider than the terminal, split into several tables that each repeat the first `keepColumns` columns, instead of leaving columns out. */
  split?: {keepColumns: number}
  /** The terminal table shows each row as a numbered block of "header value" lines (long formulas wrap). */
  list?: boolean
}
