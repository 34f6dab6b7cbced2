// Errors the user can fix (exit 2: bad flag, unknown id, malformed preset) kept apart from our bugs.
export class UserError extends Error {
  readonly exitCode: number = 2
  constructor(message: string, readonly hint?: string) {
    super(message)
    this.name = 'UserError'
  }
}

/** An expected negative outcome, such as a failed budget check (exit 1). */
export class CheckFailed extends Error {
  readonly exitCode: number = 1
}
