// The shape of a registry entry: one formula, its text, its symbols, its unit, its source and the function the
// calculators call. `explain` shows the same entry (text, values, result); mathjs checks the text against the
// function in the tests and under `explain --verify`, never on the calculators' path.

/** Units of the quantities the registry computes. */
export type Unit =
  | 'params'
  | 'elements'
  | 'tokens'
  | 'layers'
  | 'experts'
  | 'bits'
  | 'bytes'
  | 'bytes/element'
  | 'FLOP'
  | 'FLOP/key'
  | 's'
  | 'tokens/s'
  | 'requests/s'
  | 'tokens/USD'
  | 'USD'
  | 'USD/s'
  | 'J'
  | 'h'
  | 'micro-batches'

/** The value of every symbol of a formula. */
export type Values<S extends string> = {readonly [K in S]: number}

export interface Formula<S extends string = string, A extends readonly unknown[] = never> {
  /** Stable name, `quantity.part.variant`: 'params.attention.gqa', 'kv.elementsPerToken.mlaLatent'. */
  readonly id: string
  /** What the result is, in words (explain's step name). */
  readonly label: string
  /** mathjs text over the symbols; evaluates to exactly what `evaluate` returns. */
  readonly expression: string
  /** Each symbol of the expression and what it stands for, with its unit. */
  readonly symbols: {readonly [K in S]: string}
  readonly unit: Unit
  /** An integer quantity (compared exactly), else floating point (to 1e-9 relative). */
  readonly integer: boolean
  /** Paper or reference implementation (file and function) the formula follows. */
  readonly source: string
  /** The function the calculators call. */
  evaluate(v: Values<S>): number
  /**
   * Where the symbols' values come from: the spec (with a layer kind, a width, a scenario) for formulas over model
   * dimensions; the quantities it combines, in order, for formulas over other results (times, costs). The
   * calculators and explain call the same reader. An entry without one gets its values from a `…Values` function
   * of the calculator that uses it (layerKvValues, forwardValues, weightBytesReadValues, …), again shared by both.
   */
  read?(...args: A): Values<S>
}

/** A registry entry (the identity, for type inference of the symbols and of the reader's arguments). */
export function formula<S extends string, A extends readonly unknown[] = never>(f: Formula<S, A>): Formula<S, A> {
  return f
}

/** The evaluations of traced entries while `traceFormulas` runs, else null; and the name given to what runs now. */
let trace: Evaluated[] | null = null
let traceName: string | undefined

/** Runs fn with its traced evaluations named (explain's step name: "gradients: routed experts"); free when not tracing. */
export function named<T>(name: string, fn: () => T): T {
  if (trace === null) return fn()
  const outer = traceName
  traceName = name
  try {
    return fn()
  } finally {
    traceName = outer
  }
}

/**
 * An entry whose evaluations `traceFormulas` records: for calculators that combine many entries at once (training
 * memory and time), so explain shows each evaluation the calculator made with its values, and re-derives none.
 */
export function tracedFormula<S extends string, A extends readonly unknown[] = never>(f: Formula<S, A>): Formula<S, A> {
  const entry: Formula<S, A> = {
    ...f,
    evaluate: (v) => {
      const result = f.evaluate(v)
      if (trace !== null) trace.push(traceName === undefined ? {formula: entry, values: {...v}, result} : {formula: entry, values: {...v}, result, name: traceName})
      return result
    },
  }
  return entry
}

/** Runs fn and returns, beside its result, every traced entry it evaluated, in order. Not reentrant. */
export function traceFormulas<T>(fn: () => T): {result: T; evaluations: Evaluated[]} {
  const outer = trace
  trace = []
  try {
    const result = fn()
    return {result, evaluations: trace}
  } finally {
    trace = outer
  }
}

/** One entry evaluated: the formula, its symbols' values and what its function returns for them. */
export interface Evaluated<S extends string = string> {
  formula: Formula<S, any>
  values: Values<S>
  result: number
  /** What this use of the entry is, when its label does not say ("norm weights, one linear-attention layer"). */
  name?: string
}

/** Evaluates an entry on the given values, keeping them (for explain). Not for hot paths: it allocates. */
export function apply<S extends string>(f: Formula<S, any>, values: Values<S>, name?: string): Evaluated<S> {
  return name === undefined ? {formula: f, values, result: f.evaluate(values)} : {formula: f, values, result: f.evaluate(values), name}
}

/** 1 for true, 0 for false: switches such as "has a bias" enter formulas as factors. */
export const bit = (flag: boolean): number => (flag ? 1 : 0)

/** A term of a sum: an optional count times a part (`n_full * full`), each a symbol with its meaning. */
export interface SumTerm {
  symbol: string
  doc: string
  value: number
  count?: {symbol: string; doc: string; value: number}
}

/** The one family of entries whose text depends on the model: how many parts it has (layer kinds, components). */
export const sumSource = 'the parts above added up (each part its own formula)'

/**
 * Σ (count ·) part over the given terms, as a formula with its values: the text names each part
 * ('n_full * full + n_sliding * sliding'), the function adds them in the order given.
 */
export function sumOf(id: string, label: string, unit: Unit, integer: boolean, terms: readonly SumTerm[]): Evaluated {
  const symbols: Record<string, string> = {}
  const values: Record<string, number> = {}
  for (const t of terms) {
    symbols[t.symbol] = t.doc
    values[t.symbol] = t.value
    if (t.count) {
      symbols[t.count.symbol] = t.count.doc
      values[t.count.symbol] = t.count.value
    }
  }
  const expression = terms.length ? terms.map((t) => (t.count ? `${t.count.symbol} * ${t.symbol}` : t.symbol)).join(' + ') : '0'
  const evaluate = (v: Values<string>) => {
    let total = 0
    for (const t of terms) total += t.count ? v[t.count.symbol]! * v[t.symbol]! : v[t.symbol]!
    return total
  }
  return apply({id, label, expression, symbols, unit, integer, source: sumSource, evaluate}, values)
}
