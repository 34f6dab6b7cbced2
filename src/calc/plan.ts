// The cheapest deployment that meets a latency target at a load: every hardware profile x devices per replica x
// legal layout x users per replica (a closed loop, continuous batching), costed as perf costs it. Pure: no printing.
//
// For each (hardware, devices, layout) whose replica holds the model, the users per replica are tried at every
// power of two up to what the KV cache and the scheduler allow (and that limit itself); the most users that meet the
// targets (bisected to the user between the highest candidate that meets them and the next) set the replica's capacity, and the load sets the replicas: ceil(output tok/s / the replica's), ceil(users /
// its users) or ceil(req/s / the replica's). Price: replicas x devices x the hourly price of one device.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {fitsOn, replicaLayoutsOn} from './deployment.js'
import {devicesOf, dpOf, layoutText, type Layout} from './parallel.js'
import {legalLayout} from './layout-rules.js'
import {isMoe} from './layers.js'
import type {PerfOptions, PerfScenario} from './perf.js'
import {engineTimingOf} from './serving/latency.js'
import {servingEstimate, type ServingEstimate, type Workload} from './serving/serving.js'
import {servingWorkload, type ServingRequest} from './serving/workload.js'

/** What has to be served: output tokens per second, users at once (a closed loop), or requests per second. */
export type PlanLoad = {kind: 'throughput'; outputTokensPerSecond: number} | {kind: 'users'; users: number} | {kind: 'rps'; requestsPerSecond: number}

/** Latency targets; null: no limit. */
export interface PlanTargets {
  ttftSeconds: number | null
  tpotSeconds: number | null
}

export interface PlanHardware {
  hardware: HardwareSpec
  /** Devices per replica when given (8xh100), else null: every count of planDeviceCounts up to the maximum. */
  devices: number | null
  /** Hourly price of one device. */
  pricePerHourUsd: number
}

export interface PlanRequest {
  spec: ModelSpec
  /** The speed scenario (prompt, output, formats, engine); its layout, batch and serving mode are the plan's to set. */
  scenario: PerfScenario
  options: PerfOptions
  memoryUtilization: number
  hardware: PlanHardware[]
  targets: PlanTargets
  load: PlanLoad
  /** Most devices one replica may have (when the hardware gives no count). */
  maxDevices: number
}

/** Devices per replica tried: powers of two (tp within a node of 8, pipeline stages past it). */
export const planDeviceCounts = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

/** Devices per replica at most, unless --max-devices says otherwise: eight nodes of eight. */
export const defaultMaxDevices = 64

/** One replica at one number of users: what perfEstimate gives for it (closed loop, dp 1). */
export interface PlanPoint {
  hardware: string
  devices: number
  layout: Layout
  concurrency: number
  ttftSeconds: number
  tpotSeconds: number
  tokensPerSecondPerUser: number
  /** Output tokens per second of the replica, every user together. */
  replicaTokensPerSecond: number
  replicaRequestsPerSecond: number
  meetsTtft: boolean
  meetsTpot: boolean
}

export interface PlanOption {
  hardware: string
  /** Devices per replica. */
  devices: number
  layout: Layout
  replicas: number
  /** Users each replica runs at once. */
  concurrency: number
  /** Most users one replica may run at once: its KV cache or the scheduler's max_num_seqs. */
  concurrencyLimit: number
  ttftSeconds: number
  tpotSeconds: number
  tokensPerSecondPerUser: number
  tokensPerSecondPerReplica: number
  /** All replicas. */
  aggregateTokensPerSecond: number
  requestsPerSecond: number
  /** All replicas' devices. */
  pricePerHourUsd: number
  costPerMillionOutputTokens: number
  engine: string
}

export interface PlanFrontierPoint {
  hardware: string
  devices: number
  layout: Layout
  concurrency: number
  ttftSeconds: number
  tpotSeconds: number
  tokensPerSecondPerUser: number
  tokensPerSecondPerDevice: number
  costPerMillionOutputTokens: number
  meetsTargets: boolean
  /** Also on the frontier of every profile together. */
  overall: boolean
}

export type PlanConstraint = 'memory' | 'ttft' | 'tpot' | 'ttft-and-tpot'

export interface PlanBinding {
  constraint: PlanConstraint
  /** Lowest TTFT and TPOT any replica that holds the model reaches (one user); null when none holds it. */
  bestTtftSeconds: number | null
  bestTtftHardware: string | null
  bestTpotSeconds: number | null
  bestTpotHardware: string | null
}

export interface Plan {
  /** Every option that meets the targets, cheapest first. */
  options: PlanOption[]
  /** Per hardware profile, the replicas (any layout, any users) no other beats on both tok/s per device and tok/s per user. */
  frontier: PlanFrontierPoint[]
  binding: PlanBinding | null
  /** (hardware, devices, layout) whose replica holds the model, and the points evaluated on them. */
  layoutsThatFit: number
  pointsEvaluated: number
}

/** Users per replica tried: powers of two up to the limit, and the limit itself. */
export function concurrencyCandidates(limit: number): number[] {
  const out: number[] = []
  for (let c = 1; c <= limit; c *= 2) out.push(c)
  if (limit >= 1 && out[out.length - 1] !== limit) out.push(limit)
  return out
}

const meets = (value: number, target: number | null) => target === null || value <= target

/** The replicas a load needs of one that serves `point`. */
export function replicasFor(load: PlanLoad, point: Pick<PlanPoint, 'concurrency' | 'replicaTokensPerSecond' | 'replicaRequestsPerSecond'>): number {
  switch (load.kind) {
    case 'throughput':
      return Math.max(1, Math.ceil(load.outputTokensPerSecond / point.replicaTokensPerSecond))
    case 'users':
      return Math.max(1, Math.ceil(load.users / point.concurrency))
    case 'rps':
      return Math.max(1, Math.ceil(load.requestsPerSecond / point.replicaRequestsPerSecond))
  }
}

/** US dollars per million output tokens of one replica: its hourly price over its output tokens per hour. */
export const costPerMillion = (replicaPricePerHour: number, replicaTokensPerSecond: number) => (replicaPricePerHour / 3600 / replicaTokensPerSecond) * 1e6

interface Replica {
  hw: PlanHardware
  layout: Layout
  scenario: PerfScenario
  workload: Workload
  limit: number
}

function pointOf(r: Replica, request: PlanRequest, concurrency: number, evaluate: (r: Replica, users: number) => ServingEstimate): PlanPoint {
  const e = evaluate(r, concurrency)
  return {
    hardware: r.hw.hardware.id,
    devices: devicesOf(r.layout),
    layout: r.layout,
    concurrency,
    ttftSeconds: e.ttftSeconds,
    tpotSeconds: e.tpotSeconds,
    tokensPerSecondPerUser: e.tokensPerSecondPerUser,
    replicaTokensPerSecond: e.aggregateOutputTokensPerSecond,
    replicaRequestsPerSecond: e.requestsPerSecond,
    meetsTtft: meets(e.ttftSeconds, request.targets.ttftSeconds),
    meetsTpot: meets(e.tpotSeconds, request.targets.tpotSeconds),
  }
}

/** Pareto frontier of one profile's points: highest tok/s per device at each tok/s per user, ascending in tok/s per user. */
function frontierOf(points: PlanPoint[], price: number, request: PlanRequest): PlanFrontierPoint[] {
  const sorted = [...points].sort((a, b) => b.tokensPerSecondPerUser - a.tokensPerSecondPerUser || b.replicaTokensPerSecond / b.devices - a.replicaTokensPerSecond / a.devices)
  const out: PlanFrontierPoint[] = []
  let best = -Infinity
  for (const p of sorted) {
    const perDevice = p.replicaTokensPerSecond / p.devices
    if (perDevice <= best) continue
    best = perDevice
    out.push({
      hardware: p.hardware,
      devices: p.devices,
      layout: p.layout,
      concurrency: p.concurrency,
      ttftSeconds: p.ttftSeconds,
      tpotSeconds: p.tpotSeconds,
      tokensPerSecondPerUser: p.tokensPerSecondPerUser,
      tokensPerSecondPerDevice: perDevice,
      costPerMillionOutputTokens: costPerMillion(price * p.devices, p.replicaTokensPerSecond),
      meetsTargets: meets(p.ttftSeconds, request.targets.ttftSeconds) && meets(p.tpotSeconds, request.targets.tpotSeconds),
      overall: false,
    })
  }
  return out.reverse()
}

/** Marks the points no point of any profile beats on both axes (the union of the frontiers holds every such point). */
function markOverall(points: PlanFrontierPoint[]): void {
  let best = -Infinity
  for (const p of [...points].sort((a, b) => b.tokensPerSecondPerUser - a.tokensPerSecondPerUser || b.tokensPerSecondPerDevice - a.tokensPerSecondPerDevice)) {
    if (p.tokensPerSecondPerDevice <= best) continue
    best = p.tokensPerSecondPerDevice
    p.overall = true
  }
}

const byCost = (a: PlanOption, b: PlanOption) =>
  a.pricePerHourUsd - b.pricePerHourUsd ||
  a.costPerMillionOutputTokens - b.costPerMillionOutputTokens ||
  a.replicas * a.devices - b.replicas * b.devices ||
  compareText(a.hardware, b.hardware) ||
  compareText(layoutText(a.layout), layoutText(b.layout))

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function bindingOf(points: PlanPoint[], request: PlanRequest): PlanBinding {
  if (points.length === 0) return {constraint: 'memory', bestTtftSeconds: null, bestTtftHardware: null, bestTpotSeconds: null, bestTpotHardware: null}
  const fastest = (key: 'ttftSeconds' | 'tpotSeconds') => points.reduce((best, p) => (p[key] < best[key] ? p : best))
  const ttft = fastest('ttftSeconds')
  const tpot = fastest('tpotSeconds')
  const anyTtft = points.some((p) => p.meetsTtft)
  const anyTpot = points.some((p) => p.meetsTpot)
  // One target alone out of reach binds; both out of reach, or each reachable but never together, both do.
  const constraint: PlanConstraint = anyTtft && !anyTpot ? 'tpot' : anyTpot && !anyTtft ? 'ttft' : 'ttft-and-tpot'
  return {constraint, bestTtftSeconds: ttft.ttftSeconds, bestTtftHardware: ttft.hardware, bestTpotSeconds: tpot.tpotSeconds, bestTpotHardware: tpot.hardware}
}

/**
 * MoE models also run as data-parallel attention with wide expert parallelism (SGLang --enable-dp-attention,
 * TensorRT-LLM enable_attention_dp, vLLM --data-parallel-size with --enable-expert-parallel): every device runs
 * attention over its own users and holds 1/n of the experts. One such group of n devices is one replica here.
 */
export function dpAttentionLayouts(spec: PlanRequest['spec'], n: number): Layout[] {
  if (n < 2 || !isMoe(spec)) return []
  const layout: Layout = {tp: 1, ep: n, pp: 1, dp: n}
  return legalLayout(spec, layout) === null ? [layout] : []
}

/** The plan: every replica shape that holds the model, the users each runs, the replicas the load needs and their price. */
export function plan(request: PlanRequest): Plan {
  const {spec, options: o, memoryUtilization} = request
  const engine = o.engineTiming ?? engineTimingOf(request.scenario.engine, request.scenario.engineSettings?.enforceEager ?? false)
  const base = request.scenario.serving
  const serving = (users: number): ServingRequest => ({
    mode: 'concurrency',
    users,
    requestsPerSecond: null,
    prefixHitRate: base?.prefixHitRate ?? 0,
    speculation: base?.speculation ?? null,
    phase: 'both',
  })
  let pointsEvaluated = 0
  // The same as perfEstimate(spec, {...scenario, serving: {mode: 'concurrency', users}}, hw, o).serving, with the
  // workload (its KV capacity: the engine's memory accounting) worked out once per replica shape instead of per point.
  const evaluate = (r: Replica, users: number): ServingEstimate => {
    pointsEvaluated++
    return servingEstimate(spec, {...r.scenario, serving: serving(users)} as PerfScenario, r.hw.hardware, o, engine, {...r.workload, users})
  }
  const options: PlanOption[] = []
  const frontier: PlanFrontierPoint[] = []
  const fitting: PlanPoint[] = []
  let layoutsThatFit = 0
  for (const hw of request.hardware) {
    const counts = hw.devices !== null ? [hw.devices] : planDeviceCounts.filter((n) => n <= request.maxDevices)
    const points: PlanPoint[] = []
    for (const n of counts) {
      for (const layout of [...replicaLayoutsOn(spec, n), ...dpAttentionLayouts(spec, n)]) {
        const scenario: PerfScenario = {...request.scenario, layout, batch: 1, serving: serving(1)}
        if (!fitsOn(spec, scenario, hw.hardware, memoryUtilization)) continue
        const workload = servingWorkload(spec, scenario, hw.hardware, memoryUtilization)
        // The KV cache and the scheduler cap each rank; a data-parallel-attention group runs dp ranks of users.
        const limit = Math.min(Math.floor(workload.kvSequences), workload.maxNumSeqs) * dpOf(layout)
        if (limit < 1) continue
        layoutsThatFit++
        const replica: Replica = {hw, layout, scenario, workload, limit}
        const tried = concurrencyCandidates(limit).map((c) => pointOf(replica, request, c, evaluate))
        points.push(...tried)
        const kept = tried.filter((p) => p.meetsTtft && p.meetsTpot)
        if (kept.length === 0) continue
        const best = refine(replica, request, kept.reduce((a, b) => (b.concurrency > a.concurrency ? b : a)), tried, evaluate)
        if (!tried.includes(best)) points.push(best)
        options.push(optionOf(replica, best, request, engine.engine, evaluate))
      }
    }
    fitting.push(...points)
    frontier.push(...frontierOf(points, hw.pricePerHourUsd, request))
  }
  options.sort(byCost)
  markOverall(frontier)
  return {options, frontier, binding: options.length > 0 ? null : bindingOf(fitting, request), layoutsThatFit, pointsEvaluated}
}

/**
 * The most users that meet the targets, to the user: between the highest candidate that meets them and the next one
 * up (which does not), by bisection; TTFT and TPOT grow with the users.
 */
function refine(r: Replica, request: PlanRequest, best: PlanPoint, tried: PlanPoint[], evaluate: (r: Replica, users: number) => ServingEstimate): PlanPoint {
  const next = tried.find((p) => p.concurrency > best.concurrency)
  if (!next) return best
  let low = best
  let high = next.concurrency
  while (high - low.concurrency > 1) {
    const mid = pointOf(r, request, Math.floor((low.concurrency + high) / 2), evaluate)
    if (mid.meetsTtft && mid.meetsTpot) low = mid
    else high = mid.concurrency
  }
  return low
}

/**
 * The option a replica shape gives at the most users that meet the targets. Users as the load: the users spread
 * over the replicas (ceil(users / replicas) each, at most the most that meet the targets), evaluated there.
 */
function optionOf(r: Replica, best: PlanPoint, request: PlanRequest, engine: string, evaluate: (r: Replica, users: number) => ServingEstimate): PlanOption {
  const replicas = replicasFor(request.load, best)
  let point = best
  let share = 1
  if (request.load.kind === 'users') {
    const each = Math.ceil(request.load.users / replicas)
    if (each !== best.concurrency) {
      const spread = pointOf(r, request, each, evaluate)
      // Fewer users per replica are no slower; should the model say otherwise, keep the point that met the targets.
      if (spread.meetsTtft && spread.meetsTpot) point = spread
    }
    // The last replica may run fewer: the users over the users per replica, in replicas' worth of throughput.
    share = request.load.users / (point.concurrency * replicas)
  }
  const replicaPrice = r.hw.pricePerHourUsd * point.devices
  return {
    hardware: point.hardware,
    devices: point.devices,
    layout: point.layout,
    replicas,
    concurrency: point.concurrency,
    concurrencyLimit: r.limit,
    ttftSeconds: point.ttftSeconds,
    tpotSeconds: point.tpotSeconds,
    tokensPerSecondPerUser: point.tokensPerSecondPerUser,
    tokensPerSecondPerReplica: point.replicaTokensPerSecond,
    aggregateTokensPerSecond: point.replicaTokensPerSecond * replicas * share,
    requestsPerSecond: point.replicaRequestsPerSecond * replicas * share,
    pricePerHourUsd: replicaPrice * replicas,
    costPerMillionOutputTokens: costPerMillion(replicaPrice, point.replicaTokensPerSecond),
    engine,
  }
}
