// One metric across a range of one scenario variable (context, batch or devices), for several models.
// Plain numbers, no I/O: every point is the same calculator the single-point commands use (kv, memory, perf).
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {anyLayout, fewestDevices, fitsOn as fits, layoutOnDevices} from './deployment.js'
import {kvCache} from './kv.js'
import {memoryEstimate, type MemoryScenario} from './memory.js'
import {devicesOf, kvShareOfDevice, type Layout} from './parallel.js'
import {costEstimate, perfEstimate, type PerfOptions, type PerfScenario} from './perf.js'

export const sweepAxisNames = ['context', 'batch', 'devices'] as const
export type SweepAxisName = (typeof sweepAxisNames)[number]

export const sweepMetrics = ['kv', 'memory', 'decode-tps', 'cost'] as const
export type SweepMetric = (typeof sweepMetrics)[number]

export interface SweepAxis {
  name: SweepAxisName
  values: number[]
}

export interface SweepModel {
  spec: ModelSpec
  /**
   * The scenario the axis varies. For decode-tps and cost its contextTokens is the prompt, as in `perf --prompt`;
   * the output tokens follow it.
   */
  scenario: MemoryScenario
}

export interface SweepOptions {
  metric: SweepMetric
  axis: SweepAxis
  /** Needed for decode-tps and cost; unused by kv and memory. */
  hardware: HardwareSpec | null
  /**
   * A fixed device count (8xh100). null: one device for kv and memory; for decode-tps and cost the fewest
   * devices that hold the model at each point (as `perf` chooses them). The devices axis overrides it.
   */
  devices: number | null
  memoryUtilization: number
  perf: PerfOptions
  /** Output tokens per sequence, for decode-tps and cost. */
  outputTokens: number
  /** Hourly price of one device; null = the profile's. */
  pricePerHourUsd: number | null
}

export interface SweepPoint {
  x: number
  /** null where the metric has no value: the model does not fit on the given devices, or needs more than 1024. */
  y: number | null
  /** The sequence (context; for decode-tps and cost, prompt + output) is longer than the model's maximum context. */
  pastMaximum: boolean
}

export interface SweepSeries {
  id: string
  maxContextTokens: number
  points: SweepPoint[]
}

export const metricNeedsHardware = (metric: SweepMetric) => metric === 'decode-tps' || metric === 'cost'

/**
 * y at each x for one model:
 * - kv: the theoretical KV cache of all sequences, Σ layers tokensHeld · bytes per token (kvCache, as `kv`
 *   prints it); with more than one device, the share one device holds (kvShareOfDevice);
 * - memory: memoryEstimate's total (weights + KV + activations + overhead) on one device, or per device when
 *   there are several (as `memory` prints it);
 * - decode-tps: tokens/s of one sequence, 1 / TPOT, as `perf --prompt x` prints it;
 * - cost: $ per 1M output tokens, as `perf` prints it.
 */
export function sweepSeries(model: SweepModel, o: SweepOptions): SweepSeries {
  const {spec, scenario} = model
  const kvOptions = {kvFormat: scenario.kvFormat, mlaCache: scenario.mlaCache}
  // A legal layout on that many devices (deployment.ts), one replica: tensor parallel, then pipeline stages.
  const onDevices = (n: number) => layoutOnDevices(spec, n, {...anyLayout, dp: 1}, null)
  const fixedLayout: Layout | null = o.devices !== null ? onDevices(o.devices) : null
  const points = o.axis.values.map((x): SweepPoint => {
    const s: MemoryScenario = o.axis.name === 'context' ? {...scenario, contextTokens: x} : o.axis.name === 'batch' ? {...scenario, batch: x} : scenario
    const layout = o.axis.name === 'devices' ? onDevices(x) : fixedLayout
    switch (o.metric) {
      case 'kv': {
        const total = kvCache(spec, s.contextTokens, s.batch, kvOptions).totalBytes
        return {x, y: Math.ceil(layout ? total * kvShareOfDevice(spec, layout) : total), pastMaximum: s.contextTokens > spec.maxContextTokens}
      }
      case 'memory': {
        const m = memoryEstimate(spec, {...s, layout: layout ?? s.layout})
        return {x, y: devicesOf(layout ?? s.layout) > 1 ? m.perDevice.totalBytes : m.totalBytes, pastMaximum: s.contextTokens > spec.maxContextTokens}
      }
      case 'decode-tps':
      case 'cost':
        return perfPoint(spec, s, layout, x, o)
    }
  })
  return {id: spec.id, maxContextTokens: spec.maxContextTokens, points}
}

function perfPoint(spec: ModelSpec, s: MemoryScenario, given: Layout | null, x: number, o: SweepOptions): SweepPoint {
  const hw = o.hardware
  if (!hw) throw new RangeError(`--metric ${o.metric} needs hardware`)
  const prompt = s.contextTokens
  const ps: PerfScenario = {...s, contextTokens: prompt + o.outputTokens, promptTokens: prompt, outputTokens: o.outputTokens}
  const pastMaximum = ps.contextTokens > spec.maxContextTokens
  const layout = given ?? fewestDevices(spec, ps, hw, o.memoryUtilization)
  if (!layout || (given && !fits(spec, {...ps, layout}, hw, o.memoryUtilization))) return {x, y: null, pastMaximum}
  const scenario = {...ps, layout}
  const p = perfEstimate(spec, scenario, hw, o.perf)
  if (o.metric === 'decode-tps') return {x, y: p.tokensPerSecond, pastMaximum}
  return {x, y: costEstimate(p, scenario, hw, devicesOf(layout), o.pricePerHourUsd).costPerMillionOutputTokens, pastMaximum}
}

export function sweep(models: SweepModel[], o: SweepOptions): SweepSeries[] {
  if (metricNeedsHardware(o.metric) && !o.hardware) throw new RangeError(`--metric ${o.metric} needs hardware`)
  return models.map((m) => sweepSeries(m, o))
}
