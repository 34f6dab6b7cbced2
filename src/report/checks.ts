// Results of validate and check: one line per rule or budget, per file or model.
import type {TableView} from '../render/view.js'

export type CheckStatus = 'pass' | 'fail' | 'error'

export interface CheckLine {
  /** File or model id the line is about. */
  subject: string
  /** Rule or budget name: schema, consistency, reported, max-total, fits, ... */
  rule: string
  status: CheckStatus
  /** The measured figure, formatted, where there is one. */
  measured: string | null
  /** The limit it is held to, formatted. */
  limit: string | null
  message: string
  /** File to annotate in CI, when the subject is a file. */
  file: string | null
}

/** Exit code of a run: 2 when any input was unusable, 1 when a rule or budget failed, else 0. */
export const exitCodeOf = (lines: CheckLine[]) => (lines.some((l) => l.status === 'error') ? 2 : lines.some((l) => l.status === 'fail') ? 1 : 0)

export function checksView(title: string, lines: CheckLine[]): TableView {
  const failed = lines.filter((l) => l.status !== 'pass').length
  return {
    title,
    columns: [
      {key: 'subject', header: 'Subject', kind: 'text'},
      {key: 'rule', header: 'Rule', kind: 'text'},
      {key: 'statusText', header: 'Result', kind: 'text'},
      {key: 'measured', header: 'Measured', kind: 'text', align: 'right'},
      {key: 'limit', header: 'Limit', kind: 'text', align: 'right'},
      {key: 'message', header: 'Detail', kind: 'text'},
    ],
    rows: lines.map((l) => ({...l, statusText: l.status === 'pass' ? 'pass' : l.status === 'fail' ? 'FAIL' : 'ERROR'})),
    notes: [failed ? `${failed} of ${lines.length} failed` : `all ${lines.length} passed`],
  }
}
