// Output and exit code shared by validate and check: every format of the renderer plus github and junit.
import {Flags} from '@oclif/core'
import {formats} from '../render/format.js'
import {githubAnnotations, junitXml} from '../render/ci.js'
import {render} from '../render/render.js'
import {checksView, exitCodeOf, type CheckLine} from '../report/checks.js'

export const checkFormats = [...formats, 'github', 'junit'] as const

export const checkFormatFlag = Flags.string({
  char: 'f',
  description: 'Output format; github prints workflow annotations, junit a JUnit XML report',
  options: [...checkFormats],
  default: 'table',
  helpGroup: 'OUTPUT',
})

/** The text to print and the exit code (0 pass, 1 a rule or budget failed, 2 unusable input). */
export function checksOutput(format: string, title: string, lines: CheckLine[]): {text: string; code: 0 | 1 | 2} {
  const code = exitCodeOf(lines)
  if (format === 'github') return {text: githubAnnotations(lines), code}
  if (format === 'junit') return {text: junitXml(title, lines), code}
  const data = {passed: code === 0, exitCode: code, checks: lines}
  return {text: render(format as (typeof formats)[number], {views: [checksView(title, lines)], data}), code}
}
