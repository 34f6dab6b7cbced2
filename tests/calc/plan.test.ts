// plan worked by hand: each option's figures are perfEstimate's for that replica (closed loop of its users, dp 1),
// its replicas are ceil(load / one replica's capacity), its price replicas x devices x the hourly price; the
// cheapest is the minimum over every option kept; every option meets the targets, at the most users that do; and
// when nothing meets them, the binding constraint is named.
import {describe, expect, it} from 'vitest'
import {fitsOn, memoryUtilizationOf, perfOptionsOf, replicaLayoutsOn, speedScenarioFor} from '../../src/calc/deployment.js'
import {layoutText} from '../../src/calc/parallel.js'
import {perfEstimate, type PerfScenario} from '../../src/calc/perf.js'
import {concurrencyCandidates, costPerMillion, dpAttentionLayouts, plan, replicasFor, type Plan, type PlanLoad, type PlanOption, type PlanRequest, type PlanTargets} from '../../src/calc/plan.js'
import {servingWorkload} from '../../src/calc/serving/workload.js'
import {listHardwareIds, loadHardware, loadModel} from '../../src/presets/load.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import type {HardwareSpec} from '../../src/schema/hardware.js'

const qwenMoe = loadModel('qwen3-30b-a3b')
const h100 = loadHardware('h100') // $3.99 per hour in its profile
const priced = listHardwareIds()
  .map((id) => loadHardware(id))
  .filter((hw) => hw.pricePerHourUsd !== null)

function request(model: string, hardware: HardwareSpec[], targets: PlanTargets, load: PlanLoad, flags: Record<string, string> = {}, maxDevices = 64): PlanRequest {
  const spec = loadModel(model)
  const input = scenarioInput({isl: '2k', osl: '512', ...flags})
  return {
    spec,
    scenario: speedScenarioFor(spec, input).scenario,
    options: perfOptionsOf(input),
    memoryUtilization: memoryUtilizationOf(input),
    hardware: hardware.map((hw) => ({hardware: hw, devices: null, pricePerHourUsd: hw.pricePerHourUsd!})),
    targets,
    load,
    maxDevices,
  }
}

/** perfEstimate of one replica of the option's layout serving `users` in a closed loop: what `perf --concurrency` gives. */
function perfOf(r: PlanRequest, o: Pick<PlanOption, 'hardware' | 'layout'>, users: number) {
  const hw = r.hardware.find((h) => h.hardware.id === o.hardware)!.hardware
  const s: PerfScenario = {...r.scenario, layout: o.layout, batch: 1, serving: {mode: 'concurrency', users, requestsPerSecond: null, prefixHitRate: 0, speculation: null, phase: 'both'}}
  return perfEstimate(r.spec, s, hw, r.options)
}

const meets = (t: PlanTargets, p: {ttftSeconds: number; tpotSeconds: number}) => (t.ttftSeconds === null || p.ttftSeconds <= t.ttftSeconds) && (t.tpotSeconds === null || p.tpotSeconds <= t.tpotSeconds)

describe('users per replica tried', () => {
  it('powers of two up to the limit, and the limit itself', () => {
    expect(concurrencyCandidates(571)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 571])
    expect(concurrencyCandidates(256)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256])
    expect(concurrencyCandidates(1)).toEqual([1])
    expect(concurrencyCandidates(0)).toEqual([])
  })

  it('replicas: ceil of the load over one replica', () => {
    const replica = {concurrency: 90, replicaTokensPerSecond: 2400, replicaRequestsPerSecond: 4.5}
    expect(replicasFor({kind: 'throughput', outputTokensPerSecond: 5000}, replica)).toBe(3) // ceil(5000 / 2400) = ceil(2.08)
    expect(replicasFor({kind: 'throughput', outputTokensPerSecond: 4800}, replica)).toBe(2) // exactly 2
    expect(replicasFor({kind: 'users', users: 200}, replica)).toBe(3) // ceil(200 / 90) = ceil(2.22)
    expect(replicasFor({kind: 'rps', requestsPerSecond: 10}, replica)).toBe(3) // ceil(10 / 4.5) = ceil(2.22)
    expect(replicasFor({kind: 'users', users: 5}, replica)).toBe(1)
  })

  it('$/1M output tokens: the replica price per hour over its output tokens per hour', () => {
    // $3.99/hour over 2,000 tok/s x 3,600 s = 7.2M tokens per hour: $0.554 per million
    expect(costPerMillion(3.99, 2000)).toBeCloseTo(3.99 / 7.2, 12)
  })
})

describe('qwen3-30b-a3b on h100: --isl 2k --osl 512 --ttft 2s --tpot 50ms --throughput 5000', () => {
  const targets = {ttftSeconds: 2, tpotSeconds: 0.05}
  const r = request('qwen3-30b-a3b', [h100], targets, {kind: 'throughput', outputTokensPerSecond: 5000})
  const p = plan(r)

  it('one h100 per replica: 100 users (its KV cache holds 100 sequences of 2k + 256, the prompt and half the output a running sequence holds on average), 2 replicas, $7.98/hour', () => {
    const one = p.options.find((o) => o.devices === 1)!
    expect(layoutText(one.layout)).toBe('tp1')
    const scenario: PerfScenario = {...r.scenario, layout: one.layout, batch: 1}
    const w = servingWorkload(qwenMoe, {...scenario, serving: {mode: 'concurrency', users: 1, requestsPerSecond: null, prefixHitRate: 0, speculation: null}}, h100, 1)
    expect(Math.min(Math.floor(w.kvSequences), w.maxNumSeqs)).toBe(100) // the KV cache binds before max_num_seqs (1,024 on an 80 GB GPU)
    expect(one.concurrencyLimit).toBe(100)
    expect(one.concurrency).toBe(100) // TPOT at 100 users is under 50 ms
    const e = perfOf(r, one, 100)
    expect(one.ttftSeconds).toBe(e.ttftSeconds)
    expect(one.tpotSeconds).toBe(e.tpotSeconds)
    expect(one.tokensPerSecondPerReplica).toBe(e.aggregateTokensPerSecond) // about 2,560 tok/s
    expect(one.replicas).toBe(Math.ceil(5000 / e.aggregateTokensPerSecond))
    expect(one.replicas).toBe(2) // ceil(5000 / ~2,560) = ceil(1.95)
    expect(one.pricePerHourUsd).toBeCloseTo(2 * 1 * 3.99, 10) // replicas x devices x $/hour = $7.98
    expect(one.aggregateTokensPerSecond).toBeCloseTo(2 * e.aggregateTokensPerSecond, 9)
    expect(one.costPerMillionOutputTokens).toBeCloseTo((3.99 / 3600 / e.aggregateTokensPerSecond) * 1e6, 12)
    expect(one.engine).toBe('default')
  })

  it('the cheapest: 2 h100 (tp2), one replica, $7.98/hour: 1 x 2 x $3.99', () => {
    const best = p.options[0]!
    expect(best.hardware).toBe('h100')
    expect(best.devices).toBe(2)
    expect(best.layout.tp).toBe(2)
    expect(best.replicas).toBe(1)
    expect(best.pricePerHourUsd).toBeCloseTo(1 * 2 * 3.99, 10)
    const e = perfOf(r, best, best.concurrency)
    expect(e.aggregateTokensPerSecond).toBeGreaterThanOrEqual(5000) // one replica is enough
    expect(best.costPerMillionOutputTokens).toBeCloseTo(((2 * 3.99) / 3600 / e.aggregateTokensPerSecond) * 1e6, 12)
  })

  it('is the minimum of $/hour (then $/1M) over every option kept', () => {
    const cheapest = Math.min(...p.options.map((o) => o.pricePerHourUsd))
    expect(p.options[0]!.pricePerHourUsd).toBe(cheapest)
    const tied = p.options.filter((o) => o.pricePerHourUsd === cheapest)
    expect(p.options[0]!.costPerMillionOutputTokens).toBe(Math.min(...tied.map((o) => o.costPerMillionOutputTokens)))
    for (let i = 1; i < p.options.length; i++) expect(p.options[i]!.pricePerHourUsd).toBeGreaterThanOrEqual(p.options[i - 1]!.pricePerHourUsd)
  })

  it('every option meets the targets, as perfEstimate computes them, at the most users that do', () => {
    expect(p.options.length).toBeGreaterThan(3)
    for (const o of p.options) {
      const e = perfOf(r, o, o.concurrency)
      expect(meets(targets, e), `${o.devices} ${layoutText(o.layout)}`).toBe(true)
      expect(o.ttftSeconds).toBe(e.ttftSeconds)
      expect(o.replicas).toBe(Math.ceil(5000 / e.aggregateTokensPerSecond))
      expect(o.pricePerHourUsd).toBeCloseTo(o.replicas * o.devices * 3.99, 9)
      // One more user misses a target, or the replica cannot hold one more.
      if (o.concurrency < o.concurrencyLimit) expect(meets(targets, perfOf(r, o, o.concurrency + 1)), `${o.devices} ${layoutText(o.layout)}`).toBe(false)
    }
  })

  it('keeps every (devices, layout) whose replica holds the model and meets the targets, and no other', () => {
    let expected = 0
    for (const n of [1, 2, 4, 8, 16, 32, 64])
      // The layouts of one replica, and for a MoE model data-parallel attention with the experts over all n.
      for (const layout of [...replicaLayoutsOn(qwenMoe, n), ...dpAttentionLayouts(qwenMoe, n)]) {
        const s = {...r.scenario, layout, batch: 1}
        if (fitsOn(qwenMoe, s, h100, 1) && meets(targets, perfOf(r, {hardware: 'h100', layout}, 1))) expected++
      }
    expect(p.options.length).toBe(expected)
    expect(p.binding).toBeNull()
  })
})

describe('data-parallel attention with wide expert parallelism', () => {
  it('DeepSeek-V3 on 8 H200s: tp1 ep8 dp8 is tried, and its users are the 8 ranks\' together', () => {
    expect(dpAttentionLayouts(loadModel('deepseek-v3'), 8)).toEqual([{tp: 1, ep: 8, pp: 1, dp: 8}])
    expect(dpAttentionLayouts(loadModel('llama-3.1-8b'), 8)).toEqual([]) // dense: no experts to spread
    const r = request('deepseek-v3', [loadHardware('h200')], {ttftSeconds: 2, tpotSeconds: 0.05}, {kind: 'users', users: 500}, {}, 8)
    const dpOption = plan(r).options.find((o) => o.layout.dp === 8)!
    expect(dpOption.devices).toBe(8) // tp 1 x pp 1 x dp 8
    expect(dpOption.pricePerHourUsd).toBeCloseTo(dpOption.replicas * 8 * loadHardware('h200').pricePerHourUsd!, 9)
    // Each rank holds its own users' latent cache, so the group holds 8 ranks' worth: a multiple of 8.
    expect(dpOption.concurrencyLimit % 8).toBe(0)
  })
})

describe('the load as users or requests per second', () => {
  const targets = {ttftSeconds: 1, tpotSeconds: 0.03}
  it('--users 200: replicas = ceil(200 / the most users that meet the targets); the users then spread evenly', () => {
    const r = request('llama-3.1-8b', [h100], targets, {kind: 'users', users: 200})
    const p = plan(r)
    const one = p.options.find((o) => o.devices === 1)!
    // The most users one h100 serves within 30 ms per token: below 200, so two replicas of 100.
    const most = [...Array(one.concurrencyLimit).keys()].map((i) => i + 1).filter((c) => meets(targets, perfOf(r, one, c))).pop()!
    expect(most).toBeLessThan(200)
    expect(one.replicas).toBe(Math.ceil(200 / most))
    expect(one.concurrency).toBe(Math.ceil(200 / one.replicas))
    const e = perfOf(r, one, one.concurrency)
    expect(one.tpotSeconds).toBe(e.tpotSeconds)
    expect(one.aggregateTokensPerSecond).toBeCloseTo((e.aggregateTokensPerSecond * 200) / one.concurrency, 9)
    expect(one.pricePerHourUsd).toBeCloseTo(one.replicas * 3.99, 10)
  })

  it('--rps 10: replicas = ceil(10 / one replica\'s completed requests per second)', () => {
    const r = request('llama-3.1-8b', [h100], targets, {kind: 'rps', requestsPerSecond: 10})
    for (const o of plan(r).options) {
      const e = perfOf(r, o, o.concurrency)
      expect(o.replicas).toBe(Math.ceil(10 / e.serving.requestsPerSecond))
      expect(o.requestsPerSecond).toBeCloseTo(o.replicas * e.serving.requestsPerSecond, 9)
    }
  })
})

describe('when nothing meets the targets', () => {
  it('--tpot 0.1ms: no option, and TPOT binds; the lowest TPOT is the lowest of any replica', () => {
    const r = request('qwen3-30b-a3b', [h100, loadHardware('h200')], {ttftSeconds: 2, tpotSeconds: 1e-4}, {kind: 'throughput', outputTokensPerSecond: 5000})
    const p = plan(r)
    expect(p.options).toEqual([])
    expect(p.binding?.constraint).toBe('tpot')
    expect(p.binding!.bestTpotSeconds).toBeGreaterThan(1e-4)
    expect(p.binding!.bestTpotSeconds).toBe(Math.min(...p.frontier.map((f) => f.tpotSeconds)))
    expect(p.frontier.every((f) => !f.meetsTargets)).toBe(true)
  })

  it('--ttft 0.1ms: TTFT binds', () => {
    const p = plan(request('qwen3-30b-a3b', [h100], {ttftSeconds: 1e-4, tpotSeconds: null}, {kind: 'users', users: 10}))
    expect(p.options).toEqual([])
    expect(p.binding?.constraint).toBe('ttft')
  })

  it('both out of reach: both bind', () => {
    const p = plan(request('qwen3-30b-a3b', [h100], {ttftSeconds: 1e-4, tpotSeconds: 1e-4}, {kind: 'users', users: 10}))
    expect(p.binding?.constraint).toBe('ttft-and-tpot')
  })

  it('deepseek-v3 on up to 8 RTX 4090: memory binds, as no legal layout of 1 to 8 of them holds it', () => {
    const rtx4090 = loadHardware('rtx4090')
    const r = request('deepseek-v3', [rtx4090], {ttftSeconds: 2, tpotSeconds: 0.05}, {kind: 'throughput', outputTokensPerSecond: 100}, {}, 8)
    const spec = r.spec
    for (const n of [1, 2, 4, 8]) for (const layout of replicaLayoutsOn(spec, n)) expect(fitsOn(spec, {...r.scenario, layout, batch: 1}, rtx4090, 1)).toBe(false)
    // 671B parameters in fp8 are about 625 GiB; eight 24 GiB cards hold 192 GiB.
    const p = plan(r)
    expect(p.options).toEqual([])
    expect(p.frontier).toEqual([])
    expect(p.layoutsThatFit).toBe(0)
    expect(p.binding).toEqual({constraint: 'memory', bestTtftSeconds: null, bestTtftHardware: null, bestTpotSeconds: null, bestTpotHardware: null})
  })

  it('a device count given (8xh100) is the only one tried', () => {
    const r = request('deepseek-v3', [h100], {ttftSeconds: null, tpotSeconds: null}, {kind: 'users', users: 1})
    const p = plan({...r, hardware: [{hardware: h100, devices: 8, pricePerHourUsd: 3.99}]})
    expect(p.binding?.constraint).toBe('memory') // 8 x 80 GB < 671B parameters in fp8
    const sixteen = plan({...r, hardware: [{hardware: h100, devices: 16, pricePerHourUsd: 3.99}]})
    expect(sixteen.options.length).toBeGreaterThan(0)
    expect(sixteen.options.every((o) => o.devices === 16)).toBe(true)
  })
})

describe('the frontier', () => {
  const r = request('llama-3.1-8b', priced, {ttftSeconds: 2, tpotSeconds: 0.05}, {kind: 'throughput', outputTokensPerSecond: 5000})
  const p: Plan = plan(r)

  it('per profile: no point of the same profile beats another on both axes; ascending in tok/s per user', () => {
    for (const hw of new Set(p.frontier.map((f) => f.hardware))) {
      const points = p.frontier.filter((f) => f.hardware === hw)
      for (let i = 1; i < points.length; i++) {
        expect(points[i]!.tokensPerSecondPerUser).toBeGreaterThanOrEqual(points[i - 1]!.tokensPerSecondPerUser)
        expect(points[i]!.tokensPerSecondPerDevice).toBeLessThan(points[i - 1]!.tokensPerSecondPerDevice)
      }
    }
  })

  it('overall: the points no profile beats on both axes', () => {
    const overall = p.frontier.filter((f) => f.overall)
    expect(overall.length).toBeGreaterThan(1)
    for (const f of p.frontier) {
      const beaten = p.frontier.some((g) => g !== f && g.tokensPerSecondPerUser >= f.tokensPerSecondPerUser && g.tokensPerSecondPerDevice > f.tokensPerSecondPerDevice)
      if (f.overall) expect(beaten).toBe(false)
    }
  })

  it('a frontier point is a replica perfEstimate times: tok/s per device = its tok/s over its devices', () => {
    const f = p.frontier.find((x) => x.devices > 1) ?? p.frontier[0]!
    const e = perfOf(r, f, f.concurrency)
    expect(f.tokensPerSecondPerUser).toBe(e.tokensPerSecond)
    expect(f.tokensPerSecondPerDevice).toBeCloseTo(e.aggregateTokensPerSecond / f.devices, 9)
  })
})
