// memory, kv and fit as a user runs them: JSON fields, hand-checked figures, and every bad input exits 2 on one line.
import {describe, expect, it} from 'vitest'
import {runCli, expectOneLineRefusal} from './run.js'

describe('memory --json', () => {
  it('gives the documented fields; KV and weights worked out by hand (Llama 3.1 8B, 32k, batch 8, 8x h100)', () => {
    const r = runCli(['memory', 'llama-3.1-8b', '--context', '32k', '--batch', '8', '--hardware', '8xh100', '--json'])
    expect(r.code).toBe(0)
    const [m] = JSON.parse(r.stdout).models
    const kvPerToken = 32 * 2 * 8 * 128 * 2 // layers x (K, V) x KV heads x head dim x bf16
    expect(m).toMatchObject({id: 'llama-3.1-8b', contextTokens: 32768, batch: 8, kvBytesPerToken: kvPerToken, kvBytes: kvPerToken * 32768 * 8, weightsBytes: 8_030_261_248 * 2})
    for (const key of ['activationBytes', 'overheadBytes', 'totalBytes', 'perDeviceBytes']) expect(m[key]).toBeGreaterThan(0)
    expect(m.totalBytes).toBe(m.weightsBytes + m.kvBytes + m.activationBytes + m.overheadBytes)
    expect(m.fits).toBe(true)
  })
})

describe('kv', () => {
  it('shows the theoretical cache and what vLLM reserves, at 1k, 8k, 32k, 128k and the maximum', () => {
    const r = runCli(['kv', 'llama-3.1-8b', '--json'])
    const [k] = JSON.parse(r.stdout).models
    expect(k.engine).toBe('vllm')
    expect(k.points.map((p: {contextTokens: number}) => p.contextTokens)).toEqual([1024, 8192, 32768, 131072])
    expect(k.points[0].kvBytes).toBe(1024 * 32 * 2 * 8 * 128 * 2)
  })
})

describe('fit --json', () => {
  it('gives one entry per hardware with devices, layout and capacities', () => {
    const r = runCli(['fit', 'qwen3-8b', '--hardware', 'h100,l4', '--context', '32k', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout).rows
    expect(rows.map((x: {hardware: string}) => x.hardware)).toEqual(['h100', 'l4'])
    for (const row of rows) {
      for (const key of ['devices', 'layout', 'fits', 'maxContextTokens', 'kvCacheCapacityTokens', 'maxConcurrency']) expect(row).toHaveProperty(key)
      expect(row.layout).toEqual({tp: 1, ep: 1, pp: 1})
    }
  })
  it('a model too big for one device takes several (DeepSeek-V3 on H100 at 128k)', () => {
    const [row] = JSON.parse(runCli(['fit', 'deepseek-v3', '--hardware', 'h100', '--context', '128k', '--json']).stdout).rows
    // 671,026,419,200 params in their checkpoint formats (fp8 experts) need more than 8 x 80 GiB
    expect(row.devices).toBeGreaterThan(8)
    expect(row.fits).toBe(true)
  })
})

describe('bad sizing input: one line naming the flag, exit 2, nothing on stdout', () => {
  it.each([
    [['memory', 'qwen3-8b', '--context', '-5'], /--context/],
    [['memory', 'qwen3-8b', '--context', '0'], /--context/],
    [['memory', 'qwen3-8b', '--batch', '0'], /--batch/],
    [['kv', 'qwen3-8b', '--batch', '-1'], /--batch/],
    [['memory', 'qwen3-8b', '--context', 'NaN'], /--context/],
    [['memory', 'qwen3-8b', '--hardware', 'h10'], /unknown hardware "h10"; did you mean "h100"/],
    [['memory', 'qwen3-8b', '--hardware', '0xh100'], /--hardware/],
    [['memory', 'qwen3-8b', '--kv-dtype', 'q9'], /--kv-dtype "q9"/],
    [['memory', 'qwen3-8b', '--weights', 'fp7'], /--weights "fp7"/],
    [['fit', 'qwen3-8b'], /--hardware/],
    [['memory', 'qwen3-8b', '--memory-utilization', '1.5'], /--memory-utilization/],
  ])('%j', (args, message) => {
    expectOneLineRefusal(runCli(args), message)
  })
  it('a context past the model maximum is allowed with a warning', () => {
    const r = runCli(['memory', 'qwen3-8b', '--context', '1M'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/past the model's maximum of 40960 tokens/)
  })
})

describe('flops and perf', () => {
  it('flops --json gives prefillFlops, decodeFlopsPerToken, trainFlopsPerToken', () => {
    const [f] = JSON.parse(runCli(['flops', 'llama-3.1-8b', '--context', '8k', '--json']).stdout).models
    const matmul = 8_030_261_248 - 128256 * 4096 - (32 * 2 * 4096 + 4096)
    expect(f.decodeFlopsPerToken).toBe(2 * matmul + 32 * 2 * 32 * 256 * 8192)
    expect(f.prefillFlops).toBe(8192 * 2 * matmul + 32 * 2 * 32 * 256 * ((8192 * 8193) / 2))
    expect(f.trainFlopsPerToken).toBeCloseTo((3 * f.prefillFlops) / 8192, 0)
  })
  it('perf --json gives the documented fields per model and hardware', () => {
    const r = runCli(['perf', 'llama-3.1-8b', '--hardware', 'h100,mi300x', '--prompt', '2k', '--output', '512', '--batch', '4', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout).rows
    expect(rows).toHaveLength(2)
    for (const row of rows) {
      for (const key of ['ttftSeconds', 'tpotSeconds', 'tokensPerSecond', 'aggregateTokensPerSecond', 'costPerMillionOutputTokens']) expect(row[key]).toBeGreaterThan(0)
      // A static batch of 4: every request's 512 tokens over the whole run, prefill included.
      expect(row.aggregateTokensPerSecond).toBeCloseTo((4 * 512) / row.e2eSeconds, 9)
      expect(row.e2eSeconds).toBeCloseTo(row.ttftSeconds + 511 * row.tpotSeconds, 9)
      expect(['compute', 'memory']).toContain(row.bound)
      expect(['compute', 'memory', 'latency']).toContain(row.step.bound)
    }
  })
  it.each([
    [['perf', 'llama-3.1-8b'], /--hardware/],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '--mfu', '0'], /--mfu/],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '--mbu', '1.2'], /--mbu/],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '--price-per-hour', '-1'], /--price-per-hour/],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '--compute-dtype', 'fp4'], /h100 has no fp4 peak/],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '--output', '0'], /--output/],
    [['flops', 'llama-3.1-8b', '--train-tokens', 'lots'], /--train-tokens/],
    [['compare', 'llama-3.1-8b', '--hardware', 'h100,h200'], /--hardware takes one profile/],
  ])('%j exits 2 with one line', (args, message) => {
    expectOneLineRefusal(runCli(args), message)
  })
})

describe('parallel layouts: only those the engines accept, and the layout flags', () => {
  it('Llama 3.1 8B on 3x H100 is never tp3 (32 heads % 3): one H100 holds it, so tp1 with 3 replicas', () => {
    const r = runCli(['memory', 'llama-3.1-8b', '--hardware', '3xh100', '--json'])
    expect(r.code).toBe(0)
    const [m] = JSON.parse(r.stdout).models
    expect(m.devices).toBe(3)
    expect(m.layout).toEqual({tp: 1, ep: 1, pp: 1, dp: 3})
    expect(runCli(['memory', 'llama-3.1-8b', '--hardware', '3xh100']).stdout).toMatch(/3x h100 \(tp1 dp3\)/)
  })
  it('replicas show in the layout: Llama 3.1 405B (810 GB) on 32x H100 is tp8 pp2 dp2 (tp8 alone is 101 GB a device)', () => {
    expect(runCli(['memory', 'llama-3.1-405b', '--hardware', '32xh100']).stdout).toMatch(/32x h100 \(tp8 pp2 dp2\)/)
  })
  it('Qwen3-30B-A3B with --ep 8 takes the fewest devices that allow it: tp8 ep8 on 8', () => {
    const [row] = JSON.parse(runCli(['fit', 'qwen3-30b-a3b', '--hardware', 'h100', '--ep', '8', '--json']).stdout).rows
    expect(row.devices).toBe(8)
    expect(row.layout).toEqual({tp: 8, ep: 8, pp: 1})
  })
  it.each([
    [['memory', 'llama-3.1-8b', '--hardware', '3xh100', '--tp', '3'], /tensor parallel 3 does not divide Llama-3.1-8B's 32 attention heads \(vLLM requires num_attention_heads % tensor_parallel_size == 0\)/],
    [['fit', 'llama-3.1-8b', '--hardware', 'h100', '--tp', '3'], /tensor parallel 3 does not divide/],
    [['fit', 'llama-3.1-8b', '--hardware', '8xh100', '--tp', '4', '--pp', '4'], /--tp 4 --pp 4 need a multiple of 16 devices, but the hardware gives 8/],
    [['memory', 'llama-3.2-1b-instruct', '--hardware', '1000000xh100', '--dp', '1'], /1000000 devices cannot all be used by Llama-3.2-1B-Instruct's 16 layers with --dp 1/],
    [['memory', 'llama-3.1-8b', '--ep', '2'], /expert parallel 2 needs routed experts/],
    [['perf', 'deepseek-v3', '--hardware', 'h100', '--pp', '64'], /pipeline parallel 64 exceeds DeepSeek-V3's 61 layers/],
  ])('%j is refused in one line naming the rule', (args, message) => {
    expectOneLineRefusal(runCli(args), message)
  })
})
