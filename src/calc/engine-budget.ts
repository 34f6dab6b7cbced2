// What a serving engine does with a device's memory at start-up: how much it may use, what it subtracts (weights,
// the activation peak of its profiling run, non-torch memory, its own reserves), the KV pool left, and how it turns
// the pool into blocks, tokens and concurrency. Each engine's accounting follows its own source, named per function.
import type {HardwareSpec} from '../schema/hardware.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import type {EngineSettings} from '../schema/scenario-fields.js'
import {kvBytesPerElement} from './dtype.js'
import {visibleMemoryBytes} from './device-memory.js'
import {enginePages, enginePolicies, type EngineName} from './engines.js'
import {compressedKinds, groupKvElements, kvElementsPerTokenPerLayer, linearStateBytesPerLayer, modelStateBytes, perKindKv} from './kv.js'
import {groupAttentionSpec, runHeadCounts, runKvHeads} from './attention-shape.js'
import {memoryEstimate, type MemoryScenario} from './memory.js'
import {kvHeadShare, kvShareOfDevice} from './parallel.js'
import {hasDsa, hasOwnIndexer} from './attention-shape.js'
import {paramCounts} from './params.js'
import {dsv4Layers, sglangDsv4, sglangDsv4Pools, sglangDsv4WindowHeld, vllmDsv4, vllmDsv4Capacity, vllmDsv4Layout} from './engine-dsv4.js'
import {scenarioDefaults} from '../schema/scenario-defaults.js'

const GiB = 2 ** 30
const MiB = 2 ** 20
const cdiv = (a: number, b: number) => Math.ceil(a / b)

/**
 * Constants of the engines' own memory accounting that their source leaves to the run (allocator, NCCL, CUDA
 * graphs). Each is set from published start-up logs: docs/calibration.json marks the cases that informed it.
 */
export const engineConstants = {
  /** vLLM non-torch memory growth during profiling on one GPU (cuBLAS workspaces; the CUDA context predates the snapshot): 0.25 GiB in the 0.19 logs. */
  vllmNonTorchSingleBytes: 256 * MiB,
  /** With tensor parallel: NCCL communicators and custom all-reduce buffers, 2.07-2.13 GiB per GPU in the 0.19 logs. */
  vllmNonTorchTensorParallelBytes: 2150 * MiB,
  /** Pipeline parallel alone (point-to-point only): 0.07 GiB in the 0.19 logs. */
  vllmNonTorchPipelineBytes: 72 * MiB,
  /** fp32 [sequences x vocabulary] copies alive at the sampler's peak (logits, probabilities, sorted values, int64 indices = 2): 3.8-3.9 in the Llama 3.1 8B and Qwen3 8B logs. */
  vllmSamplerLogitCopies: 4,
  /**
   * The same with the sort-based top-k/top-p of V1 before 0.17 (no FlashInfer): logits.sort's fp32 values and
   * int64 indices over the whole vocabulary, beside the bf16 and fp32 logits. 5.64 GiB over 1024 x 151,936 fp32
   * = 9.73 in the 0.15 and 0.16 Qwen3-14B logs (2.23 = 3.85 with 0.17's Triton kernel, same run otherwise).
   */
  vllmSortSamplerLogitCopies: 9.75,
  /** Activation elements per token kept beside the widest layer output: residual stream, its normed copy and the layer input. */
  residualStreams: 3,
  /** SGLang: memory torch and the CUDA context hold before the model loads, outside mem_fraction_static's base. */
  sglangContextBytes: 512 * MiB,
  /** TensorRT-LLM: runtime buffers beside the weights before the KV cache is sized (context, workspace). */
  trtllmRuntimeBytes: 1536 * MiB,
  /** llama.cpp compute buffer beside one ubatch of fp32 logits. */
  llamacppComputeFixedBytes: 256 * MiB,
} as const

export interface EngineBudget {
  engine: EngineName
  /** vLLM: v1 or v0; null for the other engines. */
  engineVersion: 'v1' | 'v0' | null
  deviceMemoryVisibleBytes: number
  /** Share of visible memory the engine may use: gpu_memory_utilization, mem_fraction_static, or 1. */
  memoryShare: number
  /** The memory the engine budgets with: visible x share. */
  budgetBytes: number
  weightsBytes: number
  /** Peak activation of the engine's profiling run (vLLM), or its estimate of it (SGLang, TensorRT-LLM, llama.cpp compute buffers). */
  activationPeakBytes: number
  /** Of which the sampler's logits (vLLM). */
  samplerPeakBytes: number
  nonTorchBytes: number
  /** CUDA graph memory: captured after sizing in vLLM, so not subtracted (0 where the engine subtracts it inside the activation reserve). */
  cudaGraphBytes: number
  /** Tokens of the profiling run (vLLM max_num_batched_tokens, SGLang chunked_prefill_size, llama.cpp n_ubatch). */
  profileTokens: number
  /** Sequences sampled in the profiling run (vLLM max_num_seqs), else 0. */
  profileSequences: number
  kvCachePoolBytesPerDevice: number
  /** KV bytes one token costs on one device, over the layers an engine block covers. */
  kvBytesPerTokenPerDevice: number
  blockTokens: number
  blocks: number
  /** KV cache size as the engine's log states it (vLLM "GPU KV cache size: N tokens", SGLang "#tokens", TensorRT-LLM max tokens, llama.cpp cells). */
  engineReportedKvTokens: number
  /** Longest single-sequence context the pool holds, windows counted as the engine keeps them (uncapped by the model maximum). */
  capacityTokens: number
  /** Sequences of `contextTokens` the pool holds at once, as the engine computes it. */
  maxConcurrency: number
  /** The lines the engine itself logs at start-up, for holding against a real log. */
  engineLog: string[]
}

interface KvType {
  /** Layers of this kind on the busiest device. */
  layers: number
  /** Blocks one layer of this kind holds for a request of L tokens (vLLM kv_cache_interface.py max_memory_usage_bytes). */
  blocksFor: (contextTokens: number) => number
}

/** The KV-holding layer kinds of one device, as vLLM groups them (get_kv_cache_groups), with their block needs. */
/** The most KV bytes per token any attention layer keeps on one device (the per-kind shapes of MiMo-V2-Flash and MiniMax-M3). */
function maxGroupTokenBytes(spec: ModelSpec, s: MemoryScenario, engine: EngineName): number {
  return Math.max(0, ...spec.layerGroups.map((g) => groupTokenBytes(spec, s, engine, g)))
}

/** The mean KV bytes per token of the attention layers that keep their own cache, on one device. */
function meanGroupTokenBytes(spec: ModelSpec, s: MemoryScenario, engine: EngineName): number {
  const groups = spec.layerGroups.filter((g) => g.kvSourceLayer === undefined && g.mixer !== 'linear' && g.mixer !== 'none')
  const layers = groups.reduce((n, g) => n + g.count, 0)
  return layers === 0 ? 0 : groups.reduce((sum, g) => sum + g.count * groupTokenBytes(spec, s, engine, g), 0) / layers
}

function kvTypes(spec: ModelSpec, s: MemoryScenario, baseBlockTokens: number, batchedTokens: number, engine: EngineName): KvType[] {
  const policy = enginePolicies[engine]
  const byKey = new Map<string, KvType>()
  // A parallel layer (Falcon-H1) registers a full-attention layer and a Mamba layer, each in its own group.
  const groups = spec.layerGroups.flatMap((g): LayerGroup[] => (g.mixer === 'parallel' ? [{...g, mixer: 'full'}, {...g, mixer: 'linear'}] : [g]))
  const keyOf = (g: LayerGroup) => (g.mixer === 'full' || !policy.windowedLayersHoldWindow ? (g.mixer === 'linear' ? 'linear' : 'full') : `${g.mixer}:${g.windowTokens}`)
  // Layers of different shapes: each kind's block is sized by its largest layer (MiniMax-M3's sparse layers, with
  // their index key, beside its dense ones).
  const kindBytes = new Map<string, number>()
  if (perKindKv(spec))
    for (const g of groups) if (g.kvSourceLayer === undefined && g.mixer !== 'none' && g.mixer !== 'linear') kindBytes.set(keyOf(g), Math.max(kindBytes.get(keyOf(g)) ?? 0, groupTokenBytes(spec, s, engine, g)))
  for (const g of groups) {
    if (g.kvSourceLayer !== undefined || g.mixer === 'none') continue // an FFN-only block caches nothing
    const key = keyOf(g)
    const existing = byKey.get(key)
    if (existing) {
      existing.layers += g.count
      continue
    }
    const window = g.windowTokens ?? 0
    // Layers of a smaller page (Gemma 4's global layers, MiMo-V2-Flash's full layers beside its 8-head sliding ones)
    // take more tokens per block, so that every page has the largest page's bytes (vLLM kv_cache_utils.py
    // unify_kv_cache_spec_page_size: block_size x max_page // page).
    const blockTokens = g.mixer === 'linear' || !perKindKv(spec) ? baseBlockTokens : Math.max(1, Math.floor((baseBlockTokens * maxGroupTokenBytes(spec, s, engine)) / kindBytes.get(key)!))
    const blocksFor =
      g.mixer === 'linear'
        ? () => 1 // MambaSpec: one page of state per request
        : key === 'full'
          ? (L: number) => cdiv(L, blockTokens)
          : g.mixer === 'sliding'
            ? (L: number) => cdiv(Math.min(window - 1 + batchedTokens, L), blockTokens) + 1 // SlidingWindowSpec
            : (L: number) => cdiv(Math.min(window + batchedTokens, L), blockTokens) // ChunkedLocalAttentionSpec
    byKey.set(key, {layers: g.count, blocksFor})
  }
  // DeepSeek-V4: each CSA / HCA layer also holds one compressed entry per ratio tokens (CSA: with the indexer's key),
  // costed in window-token equivalents of the same page (TensorRT-LLM, transformers; vLLM's own pools are
  // vllmDsv4Layout in engine-dsv4.ts): the bytes follow the theoretical cache at the requested context.
  for (const c of compressedKinds(spec)) {
    const perEntry = c.entryElements / kvElementsPerTokenPerLayer(spec, policy.mlaCache)
    byKey.set(`compressed:${c.kind}`, {layers: c.layers, blocksFor: (L: number) => cdiv(Math.ceil(Math.floor(L / c.ratio) * perEntry), baseBlockTokens)})
  }
  const pp = s.layout.pp
  return [...byKey.values()].map((t) => ({...t, layers: cdiv(t.layers, pp)}))
}

/** vLLM's grouping of layer kinds into equal groups (kv_cache_utils.py _get_kv_cache_groups_uniform_page_size). */
function grouping(types: KvType[]): {groupSize: number; groups: number[]} {
  if (types.length === 1) return {groupSize: types[0]!.layers, groups: [1]}
  const counts = types.map((t) => t.layers)
  const min = Math.min(...counts)
  const max = Math.max(...counts)
  const groupSize = max < min * 1.5 ? max : min
  return {groupSize, groups: counts.map((c) => cdiv(c, groupSize))}
}

/** KV bytes one token costs in one attention layer on one device; with layers of different widths (Gemma 4), the widest (the page the engine sizes). */
function perLayerTokenBytes(spec: ModelSpec, s: MemoryScenario, engine: EngineName): number {
  // DSA in vLLM: the MLA latent and the indexer's key cache are full-attention specs of one type, merged into one
  // group whose page is the sum of the layers' pages (vllm/v1/kv_cache_interface.py UniformTypeKVCacheSpecs
  // page_size_bytes): each layer at its own width, so the mean over the layers.
  // Full-attention layers with KV heads of their own (DeciLM / Nemotron-NAS blocks) are the same: one group, the mean.
  if (engine === 'vllm' && (hasDsa(spec) || (runHeadCounts(spec).kvHeads.length > 0 && spec.layerGroups.every((g) => g.mixer !== 'sliding' && g.mixer !== 'chunked')))) return meanGroupTokenBytes(spec, s, engine)
  // Layers of different shapes (perKindKv): the largest on a device, whose page every layer's block is sized to.
  if (perKindKv(spec)) return maxGroupTokenBytes(spec, s, engine)
  return kvElementsPerTokenPerLayer(spec, enginePolicies[engine].mlaCache) * kvBytesPerElement(s.kvFormat) * kvShareOfDevice(spec, {...s.layout, pp: 1})
}

/** KV bytes one token costs in one layer of this group on one device (its own KV heads split or replicated over tensor parallel). */
function groupTokenBytes(spec: ModelSpec, s: MemoryScenario, engine: EngineName, g: LayerGroup): number {
  // Each layer's own KV heads (groupAttentionSpec): Gemma 4's global layers, MiMo-V2-Flash's sliding ones.
  // DeciLM / Nemotron-NAS: each layer splits or replicates its own KV heads (a run's kvHeads).
  const ownKv = !spec.attention.mla && runHeadCounts(spec).kvHeads.length > 0
  const share = ownKv ? kvHeadShare(runKvHeads(g) ?? spec.attention.kvHeads, s.layout.tp) : kvShareOfDevice(groupAttentionSpec(spec, g), {...s.layout, pp: 1})
  const elements = groupKvElements(spec, g, enginePolicies[engine].mlaCache)
  // An indexer's key is one head, replicated on every tensor-parallel rank (MSA: SGLang index_qkv_proj, 1 KV head;
  // DSA: vLLM deepseek_v2.py DeepseekV32IndexerCache, wk not sharded).
  const index = hasOwnIndexer(spec, g) ? spec.attention.indexer!.headDim : 0
  return ((elements - index) * share + index) * kvBytesPerElement(s.kvFormat)
}

/**
 * Activation elements per token of the widest layer on one tensor-parallel rank: the attention projections
 * (q, k, v, the output) or the MLP's gate/up output and its activation (MoE: fused_moe's intermediate caches
 * [T, top-k, 2I] and [T, top-k, I] plus the [T, top-k, h] combine buffer, and the shared expert).
 */
export function widestLayerElementsPerToken(spec: ModelSpec, tp: number, ep: number): number {
  const att = spec.attention
  // DeciLM / Nemotron-NAS: the widest layer's KV heads where runs state their own.
  const kvHeads = Math.max(att.kvHeads, ...runHeadCounts(spec).kvHeads)
  const attention = (att.heads * att.headDim * (att.outputGate ? 2 : 1) + 2 * kvHeads * att.headDim + att.heads * att.valueHeadDim) / tp
  const denseWidth = Math.max(spec.ffn.intermediateSize, ...spec.layerGroups.map((g) => g.ffnIntermediateSize ?? 0))
  const dense = (3 * denseWidth) / tp
  if (!spec.moe) return Math.max(attention, dense)
  const m = spec.moe
  const expertShard = ep > 1 ? 1 : tp
  const moe = m.topK * ((3 * m.expertIntermediateSize) / expertShard + spec.hiddenSize) + (3 * m.sharedIntermediateSize) / tp
  return Math.max(attention, dense, moe)
}

/** Bytes of the forward pass's activation peak for `tokens` tokens on one device (16-bit activations). */
export function forwardPeakBytes(spec: ModelSpec, tokens: number, tp: number, ep: number): number {
  return tokens * (engineConstants.residualStreams * spec.hiddenSize + widestLayerElementsPerToken(spec, tp, ep)) * 2
}

interface PoolResult {
  kvPool: number
  blockTokens: number
  types: KvType[]
  pageBytes: number
  tokenBytes: number
}

/** Blocks, reported tokens, concurrency and longest context of a pool, by vLLM's rules (kv_cache_utils.py). */
function blocksOf(p: PoolResult, contextTokens: number): {blocks: number; reportedTokens: number; maxConcurrency: number; capacityTokens: number} {
  const {groupSize, groups} = grouping(p.types)
  const blocks = p.pageBytes > 0 ? Math.max(0, Math.floor(p.kvPool / p.pageBytes / groupSize)) : 0
  const groupCount = groups.reduce((a, b) => a + b, 0)
  const reportedTokens = Math.floor(blocks / groupCount) * p.blockTokens
  const blocksPerRequest = (L: number) => p.types.reduce((sum, t, i) => sum + groups[i]! * t.blocksFor(L), 0)
  const maxConcurrency = blocks / blocksPerRequest(contextTokens)
  // Longest context whose blocks fit: binary search, as vLLM's estimate_max_model_len.
  let low = 0
  let high = Math.max(1, blocks * p.blockTokens)
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (blocksPerRequest(mid) <= blocks) low = mid
    else high = mid - 1
  }
  return {blocks, reportedTokens, maxConcurrency, capacityTokens: low}
}

const gib = (bytes: number) => (bytes / GiB).toFixed(2)
const thousands = (n: number) => Math.floor(n).toLocaleString('en-US')

/**
 * The weights an engine loads onto one device: the text model's (the weights/* leaves of memoryEstimate), a 32-bit
 * checkpoint in bf16 as vLLM and SGLang resolve dtype "auto" (vllm/config/model.py _get_and_verify_dtype), plus the
 * encoders of a multimodal checkpoint (vision and audio towers, 16-bit), which they load too, split over tensor parallel.
 */
function deviceWeights(spec: ModelSpec, s: MemoryScenario): number {
  const sixteenBit = spec.dtype === 'fp32' && Object.keys(s.weightFormats).length === 0
  const weightFormats = sixteenBit ? {linear: 'bf16', experts: 'bf16', embeddings: 'bf16', unquantized: 'bf16'} as const : s.weightFormats
  const text = memoryEstimate(spec, {...s, weightFormats, contextTokens: 1, batch: 1}).perDevice.weightsBytes
  return text + Math.ceil((paramCounts(spec).encoderParams * 2) / s.layout.tp)
}

/**
 * vLLM's scheduler limits (vllm/engine/arg_utils.py get_batch_defaults, `vllm serve`): V1 takes 8192 tokens and
 * 1024 sequences per step on GPUs of 70 GiB or more other than A100, else 2048 / 256; V0 without chunked prefill
 * batches max(max_model_len, 2048) tokens over 256 sequences.
 */
export function vllmBatchLimits(hw: HardwareSpec, settings: EngineSettings, contextTokens: number): {maxNumBatchedTokens: number; maxNumSeqs: number} {
  const v0 = settings.vllmVersion === 'v0'
  const large = visibleMemoryBytes(hw, settings.wiredLimitBytes) >= 70 * GiB && !/a100/i.test(hw.name)
  const defaultTokens = v0 ? Math.max(contextTokens, 2048) : large ? 8192 : 2048
  return {maxNumBatchedTokens: settings.maxNumBatchedTokens ?? defaultTokens, maxNumSeqs: settings.maxNumSeqs ?? (v0 ? 256 : large ? 1024 : 256)}
}

/**
 * vLLM V1 (vllm/v1/worker/gpu_worker.py determine_available_memory; arg_utils.py get_batch_defaults):
 *     pool = total_memory x gpu_memory_utilization - (weights + torch peak of profile_run + non-torch increase)
 * profile_run runs max_num_batched_tokens tokens over min(max_num_seqs, tokens) sequences and samples them.
 * V0 (vllm/worker/worker.py determine_num_available_blocks) profiles max(max_model_len, max_num_batched_tokens)
 * tokens when chunked prefill is off, so its budget shrinks as max_model_len grows.
 */
function vllmBudget(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, settings: EngineSettings, utilization: number): EngineBudget {
  const visible = visibleMemoryBytes(hw, settings.wiredLimitBytes)
  const v0 = settings.vllmVersion === 'v0'
  const {maxNumBatchedTokens: profileTokens, maxNumSeqs} = vllmBatchLimits(hw, settings, s.contextTokens)
  const profileSequences = Math.min(maxNumSeqs, profileTokens)
  const weights = deviceWeights(spec, s)
  // The peak is the larger of the forward pass (with the logits it ends in) and the sampler, which runs after it.
  const logits = profileSequences * spec.embeddings.vocabSize * 4
  const forward = forwardPeakBytes(spec, profileTokens, s.layout.tp, s.layout.ep) + logits
  // _dummy_sampler_run samples with top_k = vocab - 1 and top_p = 0.9, so top-k/top-p runs over every row
  // (vllm/v1/worker/gpu_model_runner.py); before 0.17 that was a sort (v1/sample/ops/topk_topp_sampler.py apply_top_k_top_p).
  const sampler = logits * (settings.vllmSampler === 'sort' ? engineConstants.vllmSortSamplerLogitCopies : engineConstants.vllmSamplerLogitCopies)
  const activation = Math.max(forward, sampler)
  const nonTorch =
    s.layout.tp > 1 ? engineConstants.vllmNonTorchTensorParallelBytes : s.layout.pp > 1 ? engineConstants.vllmNonTorchPipelineBytes : engineConstants.vllmNonTorchSingleBytes
  const budget = visible * utilization
  const kvPool = Math.max(0, budget - weights - activation - nonTorch)
  const pages = enginePages(spec, 'vllm', {kvFormat: s.kvFormat})
  const tokenBytes = perLayerTokenBytes(spec, s, 'vllm')
  const types = kvTypes(spec, s, pages.pageTokens, profileTokens, 'vllm')
  const pool = {kvPool, blockTokens: pages.pageTokens, types, pageBytes: pages.pageTokens * tokenBytes, tokenBytes}
  // DeepSeek-V4: vLLM's own five groups over one pool of fp8_ds_mla pages (engine-dsv4.ts), not the generic groups.
  const v4 = vllmDsv4Layout(spec, s.layout.pp)
  const b = v4 ? vllmDsv4Capacity(v4, kvPool, s.contextTokens, profileTokens) : blocksOf(pool, s.contextTokens)
  const blockTokens = v4 ? vllmDsv4.blockTokens : pages.pageTokens
  const log = v0
    ? [`# GPU blocks: ${b.blocks}, # CPU blocks: (swap space)`, `Maximum concurrency for ${thousands(s.contextTokens)} tokens per request: ${b.maxConcurrency.toFixed(2)}x`]
    : [
        `Memory profiling: total_gpu_memory (${gib(visible)}GiB) x gpu_memory_utilization (${utilization.toFixed(2)}) = ${gib(budget)}GiB; model weights take ${gib(weights)}GiB; non_torch_memory takes ${gib(nonTorch)}GiB; PyTorch activation peak memory takes ${gib(activation)}GiB; the rest of the memory reserved for KV Cache is ${gib(kvPool)}GiB.`,
        `Available KV cache memory: ${gib(kvPool)} GiB`,
        `GPU KV cache size: ${thousands(b.reportedTokens)} tokens`,
        `Maximum concurrency for ${thousands(s.contextTokens)} tokens per request: ${b.maxConcurrency.toFixed(2)}x`,
      ]
  return {
    engine: 'vllm',
    engineVersion: settings.vllmVersion,
    deviceMemoryVisibleBytes: visible,
    memoryShare: utilization,
    budgetBytes: Math.floor(budget),
    weightsBytes: weights,
    activationPeakBytes: Math.ceil(activation),
    samplerPeakBytes: sampler >= forward ? Math.ceil(sampler) : 0,
    nonTorchBytes: nonTorch,
    cudaGraphBytes: 0,
    profileTokens,
    profileSequences,
    kvCachePoolBytesPerDevice: Math.floor(kvPool),
    kvBytesPerTokenPerDevice: v4 ? v4.blockBytes / vllmDsv4.blockTokens : tokenBytes * grouping(types).groupSize,
    blockTokens,
    blocks: b.blocks,
    engineReportedKvTokens: v0 ? b.blocks * blockTokens : b.reportedTokens,
    capacityTokens: b.capacityTokens,
    maxConcurrency: b.maxConcurrency,
    engineLog: log,
  }
}

/**
 * SGLang (python/sglang/srt/server_args.py _handle_gpu_memory_settings; model_executor/model_runner.py
 * profile_max_num_token): mem_fraction_static = (gpu_mem - reserved) / gpu_mem with reserved = 512 MiB +
 * 1.5 MiB per chunked-prefill token (at least 2048) + 2 MiB per CUDA-graph batch + tp x pp / 8 GiB, at least
 * 10 GiB on GPUs above 60 GiB; then tokens = (free memory at start x mem_fraction_static - weights) / bytes per token.
 */
function sglangBudget(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, settings: EngineSettings): EngineBudget {
  const visible = visibleMemoryBytes(hw, settings.wiredLimitBytes)
  const gpuMemMiB = visible / MiB
  const tp = s.layout.tp
  const [chunk, graphBs] =
    gpuMemMiB < 20 * 1024 ? [2048, 8] : gpuMemMiB < 35 * 1024 ? [2048, tp < 4 ? 24 : 80] : gpuMemMiB < 60 * 1024 ? [4096, tp < 4 ? 32 : 160] : gpuMemMiB < 160 * 1024 ? [8192, tp < 4 ? 256 : 512] : [16384, 512]
  // --enforce-eager (SGLang's --disable-cuda-graph) captures no graphs, so reserves nothing for them.
  const graphs = settings.enforceEager ? 0 : graphBs
  let reservedMiB = 512 + Math.max(chunk, 2048) * 1.5 + graphs * 2 + ((tp * s.layout.pp) / 8) * 1024
  if (gpuMemMiB > 60 * 1024) reservedMiB = Math.max(reservedMiB, 10 * 1024)
  const fraction = settings.memFractionStatic ?? Math.round(((gpuMemMiB - reservedMiB) / gpuMemMiB) * 1000) / 1000
  const freeAtStart = visible - engineConstants.sglangContextBytes
  const weights = deviceWeights(spec, s)
  const rest = Math.max(0, freeAtStart * fraction - weights)
  const pools = sglangPools(spec, s, rest, settings)
  const header = `mem_fraction_static=${fraction}, chunked_prefill_size=${chunk}, cuda_graph_max_bs=${graphBs}`
  return {
    engine: 'sglang',
    engineVersion: null,
    deviceMemoryVisibleBytes: visible,
    memoryShare: fraction,
    budgetBytes: Math.floor(freeAtStart * fraction),
    weightsBytes: weights,
    activationPeakBytes: Math.round(reservedMiB * MiB),
    samplerPeakBytes: 0,
    nonTorchBytes: engineConstants.sglangContextBytes,
    cudaGraphBytes: graphs * 2 * MiB,
    profileTokens: chunk,
    profileSequences: graphBs,
    kvCachePoolBytesPerDevice: Math.floor(pools.kvPoolBytes),
    kvBytesPerTokenPerDevice: pools.cellBytes,
    blockTokens: 1,
    blocks: pools.tokens,
    engineReportedKvTokens: pools.tokens,
    capacityTokens: pools.tokens,
    maxConcurrency: pools.maxConcurrency(s.contextTokens),
    engineLog: [header, ...pools.log, `KV Cache is allocated. #tokens: ${pools.tokens}`, `max_total_num_tokens=${pools.tokens}`],
  }
}

/**
 * Model types SGLang gives a separate sliding-window pool (configs/model_config.py is_hybrid_swa_model: Llama 4, gpt-oss,
 * MiMo-V2, Gemma 4, and Step3p5ForCausalLM: Step 3.5 Flash; a step3p7 file's Step3p7ForConditionalGeneration is not listed).
 */
const sglangHybridSwaTypes = new Set(['llama4', 'llama4_text', 'gpt_oss', 'gemma4', 'gemma4_text', 'mimo_v2_flash', 'step3p5'])

/** Requests per slot of SGLang's linear-state pool with the radix cache on (MAMBA_CACHE_SIZE_MAX_RUNNING_REQUESTS_RATIO). */
const sglangMambaSlotsPerRequest = 3

interface SglangPools {
  /** Bytes of the token pool(s), the linear-state pool taken out. */
  kvPoolBytes: number
  /** Bytes per token of max_total_num_tokens on one device. */
  cellBytes: number
  /** max_total_num_tokens: the full-attention pool's tokens. */
  tokens: number
  maxConcurrency: (contextTokens: number) => number
  log: string[]
}

/**
 * SGLang's token pools from the memory left after the weights. Plain models: one pool of max_total_num_tokens =
 * rest / (bytes per token over every layer). Hybrid sliding-window models (pool_configurator.py
 * HybridSWAPoolConfigurator): cell = full layers x bytes + swa_full_tokens_ratio x sliding layers x bytes, full
 * tokens = rest / cell, sliding tokens = full x ratio. Hybrid linear models (model_runner_kv_cache_mixin.py
 * handle_max_mamba_cache): the state pool takes rest x r / (1 + r) (r = mamba_full_memory_ratio) in whole
 * per-request states, the attention layers alone share the rest, and a request needs 3 state slots.
 */
function sglangPools(spec: ModelSpec, s: MemoryScenario, rest: number, settings: EngineSettings): SglangPools {
  const pp = s.layout.pp
  // DeepSeek-V4: DSV4PoolConfigurator's pools (engine-dsv4.ts); swa_full_tokens_ratio 0.1 unless set.
  const v4Ratio = settings.swaFullTokensRatio === scenarioDefaults.swaFullTokensRatio ? sglangDsv4.swaFullTokensRatio : settings.swaFullTokensRatio
  const v4 = sglangDsv4Pools(spec, pp, rest, v4Ratio)
  if (v4) {
    const l = dsv4Layers(spec, pp)!
    return {
      kvPoolBytes: rest,
      cellBytes: v4.bytesPerFullToken,
      tokens: v4.fullTokens,
      // A request holds its context in the full pool, its window and a page in the SWA pool, and a running slot.
      maxConcurrency: (L) => Math.min(v4.maxRunningRequests, v4.fullTokens / L, v4.swaTokens / sglangDsv4WindowHeld(l, L)),
      log: [
        `DSV4 memory calculation: unified=False, bytes_per_full_token=${v4.bytesPerFullToken.toFixed(2)}, available_bytes=${gib(rest)} GB, c128_state_fixed=${gib(v4.hcaStateFixedBytes)} GB, swa_ring_fixed=0.00 GB, c4_state_fixed=0.00 GB, full_token=${v4.fullTokens}`,
        `DSV4 pool sizes: full=${v4.fullTokens}, swa=${v4.swaTokens}, c4=${v4.csaEntries}, c128=${v4.hcaEntries}, c4_state=${v4.csaStateSlots}, c128_state=0`,
      ],
    }
  }
  const tokenBytes = perLayerTokenBytes(spec, s, 'sglang')
  const count = (test: (g: ModelSpec['layerGroups'][number]) => boolean) => cdiv(spec.layerGroups.reduce((n, g) => n + (g.kvSourceLayer === undefined && test(g) ? g.count : 0), 0), pp)
  const fullLayers = count((g) => g.mixer === 'full')
  const windowedLayers = count((g) => g.mixer === 'sliding' || g.mixer === 'chunked')
  const linearLayers = count((g) => g.mixer === 'linear')
  const window = Math.max(0, ...spec.layerGroups.map((g) => g.windowTokens ?? 0))
  // Bytes per token of the layers a test picks on one device: their count times each one's own bytes when the layers
  // differ in shape (MiMo-V2-Flash's sliding layers, MiniMax-M3's index keys), else count x tokenBytes.
  const bytesOf = (test: (g: ModelSpec['layerGroups'][number]) => boolean, layers: number) => {
    if (!perKindKv(spec)) return tokenBytes * layers
    const picked = spec.layerGroups.filter((g) => g.kvSourceLayer === undefined && test(g))
    const all = picked.reduce((n, g) => n + g.count, 0)
    return all === 0 ? 0 : (picked.reduce((sum, g) => sum + g.count * groupTokenBytes(spec, s, 'sglang', g), 0) / all) * layers
  }
  const isFull = (g: ModelSpec['layerGroups'][number]) => g.mixer === 'full'
  const isWindowed = (g: ModelSpec['layerGroups'][number]) => g.mixer === 'sliding' || g.mixer === 'chunked'
  if (windowedLayers > 0 && sglangHybridSwaTypes.has(spec.source.modelType)) {
    const ratio = settings.swaFullTokensRatio
    const cell = fullLayers > 0 ? bytesOf(isFull, fullLayers) + ratio * bytesOf(isWindowed, windowedLayers) : bytesOf(isWindowed, windowedLayers)
    const tokens = cell > 0 ? Math.floor(rest / cell) : 0
    const swaTokens = fullLayers > 0 ? Math.floor(tokens * ratio) : tokens
    // A request holds its whole context in the full pool and at most the window (plus a page) in the sliding pool.
    const swaHeld = (L: number) => Math.min(L, window + 1)
    return {
      kvPoolBytes: rest,
      cellBytes: cell,
      tokens,
      maxConcurrency: (L) => Math.min(fullLayers > 0 ? tokens / L : Infinity, swaTokens / swaHeld(L)),
      log: [`Use sliding window memory pool. full_layer_tokens=${fullLayers > 0 ? tokens : 0}, swa_layer_tokens=${swaTokens}`],
    }
  }
  const attentionLayers = fullLayers + windowedLayers
  let kvPoolBytes = rest
  let stateSlots = Infinity
  const log: string[] = []
  if (linearLayers > 0 && spec.linearAttention) {
    const policy = enginePolicies.sglang
    const la = spec.linearAttention
    const perRequest = (linearLayers * linearStateBytesPerLayer(spec, policy.linearConvWindow(la.convKernel), policy.linearStateBytes(modelStateBytes(spec), la.kind))) / s.layout.tp
    const r = settings.mambaFullMemoryRatio
    stateSlots = Math.floor((rest * r) / (1 + r) / perRequest)
    kvPoolBytes = rest - stateSlots * perRequest
    log.push(`max_mamba_cache_size=${stateSlots} (${gib(stateSlots * perRequest)} GiB of linear-attention state)`)
  }
  const cell = perKindKv(spec) ? bytesOf(isFull, fullLayers) + bytesOf(isWindowed, windowedLayers) : tokenBytes * attentionLayers
  const tokens = cell > 0 ? Math.floor(kvPoolBytes / cell) : 0
  return {
    kvPoolBytes,
    cellBytes: cell,
    tokens,
    maxConcurrency: (L) => Math.min(tokens / L, stateSlots / sglangMambaSlotsPerRequest),
    log,
  }
}

/**
 * TensorRT-LLM (tensorrt_llm/_torch/pyexecutor/_util.py KvCacheCreator; llmapi KvCacheConfig): the KV cache takes
 * free_gpu_memory_fraction (0.9) of the memory still free after the weights and the runtime's buffers, in blocks of
 * tokens_per_block (32) tokens.
 */
function trtllmBudget(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, settings: EngineSettings): EngineBudget {
  const visible = visibleMemoryBytes(hw, settings.wiredLimitBytes)
  const weights = deviceWeights(spec, s)
  const maxNumTokens = settings.maxNumBatchedTokens ?? 8192 // max_num_tokens: 8192 by default (llm_args.py); --max-num-batched-tokens sets it
  const activation = forwardPeakBytes(spec, maxNumTokens, s.layout.tp, s.layout.ep)
  const free = Math.max(0, visible - weights - activation - engineConstants.trtllmRuntimeBytes)
  const kvPool = free * settings.kvCacheFreeFraction
  const blockTokens = enginePolicies['tensorrt-llm'].pageTokens
  const tokenBytes = perLayerTokenBytes(spec, s, 'tensorrt-llm')
  const types = kvTypes(spec, s, blockTokens, maxNumTokens, 'tensorrt-llm')
  const b = blocksOf({kvPool, blockTokens, types, pageBytes: blockTokens * tokenBytes, tokenBytes}, s.contextTokens)
  const layers = types.reduce((sum, t) => sum + t.layers, 0)
  // Layers of different shapes (Gemma 4's global layers, MiMo's sliding ones, MSA index keys): each at its own width.
  const perToken = perKindKv(spec)
    ? spec.layerGroups.reduce((sum, g) => sum + (g.kvSourceLayer === undefined && g.mixer !== 'linear' && g.mixer !== 'none' ? g.count * groupTokenBytes(spec, s, 'tensorrt-llm', g) : 0), 0) / s.layout.pp
    : tokenBytes * layers
  const maxTokens = perToken > 0 ? Math.floor(kvPool / perToken / blockTokens) * blockTokens : 0
  return {
    engine: 'tensorrt-llm',
    engineVersion: null,
    deviceMemoryVisibleBytes: visible,
    memoryShare: settings.kvCacheFreeFraction,
    budgetBytes: Math.floor(free),
    weightsBytes: weights,
    activationPeakBytes: Math.ceil(activation),
    samplerPeakBytes: 0,
    nonTorchBytes: engineConstants.trtllmRuntimeBytes,
    cudaGraphBytes: 0,
    profileTokens: maxNumTokens,
    profileSequences: 0,
    kvCachePoolBytesPerDevice: Math.floor(kvPool),
    kvBytesPerTokenPerDevice: perToken,
    blockTokens,
    blocks: b.blocks,
    engineReportedKvTokens: maxTokens,
    capacityTokens: b.capacityTokens,
    maxConcurrency: b.maxConcurrency,
    engineLog: [`[MemUsageChange] Allocated ${gib(kvPool)} GiB for max tokens in paged KV cache (${maxTokens}).`],
  }
}

/**
 * llama.cpp (src/llama-kv-cache.cpp, src/llama-context.cpp): no utilization cap; the cache for n_ctx cells (padded
 * to 256) is allocated whole at start-up, K and V in their own types (--cache-type-k/-v), for the layers on the GPU
 * (--n-gpu-layers); compute buffers grow with n_ubatch.
 */
function llamacppBudget(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, settings: EngineSettings): EngineBudget {
  const visible = visibleMemoryBytes(hw, settings.wiredLimitBytes)
  const pad = enginePolicies['llama.cpp'].pageTokens
  const nCtx = cdiv(s.contextTokens * s.batch, pad) * pad
  const totalLayers = spec.layers
  const gpuLayers = Math.min(totalLayers, settings.nGpuLayers ?? totalLayers)
  const onGpu = gpuLayers / totalLayers
  const weights = deviceWeights(spec, s) * onGpu
  const kFormat = settings.cacheTypeK ?? s.kvFormat
  const vFormat = settings.cacheTypeV ?? s.kvFormat
  // K and V in their own types, each layer at its own shape (groupAttentionSpec): Gemma 4's full-attention layers,
  // MiMo-V2-Flash's sliding layers, DeciLM / Nemotron-NAS runs' own KV heads (llama.cpp deci: n_head_kv per layer).
  const perLayerTokenOf = (g: LayerGroup) => {
    const att = groupAttentionSpec(spec, g).attention
    const kElements = att.mla ? kvElementsPerTokenPerLayer(spec, 'latent') : att.kvHeads * att.headDim
    const vElements = att.mla ? 0 : att.kvHeads * att.valueHeadDim
    return kElements * kvBytesPerElement(kFormat) + vElements * kvBytesPerElement(vFormat)
  }
  // llama_kv_cache_iswa: windowed layers keep n_swa x sequences + n_ubatch cells, padded to 256; full layers n_ctx.
  let kvCellBytes = 0
  for (const g of spec.layerGroups) {
    if (g.kvSourceLayer !== undefined || g.mixer === 'linear' || g.mixer === 'none') continue
    const windowed = g.mixer === 'sliding' || g.mixer === 'chunked'
    kvCellBytes += g.count * (windowed ? Math.min(nCtx, cdiv(g.windowTokens! * s.batch + settings.ubatch, pad) * pad) : nCtx) * perLayerTokenOf(g)
  }
  const kvBytes = kvCellBytes * onGpu
  const kvTokenBytes = spec.layerGroups.reduce((sum, g) => sum + (g.kvSourceLayer === undefined && g.mixer !== 'linear' && g.mixer !== 'none' ? g.count * perLayerTokenOf(g) : 0), 0)
  const compute = engineConstants.llamacppComputeFixedBytes + settings.ubatch * spec.embeddings.vocabSize * 4
  const free = visible - weights - kvBytes - compute
  return {
    engine: 'llama.cpp',
    engineVersion: null,
    deviceMemoryVisibleBytes: visible,
    memoryShare: 1,
    budgetBytes: visible,
    weightsBytes: Math.ceil(weights),
    activationPeakBytes: Math.ceil(compute),
    samplerPeakBytes: 0,
    nonTorchBytes: 0,
    cudaGraphBytes: 0,
    profileTokens: settings.ubatch,
    profileSequences: 0,
    kvCachePoolBytesPerDevice: Math.ceil(kvBytes),
    kvBytesPerTokenPerDevice: kvTokenBytes,
    blockTokens: pad,
    blocks: nCtx / pad,
    engineReportedKvTokens: nCtx,
    capacityTokens: free >= 0 ? nCtx : 0,
    maxConcurrency: free >= 0 ? s.batch : 0,
    engineLog: [
      `llama_context: n_ctx = ${nCtx}, n_ubatch = ${settings.ubatch}`,
      `llama_kv_cache: size = ${(kvBytes / MiB).toFixed(2)} MiB (${nCtx} cells, ${gpuLayers} layers), K (${kFormat}), V (${vFormat})`,
      `CUDA0 compute buffer size = ${(compute / MiB).toFixed(2)} MiB`,
    ],
  }
}

/** transformers: no pool and no pages; the cache of the requests is allocated as they grow (DynamicCache). */
function transformersBudget(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, settings: EngineSettings, utilization: number): EngineBudget {
  const visible = visibleMemoryBytes(hw, settings.wiredLimitBytes)
  const estimate = memoryEstimate(spec, {...s, engine: 'transformers'})
  const budget = visible * utilization
  const nonKv = estimate.perDevice.totalBytes - estimate.perDevice.kvBytes
  const kvPool = Math.max(0, budget - nonKv)
  const tokenBytes = perLayerTokenBytes(spec, s, 'transformers')
  const types = kvTypes(spec, s, 1, 0, 'transformers')
  const b = blocksOf({kvPool, blockTokens: 1, types, pageBytes: tokenBytes, tokenBytes}, s.contextTokens)
  return {
    engine: 'transformers',
    engineVersion: null,
    deviceMemoryVisibleBytes: visible,
    memoryShare: utilization,
    budgetBytes: Math.floor(budget),
    weightsBytes: estimate.perDevice.weightsBytes,
    activationPeakBytes: estimate.perDevice.activationBytes,
    samplerPeakBytes: 0,
    nonTorchBytes: estimate.perDevice.overheadBytes,
    cudaGraphBytes: 0,
    profileTokens: s.prefillChunkTokens,
    profileSequences: 0,
    kvCachePoolBytesPerDevice: Math.floor(kvPool),
    kvBytesPerTokenPerDevice: tokenBytes * grouping(types).groupSize,
    blockTokens: 1,
    blocks: b.blocks,
    engineReportedKvTokens: b.reportedTokens,
    capacityTokens: b.capacityTokens,
    maxConcurrency: b.maxConcurrency,
    engineLog: [],
  }
}

/** Whether the engine starts and holds one batch of requests at the context: a pool, and room for `batch` of them. */
export const engineFits = (b: EngineBudget, batch: number) => b.kvCachePoolBytesPerDevice > 0 && b.maxConcurrency >= batch

/** The engine's start-up memory accounting for this model, layout and device. */
export function engineBudget(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, settings: EngineSettings, utilization: number): EngineBudget {
  switch (s.engine ?? 'vllm') {
    case 'vllm':
      return vllmBudget(spec, s, hw, settings, utilization)
    case 'sglang':
      return sglangBudget(spec, s, hw, settings)
    case 'tensorrt-llm':
      return trtllmBudget(spec, s, hw, settings)
    case 'llama.cpp':
      return llamacppBudget(spec, s, hw, settings)
    case 'transformers':
      return transformersBudget(spec, s, hw, settings, utilization)
  }
}
