// What a serving engine actually reserves for a set of requests, as opposed to the theoretical cache
// (kv.ts). Most "the calculator is 2-6x off" reports come from this gap, so both are always shown.
import type {LayerGroup, ModelSpec} from '../schema/model.js'

type LinearAttentionKind = NonNullable<ModelSpec['linearAttention']>['kind']
import {kvBytesPerElement} from './dtype.js'
import {compressedKinds, groupKvElements, kvElementsPerTokenPerLayer, linearStateBytesPerLayer, modelStateBytes, type KvOptions, type MlaCacheLayout, type StateElementBytes} from './kv.js'
import {compressedEntriesHeld} from './formulas/deepseek-v4.js'
import {dsv4Layers, sglangDsv4RequestBytes, vllmDsv4BlocksPerRequest, vllmDsv4Layout} from './engine-dsv4.js'

export const engineNames = ['vllm', 'sglang', 'tensorrt-llm', 'llama.cpp', 'transformers'] as const
export type EngineName = (typeof engineNames)[number]

export interface EnginePolicy {
  /** Tokens per KV page; a sequence's cache is rounded up to whole pages. */
  pageTokens: number
  /** Whether sliding-window/chunked layers hold only their window (else the whole context). */
  windowedLayersHoldWindow: boolean
  /** Extra tokens a windowed layer keeps beyond its window (the chunk being prefilled, a page of slack). */
  windowSlackTokens: number
  /** How MLA is stored. */
  mlaCache: MlaCacheLayout
  /** Convolution window kept for linear-attention layers (K - 1 in vLLM, K in transformers). */
  linearConvWindow: (kernel: number) => number
  /** Element bytes of the linear-attention conv and recurrent states, given the model's compute-dtype bytes. */
  linearStateBytes: (modelBytes: number, kind: LinearAttentionKind, pinnedRecurrentBytes?: number) => StateElementBytes
  /** vLLM: hybrid models grow the attention page until one page holds a layer's linear state (and pad the state to a page). */
  alignHybridPages: boolean
  /** Where the rules come from. */
  source: string
}

export const enginePolicies: Record<EngineName, EnginePolicy> = {
  vllm: {
    pageTokens: 16,
    windowedLayersHoldWindow: true,
    windowSlackTokens: 16,
    mlaCache: 'latent',
    linearConvWindow: (kernel) => kernel - 1,
    // mamba_cache_dtype and mamba_ssm_cache_dtype "auto": the model dtype, not --kv-cache-dtype (mamba_utils.py).
    // KDA's recurrent state is always fp32 (kda_state_dtype). Nemotron-H pins mamba_ssm_cache_dtype to the config's
    // value, float32 by default (NemotronHForCausalLMConfig.update_mamba_ssm_cache_dtype, model_executor/models/config.py).
    linearStateBytes: (modelBytes, kind, pinned) => ({conv: modelBytes, recurrent: kind === 'kda' ? 4 : pinned ?? modelBytes}),
    alignHybridPages: true,
    source:
      'vLLM v1 KV cache manager: block_size 16 (vllm/config/cache.py); SlidingWindowSpec/ChunkedLocalAttentionSpec keep the window plus a block; MLAAttentionSpec stores kv_lora_rank + qk_rope_head_dim as one head; MambaSpec conv state (K-1)',
  },
  sglang: {
    pageTokens: 1,
    windowedLayersHoldWindow: true,
    windowSlackTokens: 0,
    mlaCache: 'latent',
    linearConvWindow: (kernel) => kernel - 1,
    // ServerArgs.mamba_ssm_dtype "float32" for the recurrent state; the conv state in the model dtype (Mamba2CacheParams).
    linearStateBytes: (modelBytes) => ({conv: modelBytes, recurrent: 4}),
    alignHybridPages: false,
    source: 'SGLang: page_size 1 by default; SWA token pool for hybrid sliding-window models; MLATokenToKVPool stores kv_lora_rank + qk_rope_head_dim',
  },
  'tensorrt-llm': {
    pageTokens: 32,
    windowedLayersHoldWindow: true,
    windowSlackTokens: 0,
    mlaCache: 'latent',
    linearConvWindow: (kernel) => kernel - 1,
    linearStateBytes: (modelBytes) => ({conv: modelBytes, recurrent: modelBytes}),
    alignHybridPages: false,
    source:
      'TensorRT-LLM KvCacheConfig: tokens_per_block 32 (tensorrt_llm/llmapi/llm_args.py); per-layer max_attention_window for sliding layers; MLA caches kv_lora_rank + qk_rope_head_dim',
  },
  'llama.cpp': {
    pageTokens: 256,
    windowedLayersHoldWindow: true,
    windowSlackTokens: 512,
    mlaCache: 'latent',
    linearConvWindow: (kernel) => kernel - 1,
    linearStateBytes: () => ({conv: 4, recurrent: 4}), // llama.cpp recurrent memory: r_l / s_l tensors in F32
    alignHybridPages: false,
    source:
      'llama.cpp llama-kv-cache: context padded to 256 cells; iSWA cache holds n_swa + n_ubatch (512) cells for sliding layers unless --swa-full; MLA cached as the latent since 2025 (older builds cached expanded K/V)',
  },
  transformers: {
    pageTokens: 1,
    windowedLayersHoldWindow: true,
    windowSlackTokens: 0,
    mlaCache: 'expanded',
    linearConvWindow: (kernel) => kernel,
    // conv state in the input dtype; the recurrent state comes back from the delta-rule kernel in fp32.
    linearStateBytes: (modelBytes) => ({conv: modelBytes, recurrent: 4}),
    alignHybridPages: false,
    source:
      'transformers DynamicCache grows by exact tokens; sliding/chunked layers use sliding-window cache layers; DeepseekV3Attention caches per-head key (nope+rope) and value states; Qwen3NextDynamicCache keeps the full conv kernel window',
  },
}

/** Bytes per element of the recurrent state when the model pins its dtype (recurrentStateDtype), else undefined. */
const pinnedRecurrentBytes = (spec: ModelSpec): number | undefined => {
  const dtype = spec.linearAttention?.recurrentStateDtype
  return dtype === undefined ? undefined : dtype === 'fp32' ? 4 : 2
}

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step

/** Tokens an engine reserves for one sequence in one layer at context L, with pages of `pageTokens`. */
export function engineTokensHeld(group: LayerGroup, contextTokens: number, policy: EnginePolicy, pageTokens = policy.pageTokens): number {
  if (group.kvSourceLayer !== undefined || group.mixer === 'linear' || group.mixer === 'none') return 0
  if ((group.mixer === 'sliding' || group.mixer === 'chunked') && policy.windowedLayersHoldWindow)
    return roundUp(Math.min(contextTokens, group.windowTokens! + policy.windowSlackTokens), pageTokens)
  return roundUp(contextTokens, pageTokens)
}

export interface EnginePages {
  /** Tokens per attention page. */
  pageTokens: number
  /** Bytes one linear-attention layer reserves per sequence (padded to a page where the engine does). */
  linearStateBytesPerLayer: number
}

/**
 * Page size and per-layer linear state an engine uses for this model. vLLM's HybridAttentionMambaModelConfig
 * (vllm/model_executor/models/config.py) raises the attention block size, in steps of 16, until one page of one
 * attention layer holds one layer's linear state, then pads that state to exactly one page.
 */
export function enginePages(spec: ModelSpec, engine: EngineName, o: Pick<KvOptions, 'kvFormat'>): EnginePages {
  const policy = enginePolicies[engine]
  if (!spec.linearAttention || !spec.layerGroups.some((g) => g.mixer === 'linear' || g.mixer === 'parallel')) return {pageTokens: policy.pageTokens, linearStateBytesPerLayer: 0}
  const stateBytes = linearStateBytesPerLayer(spec, policy.linearConvWindow(spec.linearAttention.convKernel), policy.linearStateBytes(modelStateBytes(spec), spec.linearAttention.kind, pinnedRecurrentBytes(spec)))
  // Attention-free models (Mamba, Mamba-2) have no attention page to align with: each layer keeps its state as is.
  const attentionFree = spec.layerGroups.every((g) => g.mixer === 'linear' || g.mixer === 'none')
  if (!policy.alignHybridPages || attentionFree) return {pageTokens: policy.pageTokens, linearStateBytesPerLayer: stateBytes}
  const attentionBytesPerToken = kvElementsPerTokenPerLayer(spec, policy.mlaCache) * kvBytesPerElement(o.kvFormat)
  const pageTokens = roundUp(Math.ceil(stateBytes / attentionBytesPerToken), policy.pageTokens)
  return {pageTokens, linearStateBytesPerLayer: pageTokens * attentionBytesPerToken}
}

/** Bytes an engine reserves for `batch` sequences of `contextTokens` each (its KV dtype: o.kvFormat). */
export function engineKvBytes(spec: ModelSpec, contextTokens: number, batch: number, engine: EngineName, o: Pick<KvOptions, 'kvFormat'>): number {
  // DeepSeek-V4 in vLLM: the pool blocks a decoding request holds (one new token a step), each worth a whole block of
  // the shared pool; in SGLang: its pools' bytes for the request (engine-dsv4.ts). Both store fp8_ds_mla entries
  // whatever --kv-dtype says (vLLM DeepseekV4MLAAttention accepts fp8 only; SGLang's fp8_e4m3 default).
  const v4 = engine === 'vllm' ? vllmDsv4Layout(spec) : null
  if (v4) return batch * vllmDsv4BlocksPerRequest(v4, contextTokens, 1) * v4.blockBytes
  if (engine === 'sglang' && dsv4Layers(spec)) return batch * sglangDsv4RequestBytes(spec, contextTokens)
  const policy = enginePolicies[engine]
  const pages = enginePages(spec, engine, o)
  let bytes = 0
  for (const group of spec.layerGroups) {
    if (group.mixer === 'linear' || group.mixer === 'parallel') bytes += group.count * pages.linearStateBytesPerLayer
    // Each group its own bytes per token (Gemma 4 full layers, MiMo-V2-Flash sliding layers, MiniMax-M3 index keys).
    const groupToken = groupKvElements(spec, group, policy.mlaCache) * kvBytesPerElement(o.kvFormat)
    if (group.mixer !== 'linear') bytes += group.count * engineTokensHeld(group, contextTokens, policy, pages.pageTokens) * groupToken
  }
  // DeepSeek-V4 in the other engines: the CSA / HCA layers' compressed entries, paged like tokens, at the theoretical
  // entries' bytes (their own DeepSeek-V4 layouts are not modelled).
  for (const c of compressedKinds(spec))
    bytes += c.layers * roundUp(compressedEntriesHeld.evaluate({L: contextTokens, r: c.ratio}), pages.pageTokens) * c.entryElements * kvBytesPerElement(o.kvFormat)
  return bytes * batch
}

