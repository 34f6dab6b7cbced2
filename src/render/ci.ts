// CI formats for validate and check: GitHub Actions workflow commands and JUnit XML.
import {limitText, measuredText, type CheckLine} from '../report/checks.js'
import {printable} from '../text.js'

/**
 * GitHub workflow commands escape %, CR and LF in messages, and also : and , in properties (actions/toolkit
 * command.ts); every other control character (ESC, BEL, bidi overrides) is shown as an escape first.
 */
const escapeData = (text: string) => printable(text, false).replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
const escapeProperty = (text: string) => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C')

/** "message; measured 8.19B; limit 7.00B": measured and limit formatted by their unit, as the table shows them. */
function detailOf(l: CheckLine): string {
  const measured = measuredText(l)
  const limit = limitText(l)
  return [l.message, measured !== null ? `measured ${measured}` : null, limit !== null ? `limit ${limit}` : null].filter(Boolean).join('; ')
}

/** One `::error` per failure (annotated on the file when there is one), one `::warning` per warning, one `::notice` summary line. */
export function githubAnnotations(lines: CheckLine[], warnings: readonly string[] = []): string {
  const out: string[] = []
  for (const l of lines) {
    if (l.status === 'pass') continue
    const props = [l.file ? `file=${escapeProperty(l.file)}` : null, `title=${escapeProperty(`archcost ${l.rule}: ${l.subject}`)}`].filter(Boolean).join(',')
    const detail = detailOf(l)
    out.push(`::error ${props}::${escapeData(detail)}`)
  }
  for (const warning of warnings) out.push(`::warning title=archcost::${escapeData(warning)}`)
  const failed = lines.filter((l) => l.status !== 'pass').length
  out.push(`::notice title=archcost::${escapeData(failed ? `${failed} of ${lines.length} checks failed` : `all ${lines.length} checks passed`)}`)
  return `${out.join('\n')}\n`
}

/**
 * XML 1.0 allows no C0 control but tab, LF and CR, not even as a character reference, and no lone surrogate or
 * U+FFFE/U+FFFF: printable() shows the controls as \xNN text; what is left of the forbidden set becomes U+FFFD.
 */
const xmlChars = (text: string) => printable(text, false).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g, '\ufffd')
const xml = (text: string) => xmlChars(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;').replaceAll('\n', '&#10;').replaceAll('\t', '&#9;')

/** JUnit XML: one testsuite per subject, one testcase per rule; failures and errors as JUnit has them. */
export function junitXml(name: string, lines: CheckLine[]): string {
  const subjects = [...new Set(lines.map((l) => l.subject))]
  const suites = subjects.map((subject) => {
    const cases = lines.filter((l) => l.subject === subject)
    const failures = cases.filter((l) => l.status === 'fail').length
    const errors = cases.filter((l) => l.status === 'error').length
    const body = cases.map((l) => {
      const detail = detailOf(l)
      const inner = l.status === 'fail' ? `<failure message="${xml(detail)}"/>` : l.status === 'error' ? `<error message="${xml(detail)}"/>` : ''
      return `    <testcase classname="${xml(`${name}.${subject}`)}" name="${xml(l.rule)}"${inner ? `>${inner}</testcase>` : '/>'}`
    })
    return `  <testsuite name="${xml(subject)}" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${body.join('\n')}\n  </testsuite>`
  })
  const failures = lines.filter((l) => l.status === 'fail').length
  const errors = lines.filter((l) => l.status === 'error').length
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(name)}" tests="${lines.length}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`
}
