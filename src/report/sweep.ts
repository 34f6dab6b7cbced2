// A metric across a range (context, batch or devices) for several models: the typed result, a table with one
// row per x and one column per model, and the chart of the same numbers.
import type {SweepAxisName, SweepMetric, SweepSeries} from '../calc/sweep.js'
import type {Chart, ChartValueKind} from '../render/chart.js'
import {formatBytes, formatInteger, formatTokens} from '../render/format.js'
import type {Cell, Column, TableView} from '../render/view.js'
import type {SweepResult} from '../schema/results/sweep.js'

export type {SweepResult} from '../schema/results/sweep.js'

export interface MetricInfo {
  label: string
  unit: SweepResult['unit']
  kind: ChartValueKind
  /** Suffix of machine-format column names. */
  columnUnit: string
}

export const metricInfo: Record<SweepMetric, MetricInfo> = {
  kv: {label: 'KV cache', unit: 'bytes', kind: 'bytes', columnUnit: 'bytes'},
  memory: {label: 'Memory', unit: 'bytes', kind: 'bytes', columnUnit: 'bytes'},
  'decode-tps': {label: 'Decode tokens/s per sequence', unit: 'tokens/s', kind: 'rate', columnUnit: 'tokens_per_second'},
  cost: {label: '$ per 1M output tokens', unit: 'usd', kind: 'usd', columnUnit: 'usd'},
}

/** The x axis: its table header, chart label and how its numbers read. For decode-tps and cost the context is the prompt. */
export function axisInfo(axis: SweepAxisName, metric: SweepMetric): {header: string; label: string; kind: ChartValueKind; columnUnit?: string} {
  const prompt = metric === 'decode-tps' || metric === 'cost'
  switch (axis) {
    case 'context':
      return prompt ? {header: 'Prompt', label: 'Prompt (tokens)', kind: 'tokens', columnUnit: 'tokens'} : {header: 'Context', label: 'Context (tokens)', kind: 'tokens', columnUnit: 'tokens'}
    case 'batch':
      return {header: 'Batch', label: 'Batch (concurrent sequences)', kind: 'integer'}
    case 'devices':
      return {header: 'Devices', label: 'Devices', kind: 'integer'}
  }
}

export function sweepResult(metric: SweepMetric, axis: SweepAxisName, series: SweepSeries[], hardware: string | null, usableBytesPerDevice: number | null, perDevice: boolean): SweepResult {
  return {metric, axis, unit: metricInfo[metric].unit, hardware, usableBytesPerDevice, perDevice: (metric === 'kv' || metric === 'memory') && perDevice, series}
}

const yLabel = (r: SweepResult) => `${metricInfo[r.metric].label}${r.perDevice ? ' per device' : ''}`

const xValues = (r: SweepResult) => [...new Set(r.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b)

/** One row per x value, one column per model (machine formats: raw numbers, column names "<id>_<unit>"). */
export function sweepView(r: SweepResult, notes: string[]): TableView {
  const info = metricInfo[r.metric]
  const axis = axisInfo(r.axis, r.metric)
  const columns: Column[] = [
    {key: r.axis, header: axis.header, kind: axis.kind, ...(axis.columnUnit && {unit: axis.columnUnit})},
    ...r.series.map((s): Column => ({key: s.id, header: s.id, kind: info.kind, unit: info.columnUnit})),
  ]
  const rows = xValues(r).map((x) => {
    const row: Record<string, Cell> = {[r.axis]: x}
    for (const s of r.series) row[s.id] = s.points.find((p) => p.x === x)?.y ?? null
    return row
  })
  return {columns, rows, notes}
}

const axisText = (axis: SweepAxisName, x: number) => (axis === 'context' ? formatTokens(x) : formatInteger(x))

/** Notes on the points: which models run past their maximum context (and from where), and what a dash means. */
export function sweepPointNotes(r: SweepResult, devicesText: string): string[] {
  const notes: string[] = []
  const past = r.series.filter((s) => s.points.some((p) => p.pastMaximum))
  if (past.length) {
    const where = past.map((s) => {
      const first = s.points.find((p) => p.pastMaximum)!
      return r.axis === 'context' ? `${s.id} from ${axisText(r.axis, first.x)} (maximum ${formatInteger(s.maxContextTokens)} tokens)` : `${s.id} (maximum ${formatInteger(s.maxContextTokens)} tokens)`
    })
    notes.push(`past the model's maximum context, computed all the same (lower case / hollow in the chart): ${where.join('; ')}`)
  }
  if (r.series.some((s) => s.points.some((p) => p.y === null))) notes.push(`—: the model does not fit on ${devicesText}`)
  return notes
}

export interface SweepChartOptions {
  /** Log y axis (--log). */
  logY: boolean
  /** Log x axis: geometric sweeps. */
  logX: boolean
  /** Scenario in a few words for the title, e.g. "bf16 KV, batch 1". */
  detail: string
  notes?: string[]
}

export function sweepTitle(r: SweepResult, detail: string): string {
  return `${yLabel(r)} against ${axisInfo(r.axis, r.metric).header.toLowerCase()}${detail ? ` (${detail})` : ''}`
}

export function sweepChart(r: SweepResult, o: SweepChartOptions): Chart {
  const info = metricInfo[r.metric]
  const axis = axisInfo(r.axis, r.metric)
  return {
    title: sweepTitle(r, o.detail),
    x: {label: axis.label, kind: axis.kind, log: o.logX},
    y: {label: yLabel(r), kind: info.kind, log: o.logY},
    series: r.series.map((s) => ({name: s.id, points: s.points.map((p) => ({x: p.x, y: p.y, hollow: p.pastMaximum}))})),
    limits: r.usableBytesPerDevice !== null ? [{label: `${r.hardware} usable memory (${formatBytes(r.usableBytesPerDevice)})`, y: r.usableBytesPerDevice}] : [],
    hollowMeaning: "past the model's maximum context",
    notes: o.notes ?? [],
  }
}
