// KV cache: cached elements per token per layer, tokens each kind of layer holds, bytes of the cache and of the
// fixed linear-attention state. Engine policies (pages, window slack) are applied elsewhere (src/calc/engines.ts).
import type {ModelSpec} from '../../schema/model.js'
import type {AttentionKind} from '../layers.js'
import {formula} from './formula.js'

// GQA/MHA/MQA cache keys and values of every KV head (Ainslie et al. 2023, GQA; transformers DynamicCache).
export const gqaKvElements = formula({
  id: 'kv.elementsPerToken.gqa',
  label: 'cached values per token per layer (keys and values of every KV head)',
  expression: 'Hkv * (d + dv)',
  symbols: {Hkv: 'key/value heads', d: 'key head width (elements)', dv: 'value head width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'Ainslie et al. 2023 (GQA); transformers DynamicCache key_states, value_states',
  evaluate: (v) => v.Hkv * (v.d + v.dv),
  read: (spec: ModelSpec) => ({Hkv: spec.attention.kvHeads, d: spec.attention.headDim, dv: spec.attention.valueHeadDim}),
})

// MiniMax-M3 sparse layer: keys and values of every KV head plus the MSA indexer's single key (SGLang's index-key
// buffer beside the paged K/V cache, MiniMaxM3Attention / kv_pool.get_index_k_buffer in models/minimax_m3.py).
export const msaKvElements = formula({
  id: 'kv.elementsPerToken.msa',
  label: 'cached values per token per sparse layer (keys and values of every KV head, and the index key)',
  expression: 'Hkv * (d + dv) + di',
  symbols: {Hkv: 'key/value heads', d: 'key head width (elements)', dv: 'value head width (elements)', di: 'MSA indexer key width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'SGLang MiniMaxM3Attention (models/minimax_m3.py): K/V cache and index_k cache per sparse layer',
  evaluate: (v) => v.Hkv * (v.d + v.dv) + v.di,
  read: (spec: ModelSpec) => ({Hkv: spec.attention.kvHeads, d: spec.attention.headDim, dv: spec.attention.valueHeadDim, di: spec.attention.indexer!.headDim}),
})

// A decode step of a sparse layer reads the K and V (MLA: the latent) of its top-k keys only, and the index key of
// every cached token (MiniMax-M3: top-k blocks; DeepSeek-V3.2 inference/model.py Indexer.forward scores every
// k_cache entry, MLA.forward attends the topk_indices; a GLM-5 IndexShare layer has no index key, di = 0).
export const msaKvBytesRead = formula({
  id: 'kv.bytesRead.msa',
  label: 'KV bytes a decode step reads in the sparse layers (top-k keys\' K and V, every index key)',
  expression: 'n * (min(T, k) * e + T * di) * bytes * B',
  symbols: {
    n: 'sparse layers',
    T: 'tokens each holds (tokens)',
    k: 'keys a query attends, top-k (MSA: blocks x block size) (tokens)',
    e: 'K and V values per token, Hkv * (d + dv) or the MLA latent (elements)',
    di: 'index key width, 0 for a layer reusing an earlier top-k (elements)',
    bytes: 'bytes per cached value (bytes/element)',
    B: 'sequences (batch)',
  },
  unit: 'bytes',
  integer: true,
  source: 'SGLang MiniMaxM3Attention sparse attention (models/minimax_m3.py): top-k block selection over the index keys',
  evaluate: (v) => v.n * (Math.min(v.T, v.k) * v.e + v.T * v.di) * v.bytes * v.B,
})

// MLA latent cache: the compressed KV latent plus the decoupled RoPE key (DeepSeek-V2 §2.1, arXiv 2405.04434).
export const mlaLatentKvElements = formula({
  id: 'kv.elementsPerToken.mlaLatent',
  label: 'cached values per token per layer (MLA latent and RoPE key)',
  expression: 'rkv + dr',
  symbols: {rkv: 'KV latent rank, kv_lora_rank (elements)', dr: 'decoupled RoPE key width, qk_rope_head_dim (elements)'},
  unit: 'elements',
  integer: true,
  source: 'DeepSeek-V2 §2.1 (arXiv 2405.04434); vLLM MLACommonImpl kv_c_and_k_pe_cache',
  evaluate: (v) => v.rkv + v.dr,
  read: (spec: ModelSpec) => ({rkv: spec.attention.mla!.kvLoraRank, dr: spec.attention.mla!.qkRopeHeadDim}),
})

// MLA expanded cache: per-head keys (nope + rope) and values, as transformers' DeepseekV3Attention caches them.
export const mlaExpandedKvElements = formula({
  id: 'kv.elementsPerToken.mlaExpanded',
  label: 'cached values per token per layer (MLA expanded per head)',
  expression: 'H * (dqk + dv)',
  symbols: {H: 'attention heads', dqk: 'per-head key width, nope + rope (elements)', dv: 'value head width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'transformers DeepseekV3Attention past_key_value.update (modeling_deepseek_v3.py)',
  evaluate: (v) => v.H * (v.dqk + v.dv),
  read: (spec: ModelSpec) => ({H: spec.attention.heads, dqk: spec.attention.headDim, dv: spec.attention.valueHeadDim}),
})

// DeepSeek Sparse Attention layer with its own indexer: the MLA latent and RoPE key plus the indexer's key
// (DeepSeek-V3.2-Exp inference/model.py Indexer: k_cache (max_seq_len, index_head_dim) beside MLA's kv_cache and
// pe_cache; vLLM deepseek_v2.py DeepseekV32IndexerCache). A GLM-5 IndexShare layer caches no index key.
export const dsaLatentKvElements = formula({
  id: 'kv.elementsPerToken.dsaLatent',
  label: 'cached values per token per DSA layer with its own indexer (MLA latent, RoPE key and the index key)',
  expression: 'rkv + dr + di',
  symbols: {rkv: 'KV latent rank, kv_lora_rank (elements)', dr: 'decoupled RoPE key width, qk_rope_head_dim (elements)', di: 'indexer key width, index_head_dim (elements)'},
  unit: 'elements',
  integer: true,
  source: 'DeepSeek-V3.2-Exp inference/model.py Indexer.k_cache and MLA.kv_cache / pe_cache',
  evaluate: (v) => v.rkv + v.dr + v.di,
  read: (spec: ModelSpec) => ({rkv: spec.attention.mla!.kvLoraRank, dr: spec.attention.mla!.qkRopeHeadDim, di: spec.attention.indexer!.headDim}),
})

// The same layer with MLA's keys and values expanded per head (transformers' cache), the index key beside them.
export const dsaExpandedKvElements = formula({
  id: 'kv.elementsPerToken.dsaExpanded',
  label: 'cached values per token per DSA layer with its own indexer (MLA expanded per head, and the index key)',
  expression: 'H * (dqk + dv) + di',
  symbols: {H: 'attention heads', dqk: 'per-head key width, nope + rope (elements)', dv: 'value head width (elements)', di: 'indexer key width, index_head_dim (elements)'},
  unit: 'elements',
  integer: true,
  source: 'transformers DeepseekV32Attention / DeepseekV32Indexer caches (modular_deepseek_v32.py)',
  evaluate: (v) => v.H * (v.dqk + v.dv) + v.di,
  read: (spec: ModelSpec) => ({H: spec.attention.heads, dqk: spec.attention.headDim, dv: spec.attention.valueHeadDim, di: spec.attention.indexer!.headDim}),
})

// Sliding-window and chunked layers keep at most their window (Mistral/Gemma 2 sliding window; Llama 4 chunked attention).
export const windowTokensHeld = formula({
  id: 'kv.tokensHeld.window',
  label: 'tokens a windowed layer holds',
  expression: 'min(L, w)',
  symbols: {L: 'context (tokens)', w: 'window or chunk size (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'transformers SlidingWindowCache / HybridCache (cache_utils.py); Llama 4 chunked attention',
  evaluate: (v) => Math.min(v.L, v.w),
  read: (kind: AttentionKind, contextTokens: number) => ({L: contextTokens, w: kind.windowTokens}),
})

// Bytes of one kind of attention layers for B sequences: layers x tokens held x values per token x bytes per value x B.
export const layerKvBytes = formula({
  id: 'kv.bytes.layers',
  label: 'KV cache of the layers of one kind',
  expression: 'n * T * e * bytes * B',
  symbols: {n: 'layers of this kind that keep their own KV', T: 'tokens each holds (tokens)', e: 'cached values per token per layer (elements)', bytes: 'bytes per cached value (bytes/element)', B: 'sequences (batch)'},
  unit: 'bytes',
  integer: true,
  source: 'transformers DynamicCache; vLLM KVCacheSpec.page_size_bytes (kv_cache_interface.py)',
  evaluate: (v) => v.n * v.T * v.e * v.bytes * v.B,
})

// Gated DeltaNet / KDA conv state: the causal conv's channels times the window kept (K in transformers, K - 1 in vLLM).
export const linearConvStateElements = formula({
  id: 'kv.linearState.conv',
  label: 'conv state of one linear-attention layer, per sequence',
  expression: '(2 * Hk * dk + Hv * dv) * W',
  symbols: {Hk: 'key heads', dk: 'key head width (elements)', Hv: 'value heads', dv: 'value head width (elements)', W: 'conv window kept (taps)'},
  unit: 'elements',
  integer: true,
  source: 'transformers Qwen3NextDynamicCache.conv_states (modeling_qwen3_next.py); vLLM mamba_utils.py',
  evaluate: (v) => (2 * v.Hk * v.dk + v.Hv * v.dv) * v.W,
  read: (spec: ModelSpec, convWindow: number) => {
    const la = spec.linearAttention!
    return {Hk: la.keyHeads, dk: la.keyHeadDim, Hv: la.valueHeads, dv: la.valueHeadDim, W: convWindow}
  },
})

// Mamba-1 and short-conv conv state: one channel per inner (Mamba) or hidden (LFM2) element, the window kept
// (K in transformers' MambaCache conv_states and Lfm2HybridConvCache, K - 1 in vLLM's mamba state shapes).
export const channelConvStateElements = formula({
  id: 'kv.linearState.convChannels',
  label: 'conv state of one Mamba or short-conv layer, per sequence',
  expression: 'C * W',
  symbols: {C: 'conv channels: d_inner (Mamba) or hidden size (LFM2) (elements)', W: 'conv window kept (taps)'},
  unit: 'elements',
  integer: true,
  source: 'transformers MambaCache.conv_states (modeling_mamba.py), Lfm2HybridConvCache; vLLM mamba_utils.py MambaStateShapeCalculator',
  evaluate: (v) => v.C * v.W,
  read: (spec: ModelSpec, convWindow: number) => ({C: spec.linearAttention!.valueHeads * spec.linearAttention!.valueHeadDim, W: convWindow}),
})

// Delta-rule recurrent state: one dk x dv matrix per value head (Yang et al. 2024, Gated Delta Networks). The same
// expression holds the SSM state: Mamba-2 n_heads x d_state x head_dim, Mamba-1 d_inner x d_state (valueHeadDim 1).
export const linearRecurrentStateElements = formula({
  id: 'kv.linearState.recurrent',
  label: 'recurrent state of one linear-attention layer, per sequence',
  expression: 'Hv * dk * dv',
  symbols: {Hv: 'value heads', dk: 'key head width (elements)', dv: 'value head width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'transformers Qwen3NextDynamicCache.recurrent_states; Yang et al. 2024 (arXiv 2412.06464); vLLM MambaStateShapeCalculator (mamba1, mamba2)',
  evaluate: (v) => v.Hv * v.dk * v.dv,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {Hv: la.valueHeads, dk: la.keyHeadDim, dv: la.valueHeadDim}
  },
})

// Bytes of one layer's state, conv and recurrent parts each in its own element size (vLLM mamba_cache_dtype, mamba_ssm_cache_dtype).
export const linearStateLayerBytes = formula({
  id: 'kv.linearState.bytesPerLayer',
  label: 'linear-attention state of one layer, per sequence',
  expression: 'conv * cb + rec * rb',
  symbols: {conv: 'conv state (elements)', cb: 'bytes per conv-state value (bytes/element)', rec: 'recurrent state (elements)', rb: 'bytes per recurrent-state value (bytes/element)'},
  unit: 'bytes',
  integer: true,
  source: 'vLLM mamba_utils.py MambaStateDtypeCalculator; transformers Qwen3NextDynamicCache',
  evaluate: (v) => v.conv * v.cb + v.rec * v.rb,
})

// The fixed state of every linear-attention layer for B sequences: it does not grow with the context.
export const linearStateKvBytes = formula({
  id: 'kv.bytes.linearState',
  label: 'linear-attention state, all linear layers',
  expression: 'nl * S * B',
  symbols: {nl: 'linear-attention layers', S: 'state of one layer per sequence (bytes)', B: 'sequences (batch)'},
  unit: 'bytes',
  integer: true,
  source: 'transformers Qwen3NextDynamicCache; vLLM MambaSpec',
  evaluate: (v) => v.nl * v.S * v.B,
})

// What one more token adds to one sequence's cache at context L: only layers still growing (full, or under their window).
export const kvBytesPerTokenAt = formula({
  id: 'kv.bytesPerToken',
  label: 'bytes one more token adds at context L (layers still growing)',
  expression: 'growing * e * bytes',
  symbols: {growing: 'layers whose cache still grows at context L', e: 'cached values per token per layer (elements)', bytes: 'bytes per cached value (bytes/element)'},
  unit: 'bytes',
  integer: true,
  source: 'per-layer growth of transformers DynamicCache / SlidingWindowCache',
  evaluate: (v) => v.growing * v.e * v.bytes,
})

export const kvFormulas = [
  gqaKvElements,
  msaKvElements,
  msaKvBytesRead,
  mlaLatentKvElements,
  mlaExpandedKvElements,
  dsaLatentKvElements,
  dsaExpandedKvElements,
  windowTokensHeld,
  layerKvBytes,
  linearConvStateElements,
  channelConvStateElements,
  linearRecurrentStateElements,
  linearStateLayerBytes,
  linearStateKvBytes,
  kvBytesPerTokenAt,
] as const
