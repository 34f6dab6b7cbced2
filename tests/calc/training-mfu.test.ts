// The default training MFU by model kind and device class (src/calc/training/time.ts defaultTrainMfuFor), worked
// by hand: the band each model and device falls in, and GPT-2 124M's tokens/s per A100 at its band.
import {describe, expect, it} from 'vitest'
import {trainEstimate} from '../../src/calc/training/estimate.js'
import {defaultMfuBands, defaultTrainMfu, defaultTrainMfuFor, fastDevicePeakFlops, trainFlops} from '../../src/calc/training/time.js'
import {trainScenarioBase, trainScenarioFor} from '../../src/flags/train.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'

const gpt2 = 'docs/calibration-configs/gpt2.config.json'

describe('default MFU bands', () => {
  it('four bands: mixture-of-experts 0.20 in BF16 and 0.11 of the FP8 peak in FP8, dense 0.50 on Ampere class and 0.40 on Hopper class and later (the Llama 3 figure)', () => {
    expect(defaultMfuBands).toEqual({moeBf16: 0.2, moeFp8: 0.11, ampereDense: 0.5, hopperDense: 0.4})
    expect(defaultTrainMfu).toBe(0.4)
    expect(fastDevicePeakFlops).toBe(500e12)
  })

  it('dense models: under 500 dense BF16 TFLOP/s (A100 312, L40S 362, RTX 4090 165) is Ampere class; H100 989.4, B200 2250, MI300X 1307.4 are not', () => {
    const dense = loadModel('llama-3.1-8b')
    for (const id of ['a100-80gb', 'a100-40gb', 'l40s', 'rtx4090']) expect(defaultTrainMfuFor(dense, loadHardware(id), 'bf16').mfu, id).toBe(0.5)
    for (const id of ['h100', 'h800', 'h200', 'b200', 'mi300x']) expect(defaultTrainMfuFor(dense, loadHardware(id), 'bf16').mfu, id).toBe(0.4)
    expect(defaultTrainMfuFor(dense, loadHardware('a100-80gb'), 'bf16').rule).toMatch(/Ampere class \(a100-80gb/)
    expect(defaultTrainMfuFor(dense, loadHardware('h100'), 'bf16').rule).toMatch(/Hopper-class and later devices \(h100; Llama 3 paper Table 4/)
  })

  it('mixture-of-experts models take 0.20 on any device in BF16, 0.11 of the FP8 peak in FP8', () => {
    for (const model of ['deepseek-v3', 'mixtral-8x7b-v0.1', 'qwen3-30b-a3b']) {
      for (const hw of ['a100-80gb', 'h100', 'b200']) expect(defaultTrainMfuFor(loadModel(model), loadHardware(hw), 'bf16').mfu, `${model} ${hw}`).toBe(0.2)
      for (const hw of ['h100', 'b200']) expect(defaultTrainMfuFor(loadModel(model), loadHardware(hw), 'fp8').mfu, `${model} ${hw} fp8`).toBe(0.11)
    }
    expect(defaultTrainMfuFor(loadModel('deepseek-v3'), loadHardware('h800'), 'bf16').rule).toMatch(/mixture-of-experts/)
    expect(defaultTrainMfuFor(loadModel('deepseek-v3'), loadHardware('h800'), 'fp8').rule).toMatch(/FP8 peak/)
  })

  it('the scenario takes the band without --mfu and says so; --mfu 0.4 overrides it and the note says --mfu', () => {
    const spec = loadModel('llama-3.1-8b')
    const byDefault = trainScenarioFor(spec, trainScenarioBase({gpus: '8xa100-80gb'}), null)
    expect(byDefault.mfu).toBe(0.5)
    expect(byDefault.mfuSource).toMatch(/^default 0.5 for dense models/)
    const given = trainScenarioFor(spec, trainScenarioBase({gpus: '8xa100-80gb', mfu: '0.4'}), null)
    expect(given.mfu).toBe(0.4)
    expect(given.mfuSource).toBe('--mfu')
  })
})

describe('GPT-2 124M on 8 A100s at the Ampere band (the llm.c run of docs/CALIBRATION.md)', () => {
  // GPT-2 124M: 12 layers, h 768, 12 heads of 64, MLP 3072, vocab 50257, LM head tied to the embedding.
  const matmul = 12 * (3 * 768 * 768 + 768 * 768 + 2 * 768 * 3072) + 768 * 50_257 // c_attn, c_proj, c_fc + c_proj; the head
  const biases = 12 * (3 * 768 + 768 + 3072 + 768) // GPT-2's Conv1D biases, counted as multiplied parameters (flops.ts matmulParamsPerToken)
  // Attention at seq 1024: 2 x heads x (qk + v dims) per key, (1024 + 1) / 2 keys on average under the causal mask.
  const attention = 12 * 2 * 12 * (64 + 64) * ((1024 + 1) / 2)
  const trainPerToken = 3 * (2 * (matmul + biases) + attention) // forward + backward (2 x forward) = 6N + 3 x attention

  it('training FLOPs per token = 3 x (2 x 124.4M multiplied parameters + causal attention) = 798.4 MFLOP', () => {
    expect(trainFlops(loadModel(gpt2), 1024, false, 'none').trainFlopsPerToken).toBeCloseTo(trainPerToken, 0)
    expect(trainPerToken).toBe(798_368_256)
  })

  it('tokens/s per device = MFU 0.50 x 312 TFLOP/s / 798.4 MFLOP = 195,399; 9.89B tokens on 8 GPUs = 14.1 GPU-hours', () => {
    const spec = loadModel(gpt2)
    const scenario = trainScenarioFor(spec, trainScenarioBase({gpus: '8xa100-80gb', tokens: '9890693120', recompute: 'none'}), 1024)
    const est = trainEstimate(spec, scenario)
    const tokensPerSecond = (0.5 * 312e12) / trainPerToken
    expect(est.time.tokensPerSecondPerDevice / tokensPerSecond).toBeCloseTo(1, 12)
    expect(Math.round(tokensPerSecond)).toBe(195_399)
    const gpuHours = 9_890_693_120 / tokensPerSecond / 3600 // device-hours = tokens / (tokens/s per device) / 3600
    expect(est.time.gpuHours! / gpuHours).toBeCloseTo(1, 12)
    expect(gpuHours).toBeCloseTo(14.06, 2) // llm.c published 18,865 x 0.300 s x 8 GPUs = 12.58 GPU-hours
  })
})
