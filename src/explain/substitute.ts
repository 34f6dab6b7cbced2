// A formula with its symbols replaced by their values, for people to read: plain text, no mathjs (which costs
// about a second to load; `explain --verify` loads it to evaluate every formula, src/explain/check.ts).

/** Numbers as people read them in a formula: integers whole, others to 6 significant digits. */
export const plainNumber = (value: number) => (Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : String(Number(value.toPrecision(6))))

export function substitute(formula: string, values: Record<string, number>): string {
  return formula.replace(/[A-Za-z_][A-Za-z0-9_]*/g, (name) => (Object.hasOwn(values, name) ? plainNumber(values[name]!) : name))
}
