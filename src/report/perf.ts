// Speed and cost per model per hardware: TTFT, TPOT, tokens/s, what bounds decode, $/1M tokens.
import {fitsOn, layoutOn} from '../calc/deployment.js'
import {devicesOf, layoutText as parallelLayoutText, type Layout} from '../calc/parallel.js'
import {costEstimate, perfEstimate, type PerfOptions, type PerfScenario} from '../calc/perf.js'
import type {HardwareChoice} from '../calc/deployment.js'
import type {StepTime} from '../calc/serving/step.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {PerfResult} from '../schema/results/perf.js'

export type {PerfResult} from '../schema/results/perf.js'

export function perfResult(spec: ModelSpec, s: PerfScenario, choice: HardwareChoice, memoryUtilization: number, o: PerfOptions, pricePerHourUsd: number | null): PerfResult {
  const hw = choice.hardware
  const layout = layoutOn(spec, s, choice, memoryUtilization)
  const serving = s.serving
  const mode = serving?.mode ?? 'batch'
  const common = {
    id: spec.id,
    hardware: hw.id,
    batch: s.batch,
    promptTokens: s.promptTokens,
    outputTokens: s.outputTokens,
    mode,
    concurrency: mode === 'batch' ? s.batch : mode === 'concurrency' ? serving!.users : null,
    requestRate: mode === 'rate' ? serving!.requestsPerSecond : null,
    engine: o.engineTiming?.engine ?? s.engine ?? 'default',
  }
  const empty = {ttftSeconds: null, tpotSeconds: null, e2eSeconds: null, tokensPerSecond: null, aggregateTokensPerSecond: null, requestsPerSecond: null, runningSequences: null, queuedSequences: null, limit: null, saturated: false, disaggregation: null, tokensPerStep: null, step: null, bound: null, prefillBound: null, ridgeBatch: null, peakFormat: null, commIncluded: false, pricePerHourUsd: null, costPerMillionInputTokens: null, costPerMillionOutputTokens: null, outputTokensPerDollar: null, joulesPerOutputToken: null}
  if (!layout) return {...common, devices: null, layout: null, fits: false, ...empty}
  const scenario = {...s, layout}
  const devices = devicesOf(layout)
  const fits = fitsOn(spec, scenario, hw, memoryUtilization)
  const p = perfEstimate(spec, scenario, hw, o)
  // Throughput is every replica's together, so the price is every device's.
  const cost = costEstimate(p, scenario, hw, devices, pricePerHourUsd)
  return {
    ...common,
    devices,
    layout,
    fits,
    ttftSeconds: p.ttftSeconds,
    tpotSeconds: p.tpotSeconds,
    e2eSeconds: p.serving.e2eSeconds,
    tokensPerSecond: p.tokensPerSecond,
    aggregateTokensPerSecond: p.aggregateTokensPerSecond,
    requestsPerSecond: p.serving.requestsPerSecond,
    runningSequences: p.serving.runningSequences,
    queuedSequences: p.serving.queuedSequences,
    limit: p.serving.limit,
    saturated: p.serving.saturated,
    tokensPerStep: p.serving.tokensPerStep,
    disaggregation: p.serving.disaggregation,
    step: {...stepTerms(p.serving.step), seconds: p.serving.step.seconds + p.serving.draftSecondsPerStep, draftSeconds: p.serving.draftSecondsPerStep},
    bound: p.decode.bound,
    prefillBound: p.prefill.bound,
    ridgeBatch: p.ridgeBatch,
    peakFormat: p.peakFormat,
    commIncluded: p.commIncluded,
    pricePerHourUsd: cost.pricePerHourUsd,
    costPerMillionInputTokens: cost.costPerMillionInputTokens,
    costPerMillionOutputTokens: cost.costPerMillionOutputTokens,
    outputTokensPerDollar: cost.outputTokensPerDollar,
    joulesPerOutputToken: cost.joulesPerOutputToken,
  }
}

const stepTerms = (t: StepTime) => ({computeSeconds: t.computeSeconds, memorySeconds: t.memorySeconds, commSeconds: t.commSeconds, latencySeconds: t.latencySeconds, kernelSeconds: t.kernelSeconds, hostSeconds: t.hostSeconds, bound: t.bound})

/** The load a row serves: its batch, its users (and how many wait), or its arrival rate. */
function loadText(r: PerfResult): string {
  const d = r.disaggregation
  const pools = d ? `, ${d.prefillReplicas}p${d.decodeReplicas}d` : ''
  if (r.mode === 'batch') return `batch ${r.batch}${pools}`
  if (r.mode === 'rate') return `${r.requestRate} req/s${pools}${r.saturated ? ' (saturated)' : ''}`
  const waiting = r.queuedSequences ? `, ${Math.round(r.queuedSequences)} wait` : ''
  return `${r.concurrency} users${pools}${waiting}`
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
      {key: 'loadText', header: 'Load', kind: 'text', align: 'right'},
      {key: 'tokensPerSecond', header: 'tok/s per user', kind: 'rate', better: 'higher', keep: true},
      {key: 'aggregateTokensPerSecond', header: 'tok/s total', kind: 'rate', better: 'higher'},
      {key: 'requestsPerSecond', header: 'req/s', kind: 'rate', better: 'higher', dropOrder: 97},
      {key: 'boundText', header: 'Step bound', kind: 'text'},
      {key: 'ridgeText', header: 'Ridge batch', kind: 'text', align: 'right', dropOrder: 98},
      {key: 'costPerMillionInputTokens', header: '$/1M in', kind: 'usd', unit: 'usd', better: 'lower', dropOrder: 99},
      {key: 'costPerMillionOutputTokens', header: '$/1M out', kind: 'usd', unit: 'usd', better: 'lower', keep: true},
      {key: 'joulesPerOutputToken', header: 'J/token', kind: 'rate', better: 'lower', dropOrder: 100},
    ],
    // The objects (step terms, pools, layout) stay in --json; the table shows them as text.
    rows: results.map((r) => {
      const {step, disaggregation: _pools, ...cells} = r
      const ridgeText = r.ridgeBatch !== null ? String(r.ridgeBatch) : r.bound === null ? '—' : 'never'
      const devicesText = r.devices === null ? '—' : `${r.devices} (${layoutText(r.layout)})${r.fits ? '' : ' DOES NOT FIT'}`
      return {...cells, layout: null, loadText: loadText(r), boundText: step ? step.bound : '—', ridgeText, devicesText}
    }),
    notes,
  }
}
