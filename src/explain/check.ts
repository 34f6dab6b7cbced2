// Evaluates each explain step's formula with mathjs and holds it to the calculator's result. A mismatch is a
// bug in archcost (the text would be lying), never a user error. mathjs is loaded only here, on demand.
import type {ExplainStep} from './steps.js'

export interface CheckedStep extends ExplainStep {
  /** The formula with every symbol replaced by its value. */
  substituted: string
  /** What mathjs computes from the formula. */
  evaluated: number
}

export class ExplainMismatch extends Error {}

/** Numbers as people read them in a formula: integers whole, others to 6 significant digits. */
const plain = (value: number) => (Number.isInteger(value) && Math.abs(value) < 1e21 ? String(value) : String(Number(value.toPrecision(6))))

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

export async function checkSteps(steps: ExplainStep[]): Promise<CheckedStep[]> {
  const {math, parse} = await safeMath()
  return steps.map((step) => {
    const node = parse(step.formula)
    const substituted = node
      .transform((n) => (n.type === 'SymbolNode' && (n as unknown as {name: string}).name in step.values ? new math.ConstantNode(step.values[(n as unknown as {name: string}).name]!) : n))
      .toString({handler: (n: {type: string; value?: unknown}) => (n.type === 'ConstantNode' && typeof n.value === 'number' ? plain(n.value) : undefined)})
    const evaluated = Number(node.evaluate({...step.values}))
    const agrees = step.exact ? evaluated === step.result : Math.abs(evaluated - step.result) <= 1e-9 * Math.max(1, Math.abs(step.result))
    if (!agrees) throw new ExplainMismatch(`explain: the formula for "${step.name}" gives ${evaluated} but the calculator gives ${step.result}`)
    return {...step, substituted, evaluated}
  })
}
