// KV-cache sizes: the theoretical cache of a set of requests, per layer kind. Engine policies
// (paging, sliding-window handling, MLA layout) are applied on top, in src/calc/engines.ts.
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {kvBytesPerElement, type KvFormat} from './dtype.js'

export type MlaCacheLayout = 'latent' | 'expanded'

export interface KvOptions {
  kvFormat: KvFormat
  mlaCache: MlaCacheLayout
}

/**
 * Cached elements per token in one attention layer.
 * GQA/MHA/MQA: keys and values of every KV head, kvHeads * (headDim + valueHeadDim) (Ainslie et al. 2023, GQA).
 * MLA latent: kvLoraRank + qkRopeHeadDim, the compressed latent plus the decoupled RoPE key
 * (DeepSeek-V2 tech report §2.1, arXiv 2405.04434); MLA expanded: heads * (qkHeadDim + vHeadDim).
 */
export function kvElementsPerTokenPerLayer(spec: ModelSpec, mlaCache: MlaCacheLayout): number {
  const att = spec.attention
  if (att.mla) {
    if (mlaCache === 'latent') return att.mla.kvLoraRank + att.mla.qkRopeHeadDim
    return att.heads * (att.headDim + att.valueHeadDim)
  }
  return att.kvHeads * (att.headDim + att.valueHeadDim)
}

/** Tokens one layer of the group holds at context L: all of them, at most the window/chunk, or none if it reuses another layer's KV. */
export function tokensHeld(group: LayerGroup, contextTokens: number): number {
  if (group.kvSourceLayer !== undefined || group.mixer === 'linear') return 0
  if (group.mixer === 'sliding' || group.mixer === 'chunked') return Math.min(contextTokens, group.windowTokens!)
  return contextTokens
}

/**
 * Fixed recurrent state of one Gated DeltaNet layer per sequence, in elements, as transformers'
 * Qwen3NextDynamicCache keeps it: conv_states (2*Hk*dk + Hv*dv, convWindow) and
 * recurrent_states (Hv, dk, dv). transformers keeps the whole kernel window (K); vLLM keeps K - 1.
 */
export function linearStateElements(spec: ModelSpec, convWindow: number): {convElements: number; recurrentElements: number} {
  const la = spec.linearAttention
  if (!la) throw new Error('linear layer without a linearAttention block')
  const convChannels = 2 * la.keyHeads * la.keyHeadDim + la.valueHeads * la.valueHeadDim
  return {convElements: convChannels * convWindow, recurrentElements: la.valueHeads * la.keyHeadDim * la.valueHeadDim}
}

/** Element sizes of the linear-attention state: conv state and recurrent state are kept apart from the KV dtype. */
export interface StateElementBytes {
  conv: number
  recurrent: number
}

/**
 * Bytes per element of the compute dtype the state is kept in. Checkpoints in 16-bit or quantized formats compute
 * in bf16/fp16, and fp32 checkpoints are served in bf16 (as the KV default), so this is 2 for every preset.
 */
export function modelStateBytes(_spec: ModelSpec): number {
  return 2
}

/** Bytes of one linear-attention layer's state per sequence. */
export function linearStateBytesPerLayer(spec: ModelSpec, convWindow: number, bytes: StateElementBytes): number {
  const state = linearStateElements(spec, convWindow)
  return state.convElements * bytes.conv + state.recurrentElements * bytes.recurrent
}

export interface KvBreakdown {
  /** Bytes of full-attention layers. */
  fullBytes: number
  /** Bytes of sliding-window and chunked layers (bounded by their window). */
  windowedBytes: number
  /** Fixed-size state of linear-attention layers (does not grow with context). */
  linearStateBytes: number
  totalBytes: number
}

/**
 * Theoretical cache of `batch` sequences of `contextTokens` each:
 *     Σ_layers tokensHeld(layer, L) · kvElementsPerToken · bytesPerElement · B  +  linear states · B
 * Linear-attention state (conv window K, recurrent) is kept in the model's compute dtype whatever the KV dtype,
 * as vLLM's mamba_cache_dtype / mamba_ssm_cache_dtype "auto" do (mamba_utils.py); engines differ (engines.ts).
 */
export function kvCache(spec: ModelSpec, contextTokens: number, batch: number, o: KvOptions): KvBreakdown {
  const elementBytes = kvBytesPerElement(o.kvFormat)
  const perToken = kvElementsPerTokenPerLayer(spec, o.mlaCache) * elementBytes
  let fullBytes = 0
  let windowedBytes = 0
  let linearLayers = 0
  for (const group of spec.layerGroups) {
    if (group.mixer === 'linear') {
      linearLayers += group.count
      continue
    }
    const bytes = group.count * tokensHeld(group, contextTokens) * perToken
    if (group.mixer === 'full') fullBytes += bytes
    else windowedBytes += bytes
  }
  let linearStateBytes = 0
  if (linearLayers) {
    const stateBytes = modelStateBytes(spec)
    linearStateBytes = linearLayers * linearStateBytesPerLayer(spec, spec.linearAttention!.convKernel, {conv: stateBytes, recurrent: stateBytes})
  }
  fullBytes *= batch
  windowedBytes *= batch
  linearStateBytes *= batch
  return {fullBytes, windowedBytes, linearStateBytes, totalBytes: fullBytes + windowedBytes + linearStateBytes}
}

/** Bytes the cache of one sequence grows by for the next token at context L: only layers still growing count. */
export function kvBytesPerTokenAt(spec: ModelSpec, contextTokens: number, o: KvOptions): number {
  const perToken = kvElementsPerTokenPerLayer(spec, o.mlaCache) * kvBytesPerElement(o.kvFormat)
  let growingLayers = 0
  for (const group of spec.layerGroups) if (tokensHeld(group, contextTokens + 1) > tokensHeld(group, contextTokens)) growingLayers += group.count
  return growingLayers * perToken
}
