// What validate and check share: the github and junit formats beside the renderer's, and their result shape.
import {githubAnnotations, junitXml} from '../render/ci.js'
import {checksView, exitCodeOf, type CheckLine} from '../report/checks.js'
import type {ChecksOutput} from '../schema/results/checks.js'
import type {Presentation} from './definition.js'

export const checkFormats = ['github', 'junit'] as const

export function checksOutput(lines: CheckLine[]): ChecksOutput {
  const exitCode = exitCodeOf(lines)
  return {passed: exitCode === 0, exitCode, checks: lines, warnings: []}
}

export const checksPresentation = (title: string, result: ChecksOutput): Presentation => ({views: [checksView(title, result.checks)]})

export const checksCiText = (title: string, result: ChecksOutput, format: string): string =>
  format === 'github' ? githubAnnotations(result.checks, result.warnings) : junitXml(title, result.checks)

/**
 * github/junit for a run that stopped on bad input before it had lines (a bad flag, a baseline that is not one):
 * one error, so that a CI job still gets a report. Other formats: nothing (the line on stderr says it).
 */
export function checksFailureText(title: string, message: string, format: string): string | null {
  if (!(checkFormats as readonly string[]).includes(format)) return null
  const line: CheckLine = {subject: title.replace(/^archcost /, ''), rule: 'input', status: 'error', measured: null, limit: null, unit: null, message, file: null}
  return checksCiText(title, {passed: false, exitCode: 2, checks: [line], warnings: []}, format)
}
