// Training memory worked by hand: model states by recipe and ZeRO stage (the ZeRO paper's own figures), the tensor
// and pipeline split of Llama 3.1 405B, Korthikanti et al.'s activation formula reproduced on GPT-2 small (MHA, plain
// 4h GeLU MLP, layer norms, dropout, unfused attention), its flash/GQA/SwiGLU generalisation on Qwen3-32B, pipeline
// in-flight micro-batches, and full recomputation.
import {describe, expect, it} from 'vitest'
import {inFlightMicroBatches, nf4BitsPerParam, shardedStateBytes} from '../../src/calc/formulas/training.js'
import {layerActivationBytesPerToken, trainingActivationBytes, type ActivationOptions} from '../../src/calc/training/activations.js'
import {fullTrainingStateBytes, shardGroups} from '../../src/calc/training/model-state.js'
import {optimizerStateRatios} from '../../src/calc/training/recipe.js'
import {loadModel} from '../../src/presets/load.js'
import {activationOptions} from '../helpers/activation-options.js'
import {gpt2Small} from '../helpers/spec.js'

const noSharding = {zeroStage: 0 as const, fsdp: null, devicesPerNode: 8}
const llama8bParams = 8_030_261_248 // Llama 3.1 8B, the model card's 8.03B (tests/calc/params.test.ts)

describe('model states (ZeRO, Rajbhandari et al. 2020)', () => {
  it("the paper's Figure 1: 7.5B parameters, K = 12, 64 GPUs: 120 GB, 31.4 GB with P_os, 16.6 GB with P_os+g, 1.9 GB with P_os+g+p", () => {
    const P = 7.5e9
    const state = (b: number, z: number) => shardedStateBytes.evaluate({P, b, z})
    expect(state(2, 1) + state(2, 1) + state(12, 1)).toBe((2 + 2 + 12) * 7.5e9) // 120 GB
    expect((state(2, 1) + state(2, 1) + state(12, 64)) / 1e9).toBeCloseTo(31.4, 1)
    expect((state(2, 1) + state(2, 64) + state(12, 64)) / 1e9).toBeCloseTo(16.6, 1)
    expect((state(2, 64) + state(2, 64) + state(12, 64)) / 1e9).toBeCloseTo(1.9, 1)
  })

  it('Llama 3.1 8B, bf16 + AdamW on one device: 2 + 2 + 4 + 8 = 16 bytes per parameter', () => {
    const s = fullTrainingStateBytes(loadModel('llama-3.1-8b'), {tp: 1, pp: 1, dp: 1, ep: 1}, noSharding, 'bf16', 'adamw')
    expect(s.weightsBytes).toBe(2 * llama8bParams)
    expect(s.gradientsBytes).toBe(2 * llama8bParams)
    expect(s.masterWeightsBytes).toBe(4 * llama8bParams)
    expect(s.optimizerStatesBytes).toBe(8 * llama8bParams)
    expect(s.gatheredWeightsBytes).toBe(0)
  })

  it('Llama 3.1 8B, ZeRO-1, -2 and -3 over 8 data-parallel ranks; ZeRO-3 gathers the largest layer and prefetches the next', () => {
    const spec = loadModel('llama-3.1-8b')
    const layout = {tp: 1, pp: 1, dp: 8, ep: 1}
    const at = (zeroStage: 1 | 2 | 3) => fullTrainingStateBytes(spec, layout, {zeroStage, fsdp: null, devicesPerNode: 8}, 'bf16', 'adamw')
    const one = at(1)
    expect(one.weightsBytes + one.gradientsBytes).toBe((2 + 2) * llama8bParams)
    expect(one.masterWeightsBytes + one.optimizerStatesBytes).toBeCloseTo((12 * llama8bParams) / 8, 0) // 12 bytes x params / ZeRO-1 over 8
    const two = at(2)
    expect(two.gradientsBytes).toBeCloseTo((2 * llama8bParams) / 8, 0)
    const three = at(3)
    const total = three.weightsBytes + three.gradientsBytes + three.masterWeightsBytes + three.optimizerStatesBytes
    expect(total).toBeCloseTo((16 * llama8bParams) / 8, 0) // bytes per param x params / ZeRO-3 over 8
    // One layer: q, o 4096 x 4096; k, v 4096 x 1024; gate, up, down 4096 x 14336; two norms of 4096.
    const layer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 + 2 * 4096
    expect(layer).toBe(218_112_000)
    expect(three.gatheredWeightsBytes).toBe(2 * layer * 2) // two layers x bf16
    // FSDP full = ZeRO-3; hybrid keeps the shard group within a node of 8: the same here, 16 ranks -> 8.
    expect(fullTrainingStateBytes(spec, layout, {zeroStage: 0, fsdp: 'full', devicesPerNode: 8}, 'bf16', 'adamw')).toEqual(three)
    expect(shardGroups({tp: 1, pp: 1, dp: 16, ep: 1}, {zeroStage: 0, fsdp: 'hybrid', devicesPerNode: 8}).dense).toBe(8)
    expect(shardGroups({tp: 2, pp: 1, dp: 16, ep: 1}, {zeroStage: 0, fsdp: 'hybrid', devicesPerNode: 8}).dense).toBe(4)
  })

  it('Llama 3.1 405B on tp8 pp16: the embedding on the first stage split over 8, 126/16 layers split over 8, norms whole', () => {
    const spec = loadModel('llama-3.1-405b')
    const s = fullTrainingStateBytes(spec, {tp: 8, pp: 16, dp: 128, ep: 1}, noSharding, 'bf16', 'adamw')
    const embedding = 128_256 * 16_384
    const layerMatrices = 2 * 16_384 * 16_384 + 2 * 16_384 * 8 * 128 + 3 * 16_384 * 53_248 // q, o; k, v; gate, up, down
    const norms = 126 * 2 * 16_384 + 16_384 // two per layer and the final norm
    const perDevice = embedding / 8 + (126 * layerMatrices) / (16 * 8) + norms / 16
    expect(s.weightsBytes).toBeCloseTo(2 * perDevice, 0)
    expect(s.optimizerStatesBytes).toBeCloseTo(8 * perDevice, 0)
    // ZeRO-1 over the 128 replicas: 12 bytes of master weights and moments per parameter, / 128.
    const z1 = fullTrainingStateBytes(spec, {tp: 8, pp: 16, dp: 128, ep: 1}, {zeroStage: 1, fsdp: null, devicesPerNode: 8}, 'bf16', 'adamw')
    expect(z1.masterWeightsBytes + z1.optimizerStatesBytes).toBeCloseTo((12 * perDevice) / 128, 0)
  })

  it('DeepSeek-V3 routed experts over ep 64 are sharded over the expert-data-parallel group tp x dp / ep', () => {
    expect(shardGroups({tp: 1, pp: 16, dp: 128, ep: 64}, noSharding)).toEqual({dense: 128, experts: (1 * 128) / 64})
  })

  it('optimizers by tensor shape: Adafactor rows + columns, Muon one buffer off the embeddings, 8-bit AdamW with its absmax', () => {
    const spec = loadModel('qwen3-8b')
    // Qwen3-8B: h 4096, 36 layers, q 4096 x 4096 (32 x 128), k and v 4096 x 1024, o 4096 x 4096, MLP 4096 x 12288.
    const matrices = [[4096, 4096], [4096, 1024], [4096, 1024], [4096, 4096], [4096, 12288], [4096, 12288], [12288, 4096]]
    const elements = matrices.reduce((s, [a, b]) => s + a! * b!, 0)
    const factored = matrices.reduce((s, [a, b]) => s + a! + b!, 0)
    expect(optimizerStateRatios(spec, 'adafactor').bytesPerParam.linear).toBeCloseTo((4 * factored) / elements, 12)
    expect(optimizerStateRatios(spec, 'muon').bytesPerParam.linear).toBe(4)
    expect(optimizerStateRatios(spec, 'muon').bytesPerParam.embeddings).toBe(8)
    expect(optimizerStateRatios(spec, 'adamw-8bit').bytesPerParam.linear).toBe(2 * (1 + 4 / 2048))
    expect(optimizerStateRatios(spec, 'sgd').bytesPerParam.embeddings).toBe(4)
  })

  it('NF4 with double quantization: 4 + 8/64 + 32/(64 x 256) = 4.127 bits (QLoRA §3)', () => {
    expect(nf4BitsPerParam.evaluate({q: 4, B1: 64, B2: 256})).toBe(4 + 0.125 + 32 / 16384)
    expect(nf4BitsPerParam.evaluate({q: 4, B1: 64, B2: 256})).toBeCloseTo(4.127, 3)
  })
})

const options = activationOptions

describe('activations (Korthikanti et al. 2022)', () => {
  const gpt2 = gpt2Small()
  const [h, a, s] = [768, 12, 1024]
  const group = gpt2.layerGroups[0]!
  const perToken = (t: number, sp: number, o: Partial<ActivationOptions>) => layerActivationBytesPerToken(gpt2, group, {p: 2, sp, t, D: o.dropout ? 1 : 0}, options(o))

  it('§4.1 exactly on GPT-2 small (MHA, 4h GeLU MLP, dropout, unfused attention): s b h (34 + 5 a s / h) per layer', () => {
    expect(perToken(1, 1, {dropout: true, flashAttention: false}) * s).toBe(s * h * (34 + (5 * a * s) / h))
  })
  it('Table 2 with tp 4: 10 + 24/t + 5as/(ht) without sequence parallelism, 34/t + 5as/(ht) with it; selective drops the 5as/h term', () => {
    const t = 4
    expect(perToken(t, 1, {dropout: true, flashAttention: false}) * s).toBe(s * h * (10 + 24 / t + (5 * a * s) / (h * t)))
    expect(perToken(t, t, {dropout: true, flashAttention: false}) * s).toBe(s * h * (34 / t + (5 * a * s) / (h * t)))
    expect(perToken(t, t, {dropout: true, flashAttention: false, recompute: 'selective'}) * s).toBe((s * h * 34) / t)
  })
  it('flash attention without dropout: the 34 sbh less the three 1-byte masks, plus the fp32 logsumexp (4 bytes per head)', () => {
    expect(perToken(1, 1, {})).toBe(h * (34 - 2) + 4 * a)
  })

  it('Qwen3-32B per token and layer: GQA 64 x 128 / 8 KV heads with QK-norm, SwiGLU 25600, flash, bf16', () => {
    const spec = loadModel('qwen3-32b')
    // Attention: norm input and q/k/v input (2 x 5120), q and k before and after QK-norm (2 x 8192 + 2 x 1024), v 1024, output 8192; lse 4 x 64.
    const attention = 2 * (2 * 5120 + 2 * 8192 + 2 * 1024 + 1024 + 8192) + 4 * 64
    // MLP: norm input and MLP input (2 x 5120), gate, up and their product (3 x 25600).
    const mlp = 2 * (2 * 5120 + 3 * 25600)
    expect(attention + mlp).toBe(250_112)
    expect(layerActivationBytesPerToken(spec, spec.layerGroups[0]!, {p: 2, sp: 1, t: 1, D: 0}, options({}))).toBe(attention + mlp)
    // One 2048-token sequence on one device, no recomputation: 64 layers, plus the head (2 x 5120 x 2 and bf16 + fp32 logits of 151936).
    const act = trainingActivationBytes(spec, {tp: 1, pp: 1, ep: 1}, options({sequenceTokens: 2048}))
    expect(act.layersBytes).toBe(64 * 2048 * 250_112)
    expect(act.headBytes).toBe(2048 * (2 * 2 * 5120 + (2 + 4) * 151_936))
    // Full recomputation: each layer keeps its 2 x 5120-byte input, and one layer is rebuilt in the backward.
    const full = trainingActivationBytes(spec, {tp: 1, pp: 1, ep: 1}, options({sequenceTokens: 2048, recompute: 'full'}))
    expect(full.layersBytes).toBe(64 * 2048 * 2 * 5120)
    expect(full.recomputedLayerBytes).toBe(2048 * 250_112)
  })

  it('DeepSeek-V3 MoE block per token: norm and input, 8 experts x (copy in, out, gate, up, product of 2048), shared 2048, fp32 logits of 256', () => {
    const spec = loadModel('deepseek-v3')
    const moeGroup = spec.layerGroups.find((g) => g.ffn === 'moe')!
    const denseGroup = spec.layerGroups.find((g) => g.ffn === 'dense')!
    const w = {p: 2, sp: 1, t: 1, D: 0}
    const moe = 2 * (2 * 7168 + 8 * (2 * 7168 + 3 * 2048) + 3 * 2048) + 4 * 256
    const dense = 2 * (2 * 7168 + 3 * 18432)
    expect(layerActivationBytesPerToken(spec, moeGroup, w, options({})) - layerActivationBytesPerToken(spec, denseGroup, w, options({}))).toBe(moe - dense)
    // MLA: norm input and latent inputs (2 x 7168), q latent 1536 and KV latent 512 before and after their norms, rope key 64,
    // per-head q and k (128 x 192 each), v and output (128 x 128 each), logsumexp 4 x 128.
    const mla = 2 * (2 * 7168 + 2 * 1536 + 2 * 512 + 64 + 2 * 128 * 192 + 2 * 128 * 128) + 4 * 128
    expect(layerActivationBytesPerToken(spec, denseGroup, w, options({}))).toBe(mla + dense)
  })

  it('§4.2.3 pipeline: 1F1B holds pp micro-batches (fewer if the step has fewer); interleaved v chunks: pp x (1 + (pp - 1)/(pp v))', () => {
    expect(inFlightMicroBatches.evaluate({pp: 4, m: 8, v: 1, il: 0})).toBe(4)
    expect(inFlightMicroBatches.evaluate({pp: 4, m: 2, v: 1, il: 0})).toBe(2)
    expect(inFlightMicroBatches.evaluate({pp: 4, m: 8, v: 2, il: 1})).toBe(4 * (1 + 3 / 8))
    // So the first stage of a 1F1B pipeline holds L layers' worth of one micro-batch: Llama 3.1 8B at pp 4 = pp 1 less the head.
    const spec = loadModel('llama-3.1-8b')
    const one = trainingActivationBytes(spec, {tp: 1, pp: 1, ep: 1}, options({}))
    const four = trainingActivationBytes(spec, {tp: 1, pp: 4, ep: 1}, options({}))
    expect(four.layersBytes).toBe(one.layersBytes)
    expect(four.headBytes).toBe(0)
  })
})
