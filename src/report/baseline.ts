// check --baseline: the figures of a previous `check --json` or `params --json`, and the lines that hold this run's
// figures of the same models to them (a regression beyond the tolerance fails).
import {UserError} from '../errors.js'
import {formatInteger, formatRate, formatSeconds} from '../render/format.js'
import type {CheckLine, CheckUnit} from '../schema/results/checks.js'

/** What a baseline compares: the figures check measures, by the budget that measures them. */
export const baselineMetrics = {
  total: {budget: 'max-total', what: 'total parameters', unit: 'params', higherIsBetter: false},
  active: {budget: 'max-active', what: 'active parameters', unit: 'params', higherIsBetter: false},
  'kv-per-token': {budget: 'max-kv-per-token', what: 'KV bytes per token', unit: 'bytes', higherIsBetter: false},
  memory: {budget: 'max-memory', what: 'memory', unit: 'bytes', higherIsBetter: false},
  fits: {budget: 'fits', what: 'memory per device (fits)', unit: 'bytes', higherIsBetter: false},
  'decode-tps': {budget: 'min-decode-tps', what: 'decode tokens/s per user', unit: 'tokens/s', higherIsBetter: true},
  ttft: {budget: 'max-ttft', what: 'time to first token', unit: 's', higherIsBetter: false},
} as const satisfies Record<string, {budget: string; what: string; unit: CheckUnit; higherIsBetter: boolean}>

export type BaselineMetric = keyof typeof baselineMetrics
const metricKeys = Object.keys(baselineMetrics) as BaselineMetric[]

/** A model's figures by metric; null where it was measured as not fitting. */
export type Figures = Partial<Record<BaselineMetric, number | null>>

/** The metric a check line measures: a budget's (max-total) or a baseline comparison's (baseline-total). */
export function metricOfRule(rule: string): BaselineMetric | undefined {
  return metricKeys.find((m) => baselineMetrics[m].budget === rule || `baseline-${m}` === rule)
}

/** The figures a check's lines measured, by metric. */
export function figuresOfLines(lines: CheckLine[]): Figures {
  const figures: Figures = {}
  for (const l of lines) {
    const metric = metricOfRule(l.rule)
    if (metric && l.status !== 'error') figures[metric] = l.measured
  }
  return figures
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isFigure = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0)

/** Figures by model id from the JSON of `archcost check --json` (its lines) or `archcost params --json` (its models). */
export function baselineFigures(raw: unknown, file: string): Map<string, Figures> {
  const byModel = new Map<string, Figures>()
  const add = (id: string, metric: BaselineMetric, value: number | null) => byModel.set(id, {...byModel.get(id), [metric]: value})
  if (isObject(raw) && Array.isArray(raw.checks)) {
    for (const l of raw.checks) {
      if (!isObject(l) || typeof l.subject !== 'string' || typeof l.rule !== 'string' || !isFigure(l.measured) || l.status === 'error') continue
      const metric = metricOfRule(l.rule)
      if (metric) add(l.subject, metric, l.measured)
    }
  } else if (isObject(raw) && Array.isArray(raw.models)) {
    for (const m of raw.models) {
      if (!isObject(m) || typeof m.id !== 'string') continue
      if (typeof m.totalParams === 'number') add(m.id, 'total', m.totalParams)
      if (typeof m.activeParams === 'number') add(m.id, 'active', m.activeParams)
    }
  } else throw new UserError(`${file}: not the JSON of \`archcost check --json\` or \`archcost params --json\`, so not a baseline`)
  if (byModel.size === 0) throw new UserError(`${file}: holds no measured figure of any model, so not a baseline`)
  return byModel
}

/** A figure as the message shows it: exact integers for parameters and bytes. */
function figureText(value: number, unit: CheckUnit): string {
  switch (unit) {
    case 'params':
      return formatInteger(value)
    case 'bytes':
      return `${formatInteger(value)} B`
    case 'tokens/s':
      return formatRate(value)
    case 's':
      return formatSeconds(value)
  }
}

/** What check measures of every model whatever its budgets. */
const alwaysRecorded: BaselineMetric[] = ['total', 'active', 'kv-per-token']

/** "+1.05%"; small changes keep two significant digits rather than rounding to 0.00%. */
function percentText(delta: number, old: number): string {
  if (old === 0) return delta === 0 ? '0%' : 'new'
  const pct = (delta / old) * 100
  const digits = pct === 0 || Math.abs(pct) >= 0.01 ? pct.toFixed(2) : pct.toPrecision(2)
  return `${pct > 0 ? '+' : ''}${digits}%`
}

/**
 * One line per metric the baseline has for the model and this run measured: pass unless the figure got worse by
 * more than `tolerancePercent` of the baseline's (more parameters, bytes or seconds; fewer tokens/s).
 */
export function baselineLines(subject: string, file: string | null, now: Figures, before: Figures, tolerancePercent: number): {lines: CheckLine[]; notCompared: BaselineMetric[]} {
  const lines: CheckLine[] = []
  const notCompared: BaselineMetric[] = []
  for (const metric of metricKeys) {
    const old = before[metric]
    const current = now[metric]
    const {what, unit, higherIsBetter} = baselineMetrics[metric]
    const rule = `baseline-${metric}`
    if (old === undefined) {
      // Recorded all the same (parameters, KV per token), so that this run's --json is a complete baseline next time.
      if (current !== undefined && alwaysRecorded.includes(metric))
        lines.push({subject, rule, status: 'pass', measured: current, limit: null, unit, message: `${what}: ${current === null ? 'does not fit' : figureText(current, unit)}; not in the baseline, recorded for the next`, file})
      continue
    }
    if (current === undefined) {
      notCompared.push(metric)
      continue
    }
    if (old === null || current === null) {
      // "does not fit" on one side: a regression only when it is this run that does not fit.
      const ok = current !== null
      lines.push({subject, rule, status: ok ? 'pass' : 'fail', measured: current, limit: old, unit, message: `${what}: ${old === null ? 'did not fit' : figureText(old, unit)} -> ${current === null ? 'does not fit' : figureText(current, unit)}`, file})
      continue
    }
    const limit = higherIsBetter ? old * (1 - tolerancePercent / 100) : old * (1 + tolerancePercent / 100)
    const ok = higherIsBetter ? current >= limit : current <= limit
    const delta = current - old
    const deltaText = `${delta > 0 ? '+' : delta < 0 ? '-' : '±'}${figureText(Math.abs(delta), unit)}`
    lines.push({
      subject,
      rule,
      status: ok ? 'pass' : 'fail',
      measured: current,
      limit,
      unit,
      message: `${what}: ${figureText(old, unit)} -> ${figureText(current, unit)}, ${deltaText} (${percentText(delta, old)}); tolerance ${tolerancePercent}%`,
      file,
    })
  }
  return {lines, notCompared}
}
