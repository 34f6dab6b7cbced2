// Time and cost of a training run from its FLOPs at a model-FLOPs utilisation (MFU): tokens per second per device,
// wall-clock time, device-hours, dollars at the hardware's hourly price, energy at board power, and Chinchilla's
// compute-optimal token count for reference.
import {UserError} from '../../errors.js'
import type {HardwareSpec} from '../../schema/hardware.js'
import type {ModelSpec} from '../../schema/model.js'
import {prefillFlops} from '../flops.js'
import {isMoe} from '../layers.js'
import {trainFlopsPerToken as trainFormula} from '../formulas/flops.js'
import {chinchillaTokens, trainCostUsd, trainEnergyJoules, trainGpuHours, trainTokensPerSecondPerDevice, trainWallClockSeconds} from '../formulas/training.js'
import type {Recompute} from './activations.js'
import {trainPrecisions, type TrainPrecision} from './recipe.js'

/**
 * Default MFU of a dense model on Hopper-class and later devices, 0.40: the Llama 3 405B pre-training runs reached
 * 38-43% BF16 MFU on 8,192-16,384 H100s (Llama 3 paper, Dubey et al. 2024, Table 4: 43% at 8K GPUs and seq 8192, 41%
 * at 16K, 38% at 16K with seq 131072). docs/CALIBRATION.md marks those cases as the ones that set it.
 */
export const defaultTrainMfu = 0.4

/** Dense BF16 peak from which a device counts as Hopper-class or later (A100: 312 TFLOP/s, H100: 989). */
export const fastDevicePeakFlops = 500e12

/** The default MFU bands (docs/CALIBRATION.md names the cases that set each). */
export const defaultMfuBands = {
  // Dense on Ampere class (under 500 dense BF16 TFLOP/s): torchtitan's Llama 2/3 runs on 64 A100s, 0.48-0.50 of peak in archcost's FLOP count.
  ampereDense: 0.5,
  // Dense on Hopper class and later: Llama 3 405B, Table 4 of the Llama 3 paper (38-43% on 8K-16K H100s).
  hopperDense: defaultTrainMfu,
  // Mixture-of-experts in BF16, any device: the median of Megatron-Bridge 25.11's five BF16 MoE rows (0.099-0.313; median 0.195).
  moeBf16: 0.2,
  // Mixture-of-experts in FP8, of the FP8 peak: the median of its six FP8 MoE rows (0.048-0.201; median 0.1085). FP8 doubles
  // the peak but not the all-to-all and the small expert matmuls, so about half the share of the BF16 runs.
  moeFp8: 0.11,
} as const

export interface DefaultMfu {
  mfu: number
  /** Which band applied and why, for the notes and --json. */
  rule: string
}

/**
 * The MFU archcost assumes without --mfu, by model kind and device class: mixture-of-experts models reach a smaller
 * share of peak (all-to-all dispatch, small expert matmuls); dense models on Ampere-class devices a larger one than on
 * Hopper and later, whose FLOP/s rose about 3x over A100 against about 1.6x in memory bandwidth.
 */
export function defaultTrainMfuFor(spec: ModelSpec, hardware: HardwareSpec, precision: TrainPrecision): DefaultMfu {
  if (isMoe(spec) && precision === 'fp8')
    return {mfu: defaultMfuBands.moeFp8, rule: `default ${defaultMfuBands.moeFp8} of the FP8 peak for mixture-of-experts models in FP8 (the median of Megatron-Bridge's FP8 MoE benchmarks, which span 5-20%)`}
  if (isMoe(spec)) return {mfu: defaultMfuBands.moeBf16, rule: `default ${defaultMfuBands.moeBf16} for mixture-of-experts models (the median of Megatron-Bridge's BF16 MoE benchmarks, which span 10-31%)`}
  const peak = hardware.peakFlopsPerSecond.bf16 ?? hardware.peakFlopsPerSecond.fp16 ?? 0
  if (peak < fastDevicePeakFlops) return {mfu: defaultMfuBands.ampereDense, rule: `default ${defaultMfuBands.ampereDense} for dense models on devices under 500 dense BF16 TFLOP/s, Ampere class (${hardware.id}; torchtitan on 64 A100s)`}
  return {mfu: defaultMfuBands.hopperDense, rule: `default ${defaultMfuBands.hopperDense} for dense models on Hopper-class and later devices (${hardware.id}; Llama 3 paper Table 4, 38-43% on 8K-16K H100s)`}
}

/** Chinchilla: about 20 training tokens per parameter is compute-optimal (Hoffmann et al. 2022). */
export const chinchillaTokensPerParam = 20

export interface TrainFlops {
  /** Model FLOPs per token (the MFU numerator): 3 x forward for full training, 2 x for LoRA (no weight gradients of the frozen base). */
  trainFlopsPerToken: number
  /** Hardware FLOPs per token (HFU): model FLOPs plus the forward recomputed under full recomputation. */
  hardwareFlopsPerToken: number
}

/**
 * Forward FLOPs per token are the causal prefill of one training sequence over its tokens (flops.ts, every
 * architecture: MLA in its expanded form, MoE active experts, windows, linear mixers). The backward costs twice the
 * forward (Kaplan et al. 2020 §2.1), or once when only activation gradients are needed (a frozen LoRA base; the
 * adapters' own FLOPs, r/h of the base, are left out); full recomputation runs the forward again (HFU only).
 */
export function trainFlops(spec: ModelSpec, sequenceTokens: number, lora: boolean, recompute: Recompute): TrainFlops {
  const F = prefillFlops(spec, sequenceTokens, {mlaPrefill: 'expanded', mlaDecode: 'expanded'})
  const x = lora ? 2 : 3
  return {
    trainFlopsPerToken: trainFormula.evaluate({x, F, S: sequenceTokens}),
    hardwareFlopsPerToken: trainFormula.evaluate({x: x + (recompute === 'full' ? 1 : 0), F, S: sequenceTokens}),
  }
}

/** Dense peak FLOP/s of the device in the training precision's matmul dtype (fp32: the profile's plain fp32 figure; TF32 tensor cores are not modelled). */
export function trainPeakFlops(hardware: HardwareSpec, precision: TrainPrecision): number {
  const peak = hardware.peakFlopsPerSecond[precision]
  if (peak === null) {
    const has = trainPrecisions.filter((p) => hardware.peakFlopsPerSecond[p] !== null)
    throw new UserError(`${hardware.name} has no ${precision} peak in its profile (no ${precision} tensor cores)${has.length ? `; use --precision ${has.join(' or ')}` : ''}`)
  }
  return peak
}

export interface TrainTime {
  tokensPerSecondPerDevice: number
  /** Training FLOPs of the run (model FLOPs); null without a token budget. */
  trainFlops: number | null
  wallClockSeconds: number | null
  wallClockDays: number | null
  gpuHours: number | null
  costUsd: number | null
  energyJoules: number | null
}

export function trainTime(flopsPerToken: number, tokens: number | null, devices: number, hardware: HardwareSpec, peak: number, mfu: number): TrainTime {
  const tokensPerSecondPerDevice = trainTokensPerSecondPerDevice.evaluate({peak, u: mfu, f: flopsPerToken})
  if (tokens === null) return {tokensPerSecondPerDevice, trainFlops: null, wallClockSeconds: null, wallClockDays: null, gpuHours: null, costUsd: null, energyJoules: null}
  const C = flopsPerToken * tokens
  const T = trainWallClockSeconds.evaluate({C, D: devices, peak, u: mfu})
  const gh = trainGpuHours.evaluate({D: devices, T})
  return {
    tokensPerSecondPerDevice,
    trainFlops: C,
    wallClockSeconds: T,
    wallClockDays: T / 86400,
    gpuHours: gh,
    costUsd: hardware.pricePerHourUsd === null ? null : trainCostUsd.evaluate({gh, price: hardware.pricePerHourUsd}),
    energyJoules: trainEnergyJoules.evaluate({D: devices, W: hardware.powerWatts, T}),
  }
}

export const computeOptimalTokens = (params: number) => chinchillaTokens.evaluate({r: chinchillaTokensPerParam, N: params})
