// Training memory terms that the published peak-memory measurements (docs/calibration.json, training) called for,
// worked by hand: the cross-entropy's logits by loss kind, torchtitan's selective op checkpointing, the frozen base
// gathered a layer at a time under FSDP for LoRA, bf16 adapters, FSDP with pipeline stages, and the allocated vs
// device-memory comparison of the calibration.
import {describe, expect, it} from 'vitest'
import {nf4BitsPerParam} from '../../src/calc/formulas/training.js'
import {layerActivationBytesPerToken, trainingActivationBytes, type ActivationOptions} from '../../src/calc/training/activations.js'
import {fullTrainingStateBytes, loraStateBytes} from '../../src/calc/training/model-state.js'
import {loadModel} from '../../src/presets/load.js'
import {activationOptions} from '../helpers/activation-options.js'
import {calibrateTrain, type TrainCase} from '../../src/report/train-calibration.js'
import {trainScenarioBase, trainScenarioFor} from '../../src/flags/train.js'
import {trainResult} from '../../src/report/train.js'

const options = (o: Partial<ActivationOptions>): ActivationOptions => activationOptions({sequenceTokens: 2048, microBatchSequences: 2, recompute: 'full', ...o})
const one = {tp: 1, pp: 1, ep: 1}
const fsdp = {zeroStage: 0 as const, fsdp: 'full' as const, devicesPerNode: 8}

describe('the loss: how many logits live at its peak (Llama 3.1 8B, 2 x 2048 tokens, vocabulary 128,256)', () => {
  const spec = loadModel('llama-3.1-8b')
  const tokens = 2 * 2048
  const V = 128_256
  const normAndHeadInput = 2 * 2 * 4096 // final-norm input and LM-head input, bf16
  const head = (loss: ActivationOptions['loss']) => trainingActivationBytes(spec, one, options({loss})).headBytes

  it('vocab-parallel (Megatron-LM, the default): bf16 logits and one fp32 copy turned into the softmax and the gradient in place', () => {
    expect(head('vocab-parallel')).toBe(tokens * (normAndHeadInput + (2 + 4) * V))
    expect(head(undefined)).toBe(head('vocab-parallel'))
  })
  it('eager F.cross_entropy on fp32 logits: three fp32 tensors at its backward (log-softmax output, gradient in, gradient out), bf16 logits freed', () => {
    expect(head('eager')).toBe(tokens * (normAndHeadInput + 3 * 4 * V))
  })
  it('chunked (torchtune CEWithChunkedOutputLoss, 8 chunks): bf16 logits of every token, the fp32 tensors of one chunk', () => {
    const bf16Logits = tokens * 2 * V // 4096 x 128256 x 2 bytes
    const oneChunkFp32 = (tokens / 8) * 12 * V // 512 tokens x 128256 x 3 fp32 tensors
    expect(head('chunked')).toBe(tokens * normAndHeadInput + bf16Logits + oneChunkFp32)
    expect(oneChunkFp32).toBe(788_004_864)
  })
  it('fused linear cross-entropy (torchtune LinearCrossEntropyLoss, Liger): one chunk of bf16 logits and its fp32 tensors', () => {
    expect(head('fused')).toBe(tokens * normAndHeadInput + (tokens / 8) * (2 + 12) * V)
  })
  it('with pipeline stages the first stage holds no head, whatever the loss', () => {
    expect(trainingActivationBytes(spec, {tp: 1, pp: 2, ep: 1}, options({loss: 'eager'})).headBytes).toBe(0)
  })
})

describe("torchtitan's selective op checkpointing (parallelize_llama.py _save_list, every second mm recomputed)", () => {
  it('Llama 3.1 8B per token and layer: input, q, v, attention output and logsumexp, w1 output, w2 output', () => {
    const spec = loadModel('llama-3.1-8b')
    const w = {p: 2, sp: 1, t: 1, D: 0}
    // input 4096, q 32 x 128, v 8 x 128, attention output 32 x 128, w1 14336, w2 4096, bf16; logsumexp 4 bytes x 32 heads.
    const saved = 2 * (4096 + 4096 + 1024 + 4096 + 14_336 + 4096) + 4 * 32
    expect(saved).toBe(63_616)
    expect(layerActivationBytesPerToken(spec, spec.layerGroups[0]!, w, options({recompute: 'op'}))).toBe(saved)
  })
  it('Llama 3.1 70B at tp 8 with sequence parallelism: h-wide tensors split over 8 but w2\'s partial sums, plus two reduce_scatter outputs', () => {
    const spec = loadModel('llama-3.1-70b')
    const w = {p: 2, sp: 8, t: 8, D: 0}
    const saved = 2 * (8192 / 8 + (64 * 128 + 8 * 128 + 64 * 128 + 28_672) / 8 + 8192 + (2 * 8192) / 8) + (4 * 64) / 8
    expect(saved).toBe(34_080)
    expect(layerActivationBytesPerToken(spec, spec.layerGroups[0]!, w, options({recompute: 'op'}))).toBe(saved)
  })
  it('layers the policy is not written for (MoE, MLA) are costed as selective', () => {
    const spec = loadModel('deepseek-v3')
    const w = {p: 2, sp: 1, t: 1, D: 0}
    for (const g of spec.layerGroups) expect(layerActivationBytesPerToken(spec, g, w, options({recompute: 'op'}))).toBe(layerActivationBytesPerToken(spec, g, w, options({recompute: 'selective'})))
  })
})

describe('LoRA under FSDP and adapter precision', () => {
  // Llama 3.1 70B layer: q, o 8192 x 8192; k, v 8192 x 1024; gate, up, down 8192 x 28672; two norms of 8192.
  const layerMatrices = 2 * 8192 * 8192 + 2 * 8192 * 1024 + 3 * 8192 * 28_672
  const layerNorms = 2 * 8192
  expect(layerMatrices + layerNorms).toBe(855_654_400)
  const lora = {rank: 16, targets: ['q_proj', 'k_proj', 'v_proj'] as const, baseQuantization: 'none' as const}

  it('the frozen base is gathered a layer at a time, the current and the next, in bf16 (torchtune fully_shard per layer)', () => {
    const s = loraStateBytes(loadModel('llama-3.1-70b'), {tp: 1, pp: 1, dp: 8, ep: 1}, fsdp, lora, 'adamw')
    expect(s.gatheredWeightsBytes).toBe(2 * (layerMatrices + layerNorms) * 2) // two layers x 2 bytes
  })
  it('QLoRA: the gathered layers are NF4 (torchao NF4Tensor all-gathers its codes), the norms bf16', () => {
    const s = loraStateBytes(loadModel('llama-3.1-70b'), {tp: 1, pp: 1, dp: 8, ep: 1}, fsdp, {...lora, baseQuantization: '4bit'}, 'adamw')
    const nf4 = nf4BitsPerParam.evaluate({q: 4, B1: 64, B2: 256}) / 8 // (4 + 8/64 + 32/16384) / 8 bytes
    expect(nf4).toBe(0.515869140625)
    expect(s.gatheredWeightsBytes).toBeCloseTo(2 * (layerMatrices * nf4 + layerNorms * 2), 3)
  })
  it('no gathering on one device or without sharding', () => {
    expect(loraStateBytes(loadModel('llama-3.1-70b'), {tp: 1, pp: 1, dp: 1, ep: 1}, fsdp, lora, 'adamw').gatheredWeightsBytes).toBe(0)
  })
  it('bf16 adapters (torchtune): 2-byte weights and gradients, AdamW moments in the parameter dtype: half the fp32 bytes', () => {
    const spec = loadModel('llama-3.1-8b')
    // rank 8 on q (4096 -> 4096) and v (4096 -> 1024) of 32 layers: 8 x (4096 + 4096) + 8 x (4096 + 1024) per layer.
    const adapters = 32 * 8 * (4096 + 4096 + 4096 + 1024)
    expect(adapters).toBe(3_407_872)
    const setup = {rank: 8, targets: ['q_proj', 'v_proj'] as const, baseQuantization: 'none' as const}
    const fp32 = loraStateBytes(spec, {tp: 1, pp: 1, dp: 1, ep: 1}, fsdp, setup, 'adamw')
    const bf16 = loraStateBytes(spec, {tp: 1, pp: 1, dp: 1, ep: 1}, fsdp, {...setup, adapterPrecision: 'bf16'}, 'adamw')
    expect(fp32.gradientsBytes).toBe(4 * adapters)
    expect(bf16.gradientsBytes).toBe(2 * adapters)
    expect(fp32.optimizerStatesBytes).toBe(8 * adapters)
    expect(bf16.optimizerStatesBytes).toBe(4 * adapters)
    expect(fp32.weightsBytes - bf16.weightsBytes).toBe((4 - 2) * adapters)
  })
})

describe('FSDP with pipeline stages (torchtitan): the stage stays gathered and its gradients accumulate unsharded in fp32', () => {
  it('Llama 3.1 8B on pp 2 x dp 4: the first stage holds the embedding and 16 of 32 layers', () => {
    const spec = loadModel('llama-3.1-8b')
    const s = fullTrainingStateBytes(spec, {tp: 1, pp: 2, dp: 4, ep: 1}, fsdp, 'bf16', 'adamw')
    const embedding = 128_256 * 4096
    const layerMatrices = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14_336
    const norms = 32 * 2 * 4096 + 4096 // two per layer and the final norm, split over the stages
    const stage = embedding + (32 * layerMatrices) / 2 + norms / 2
    expect(s.gatheredWeightsBytes).toBeCloseTo(2 * stage, 0) // bf16 copy of the stage
    expect(s.gradientsBytes).toBeCloseTo((2 * stage) / 4 + 4 * stage, 0) // sharded bf16 gradient + unsharded fp32 accumulation
    expect(s.weightsBytes).toBeCloseTo((2 * stage) / 4, 0)
  })
})

describe('calibration: allocated peaks against the total less the framework allowance', () => {
  it('peakAllocatedBytes compares total - 1 GiB, peakMemoryBytes the total', () => {
    const flags = {gpus: '1xrtx4090', seq: '2k', 'micro-batch': '2', 'lora-rank': '8', 'quantize-base': '4bit'}
    const spec = loadModel('llama-3.1-8b')
    const total = trainResult(spec, trainScenarioFor(spec, trainScenarioBase(flags), 2048)).memoryPerDeviceBytes.total
    const base: TrainCase = {id: 'x', model: 'llama-3.1-8b', flags, metric: 'peakMemoryBytes', published: 2 ** 33, role: 'independent', source: 'https://example.org', quote: 'q'}
    expect(calibrateTrain(base).predicted).toBe(total)
    expect(calibrateTrain({...base, metric: 'peakAllocatedBytes'}).predicted).toBe(total - 2 ** 30)
  })
})
