// Speed and cost per model per hardware: TTFT, TPOT, tokens/s, what bounds decode, $/1M tokens.
import {fitsOn, layoutOn} from '../calc/deployment.js'
import {devicesOf, dpOf, layoutText as parallelLayoutText, replicaDevicesOf, type Layout} from '../calc/parallel.js'
import {costEstimate, perfEstimate, type PerfOptions, type PerfScenario} from '../calc/perf.js'
import type {HardwareChoice} from '../calc/deployment.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {PerfResult} from '../schema/results/perf.js'

export type {PerfResult} from '../schema/results/perf.js'

export function perfResult(spec: ModelSpec, s: PerfScenario, choice: HardwareChoice, memoryUtilization: number, o: PerfOptions, pricePerHourUsd: number | null): PerfResult {
  const hw = choice.hardware
  const layout = layoutOn(spec, s, choice, memoryUtilization)
  const common = {id: spec.id, hardware: hw.id, batch: s.batch, promptTokens: s.promptTokens, outputTokens: s.outputTokens}
  const empty = {ttftSeconds: null, tpotSeconds: null, tokensPerSecond: null, aggregateTokensPerSecond: null, bound: null, prefillBound: null, ridgeBatch: null, peakFormat: null, commIncluded: false, pricePerHourUsd: null, costPerMillionInputTokens: null, costPerMillionOutputTokens: null, outputTokensPerDollar: null, joulesPerOutputToken: null}
  if (!layout) return {...common, devices: null, layout: null, fits: false, ...empty}
  const scenario = {...s, layout}
  const devices = devicesOf(layout)
  const fits = fitsOn(spec, scenario, hw, memoryUtilization)
  const p = perfEstimate(spec, scenario, hw, o)
  // Each data-parallel replica serves its own batch: cost per token is one replica's; throughput adds up over replicas.
  const cost = costEstimate(p, scenario, hw, replicaDevicesOf(layout), pricePerHourUsd)
  return {
    ...common,
    devices,
    layout,
    fits,
    ttftSeconds: p.ttftSeconds,
    tpotSeconds: p.tpotSeconds,
    tokensPerSecond: p.tokensPerSecond,
    aggregateTokensPerSecond: p.aggregateTokensPerSecond * dpOf(layout),
    bound: p.decode.bound,
    prefillBound: p.prefill.bound,
    ridgeBatch: p.ridgeBatch,
    peakFormat: p.peakFormat,
    commIncluded: p.commIncluded,
    pricePerHourUsd: cost.pricePerHourUsd === null ? null : cost.pricePerHourUsd * dpOf(layout),
    costPerMillionInputTokens: cost.costPerMillionInputTokens,
    costPerMillionOutputTokens: cost.costPerMillionOutputTokens,
    outputTokensPerDollar: cost.outputTokensPerDollar,
    joulesPerOutputToken: cost.joulesPerOutputToken,
  }
}

const layoutText = (l: Layout | null) => (l ? parallelLayoutText(l) : 'more than 1024 devices')

export function perfView(results: PerfResult[], notes: string[]): TableView {
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'hardware', header: 'Hardware', kind: 'text', keep: true},
      {key: 'devicesText', header: 'Devices', kind: 'text', align: 'right'},
      {key: 'ttftSeconds', header: 'TTFT', kind: 'seconds', unit: 'seconds', better: 'lower', keep: true},
      {key: 'tpotSeconds', header: 'TPOT', kind: 'seconds', unit: 'seconds', better: 'lower', keep: true},
      {key: 'tokensPerSecond', header: 'tok/s per seq', kind: 'rate', better: 'higher', keep: true},
      {key: 'aggregateTokensPerSecond', header: 'tok/s total', kind: 'rate', better: 'higher'},
      {key: 'bound', header: 'Decode bound', kind: 'text'},
      {key: 'ridgeText', header: 'Ridge batch', kind: 'text', align: 'right', dropOrder: 98},
      {key: 'costPerMillionInputTokens', header: '$/1M in', kind: 'usd', unit: 'usd', better: 'lower', dropOrder: 99},
      {key: 'costPerMillionOutputTokens', header: '$/1M out', kind: 'usd', unit: 'usd', better: 'lower', keep: true},
      {key: 'joulesPerOutputToken', header: 'J/token', kind: 'rate', better: 'lower', dropOrder: 100},
    ],
    rows: results.map((r) => ({...r, layout: null, ridgeText: r.ridgeBatch !== null ? String(r.ridgeBatch) : r.bound === null ? '—' : 'never', devicesText: r.devices === null ? '—' : `${r.devices} (${layoutText(r.layout)})${r.fits ? '' : ' DOES NOT FIT'}`})),
    notes,
  }
}
