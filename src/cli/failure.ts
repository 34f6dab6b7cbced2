// An error as the user sees it: one line and an exit code (2 unusable input, 1 a check failed, 70 our bug).
// Shared by the oclif commands (base-command.ts) and the fast start-up path (fast.ts).
import {PrecisionError} from '../calc/exact.js'
import {CheckFailed, UserError} from '../errors.js'

export interface Failure {
  code: 1 | 2 | 70
  message: string
}

export function describeFailure(error: Error, debug: boolean): Failure {
  if (error instanceof UserError) return {code: 2, message: error.hint ? `${error.message} (${error.hint})` : error.message}
  if (error instanceof CheckFailed) return {code: 1, message: error.message}
  // Only absurd input dimensions pass 2^53 (every preset is far below): the input's fault, not ours.
  if (error instanceof PrecisionError) return {code: 2, message: `${error.message}; check the model's dimensions`}
  return {code: 70, message: `internal error: ${error.message}; please report it with the command you ran${debug ? '' : ' (add --debug for the stack)'}`}
}

/** Whether the validator (and zod) must be loaded before running: unless only unchanged built-in presets are read. */
export function needsValidator(argv: string[], commandId: string, builtinFresh: () => boolean): boolean {
  const readsFiles = argv.some((a) => a.includes('/') || a.endsWith('.json')) || Boolean(process.env.ARCHCOST_PRESETS)
  return readsFiles || ['import', 'validate', 'verify'].includes(commandId) || !builtinFresh()
}
