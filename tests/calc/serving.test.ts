// The serving model: latency constants as their sources state them, one engine step term by term, continuous
// batching in steady state (Little's law, queueing, saturation), speculative decoding. Hand-worked numbers.
import {describe, expect, it} from 'vitest'
import {defaultScenario} from '../../src/calc/memory.js'
import {defaultPerfOptions, perfEstimate, type PerfScenario} from '../../src/calc/perf.js'
import {allReduceAlphaSeconds, engineTimingOf, interconnectOf, ncclAllReduceLatencySeconds} from '../../src/calc/serving/latency.js'
import {acceptanceRateForLength, tokensPerStep} from '../../src/calc/serving/speculative.js'
import type {ServingRequest} from '../../src/calc/serving/workload.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'
import {runCli} from '../cli/run.js'

const h100 = loadHardware('h100')
const llama = loadModel('llama-3.1-8b')
const link = (hw: string, devices: number) => interconnectOf(loadHardware(hw), devices)

describe('collective latency (NCCL src/graph/tuning.cc, RCCL tuning.cc, engine one-shot all-reduce)', () => {
  it('NCCL on 8 NVSwitch GPUs: ring LL 6.6 + 2 x 7 x 0.6 = 15.0 us (tree 6.8 + 2 x 7 x 0.6 = 15.2)', () => {
    expect(ncclAllReduceLatencySeconds(link('h100', 8), 8)).toBeCloseTo((6.6 + 2 * 7 * 0.6) * 1e-6, 12)
  })
  it('NCCL on 8 PCIe GPUs: 6.6 + 2 x 7 x 1.0 = 20.6 us; RCCL on 8 MI300X: 12.0 + 2 x 7 x 0.8 = 23.2 us', () => {
    expect(ncclAllReduceLatencySeconds(link('l40s', 8), 8)).toBeCloseTo((6.6 + 2 * 7 * 1.0) * 1e-6, 12)
    expect(ncclAllReduceLatencySeconds(link('mi300x', 8), 8)).toBeCloseTo((12.0 + 2 * 7 * 0.8) * 1e-6, 12)
  })
  it('two nodes of 8 H100: the tree wins, 6.8 + 2 (7 x 0.6 + log2(2) x 5.0) = 25.2 us (ring: 6.6 + 28 x 0.6 + 2 x 2.7 = 28.8)', () => {
    const twoNodes = interconnectOf(h100, 16)
    expect(twoNodes.nodes).toBe(2)
    expect(ncclAllReduceLatencySeconds(twoNodes, 16)).toBeCloseTo((6.8 + 2 * (7 * 0.6 + 1 * 5.0)) * 1e-6, 12)
  })
  it("engines' one-shot all-reduce within an NVSwitch node (6 us), NCCL over PCIe", () => {
    const vllm = engineTimingOf('vllm')
    expect(allReduceAlphaSeconds(link('h100', 8), 8, vllm)).toBe(6e-6)
    expect(allReduceAlphaSeconds(link('l40s', 4), 4, vllm)).toBeCloseTo((6.6 + 2 * 3 * 1.0) * 1e-6, 12)
  })
})

describe('speculative decoding (Leviathan et al. 2023, eq. 1)', () => {
  it('3 draft tokens accepted with probability 0.85 yield (1 - 0.85^4) / 0.15 = 3.1866 tokens a step', () => {
    expect(tokensPerStep({method: 'mtp', draftTokens: 3, acceptanceRate: 0.85})).toBeCloseTo((1 - 0.85 ** 4) / (1 - 0.85), 12)
    expect(tokensPerStep(null)).toBe(1)
  })
  it('an acceptance length maps back to its rate', () => {
    expect(acceptanceRateForLength((1 - 0.85 ** 4) / (1 - 0.85), 3)).toBeCloseTo(0.85, 9)
  })
})

const speedOf = (serving: ServingRequest | undefined, extra: Partial<PerfScenario> = {}) => {
  const s: PerfScenario = {...defaultScenario(llama), promptTokens: 2048, outputTokens: 512, contextTokens: 2560, serving, ...extra}
  return perfEstimate(llama, s, h100, defaultPerfOptions)
}
const users = (n: number): ServingRequest => ({mode: 'concurrency', users: n, requestsPerSecond: null, prefixHitRate: 0, speculation: null, phase: 'both'})

describe('one engine step, term by term (Llama 3.1 8B on one H100, batch 1)', () => {
  it('decode: weights and KV at 2k + 256 over 0.7 x 3.35 TB/s, plus 32 layers x 6 kernels x 6.5 us', () => {
    const p = speedOf(undefined)
    const weightBytes = (8_030_261_248 - 128256 * 4096) * 2 // all but the embedding lookup, bf16
    const kvBytes = (2048 + 256) * 32 * 8 * 128 * 2 * 2 // context x layers x KV heads x head dim x K,V x bf16
    const step = p.serving.step
    expect(step.memorySeconds).toBeCloseTo((weightBytes + kvBytes) / (3.35e12 * 0.7), 12)
    expect(step.kernelSeconds).toBeCloseTo(32 * 6 * 6.5e-6, 12)
    expect(step.latencySeconds).toBe(0) // one device: no collectives
    expect(p.tpotSeconds).toBeCloseTo((weightBytes + kvBytes) / (3.35e12 * 0.7) + 32 * 6 * 6.5e-6, 12)
    expect(step.bound).toBe('memory')
  })
  it('replicas do not stretch the tensor-parallel group across nodes: tp8 x dp2 on 16 H100s still pays 6 us per all-reduce', () => {
    const p = speedOf(undefined, {layout: {tp: 8, ep: 1, pp: 1, dp: 2}})
    expect(p.serving.step.latencySeconds).toBeCloseTo(2 * 32 * 6e-6, 12)
  })
  it('tensor parallel 2 adds 2 x 32 all-reduces of 6 us each, and halves the weights each device reads', () => {
    const one = speedOf(undefined)
    const two = speedOf(undefined, {layout: {tp: 2, ep: 1, pp: 1}})
    expect(two.serving.step.latencySeconds).toBeCloseTo(2 * 32 * 6e-6, 12)
    expect(two.serving.step.memorySeconds).toBeLessThan(one.serving.step.memorySeconds / 1.9)
  })
})

describe('continuous batching in steady state', () => {
  it("Little's law: requests/s = sequences running / time each spends in the system", () => {
    const p = speedOf(users(16))
    const e = p.serving
    expect(e.queuedSequences).toBe(0)
    // Each request lives (prefill steps + 511 decode steps) x the mean step.
    expect(e.requestsPerSecond).toBeCloseTo(16 / ((e.prefillSteps + 511) * e.step.seconds), 9)
    expect(p.aggregateTokensPerSecond).toBeCloseTo(e.requestsPerSecond * 512, 9)
  })
  it('more users: each waits longer per token, all together produce more', () => {
    const a = speedOf(users(8))
    const b = speedOf(users(64))
    expect(b.tpotSeconds).toBeGreaterThan(a.tpotSeconds)
    expect(b.aggregateTokensPerSecond).toBeGreaterThan(a.aggregateTokensPerSecond)
  })
  it('past the KV cache, users queue: the engine runs what fits and says the cache is the limit', () => {
    const big = speedOf(users(100_000))
    expect(big.serving.limit).toBe('kv-cache')
    expect(big.serving.queuedSequences).toBeGreaterThan(0)
    expect(big.serving.queueWaitSeconds).toBeGreaterThan(big.serving.e2eSeconds / 2)
  })
  it('Poisson arrivals: below capacity nothing saturates; past it the report says so', () => {
    const rate = (r: number) => speedOf({mode: 'rate', users: 0, requestsPerSecond: r, prefixHitRate: 0, speculation: null, phase: 'both'})
    const low = rate(0.5)
    expect(low.serving.saturated).toBe(false)
    expect(low.serving.requestsPerSecond).toBeCloseTo(0.5, 6)
    expect(rate(1e6).serving.saturated).toBe(true)
  })
  it('a prefix cache hit skips that share of the prompt', () => {
    const cold = speedOf(users(32))
    const warm = speedOf({...users(32), prefixHitRate: 0.75})
    expect(warm.ttftSeconds).toBeLessThan(cold.ttftSeconds)
    expect(warm.aggregateTokensPerSecond).toBeGreaterThan(cold.aggregateTokensPerSecond)
  })
  it('every figure is finite and non-negative, at every load', () => {
    for (const n of [1, 7, 256, 10_000]) {
      const p = speedOf(users(n))
      for (const v of [p.ttftSeconds, p.tpotSeconds, p.tokensPerSecond, p.aggregateTokensPerSecond, p.serving.e2eSeconds, p.serving.requestsPerSecond]) {
        expect(Number.isFinite(v), String(n)).toBe(true)
        expect(v, String(n)).toBeGreaterThanOrEqual(0)
      }
    }
  })
})

describe('the done-when of the speed issue, as a user types it', () => {
  const perf = (...extra: string[]) => {
    const r = runCli(['perf', 'deepseek-r1', '--hardware', '8xb200', '--batch', '1', '--prompt', '1k', '--output', '2k', '--weights', 'bf16', '--expert-weights', 'nvfp4', ...extra, '--json'])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout).rows[0].tokensPerSecond as number
  }
  it("DeepSeek-R1 on 8 B200 with FP4 experts (TensorRT-LLM's recipe): within 30% of the 111 tok/s per user published", () => {
    expect(Math.abs(perf('--engine', 'tensorrt-llm') / 111 - 1)).toBeLessThan(0.3)
  })
  it('with three MTP draft tokens (acceptance length 2.82 as published): within 30% of 253 and of 275', () => {
    const tps = perf('--engine', 'tensorrt-llm', '--speculative', 'mtp', '--draft-tokens', '3', '--acceptance-length', '2.82')
    expect(Math.abs(tps / 253 - 1)).toBeLessThan(0.3)
    expect(Math.abs(tps / 275 - 1)).toBeLessThan(0.3)
  })
})

describe('compare, perf and check answer the same scenario the same way', () => {
  it('Llama 3.1 8B on an H100, 64 users, 2k in, 512 out', () => {
    const flags = ['--hardware', 'h100', '--concurrency', '64', '--isl', '2k', '--osl', '512', '--json']
    const perf = JSON.parse(runCli(['perf', 'llama-3.1-8b', ...flags]).stdout).rows[0]
    const compare = JSON.parse(runCli(['compare', 'llama-3.1-8b', ...flags]).stdout).rows[0]
    const check = JSON.parse(runCli(['check', 'llama-3.1-8b', ...flags, '--min-decode-tps', '1', '--max-ttft', '100']).stdout)
    const measured = (rule: string) => check.checks.find((r: {rule: string}) => r.rule === rule).measured
    expect(compare.ttftSeconds).toBe(perf.ttftSeconds)
    expect(compare.aggregateTokensPerSecond).toBe(perf.aggregateTokensPerSecond)
    expect(measured('min-decode-tps')).toBe(perf.tokensPerSecond)
    expect(measured('max-ttft')).toBe(perf.ttftSeconds)
  })
})

describe('disaggregated prefill and decode (--disaggregate xPyD)', () => {
  const run = (...extra: string[]) => {
    const hardware = extra.includes('--hardware') ? [] : ['--hardware', '8xh100']
    const r = runCli(['perf', 'llama-3.1-70b', ...hardware, '--concurrency', '32', '--isl', '4k', '--osl', '512', ...extra, '--json'])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout).rows[0]
  }
  it('2p2d on 8 H100: four tp2 replicas; the KV of a 4k prompt crosses 2 x 400 Gb/s links: 4096 x 80 x 8 x 128 x 2 x 2 B / 100 GB/s', () => {
    const r = run('--disaggregate', '2p2d')
    expect(r.layout).toEqual({tp: 2, ep: 1, pp: 1, dp: 4})
    const kvBytes = 4096 * 80 * 8 * 128 * 2 * 2 // prompt x layers x KV heads x head dim x K,V x bf16
    expect(r.disaggregation.kvTransferSeconds).toBeCloseTo(kvBytes / (2 * 50e9), 12)
    // The slower pool sets the throughput.
    const d = r.disaggregation
    expect(r.requestsPerSecond).toBeCloseTo(Math.min(d.decodeRequestsPerSecond, d.prefillRequestsPerSecondMax), 9)
    expect(r.ttftSeconds).toBeGreaterThan(d.kvTransferSeconds)
  })
  it('decode steps carry no prompt chunks, so TPOT is no worse than colocated at the same users per decode replica', () => {
    const colocated = run('--hardware', '4xh100', '--tp', '2', '--dp', '2')
    const split = run('--disaggregate', '1p2d', '--hardware', '6xh100')
    expect(split.tpotSeconds).toBeLessThanOrEqual(colocated.tpotSeconds)
  })
  it.each([
    [['--disaggregate', '3x'], /--disaggregate "3x"/],
    [['--disaggregate', '0p2d'], /at least one of each/],
    [['--disaggregate', '1p1d', '--dp', '3'], /disagree/],
  ])('%j is refused in one line', (extra, message) => {
    const r = runCli(['perf', 'llama-3.1-8b', '--hardware', '2xh100', ...extra])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(message)
  })
})

describe('any load, layout and speculation: finite, non-negative figures (fast-check)', () => {
  it('holds for random scenarios on random hardware', async () => {
    const fc = await import('fast-check')
    const qwen = loadModel('qwen3-30b-a3b')
    const hws = ['h100', 'mi300x', 'l40s', 'rtx4090', 'b200'].map(loadHardware)
    fc.assert(
      fc.property(
        fc.record({
          mode: fc.constantFrom('batch', 'concurrency', 'rate'),
          users: fc.integer({min: 1, max: 100_000}),
          rate: fc.double({min: 0.001, max: 1e5, noNaN: true}),
          isl: fc.integer({min: 1, max: 40_000}),
          osl: fc.integer({min: 1, max: 8_000}),
          tp: fc.constantFrom(1, 2, 4),
          hit: fc.double({min: 0, max: 1, noNaN: true}),
          draft: fc.option(fc.record({k: fc.integer({min: 1, max: 16}), a: fc.double({min: 0.01, max: 1, noNaN: true})})),
          hw: fc.integer({min: 0, max: hws.length - 1}),
          moe: fc.boolean(),
        }),
        (c) => {
          const spec = c.moe ? qwen : llama
          const serving: ServingRequest = {mode: c.mode, users: c.users, requestsPerSecond: c.rate, prefixHitRate: c.hit, speculation: c.draft ? {method: 'eagle', draftTokens: c.draft.k, acceptanceRate: c.draft.a} : null, phase: 'both'}
          const s: PerfScenario = {...defaultScenario(spec), batch: c.mode === 'batch' ? Math.min(c.users, 512) : 1, promptTokens: c.isl, outputTokens: c.osl, contextTokens: c.isl + c.osl, serving, layout: {tp: c.tp, ep: c.moe ? c.tp : 1, pp: 1}}
          const p = perfEstimate(spec, s, hws[c.hw]!, defaultPerfOptions)
          for (const v of [p.ttftSeconds, p.tpotSeconds, p.tokensPerSecond, p.aggregateTokensPerSecond, p.serving.e2eSeconds, p.serving.requestsPerSecond, p.serving.queueWaitSeconds, p.serving.runningSequences]) {
            if (!Number.isFinite(v) || v < 0) throw new Error(`${JSON.stringify(c)}: ${v}`)
          }
        },
      ),
      {numRuns: 300, seed: 14},
    )
  })
})

describe('speculative decoding loads its draft network', () => {
  it('MTP: DeepSeek-V3 holds its MTP module beside the model, fp8 like its linear layers, split over tp 8', async () => {
    const {speedScenarioFor} = await import('../../src/calc/deployment.js')
    const {memoryEstimate} = await import('../../src/calc/memory.js')
    const {scenarioInput} = await import('../../src/schema/scenario-fields.js')
    const {paramCounts} = await import('../../src/calc/params.js')
    const ds = loadModel('deepseek-v3')
    const choice = {hardware: loadHardware('h200'), devices: 8}
    const plain = speedScenarioFor(ds, scenarioInput({}), choice).scenario
    const mtp = speedScenarioFor(ds, scenarioInput({speculative: 'mtp'}), choice).scenario
    // One MoE layer: MLA (q_a 7168x1536, q_b 1536x(128x192), kv_a 7168x576, kv_b 512x(128x256), o (128x128)x7168,
    // norms 1536 + 512), 256 routed + 1 shared expert of 3 x 7168 x 2048, router 256 x 7168 + 256 bias, 2 norms of 7168;
    // then the MTP projection 2x7168 x 7168 and its three norms of 7168 (enorm, hnorm, shared_head.norm).
    const attention = 7168 * 1536 + 1536 * 128 * 192 + 7168 * 576 + 512 * 128 * 256 + 128 * 128 * 7168 + 1536 + 512
    const layer = attention + 257 * 3 * 7168 * 2048 + 256 * 7168 + 256 + 2 * 7168
    const mtpParams = layer + 2 * 7168 * 7168 + 3 * 7168
    expect(mtpParams).toBe(11_610_068_224)
    expect(paramCounts(ds).mtpParams).toBe(mtpParams)
    expect(mtp.draftParams).toBe(mtpParams)
    const a = memoryEstimate(ds, plain)
    const b = memoryEstimate(ds, mtp)
    // At the bytes per weight of the linear layers as published: 1 byte per fp8 weight, plus their fp32 scale_inv per
    // 128x128 block (61 MLA blocks, 3 dense MLPs, 58 shared experts: 926,808 blocks) spread over their parameters.
    const br = paramCounts(ds).breakdown
    const linearParams = br.attention + br.denseFfn + br.sharedExperts + br.other
    const scaleBytes = 4 * (61 * (672 + 2304 + 280 + 1024 + 7168) + 3 * 3 * 8064 + 58 * 3 * 896)
    expect(scaleBytes).toBe(3_707_232)
    const draft = Math.ceil(mtpParams * ((linearParams + scaleBytes) / linearParams))
    expect(b.weightsBytes - a.weightsBytes).toBe(draft)
    expect(b.perDevice.weightsBytes - a.perDevice.weightsBytes).toBe(Math.ceil(draft / 8))
    expect(b.leaves.find((l) => l.path === 'weights/draft')!.bytes).toBe(draft)
    expect(b.totalBytes).toBe(b.leaves.reduce((sum, l) => sum + l.bytes, 0))
  })
})

describe('draft-model speculation (--speculative draft --draft-model)', () => {
  const tpot = (...args: string[]) => {
    const r = runCli(['perf', ...args, '--hardware', '4xh100', '--tp', '4', '--json'])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout).rows[0].tpotSeconds as number
  }
  it('a step = the target verifying k + 1 tokens + k steps of the draft on the same devices, over (1 - a^(k+1)) / (1 - a) tokens', () => {
    const target = tpot('llama-3.1-70b')
    const draft = tpot('llama-3.2-1b-instruct')
    const spec = tpot('llama-3.1-70b', '--speculative', 'draft', '--draft-model', 'llama-3.2-1b-instruct', '--draft-tokens', '4', '--acceptance-rate', '0.7')
    const tau = (1 - 0.7 ** 5) / (1 - 0.7)
    // Verifying 5 tokens instead of 1 moves 4 more tokens through the tp4 all-reduces (the step stays memory-bound):
    // 2 (4 - 1) / 4 x (2 x 80 layers x 4 tokens x 8192 hidden x 2 bytes) / 450 GB/s.
    const verifyExtra = ((2 * 3) / 4) * (2 * 80 * 4 * 8192 * 2) / 450e9
    expect(spec).toBeCloseTo((target + verifyExtra + 4 * draft) / tau, 12)
  })
  it.each([
    [['--speculative', 'draft', '--acceptance-rate', '0.7'], /needs --draft-model/],
    [['--speculative', 'eagle', '--draft-model', 'llama-3.2-1b-instruct', '--acceptance-rate', '0.7'], /goes with --speculative draft/],
    [['--speculative', 'draft', '--draft-model', 'llama-3.2-1b-instruct'], /needs --acceptance-rate/],
  ])('%j is refused in one line', (extra, message) => {
    const r = runCli(['perf', 'llama-3.1-70b', '--hardware', '4xh100', ...extra])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(message)
  })
})
