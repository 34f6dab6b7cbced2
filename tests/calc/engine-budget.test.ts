// Engines' start-up accounting, worked by hand from their source rules (src/calc/engine-budget.ts).
import {describe, expect, it} from 'vitest'
import {engineBudget} from '../../src/calc/engine-budget.js'
import {memoryScenarioFor, usableBytes} from '../../src/calc/deployment.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'

const budget = (model: string, hardware: string, flags: Record<string, string | boolean>, devices = 1) => {
  const spec = loadModel(model)
  const input = scenarioInput(flags)
  const costed = memoryScenarioFor(spec, input, devices)
  return engineBudget(spec, costed.scenario, loadHardware(hardware), input.engineSettings, costed.memoryUtilization)
}

describe('vLLM V1', () => {
  const b = budget('llama-3.1-8b', 'h100', {engine: 'vllm', 'memory-utilization': '0.95', 'max-num-batched-tokens': '8192', context: '8192'})
  it('subtracts weights, the profile run peak and non-torch memory from total x utilization (Llama 3.1 8B, H100, 0.95)', () => {
    expect(b.deviceMemoryVisibleBytes).toBe(85_028_896_768) // the H100's CUDA total (presets/hardware/h100.json)
    expect(b.weightsBytes).toBe(8_030_261_248 * 2) // parameters x bf16
    const logits = 1024 * 128_256 * 4 // max_num_seqs 1024 (H100) x vocabulary x fp32
    const forward = 8192 * (3 * 4096 + 3 * 14_336) * 2 + logits // tokens x (3 residual streams + gate/up/act of the MLP) x bf16
    expect(forward).toBeLessThan(4 * logits)
    expect(b.activationPeakBytes).toBe(4 * logits) // the sampler's four fp32 copies are the peak
    expect(b.nonTorchBytes).toBe(256 * 2 ** 20)
    const pool = 85_028_896_768 * 0.95 - 16_060_522_496 - 4 * logits - 256 * 2 ** 20
    expect(b.kvCachePoolBytesPerDevice).toBe(Math.floor(pool))
    // One group of 32 layers; a block is 16 tokens x 8 KV heads x 128 x (K, V) x 2 bytes = 65,536 bytes per layer.
    const blocks = Math.floor(pool / 65_536 / 32)
    expect(b.blocks).toBe(blocks)
    expect(b.engineReportedKvTokens).toBe(blocks * 16)
    expect(b.engineLog).toContain(`GPU KV cache size: ${(blocks * 16).toLocaleString('en-US')} tokens`)
    expect(b.maxConcurrency).toBeCloseTo(blocks / (8192 / 16), 10)
  })

  it('groups sliding-window and full layers as vLLM does (Gemma 3 27B: 52 sliding + 10 full -> 7 groups of 10)', () => {
    const g = budget('gemma-3-27b-it', 'h100', {engine: 'vllm', 'memory-utilization': '0.95', 'max-num-batched-tokens': '8192', context: '8192'})
    const page = 16 * 16 * 128 * 2 * 2 // tokens x KV heads x head dim x (K, V) x bf16
    const blocks = Math.floor(g.kvCachePoolBytesPerDevice / page / 10)
    expect(g.blocks).toBe(blocks)
    expect(g.engineReportedKvTokens).toBe(Math.floor(blocks / 7) * 16) // "GPU KV cache size" divides by the group count
    // A request holds ceil(L/16) full blocks plus, in each of 6 sliding groups, ceil(min(1024 - 1 + 8192, L)/16) + 1.
    const slidingBlocks = 6 * (Math.ceil((1024 - 1 + 8192) / 16) + 1)
    expect(g.capacityTokens).toBe((blocks - slidingBlocks) * 16)
    expect(g.capacityTokens).toBeGreaterThan(g.engineReportedKvTokens) // sliding layers keep their window only
  })

  it('V0 profiles max_model_len tokens, so a longer context leaves less KV (Llama 3.1 8B on an RTX 3090)', () => {
    const short = budget('llama-3.1-8b', 'rtx3090', {engine: 'vllm', 'engine-version': 'v0', 'memory-utilization': '0.9', context: '20000'})
    const long = budget('llama-3.1-8b', 'rtx3090', {engine: 'vllm', 'engine-version': 'v0', 'memory-utilization': '0.9', context: '29000'})
    expect(long.profileTokens).toBe(29_000)
    expect(short.activationPeakBytes - long.activationPeakBytes).toBe(-9000 * (3 * 4096 + 3 * 14_336) * 2)
    expect(long.engineLog[0]).toBe(`# GPU blocks: ${long.blocks}, # CPU blocks: (swap space)`)
  })

  it('tensor parallel adds NCCL buffers and splits the KV heads (Llama 3.1 8B on 2 x H100)', () => {
    const tp2 = budget('llama-3.1-8b', 'h100', {engine: 'vllm', 'memory-utilization': '0.95', 'max-num-batched-tokens': '8192', context: '8192', tp: '2'}, 2)
    expect(tp2.nonTorchBytes).toBe(2150 * 2 ** 20)
    const norms = 65 * 4096 * 2 // 2 per layer x 32 + the final norm, replicated on every rank, bf16
    expect(tp2.weightsBytes).toBe((16_060_522_496 - norms) / 2 + norms) // the rest split over 2 ranks
    expect(tp2.kvBytesPerTokenPerDevice).toBe(32 * 4 * 128 * 2 * 2) // 32 layers x 4 of 8 KV heads x 128 x (K, V) x 2
  })
})

describe('vLLM V1 before 0.17: the sort-based sampler', () => {
  // vllm-project/vllm#21348 (July 2025, so vLLM 0.9.2 or 0.10.0): Qwen3-235B-A22B-FP8 on 4 x H100, defaults, logged
  // "Available KV cache memory: 8.11 GiB / GPU KV cache size: 178,880 tokens".
  const flags = {engine: 'vllm', weights: 'fp8', tp: '4', 'memory-utilization': '0.9'}
  const triton = budget('qwen3-235b-a22b', 'h100', flags, 4)
  const sort = budget('qwen3-235b-a22b', 'h100', {...flags, 'vllm-sampler': 'sort'}, 4)
  const logits = 1024 * 151_936 * 4 // max_num_seqs 1024 (H100) x vocabulary x fp32

  it('the warm-up sort over max_num_seqs x vocabulary is the profile peak (9.75 fp32 copies, against 4 with the Triton kernel)', () => {
    expect(triton.activationPeakBytes).toBe(4 * logits)
    expect(sort.activationPeakBytes).toBe(Math.ceil(9.75 * logits)) // 6,067,716,096 bytes = 5.65 GiB
    expect(sort.weightsBytes).toBe(triton.weightsBytes)
    expect(triton.kvCachePoolBytesPerDevice - sort.kvCachePoolBytesPerDevice).toBeCloseTo(5.75 * logits, -1)
  })

  it('leaves the pool and tokens the issue logged, within 5%', () => {
    const pool = 85_028_896_768 * 0.9 - sort.weightsBytes - 9.75 * logits - 2150 * 2 ** 20 // total x 0.9 - weights - sampler peak - NCCL
    expect(sort.kvCachePoolBytesPerDevice).toBe(Math.floor(pool))
    // A block: 16 tokens x 1 KV head per GPU (4 / tp 4) x 128 x (K, V) x bf16 = 8,192 bytes per layer; 94 layers in one group.
    const blocks = Math.floor(pool / 8192 / 94)
    expect(sort.engineReportedKvTokens).toBe(blocks * 16)
    expect(Math.abs(blocks * 16 - 178_880) / 178_880).toBeLessThan(0.05)
    expect(Math.abs(triton.engineReportedKvTokens - 178_880) / 178_880).toBeGreaterThan(0.3) // the Triton sampler's accounting is 46% high
  })
})

describe('SGLang', () => {
  it("chooses mem_fraction_static by its rule for the GPU (H100: 8k chunk, 256 graph batch, at least 10 GiB reserved)", () => {
    const s = budget('llama-3.1-8b', 'h100', {engine: 'sglang'})
    const gpuMiB = 85_028_896_768 / 2 ** 20
    const reservedMiB = Math.max(512 + 8192 * 1.5 + 256 * 2 + (1 / 8) * 1024, 10 * 1024) // 13,440 MiB
    expect(s.memoryShare).toBe(Math.round(((gpuMiB - reservedMiB) / gpuMiB) * 1000) / 1000)
    const cell = 32 * 8 * 128 * 2 * 2 // layers x KV heads x head dim x (K, V) x bf16
    expect(s.engineReportedKvTokens).toBe(Math.floor(((85_028_896_768 - 512 * 2 ** 20) * s.memoryShare - 16_060_522_496) / cell))
  })
})

describe('SGLang hybrid pools', () => {
  const rest = (b: ReturnType<typeof budget>) => (b.deviceMemoryVisibleBytes - 512 * 2 ** 20) * b.memoryShare - b.weightsBytes
  it('gives gpt-oss a sliding-window pool of swa_full_tokens_ratio x the full pool (gpt-oss-120b, H100)', () => {
    const b = budget('gpt-oss-120b', 'h100', {engine: 'sglang', context: '8192'})
    const perLayer = 8 * 64 * 2 * 2 // KV heads x head dim x (K, V) x bf16
    const cell = perLayer * (18 + 0.8 * 18) // 18 full layers + ratio 0.8 x 18 sliding layers = 66,355.2 bytes
    const full = Math.floor(rest(b) / cell)
    expect(b.kvBytesPerTokenPerDevice).toBeCloseTo(cell, 6)
    expect(b.engineReportedKvTokens).toBe(full)
    expect(b.engineLog).toContain(`Use sliding window memory pool. full_layer_tokens=${full}, swa_layer_tokens=${Math.floor(full * 0.8)}`)
    expect(b.maxConcurrency).toBeCloseTo(full / 8192, 9) // the full pool binds: a request keeps only 129 tokens in the sliding pool
    const ratio = budget('gpt-oss-120b', 'h100', {engine: 'sglang', context: '8192', 'swa-full-tokens-ratio': '0.5'})
    expect(ratio.engineReportedKvTokens).toBe(Math.floor(rest(ratio) / (perLayer * (18 + 0.5 * 18))))
  })
  it('keeps every layer in one pool for models outside its hybrid list (Gemma 3 27B: 62 layers)', () => {
    const g = budget('gemma-3-27b-it', 'h100', {engine: 'sglang'})
    expect(g.kvBytesPerTokenPerDevice).toBe(62 * 16 * 128 * 2 * 2)
  })
  it('sets the linear-attention state pool apart and sizes the KV of the attention layers alone (Qwen3-Next 80B, fp8, H200)', () => {
    const q = budget('qwen3-next-80b-a3b-thinking', 'h200', {engine: 'sglang', weights: 'fp8', context: '32768'})
    // One Gated DeltaNet layer per request: conv (2 x 16 x 128 + 32 x 128) x (4 - 1) in bf16, recurrent 32 x 128 x 128 in fp32.
    // SGLang's own log for Qwen3.5-9B (the same Gated DeltaNet dimensions) reads "Elastic mamba cell padded:
    // raw=2146304B" (ovg-project/kvcached PR 459, SGLang 0.5.13 on an RTX Pro 6000).
    const state = (2 * 16 * 128 + 32 * 128) * 3 * 2 + 32 * 128 * 128 * 4 // 2,146,304 bytes
    const perRequest = 36 * state // 36 linear layers
    const slots = Math.floor((rest(q) * 0.9) / 1.9 / perRequest) // mamba_full_memory_ratio 0.9
    const cell = 12 * 2 * 256 * 2 * 2 // 12 full-attention layers x 2 KV heads x 256 x (K, V) x bf16
    expect(q.kvBytesPerTokenPerDevice).toBe(cell)
    expect(q.engineReportedKvTokens).toBe(Math.floor((rest(q) - slots * perRequest) / cell))
    expect(q.maxConcurrency).toBeCloseTo(Math.min(q.engineReportedKvTokens / 32768, slots / 3), 9)
  })
})

describe('SGLang without CUDA graphs', () => {
  it('--enforce-eager drops the graph reserve from the rule (L40S: 4k chunk, 32 graph batch, 2 MiB each)', () => {
    const withGraphs = budget('qwen3-8b', 'l40s', {engine: 'sglang'})
    const eager = budget('qwen3-8b', 'l40s', {engine: 'sglang', 'enforce-eager': true})
    const gpuMiB = loadHardware('l40s').visibleMemoryBytes! / 2 ** 20
    expect(withGraphs.memoryShare).toBe(Math.round(((gpuMiB - (512 + 4096 * 1.5 + 32 * 2 + 128)) / gpuMiB) * 1000) / 1000)
    expect(eager.memoryShare).toBe(Math.round(((gpuMiB - (512 + 4096 * 1.5 + 128)) / gpuMiB) * 1000) / 1000)
    expect(eager.cudaGraphBytes).toBe(0)
  })
})

describe('llama.cpp', () => {
  it('allocates n_ctx cells padded to 256, K and V in their own types', () => {
    const l = budget('llama-3.1-8b', 'rtx4090', {engine: 'llama.cpp', context: '1000', 'cache-type-k': 'int8'})
    const cells = 1024 // 1000 padded to 256
    const k = 8 * 128 * (34 / 32) // q8_0: 32 values in 34 bytes
    const v = 8 * 128 * 2 // f16
    expect(l.engineReportedKvTokens).toBe(cells)
    expect(l.kvCachePoolBytesPerDevice).toBe(Math.ceil(32 * cells * (k + v)))
  })
})

describe('llama.cpp with sliding windows (iSWA)', () => {
  it('sliding layers keep n_swa + n_ubatch cells padded to 256, full layers n_ctx (Gemma 3 27B at 32k)', () => {
    const g = budget('gemma-3-27b-it', 'h100', {engine: 'llama.cpp', context: '32k'})
    const perCell = 16 * 128 * 2 * 2 // KV heads x head dim x (K, V) x f16
    const slidingCells = Math.ceil((1024 + 512) / 256) * 256 // 1,536
    expect(g.kvCachePoolBytesPerDevice).toBe((10 * 32_768 + 52 * slidingCells) * perCell)
  })
})

describe('Apple unified memory', () => {
  it('the GPU sees the wired limit: the default working set, or --wired-limit', () => {
    const byDefault = budget('llama-3.1-8b', 'm3-ultra', {engine: 'llama.cpp'})
    const raised = budget('llama-3.1-8b', 'm3-ultra', {engine: 'llama.cpp', 'wired-limit': '400GiB'})
    expect(byDefault.deviceMemoryVisibleBytes).toBe(loadHardware('m3-ultra').visibleMemoryBytes)
    expect(raised.deviceMemoryVisibleBytes).toBe(400 * 2 ** 30)
  })
  it('without an engine too: usable memory is the wired limit times the utilization', () => {
    const m3 = loadHardware('m3-ultra')
    expect(usableBytes(m3, 1)).toBe(m3.visibleMemoryBytes) // the default working set
    expect(usableBytes(m3, 0.5, 400 * 2 ** 30)).toBe(200 * 2 ** 30)
    expect(usableBytes(loadHardware('h100'), 1, 400 * 2 ** 30)).toBe(85_028_896_768) // only Apple silicon has a wired limit
  })
})

describe('check --fits under an engine', () => {
  it("holds the KV the batch needs against the engine's pool (Qwen3 8B on an RTX 4090 under vLLM at 32k)", async () => {
    const {runCli} = await import('../cli/run.js')
    const r = runCli(['check', 'qwen3-8b', '--fits', '1xrtx4090', '--engine', 'vllm', '--context', '32k', '--batch', '4', '--json'])
    const [line] = JSON.parse(r.stdout).checks
    expect(line.measured).toBe(4 * 32768 * 36 * 8 * 128 * 2 * 2) // batch x tokens x layers x KV heads x head dim x (K, V) x bf16
    const b = budget('qwen3-8b', 'rtx4090', {engine: 'vllm', context: '32k', batch: '4'})
    expect(line.limit).toBe(b.kvCachePoolBytesPerDevice)
    expect(line.status).toBe(b.maxConcurrency >= 4 ? 'pass' : 'fail')
  })
})
