// Training a model: memory per device by term and whether it fits, and the run's time, device-hours and cost.
import {lossChunks} from '../calc/training/activations.js'
import {effectiveStage} from '../calc/training/model-state.js'
import {trainEstimate, type TrainScenario} from '../calc/training/estimate.js'
import {optimizerNotes} from '../calc/training/recipe.js'
import {formatBytes} from '../render/format.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {TrainResult} from '../schema/results/train.js'

export type {TrainResult} from '../schema/results/train.js'

export function trainResult(spec: ModelSpec, s: TrainScenario): TrainResult {
  const e = trainEstimate(spec, s)
  const m = e.memory
  return {
    id: spec.id,
    hardware: s.hardware.id,
    devices: s.devices,
    layout: {tp: e.layout.tp, cp: e.layout.cp ?? 1, pp: e.layout.pp, dp: e.layout.dp, ep: e.layout.ep},
    mode: s.lora === null ? 'full' : s.lora.baseQuantization === 'none' ? 'lora' : 'qlora',
    precision: s.precision,
    optimizer: s.optimizer,
    zeroStage: effectiveStage({zeroStage: s.zeroStage, fsdp: s.fsdp, devicesPerNode: 8}),
    fsdp: s.fsdp,
    recompute: s.recompute,
    loss: s.loss ?? 'vocab-parallel',
    gradientDtype: s.precision === 'fp32' ? 'fp32' : (s.gradientDtype ?? 'bf16'),
    adapterPrecision: s.lora ? (s.lora.adapterPrecision ?? 'fp32') : null,
    sequenceTokens: s.sequenceTokens,
    microBatchSequences: s.microBatchSequences,
    microBatchesPerStep: e.microBatchesPerStep,
    inFlightMicroBatches: e.activations.inFlightMicroBatches,
    trainableParams: e.trainableParams,
    loraAdapterParams: e.loraAdapterParams,
    memoryPerDeviceBytes: {
      weights: m.weightsBytes,
      gradients: m.gradientsBytes,
      masterWeights: m.masterWeightsBytes,
      optimizerStates: m.optimizerStatesBytes,
      gatheredWeights: m.gatheredWeightsBytes,
      activations: m.activationsBytes,
      framework: m.frameworkBytes,
      total: m.totalBytes,
    },
    capacityBytes: e.capacityBytes,
    fits: e.fits,
    spareBytes: e.fits ? e.capacityBytes - m.totalBytes : 0,
    shortByBytes: e.fits ? 0 : m.totalBytes - e.capacityBytes,
    trainFlopsPerToken: e.flops.trainFlopsPerToken,
    hardwareFlopsPerToken: e.flops.hardwareFlopsPerToken,
    mfu: s.mfu,
    mfuSource: s.mfuSource ?? '--mfu',
    peakFlopsPerSecond: e.peakFlopsPerSecond,
    tokensPerSecondPerDevice: e.time.tokensPerSecondPerDevice,
    tokens: s.tokens,
    trainFlops: e.time.trainFlops,
    wallClockSeconds: e.time.wallClockSeconds,
    wallClockDays: e.time.wallClockDays,
    gpuHours: e.time.gpuHours,
    costUsd: e.time.costUsd,
    energyJoules: e.time.energyJoules,
    computeOptimalTokens: e.computeOptimalTokens,
  }
}

const layoutText = (r: TrainResult) => `tp${r.layout.tp}${r.layout.cp > 1 ? ` cp${r.layout.cp}` : ''} pp${r.layout.pp} dp${r.layout.dp}${r.layout.ep > 1 ? ` ep${r.layout.ep}` : ''}`

/** "fits (12.3 GiB spare)" or "DOES NOT FIT (short by 4.1 GiB)". */
export const fitText = (r: TrainResult) => (r.fits ? `fits (${formatBytes(r.spareBytes)} spare)` : `DOES NOT FIT (short by ${formatBytes(r.shortByBytes)})`)

/** The recipe in a few words: precision (or LoRA/QLoRA), optimizer, sharding, recomputation, and the loss where not the default. */
export const recipeText = (r: TrainResult): string => {
  const precision = r.mode === 'full' ? `${r.precision}${r.gradientDtype === 'fp32' && r.precision !== 'fp32' ? ' (fp32 grads)' : ''}` : `${r.mode}${r.adapterPrecision === 'bf16' ? ' (bf16 adapters)' : ''}`
  return `${precision}, ${r.optimizer}, ${r.fsdp ? `FSDP ${r.fsdp}` : `ZeRO-${r.zeroStage}`}, recompute ${r.recompute}${r.loss === 'vocab-parallel' ? '' : `, ${r.loss} loss`}`
}

export function trainView(results: TrainResult[], notes: string[]): TableView {
  const run = results.some((r) => r.tokens !== null)
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'setup', header: 'Hardware, layout', kind: 'text'},
      {key: 'recipe', header: 'Recipe', kind: 'text'},
      {key: 'weights', header: 'Weights / device', kind: 'bytes', unit: 'bytes'},
      {key: 'gradients', header: 'Gradients', kind: 'bytes', unit: 'bytes'},
      {key: 'masterWeights', header: 'Master weights', kind: 'bytes', unit: 'bytes'},
      {key: 'optimizerStates', header: 'Optimizer states', kind: 'bytes', unit: 'bytes'},
      {key: 'gatheredWeights', header: 'Gathered layers', kind: 'bytes', unit: 'bytes'},
      {key: 'activations', header: 'Activations', kind: 'bytes', unit: 'bytes'},
      {key: 'framework', header: 'Framework', kind: 'bytes', unit: 'bytes'},
      {key: 'total', header: 'Total / device', kind: 'bytes', unit: 'bytes'},
      {key: 'capacityBytes', header: 'Device memory', kind: 'bytes', unit: 'bytes'},
      {key: 'fit', header: 'Fits', kind: 'text', keep: true},
      {key: 'trainFlopsPerToken', header: 'Train FLOPs / token', kind: 'flops', unit: 'flops'},
      {key: 'tokensPerSecondPerDevice', header: 'Tokens/s / device', kind: 'rate', unit: 'tokens_per_s'},
      ...(run
        ? [
            {key: 'tokens', header: 'Tokens', kind: 'count' as const, unit: 'tokens'},
            {key: 'trainFlops', header: 'Training FLOPs', kind: 'flops' as const, unit: 'flops'},
            {key: 'wallClockDays', header: 'Wall-clock days', kind: 'rate' as const, unit: 'days', keep: true},
            {key: 'gpuHours', header: 'GPU-hours', kind: 'count' as const, unit: 'gpu_hours', keep: true},
            {key: 'costUsd', header: 'Cost', kind: 'usd' as const, unit: 'usd', keep: true},
            {key: 'energyMwh', header: 'Energy (MWh)', kind: 'rate' as const, unit: 'mwh'},
          ]
        : []),
      {key: 'computeOptimalTokens', header: 'Chinchilla tokens', kind: 'count', unit: 'tokens'},
    ],
    rows: results.map((r) => ({
      id: r.id,
      setup: `${r.devices}x ${r.hardware}, ${layoutText(r)}`,
      recipe: `${recipeText(r)}, seq ${r.sequenceTokens} x ${r.microBatchSequences}`,
      ...r.memoryPerDeviceBytes,
      capacityBytes: r.capacityBytes,
      fit: fitText(r),
      trainFlopsPerToken: r.trainFlopsPerToken,
      tokensPerSecondPerDevice: r.tokensPerSecondPerDevice,
      tokens: r.tokens,
      trainFlops: r.trainFlops,
      wallClockDays: r.wallClockDays,
      gpuHours: r.gpuHours,
      costUsd: r.costUsd,
      energyMwh: r.energyJoules === null ? null : r.energyJoules / 3.6e9,
      computeOptimalTokens: r.computeOptimalTokens,
    })),
    notes,
    transpose: results.length <= 4,
  }
}

const lossNotes: Record<TrainResult['loss'], string> = {
  'vocab-parallel': 'bf16 logits and one fp32 copy (Megatron-LM vocab-parallel cross-entropy, --loss vocab-parallel)',
  eager: 'three fp32 copies at the backward of F.cross_entropy (torchtitan, transformers; --loss eager)',
  chunked: `bf16 logits, three fp32 copies of one of ${lossChunks} chunks (torchtune CEWithChunkedOutputLoss; --loss chunked)`,
  fused: `bf16 logits and three fp32 copies of one of ${lossChunks} chunks (fused linear cross-entropy; --loss fused)`,
}

/** The assumptions of a training estimate, for the notes under the table. */
export function trainNotes(r: TrainResult): string[] {
  const notes = [
    `model state: ${r.mode === 'full' ? `${r.precision} recipe (bf16: 2-byte weights, ${r.gradientDtype === 'fp32' && r.precision !== 'fp32' ? '4-byte fp32 gradients (--grad-dtype fp32, as Megatron-LM)' : '2-byte gradients'}, fp32 master 4 bytes, ZeRO §3.1; fp8 adds a 1-byte FP8 weight copy; fp32: 4 + 4)` : r.mode === 'qlora' ? `frozen base quantized by bitsandbytes (NF4 + double quantization 4.127 bits, or int8 with a per-row fp32 scale) on the layers' linear modules, embeddings and head 16-bit; ${r.adapterPrecision} adapters` : `frozen 16-bit base; ${r.adapterPrecision} adapters`}; ${optimizerNotes[r.optimizer as keyof typeof optimizerNotes]}; sharded over the data-parallel group by ${r.fsdp ? `FSDP ${r.fsdp === 'hybrid' ? 'hybrid (within a node of 8)' : 'full'}` : `ZeRO-${r.zeroStage}`}`,
    `activations: Korthikanti et al. 2022 per layer, generalised (flash attention keeps q, k, v, output and logsumexp; GQA, gated MLP 3 x I, MoE top-k copies and fp32 router logits; MLA and linear attention approximate), no dropout, sequence parallelism with tp > 1; recompute ${r.recompute}${r.recompute === 'full' ? ' keeps each layer\'s input plus one layer rebuilt' : r.recompute === 'selective' ? ' drops the s x s scores (flash keeps none)' : r.recompute === 'op' ? ' keeps the layer input, q, v, the attention output and two of the MLP\'s matmul outputs (torchtitan op policy; dense GQA layers, others as selective)' : ''}; first pipeline stage with ${r.inFlightMicroBatches} micro-batch(es) in flight (1F1B); LM head and logits counted without pipeline stages, ${lossNotes[r.loss]}`,
    `time: model FLOPs per token = ${r.mode === 'full' ? '3' : '2 (frozen base: no weight gradients)'} x the causal forward of a ${r.sequenceTokens}-token sequence (attention included); tokens/s = peak x MFU ${r.mfu} / FLOPs per token (${r.mfuSource === '--mfu' ? 'MFU from --mfu; the default is 0.20 for mixture-of-experts models (0.11 of the FP8 peak in FP8), 0.50 for dense models on Ampere-class devices, 0.40 on Hopper-class and later' : `MFU = the ${r.mfuSource}; --mfu overrides`}); GPU-hours = devices x hours; cost at the profile's hourly price; energy at board power`,
    'layout: tp up to 8, then pipeline stages, the smallest split whose memory fits (else the one needing least memory) unless --tp/--cp/--pp/--dp/--ep say; Chinchilla tokens = 20 x parameters (active parameters for MoE), a reference only',
  ]
  return notes
}
