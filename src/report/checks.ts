// Results of validate and check: one line per rule or budget, per file or model.
import {formatBytes, formatCount, formatRate, formatSeconds} from '../render/format.js'
import type {TableView} from '../render/view.js'
import type {CheckLine, CheckUnit} from '../schema/results/checks.js'

export type {CheckLine, CheckUnit} from '../schema/results/checks.js'

export type CheckStatus = CheckLine['status']

/** A measured figure or limit for people: formatted by its unit (as the table and CI formats print it). */
export function formatCheckValue(value: number | null, unit: CheckUnit | null): string | null {
  if (value === null) return null
  switch (unit) {
    case 'params':
      return formatCount(value)
    case 'bytes':
      return formatBytes(value)
    case 'tokens/s':
      return formatRate(value)
    case 's':
      return formatSeconds(value)
    default:
      return String(value)
  }
}

/** The measured cell: its figure, or "does not fit" for a budget (a unit) that could not be measured. */
export const measuredText = (l: CheckLine): string | null => (l.measured === null ? (l.unit !== null && l.status !== 'pass' ? 'does not fit' : null) : formatCheckValue(l.measured, l.unit))
export const limitText = (l: CheckLine): string | null => formatCheckValue(l.limit, l.unit)

/** Exit code of a run: 2 when any input was unusable, 1 when a rule or budget failed, else 0. */
export const exitCodeOf = (lines: CheckLine[]) => (lines.some((l) => l.status === 'error') ? 2 : lines.some((l) => l.status === 'fail') ? 1 : 0)

export function checksView(title: string, lines: CheckLine[]): TableView {
  const failed = lines.filter((l) => l.status !== 'pass').length
  return {
    title,
    columns: [
      {key: 'subject', header: 'Subject', kind: 'text'},
      {key: 'rule', header: 'Rule', kind: 'text'},
      {key: 'statusText', header: 'Result', kind: 'text', keep: true},
      {key: 'measuredText', header: 'Measured', kind: 'text', align: 'right', only: 'human'},
      {key: 'limitText', header: 'Limit', kind: 'text', align: 'right', only: 'human'},
      {key: 'measured', header: 'Measured', kind: 'count', only: 'machine'},
      {key: 'limit', header: 'Limit', kind: 'count', only: 'machine'},
      {key: 'unit', header: 'Unit', kind: 'text', only: 'machine'},
      {key: 'message', header: 'Detail', kind: 'text', keep: true},
    ],
    rows: lines.map((l) => ({...l, measuredText: measuredText(l), limitText: limitText(l), statusText: l.status === 'pass' ? 'pass' : l.status === 'fail' ? 'FAIL' : 'ERROR'})),
    notes: [failed ? `${failed} of ${lines.length} failed` : `all ${lines.length} passed`],
  }
}
