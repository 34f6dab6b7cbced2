// Parameter and byte counts are integers that must stay exact; a double holds every integer below 2^53.
export class PrecisionError extends Error {}

/** Returns value unchanged, or throws if it is not an exactly representable integer. */
export function assertSafeInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new PrecisionError(`${what} = ${value} is not an exact integer below 2^53; refusing to print a rounded count`)
  }
  return value
}
