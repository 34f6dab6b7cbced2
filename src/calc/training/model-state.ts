// Model-state memory per device in training: weights, gradients, master weights and optimizer states, from the exact
// parameter breakdown split over tensor, pipeline and expert parallel ranks (parallel.ts paramsPerDevice), then
// sharded over the data-parallel group by the ZeRO stage or FSDP. Fine-tuning with LoRA freezes the base (its
// weights only, in 16 bits, 8 bits or NF4) and trains the adapters (lora.ts).
import type {ModelSpec} from '../../schema/model.js'
import {named} from '../formulas/formula.js'
import {loraWeightBytes, shardedStateBytes} from '../formulas/training.js'
import {tensorsOf} from '../gguf-mix.js'
import {paramsPerDevice, type Layout} from '../parallel.js'
import {layerParams, paramCounts, type ParamBreakdown} from '../params.js'
import {perSpec} from '../per-spec.js'
import {componentClass, type WeightClass} from '../weights.js'
import {adapterBytes, loraAdapters, type LoraSetup} from './lora.js'
import {optimizerStateRatios, stateBytesPerParam, type GradientDtype, type Optimizer, type TrainPrecision} from './recipe.js'
import {quantizedBaseBytesPerParam, type BaseQuantization} from './quantized-base.js'

export type ZeroStage = 0 | 1 | 2 | 3
export type FsdpMode = 'full' | 'hybrid'

/** A training layout: tensor, context, pipeline, data and expert parallel degrees (devices = tp x cp x pp x dp). */
export interface TrainLayout extends Layout {
  dp: number
  /** Context-parallel ranks (absent = 1): the same weights, each rank a slice of every sequence. */
  cp?: number
}

export interface Sharding {
  zeroStage: ZeroStage
  /** FSDP FULL_SHARD = ZeRO-3 over the data-parallel group; HYBRID_SHARD = ZeRO-3 within a node, replicated across nodes. */
  fsdp: FsdpMode | null
  /** Devices per node, the shard group of hybrid sharding (8 on HGX/DGX nodes). */
  devicesPerNode: number
}

export interface ModelStateBytes {
  weightsBytes: number
  gradientsBytes: number
  masterWeightsBytes: number
  optimizerStatesBytes: number
  /** ZeRO-3 / FSDP: the largest layer gathered whole for compute and the next one prefetched; with pipeline stages, the whole stage. */
  gatheredWeightsBytes: number
}

/** The stage whose rules apply: FSDP full and hybrid shard like ZeRO-3 (Zhao et al. 2023, PyTorch FSDP §3.2). */
export const effectiveStage = (s: Sharding): ZeroStage => (s.fsdp ? 3 : s.zeroStage)

/** The largest divisor of n not above limit (at least 1). */
const largestDivisorUpTo = (n: number, limit: number) => {
  for (let d = Math.max(1, Math.min(n, Math.floor(limit))); d > 1; d--) if (n % d === 0) return d
  return 1
}

/**
 * Ranks each state of a class is sharded over. Dense parameters: the data-parallel group (dp, times cp). Routed experts
 * with expert parallelism: the expert-data-parallel group tp x cp x dp / ep (Megatron-Core: experts split over ep,
 * replicated over the rest of the stage's tp x cp x dp devices). Hybrid sharding keeps the group within one node.
 */
export function shardGroups(layout: TrainLayout, sharding: Sharding): {dense: number; experts: number} {
  // Context-parallel ranks hold the same weights and shard the optimizer with the data-parallel ones (Megatron-Core
  // distributed optimizer over the data-parallel-with-context-parallel group).
  const cp = layout.cp ?? 1
  const dense = layout.dp * cp
  const experts = layout.ep > 1 ? (layout.tp * cp * layout.dp) / layout.ep : dense
  if (sharding.fsdp !== 'hybrid') return {dense, experts}
  const perNode = (split: number) => Math.max(1, sharding.devicesPerNode / split)
  return {dense: largestDivisorUpTo(dense, perNode(layout.tp)), experts: largestDivisorUpTo(experts, perNode(layout.ep > 1 ? layout.ep : layout.tp))}
}

/** Parameters one device holds, by storage class, after the tensor, pipeline and expert splits. */
export function classParamsPerDevice(breakdown: ParamBreakdown, layout: Layout): Record<WeightClass, number> {
  const perDevice = paramsPerDevice(breakdown, layout)
  const out: Record<WeightClass, number> = {embeddings: 0, linear: 0, experts: 0, unquantized: 0}
  for (const [component, count] of Object.entries(perDevice) as [keyof ParamBreakdown, number][]) out[componentClass[component]] += count
  return out
}

/** Params of the largest decoder layer one device holds while it is gathered (tp split; experts over ep or tp). */
const largestLayerPerDevice = (spec: ModelSpec, layout: Layout): number =>
  Math.max(
    ...spec.layerGroups.map((g) => {
      const l = layerParams(spec, g)
      return (l.attention + l.denseFfn + l.sharedExperts + l.other) / layout.tp + l.norms + l.router + l.routedExperts / (layout.ep > 1 ? layout.ep : layout.tp)
    }),
  )

/** Bytes per parameter of gradients accumulated unsharded in FSDP's fp32 reduce dtype. */
const unshardedGradientBytes = 4

const state = (P: number, b: number, z: number, name: string) => named(name, () => shardedStateBytes.evaluate({P, b, z}))

/** The classes' names in explain's steps. */
const className: Record<WeightClass, string> = {embeddings: 'embeddings and LM head', linear: 'attention, MLP and other matrices', experts: 'routed experts', unquantized: 'norms and routers'}

/** Full training (every parameter trained): the four states per class, sharded by the stage over the class's group. */
export function fullTrainingStateBytes(spec: ModelSpec, layout: TrainLayout, sharding: Sharding, precision: TrainPrecision, optimizer: Optimizer, gradients: GradientDtype = 'bf16'): ModelStateBytes {
  const params = classParamsPerDevice(paramCounts(spec).breakdown, layout)
  const groups = shardGroups(layout, sharding)
  const stage = effectiveStage(sharding)
  const per = stateBytesPerParam(precision, gradients)
  const ratios = optimizerStateRatios(spec, optimizer).bytesPerParam
  const out: ModelStateBytes = {weightsBytes: 0, gradientsBytes: 0, masterWeightsBytes: 0, optimizerStatesBytes: 0, gatheredWeightsBytes: 0}
  for (const cls of Object.keys(params) as WeightClass[]) {
    const P = params[cls]
    if (P === 0) continue
    const group = cls === 'experts' ? groups.experts : groups.dense
    out.weightsBytes += state(P, per.weights, stage >= 3 ? group : 1, `weights: ${className[cls]}`)
    out.gradientsBytes += state(P, per.gradients, stage >= 2 ? group : 1, `gradients: ${className[cls]}`)
    out.masterWeightsBytes += state(P, per.masterWeights, stage >= 1 ? group : 1, `master weights: ${className[cls]}`)
    out.optimizerStatesBytes += state(P, ratios[cls], stage >= 1 ? group : 1, `optimizer states: ${className[cls]}`)
  }
  if (stage >= 3 && groups.dense > 1 && layout.pp > 1) {
    // FSDP with pipeline stages, as torchtitan runs it (DeepSpeed and Megatron-LM do not combine ZeRO-3 with
    // pipelines): the stage stays gathered from its first forward to its last backward (parallelize_llama.py
    // apply_fsdp: reshard_after_forward = False when pp is enabled), and its gradients accumulate unsharded over the
    // micro-batches, reduce-scattered at the last (torch.distributed.pipelining stage.py _configure_data_parallel_mode:
    // set_requires_gradient_sync(last_backward)), in the fp32 reduce dtype (torchtitan MixedPrecisionPolicy reduce_dtype).
    const stageParams = Object.values(params).reduce((a, b) => a + b, 0)
    out.gatheredWeightsBytes = stageParams * per.weights
    out.gradientsBytes += stageParams * unshardedGradientBytes
  } else if (stage >= 3 && groups.dense > 1) out.gatheredWeightsBytes = 2 * largestLayerPerDevice(spec, layout) * per.weights
  return out
}

/** Share of each class's parameters one device holds (per-device / total), to split per-tensor sums the same way. */
const classShares = (spec: ModelSpec, layout: Layout): Record<WeightClass, number> => {
  const total = classParamsPerDevice(paramCounts(spec).breakdown, {tp: 1, ep: 1, pp: 1})
  const here = classParamsPerDevice(paramCounts(spec).breakdown, layout)
  const out: Record<WeightClass, number> = {embeddings: 0, linear: 0, experts: 0, unquantized: 0}
  for (const cls of Object.keys(out) as WeightClass[]) out[cls] = total[cls] > 0 ? here[cls] / total[cls] : 0
  return out
}

/** Bytes of the frozen base by class: 16-bit, or quantized (bitsandbytes replaces the layers' nn.Linear only). */
const frozenBaseBytes = perSpec((spec: ModelSpec) => {
  const out: Record<BaseQuantization, Record<WeightClass, number>> = {
    none: {embeddings: 0, linear: 0, experts: 0, unquantized: 0},
    '8bit': {embeddings: 0, linear: 0, experts: 0, unquantized: 0},
    '4bit': {embeddings: 0, linear: 0, experts: 0, unquantized: 0},
  }
  for (const t of tensorsOf(spec)) {
    const cls: WeightClass = t.cls === 'perLayerEmbeddings' ? 'embeddings' : t.cls
    const elements = t.ne.reduce((a, b) => a * b, 1)
    for (const q of ['none', '8bit', '4bit'] as const) out[q][cls] += elements * quantizedBaseBytesPerParam(q, t)
  }
  return out
})

/** Bytes of the largest decoder layer of the frozen base (its blk.N tensors), by base quantization. */
const largestFrozenLayerBytes = perSpec((spec: ModelSpec) => {
  const out: Record<BaseQuantization, number> = {none: 0, '8bit': 0, '4bit': 0}
  const byLayer = new Map<string, Record<BaseQuantization, number>>()
  for (const t of tensorsOf(spec)) {
    const layer = /^blk\.(\d+)\./.exec(t.name)?.[1]
    if (layer === undefined) continue
    const sums = byLayer.get(layer) ?? {none: 0, '8bit': 0, '4bit': 0}
    const elements = t.ne.reduce((a, b) => a * b, 1)
    for (const q of ['none', '8bit', '4bit'] as const) sums[q] += elements * quantizedBaseBytesPerParam(q, t)
    byLayer.set(layer, sums)
  }
  for (const sums of byLayer.values()) for (const q of ['none', '8bit', '4bit'] as const) out[q] = Math.max(out[q], sums[q])
  return out
})

/**
 * LoRA / QLoRA: the frozen base (weights only) and the adapters' weights, gradients and optimizer states (fp32, or
 * bf16 as torchtune keeps them). Sharded like ZeRO-3 (FSDP, as torchtune's lora_finetune_distributed shards each
 * layer with fully_shard), the base is gathered a layer at a time as in full training: the current layer and the
 * prefetched next, in the base's own format (torchao NF4Tensor all-gathers its 4-bit codes, fsdp_pre_all_gather).
 */
export function loraStateBytes(spec: ModelSpec, layout: TrainLayout, sharding: Sharding, lora: LoraSetup, optimizer: Optimizer): ModelStateBytes {
  const shares = classShares(spec, layout)
  const base = frozenBaseBytes(spec)[lora.baseQuantization]
  let baseBytes = 0
  for (const cls of Object.keys(base) as WeightClass[]) baseBytes += base[cls] * shares[cls]
  const adapters = loraAdapters(spec, lora, optimizer)
  // Adapters sit on the layers' matrices: split like them over tp x pp (experts' adapters over ep when it is used).
  const adapterShare = 1 / (layout.tp * layout.pp)
  const stage = effectiveStage(sharding)
  const group = shardGroups(layout, sharding).dense
  // PEFT keeps adapters in fp32 (autocast_adapter_dtype): 4-byte weights and gradients, the fp32 copy is the master;
  // torchtune's bf16 adapters have no master either (the optimizer updates the bf16 weights).
  const bytes = adapterBytes(lora.adapterPrecision ?? 'fp32', optimizer)
  return {
    weightsBytes: named('weights: the frozen base and the adapters', () =>
      loraWeightBytes.evaluate({B: baseBytes, z: stage >= 3 ? group : 1, Wa: state(adapters.params * adapterShare, bytes.weight, stage >= 3 ? group : 1, `weights: LoRA adapters (${lora.adapterPrecision ?? 'fp32'})`)}),
    ),
    gradientsBytes: state(adapters.params * adapterShare, bytes.gradient, stage >= 2 ? group : 1, 'gradients: LoRA adapters'),
    masterWeightsBytes: 0,
    optimizerStatesBytes: state(adapters.optimizerStateBytes * adapterShare, bytes.optimizerFactor, stage >= 1 ? group : 1, 'optimizer states: LoRA adapters (bytes per adapter byte of state x the factor of its dtype)'),
    // Tensor parallelism splits the gathered layer too (experts' own split is not applied here).
    gatheredWeightsBytes: stage >= 3 && group > 1 ? (2 * largestFrozenLayerBytes(spec)[lora.baseQuantization]) / layout.tp : 0,
  }
}
