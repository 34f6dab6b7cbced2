// Fine-tuning and time, worked by hand: LoRA adapter counts, the QLoRA memory of Qwen3-32B on one L40S, training
// FLOPs of Llama 3.1 405B at 8k, and the run's device-hours, days, cost and energy at an MFU.
import {describe, expect, it} from 'vitest'
import {trainEstimate, type TrainScenario} from '../../src/calc/training/estimate.js'
import {loraAdapters} from '../../src/calc/training/lora.js'
import {nf4BytesPerParam} from '../../src/calc/training/quantized-base.js'
import {trainFlops} from '../../src/calc/training/time.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'

const scenario = (o: Partial<TrainScenario>): TrainScenario => ({
  hardware: loadHardware('h100'),
  devices: 1,
  tokens: null,
  sequenceTokens: 2048,
  microBatchSequences: 1,
  globalBatchTokens: null,
  parallel: {tp: null, pp: null, dp: null, ep: null},
  zeroStage: 1,
  fsdp: null,
  recompute: 'selective',
  optimizer: 'adamw',
  precision: 'bf16',
  lora: null,
  mfu: 0.4,
  schedule: '1f1b',
  chunksPerStage: 1,
  ...o,
})

// Qwen3-32B: h 5120, 64 layers, q 64 x 128 = 8192, k and v 8 x 128 = 1024, MLP 25600, vocab 151936 untied.
const qwenAdapterPerLayer = 16 * (5120 + 8192) * 2 + 16 * (5120 + 1024) * 2 + 16 * (5120 + 25600) * 3 // q, o; k, v; gate, up, down

describe('LoRA (Hu et al. 2021) and QLoRA (Dettmers et al. 2023)', () => {
  it('Qwen3-32B rank 16 on all linear layers: r x (in + out) per matrix, 7 matrices x 64 layers = 2^27 parameters', () => {
    const a = loraAdapters(loadModel('qwen3-32b'), {rank: 16, targets: ['all-linear']}, 'adamw')
    expect(a.params).toBe(64 * qwenAdapterPerLayer)
    expect(a.params).toBe(134_217_728)
    expect(a.matrices).toBe(7 * 64)
    expect(a.optimizerStateBytes).toBe(8 * 134_217_728)
    // q_proj and v_proj only (the LoRA paper's choice): 16 x (5120 + 8192) + 16 x (5120 + 1024) per layer.
    expect(loraAdapters(loadModel('qwen3-32b'), {rank: 16, targets: ['q_proj', 'v_proj']}, 'adamw').params).toBe(64 * (16 * 13312 + 16 * 6144))
  })

  it('Qwen3-32B QLoRA r16 on one L40S, seq 2048, full recomputation: NF4 layers, bf16 embeddings and head, fp32 adapters', () => {
    const est = trainEstimate(loadModel('qwen3-32b'), scenario({hardware: loadHardware('l40s'), recompute: 'full', lora: {rank: 16, targets: ['all-linear'], baseQuantization: '4bit'}}))
    const quantized = 64 * (2 * 5120 * 8192 + 2 * 5120 * 1024 + 3 * 5120 * 25600) // the layers' nn.Linear weights
    const sixteenBit = 2 * 151_936 * 5120 + 64 * (2 * 5120 + 2 * 128) + 5120 // embedding and head; norms (2 per layer, q/k-norm 128 each, final)
    const adapters = 134_217_728
    expect(est.memory.weightsBytes).toBeCloseTo(quantized * nf4BytesPerParam + 2 * sixteenBit + 4 * adapters, 0)
    expect(nf4BytesPerParam).toBe((4 + 8 / 64 + 32 / (64 * 256)) / 8)
    expect(est.memory.gradientsBytes).toBe(4 * adapters)
    expect(est.memory.masterWeightsBytes).toBe(0)
    expect(est.memory.optimizerStatesBytes).toBe(8 * adapters)
    // Layer inputs 64 x 2048 x 2 x 5120, one layer rebuilt (2048 x 250112, tests/calc/training.test.ts), the head.
    const activations = 64 * 2048 * 2 * 5120 + 2048 * 250_112 + 2048 * (2 * 2 * 5120 + 6 * 151_936)
    expect(est.memory.activationsBytes).toBe(activations)
    const total = quantized * nf4BytesPerParam + 2 * sixteenBit + 4 * adapters + 4 * adapters + 8 * adapters + activations + 2 ** 30
    expect(est.memory.totalBytes).toBeCloseTo(total, 0)
    expect(est.capacityBytes).toBe(47_803_596_800) // the L40S profile's visible memory
    expect(est.fits).toBe(true)
    expect(total).toBeLessThan(47_803_596_800)
  })

  it('the same without recomputation does not fit: 64 x 2048 x 250112 bytes of layer activations alone are 31 GiB', () => {
    const est = trainEstimate(loadModel('qwen3-32b'), scenario({hardware: loadHardware('l40s'), recompute: 'none', lora: {rank: 16, targets: ['all-linear'], baseQuantization: '4bit'}}))
    expect(est.activations.layersBytes).toBe(2048 * (64 * 250_112 + 16 * 7 * 64 * 2)) // + the A outputs (rank 16, 7 matrices, 64 layers, bf16)
    expect(est.fits).toBe(false)
  })
})

describe('time and cost', () => {
  // Llama 3.1 405B: 126 layers, h 16384, 128 heads of 128, 8 KV heads, MLP 53248, vocab 128256.
  const matmul = 126 * (2 * 16_384 * 16_384 + 2 * 16_384 * 1024 + 3 * 16_384 * 53_248) + 128_256 * 16_384 // layers + LM head
  // Attention at 8192: 2 x heads x (qk + v dims) per key; a causal sequence sees (8192 + 1) / 2 keys on average.
  const attention = 126 * 2 * 128 * (128 + 128) * ((8192 + 1) / 2)
  const forward = 2 * matmul + attention

  it('Llama 3.1 405B at 8k: 3 x forward per token (6N plus causal attention); HFU adds a forward under full recomputation; LoRA 2 x', () => {
    const spec = loadModel('llama-3.1-405b')
    expect(trainFlops(spec, 8192, false, 'selective').trainFlopsPerToken).toBeCloseTo(3 * forward, -3)
    expect(trainFlops(spec, 8192, false, 'full').hardwareFlopsPerToken).toBeCloseTo(4 * forward, -3)
    expect(trainFlops(spec, 8192, true, 'selective').trainFlopsPerToken).toBeCloseTo(2 * forward, -3)
  })

  it('15.6T tokens on 16384 H100s at MFU 0.4: seconds = FLOPs / (devices x 989.4 TFLOP/s x 0.4); GPU-hours, days, $3.99/h, 700 W', () => {
    const est = trainEstimate(loadModel('llama-3.1-405b'), scenario({devices: 16_384, tokens: 15.6e12, sequenceTokens: 8192}))
    const flops = 3 * forward * 15.6e12
    const seconds = flops / (16_384 * 989.4e12 * 0.4)
    expect(est.time.trainFlops! / flops).toBeCloseTo(1, 12)
    expect(est.time.wallClockSeconds! / seconds).toBeCloseTo(1, 12)
    expect(est.time.wallClockDays! / (seconds / 86_400)).toBeCloseTo(1, 12)
    expect(est.time.gpuHours! / ((16_384 * seconds) / 3600)).toBeCloseTo(1, 12)
    expect(est.time.costUsd! / (((16_384 * seconds) / 3600) * 3.99)).toBeCloseTo(1, 12)
    expect(est.time.energyJoules! / (16_384 * 700 * seconds)).toBeCloseTo(1, 12)
    expect(est.time.tokensPerSecondPerDevice / ((989.4e12 * 0.4) / (3 * forward))).toBeCloseTo(1, 12)
    // The Llama 3 layout is found: tp 8 within a node, 16 pipeline stages, 128 replicas (Llama 3 paper Table 4).
    expect(est.layout).toEqual({tp: 8, pp: 16, dp: 128, ep: 1})
    expect(est.fits).toBe(true)
    // Chinchilla: 20 tokens per parameter, 20 x 405,853,388,800.
    expect(est.computeOptimalTokens).toBe(20 * 405_853_388_800)
  })

  it('a global batch of 16M tokens at 8k on 128 replicas is 16 micro-batches per replica; one that does not divide is refused', () => {
    const est = trainEstimate(loadModel('llama-3.1-405b'), scenario({devices: 16_384, sequenceTokens: 8192, globalBatchTokens: 16 * 2 ** 20, parallel: {tp: 8, pp: 16, dp: null, ep: null}}))
    expect(est.microBatchesPerStep).toBe((16 * 2 ** 20) / (8192 * 128))
    expect(() => trainEstimate(loadModel('llama-3.1-405b'), scenario({devices: 16_384, sequenceTokens: 8192, globalBatchTokens: 1_000_000, parallel: {tp: 8, pp: 16, dp: null, ep: null}}))).toThrow(/global-batch/)
  })

  it('illegal layouts are refused: tp 3 of 128 heads, ep 7 of 256 experts, tp x pp not making the devices', () => {
    expect(() => trainEstimate(loadModel('llama-3.1-8b'), scenario({devices: 3, parallel: {tp: 3, pp: 1, dp: null, ep: null}}))).toThrow(/tensor parallel 3/)
    expect(() => trainEstimate(loadModel('deepseek-v3'), scenario({devices: 2048, parallel: {tp: 1, pp: 16, dp: null, ep: 7}}))).toThrow(/expert parallel 7/)
    expect(() => trainEstimate(loadModel('llama-3.1-8b'), scenario({devices: 8, parallel: {tp: 4, pp: 4, dp: null, ep: null}}))).toThrow(/devices = tp x cp x pp x dp/)
  })
})
