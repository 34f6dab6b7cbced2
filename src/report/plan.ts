// The cheapest deployments that meet latency targets at a load: the typed result, the table of options (or the one
// line saying what binds), the Pareto frontier as a table and as a chart (one series per hardware profile).
import type {Plan, PlanBinding, PlanLoad, PlanTargets} from '../calc/plan.js'
import {layoutText} from '../calc/parallel.js'
import type {Chart} from '../render/chart.js'
import {formatInteger, formatRate, formatSeconds, formatTokens} from '../render/format.js'
import type {TableView} from '../render/view.js'
import type {PlanResult} from '../schema/results/plan.js'

export type {PlanResult} from '../schema/results/plan.js'

export interface PlanContext {
  id: string
  promptTokens: number
  outputTokens: number
  engine: string
  targets: PlanTargets
  load: PlanLoad
  /** Profiles tried, for the memory line. */
  hardware: string[]
  /** Most devices per replica tried: a number, or the fixed counts given (8xh100). */
  devicesText: string
  top: number
}

const loadValue = (load: PlanLoad) => (load.kind === 'throughput' ? load.outputTokensPerSecond : load.kind === 'users' ? load.users : load.requestsPerSecond)

export const loadText = (load: PlanLoad) =>
  load.kind === 'throughput' ? `${formatInteger(load.outputTokensPerSecond)} output tok/s` : load.kind === 'users' ? `${formatInteger(load.users)} users at once` : `${formatRate(load.requestsPerSecond)} requests/s`

export const targetsText = (t: PlanTargets) =>
  [t.ttftSeconds !== null ? `TTFT <= ${formatSeconds(t.ttftSeconds)}` : '', t.tpotSeconds !== null ? `TPOT <= ${formatSeconds(t.tpotSeconds)}` : ''].filter(Boolean).join(', ') || 'no latency target'

const list = (ids: string[]) => (ids.length <= 6 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`)

/** What binds, in one line. */
export function bindingMessage(b: PlanBinding, c: PlanContext): string {
  const head = 'No option meets the targets'
  const sequence = `${formatTokens(c.promptTokens)} + ${formatTokens(c.outputTokens)} tokens per sequence`
  if (b.constraint === 'memory') return `${head}: memory binds: ${c.id} fits on no layout of ${c.devicesText} of ${list(c.hardware)} (${sequence})`
  const ttftTarget = c.targets.ttftSeconds ?? Infinity
  const tpotTarget = c.targets.tpotSeconds ?? Infinity
  const ttft = `${formatSeconds(b.bestTtftSeconds!)} (${b.bestTtftHardware})`
  const tpot = `${formatSeconds(b.bestTpotSeconds!)} (${b.bestTpotHardware})`
  switch (b.constraint) {
    case 'ttft':
      return `${head}: TTFT binds: the lowest any replica reaches is ${ttft}, above --ttft ${formatSeconds(ttftTarget)}`
    case 'tpot':
      return `${head}: TPOT binds: the lowest any replica reaches is ${tpot}, above --tpot ${formatSeconds(tpotTarget)}`
    case 'ttft-and-tpot':
      return b.bestTtftSeconds! > ttftTarget && b.bestTpotSeconds! > tpotTarget
        ? `${head}: TTFT and TPOT both bind: the lowest any replica reaches are TTFT ${ttft}, above --ttft ${formatSeconds(ttftTarget)}, and TPOT ${tpot}, above --tpot ${formatSeconds(tpotTarget)}`
        : `${head}: TTFT and TPOT bind together: some replicas meet --ttft ${formatSeconds(ttftTarget)} (lowest ${ttft}) and some --tpot ${formatSeconds(tpotTarget)} (lowest ${tpot}), none both at once`
  }
}

/** The cheapest layout of each (hardware, devices per replica): the others cost the same hour and serve less. */
export function bestPerShape<T extends {hardware: string; devices: number}>(sorted: T[]): T[] {
  const seen = new Set<string>()
  return sorted.filter((o) => {
    const key = `${o.devices}x${o.hardware}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export function planResult(p: Plan, c: PlanContext): PlanResult {
  const shapes = bestPerShape(p.options)
  return {
    id: c.id,
    promptTokens: c.promptTokens,
    outputTokens: c.outputTokens,
    engine: c.engine,
    targets: c.targets,
    load: {kind: c.load.kind, value: loadValue(c.load)},
    optionsFound: shapes.length,
    options: shapes.slice(0, c.top).map((o) => ({
      hardware: o.hardware,
      devices: o.devices,
      layout: o.layout,
      replicas: o.replicas,
      concurrency: o.concurrency,
      concurrencyLimit: o.concurrencyLimit,
      ttftSeconds: o.ttftSeconds,
      tpotSeconds: o.tpotSeconds,
      tokensPerSecondPerUser: o.tokensPerSecondPerUser,
      tokensPerSecondPerReplica: o.tokensPerSecondPerReplica,
      aggregateTokensPerSecond: o.aggregateTokensPerSecond,
      requestsPerSecond: o.requestsPerSecond,
      pricePerHourUsd: o.pricePerHourUsd,
      costPerMillionOutputTokens: o.costPerMillionOutputTokens,
      engine: o.engine,
    })),
    frontier: p.frontier.map((f) => ({...f})),
    binding: p.binding
      ? {
          constraint: p.binding.constraint,
          message: bindingMessage(p.binding, c),
          bestTtftSeconds: p.binding.bestTtftSeconds,
          bestTtftHardware: p.binding.bestTtftHardware,
          bestTpotSeconds: p.binding.bestTpotSeconds,
          bestTpotHardware: p.binding.bestTpotHardware,
        }
      : null,
  }
}

const replicaText = (devices: number, layout: PlanResult['options'][number]['layout']) => `${devices} (${layoutText(layout)})`

export function optionsView(r: PlanResult, notes: string[], tried: Pick<PlanContext, 'hardware' | 'devicesText'>): TableView {
  if (r.binding?.constraint === 'memory') {
    return {
      title: r.binding.message,
      columns: [
        {key: 'constraint', header: 'Binds', kind: 'text', keep: true},
        {key: 'hardware', header: 'Hardware tried', kind: 'text', keep: true},
        {key: 'devices', header: 'Devices per replica', kind: 'text', keep: true},
      ],
      rows: [{constraint: 'memory', hardware: tried.hardware.join(', '), devices: tried.devicesText}],
      notes,
    }
  }
  if (r.binding) {
    return {
      title: r.binding.message,
      columns: [
        {key: 'constraint', header: 'Binds', kind: 'text', keep: true},
        {key: 'bestTtftSeconds', header: 'Lowest TTFT', kind: 'seconds', unit: 'seconds', keep: true},
        {key: 'bestTtftHardware', header: 'on', kind: 'text'},
        {key: 'bestTpotSeconds', header: 'Lowest TPOT', kind: 'seconds', unit: 'seconds', keep: true},
        {key: 'bestTpotHardware', header: 'on', kind: 'text'},
      ],
      rows: [{constraint: r.binding.constraint, bestTtftSeconds: r.binding.bestTtftSeconds, bestTtftHardware: r.binding.bestTtftHardware, bestTpotSeconds: r.binding.bestTpotSeconds, bestTpotHardware: r.binding.bestTpotHardware}],
      notes,
    }
  }
  return {
    title: `Cheapest ${r.options.length === r.optionsFound ? `${r.optionsFound} option${r.optionsFound === 1 ? '' : 's'}` : `${r.options.length} of ${formatInteger(r.optionsFound)} options`} for ${r.id}: ${loadText(loadOf(r))}, ${targetsText(r.targets)}`,
    columns: [
      {key: 'rank', header: '#', kind: 'integer'},
      {key: 'hardware', header: 'Hardware', kind: 'text', keep: true},
      {key: 'replicaText', header: 'Devices/replica', kind: 'text', align: 'right', keep: true},
      {key: 'replicas', header: 'Replicas', kind: 'integer', keep: true},
      {key: 'usersText', header: 'Users/replica', kind: 'text', align: 'right', keep: true},
      {key: 'ttftSeconds', header: 'TTFT', kind: 'seconds', unit: 'seconds', better: 'lower'},
      {key: 'tpotSeconds', header: 'TPOT', kind: 'seconds', unit: 'seconds', better: 'lower'},
      {key: 'tokensPerSecondPerUser', header: 'tok/s per user', kind: 'rate', better: 'higher', dropOrder: 98},
      {key: 'aggregateTokensPerSecond', header: 'tok/s total', kind: 'rate', better: 'higher', dropOrder: 99},
      {key: 'pricePerHourUsd', header: '$/hour', kind: 'usd', unit: 'usd', better: 'lower', keep: true},
      {key: 'costPerMillionOutputTokens', header: '$/1M out', kind: 'usd', unit: 'usd', better: 'lower', keep: true},
    ],
    rows: r.options.map((o, i) => ({
      rank: i + 1,
      hardware: o.hardware,
      replicaText: replicaText(o.devices, o.layout),
      replicas: o.replicas,
      usersText: `${formatInteger(o.concurrency)} of ${formatInteger(o.concurrencyLimit)}`,
      ttftSeconds: o.ttftSeconds,
      tpotSeconds: o.tpotSeconds,
      tokensPerSecondPerUser: o.tokensPerSecondPerUser,
      aggregateTokensPerSecond: o.aggregateTokensPerSecond,
      pricePerHourUsd: o.pricePerHourUsd,
      costPerMillionOutputTokens: o.costPerMillionOutputTokens,
    })),
    notes,
  }
}

const loadOf = (r: PlanResult): PlanLoad =>
  r.load.kind === 'throughput' ? {kind: 'throughput', outputTokensPerSecond: r.load.value} : r.load.kind === 'users' ? {kind: 'users', users: r.load.value} : {kind: 'rps', requestsPerSecond: r.load.value}

/** The overall frontier (every profile together): the table; the chart draws each profile's own. */
export function frontierView(r: PlanResult, notes: string[]): TableView {
  return {
    title: 'Pareto frontier: tokens/s per device against tokens/s per user, every profile together',
    columns: [
      {key: 'hardware', header: 'Hardware', kind: 'text', keep: true},
      {key: 'replicaText', header: 'Devices/replica', kind: 'text', align: 'right', keep: true},
      {key: 'concurrency', header: 'Users/replica', kind: 'integer', keep: true},
      {key: 'tokensPerSecondPerUser', header: 'tok/s per user', kind: 'rate', keep: true},
      {key: 'tokensPerSecondPerDevice', header: 'tok/s per device', kind: 'rate', keep: true},
      {key: 'ttftSeconds', header: 'TTFT', kind: 'seconds', unit: 'seconds'},
      {key: 'tpotSeconds', header: 'TPOT', kind: 'seconds', unit: 'seconds'},
      {key: 'costPerMillionOutputTokens', header: '$/1M out', kind: 'usd', unit: 'usd', dropOrder: 99},
      {key: 'meetsTargets', header: 'Meets targets', kind: 'text'},
    ],
    rows: r.frontier
      .filter((f) => f.overall)
      .sort((a, b) => a.tokensPerSecondPerUser - b.tokensPerSecondPerUser)
      .map((f) => ({
        hardware: f.hardware,
        replicaText: replicaText(f.devices, f.layout),
        concurrency: f.concurrency,
        tokensPerSecondPerUser: f.tokensPerSecondPerUser,
        tokensPerSecondPerDevice: f.tokensPerSecondPerDevice,
        ttftSeconds: f.ttftSeconds,
        tpotSeconds: f.tpotSeconds,
        costPerMillionOutputTokens: f.costPerMillionOutputTokens,
        meetsTargets: f.meetsTargets,
      })),
    notes,
  }
}

/** Profiles the terminal chart draws: those of the options shown, then those on the overall frontier; at most `most`. */
export function chartProfiles(r: PlanResult, most = 8): string[] {
  const drawn = new Set(r.frontier.map((f) => f.hardware))
  const order = [...r.options.map((o) => o.hardware), ...r.frontier.filter((f) => f.overall).map((f) => f.hardware)].filter((id) => drawn.has(id))
  return [...new Set(order)].slice(0, most)
}

/** One series per profile: its frontier, tokens/s per user along x, per device up y; hollow where the targets are missed. */
export function frontierChart(r: PlanResult, o: {logY: boolean; notes?: string[]; profiles?: string[]}): Chart {
  const profiles = o.profiles ?? [...new Set(r.frontier.map((f) => f.hardware))]
  return {
    title: `Tokens/s per device against tokens/s per user (${r.id}, ${formatTokens(r.promptTokens)} in, ${formatTokens(r.outputTokens)} out)`,
    x: {label: 'Output tokens/s per user', kind: 'rate', log: false},
    y: {label: 'Output tokens/s per device', kind: 'rate', log: o.logY},
    series: profiles.map((id) => ({
      name: id,
      points: r.frontier
        .filter((f) => f.hardware === id)
        .sort((a, b) => a.tokensPerSecondPerUser - b.tokensPerSecondPerUser)
        .map((f) => ({x: f.tokensPerSecondPerUser, y: f.tokensPerSecondPerDevice, hollow: !f.meetsTargets})),
    })),
    hollowMeaning: 'misses the latency targets',
    notes: o.notes ?? [],
  }
}
