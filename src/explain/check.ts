// `explain --verify`: evaluates each step's formula with mathjs and holds it to the calculator's result. A mismatch
// is a bug in archcost (the text would be lying), never a user error: ExplainMismatch is an internal error (exit 70,
// src/cli/failure.ts). mathjs is loaded only here, on demand; explain itself never loads it.
import type {Explanation, ExplainStep} from './steps.js'
import {plainNumber} from './substitute.js'

export interface CheckedStep extends ExplainStep {
  /** The formula with every symbol replaced by its value (printed by mathjs). */
  substituted: string
  /** What mathjs computes from the formula. */
  evaluated: number
}

/** The formula shown disagrees with the calculator: archcost's bug (exit 70). */
export class ExplainMismatch extends Error {
  readonly exitCode: number = 70
  constructor(message: string) {
    super(message)
    this.name = 'ExplainMismatch'
  }
}

/**
 * A mathjs instance that evaluates arithmetic only: the functions the mathjs security guide names as able to
 * reach outside an expression (import, createUnit, evaluate, parse, simplify, derivative, resolve, reviver,
 * compile) are replaced inside expressions by ones that refuse, after keeping parse for our own use.
 */
export async function safeMath() {
  const {create, all} = await import('mathjs')
  const math = create(all!, {number: 'number'})
  const parse = math.parse
  const refuse = (name: string) => () => {
    throw new Error(`${name} is disabled in archcost expressions`)
  }
  const blocked = ['import', 'createUnit', 'evaluate', 'parse', 'simplify', 'derivative', 'resolve', 'reviver', 'compile']
  math.import(Object.fromEntries(blocked.map((name) => [name, refuse(name)])), {override: true})
  return {math, parse, evaluate: (expression: string, scope: Record<string, number>) => parse(expression).compile().evaluate({...scope}) as unknown}
}

/** Integers must agree exactly; floating-point quantities to 1e-9 relative. */
export const agrees = (evaluated: number, result: number, exact: boolean) =>
  exact ? evaluated === result : Math.abs(evaluated - result) <= 1e-9 * Math.max(1, Math.abs(result))

export async function checkSteps(steps: ExplainStep[]): Promise<CheckedStep[]> {
  const {math, parse} = await safeMath()
  return steps.map((step) => {
    const node = parse(step.formula)
    const name = (n: unknown) => (n as {name: string}).name
    const substituted = node
      .transform((n) => (n.type === 'SymbolNode' && name(n) in step.values ? new math.ConstantNode(step.values[name(n)]!) : n))
      .toString({handler: (n: {type: string; value?: unknown}) => (n.type === 'ConstantNode' && typeof n.value === 'number' ? plainNumber(n.value) : undefined)})
    const evaluated = Number(node.evaluate({...step.values}))
    if (!agrees(evaluated, step.result, step.exact)) throw new ExplainMismatch(`explain: the formula for "${step.name}" (${step.id}) gives ${evaluated} but the calculator gives ${step.result}`)
    return {...step, substituted, evaluated}
  })
}

/** Evaluates every step of an explanation with mathjs; throws ExplainMismatch (exit 70) at the first disagreement. */
export async function verifyExplanation(explanation: Explanation): Promise<void> {
  await checkSteps(explanation.steps)
}
