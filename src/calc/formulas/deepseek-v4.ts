// DeepSeek-V4 (model_type deepseek_v4): parameters, KV entries and attention FLOPs of its hybrid attention
// (a 128-token sliding window in every layer, plus a KV compressor in CSA and HCA layers), its lightning indexer, its
// manifold-constrained hyper-connections and its hash-routed MoE layers. Sources: transformers
// src/transformers/models/deepseek_v4/modeling_deepseek_v4.py (classes named per entry) and DeepSeek's inference/model.py.
import type {ModelSpec} from '../../schema/model.js'
import {formula} from './formula.js'

const v4 = (spec: ModelSpec) => {
  if (!spec.deepseekV4) throw new Error(`${spec.id}: not a DeepSeek-V4 spec`)
  return spec.deepseekV4
}

// DeepseekV4Attention: q_a_proj (h, rq), q_b_proj (rq, H*d), kv_proj (h, d): one KV head read as key and value,
// o_a_proj grouped (H*d/g -> ro per group, H*d*ro in all), o_b_proj (g*ro, h), sinks (H); no biases.
export const v4AttentionParams = formula({
  id: 'params.attention.deepseekV4',
  label: 'DeepSeek-V4 attention projections and sinks, one layer',
  expression: 'h * rq + rq * H * d + h * d + H * d * ro + g * ro * h + H',
  symbols: {h: 'hidden size (elements)', rq: 'query latent rank, q_lora_rank (elements)', H: 'attention heads', d: 'head width, shared by key and value (elements)', ro: 'output rank per group, o_lora_rank (elements)', g: 'output groups, o_groups'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4Attention, DeepseekV4GroupedLinear (modeling_deepseek_v4.py)',
  evaluate: (v) => v.h * v.rq + v.rq * v.H * v.d + v.h * v.d + v.H * v.d * v.ro + v.g * v.ro * v.h + v.H,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, rq: v4(spec).qLoraRank, H: spec.attention.heads, d: spec.attention.headDim, ro: v4(spec).oLoraRank, g: v4(spec).oGroups}),
})

// DeepseekV4CSACompressor / DeepseekV4HCACompressor: kv_proj and gate_proj (h, c*d), position_bias (r, c*d); c = 2
// for CSA (two overlapping series Ca, Cb), 1 for HCA. Its kv_norm (d) is counted with the norms. Under "other".
export const v4CompressorParams = formula({
  id: 'params.compressor.deepseekV4',
  label: 'DeepSeek-V4 KV compressor of one CSA or HCA layer (projections and position bias)',
  expression: '2 * h * c * d + r * c * d',
  symbols: {h: 'hidden size (elements)', c: '2 for CSA (overlapping windows), 1 for HCA', d: 'head width (elements)', r: 'compression ratio (tokens per entry)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4CSACompressor, DeepseekV4HCACompressor (modeling_deepseek_v4.py); inference/model.py Compressor (wkv, wgate, ape)',
  evaluate: (v) => 2 * v.h * v.c * v.d + v.r * v.c * v.d,
  read: (spec: ModelSpec, kind: 'csa' | 'hca') => ({h: spec.hiddenSize, c: kind === 'csa' ? 2 : 1, d: spec.attention.headDim, r: kind === 'csa' ? v4(spec).csaRatio : v4(spec).hcaRatio}),
})

// DeepseekV4Indexer of a CSA layer: q_b_proj (rq, Hi*di), scorer.weights_proj (h, Hi), its own overlapping compressor
// kv_proj and gate_proj (h, 2*di) and position_bias (r, 2*di); its kv_norm (di) is counted with the norms. Under "other".
export const v4IndexerParams = formula({
  id: 'params.indexer.deepseekV4',
  label: 'DeepSeek-V4 lightning indexer of one CSA layer',
  expression: 'rq * Hi * di + h * Hi + 2 * h * 2 * di + r * 2 * di',
  symbols: {rq: 'query latent rank (elements)', Hi: 'indexer heads', di: 'indexer head width (elements)', h: 'hidden size (elements)', r: 'CSA compression ratio (tokens per entry)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4Indexer, DeepseekV4IndexerScorer (modeling_deepseek_v4.py)',
  evaluate: (v) => v.rq * v.Hi * v.di + v.h * v.Hi + 2 * v.h * 2 * v.di + v.r * 2 * v.di,
  read: (spec: ModelSpec) => ({rq: v4(spec).qLoraRank, Hi: spec.attention.indexer!.heads, di: spec.attention.indexer!.headDim, h: spec.hiddenSize, r: v4(spec).csaRatio}),
})

// DeepseekV4DecoderLayer norms: input_layernorm and post_attention_layernorm (h), q_a_norm (rq), kv_norm (d), the
// compressor's kv_norm (d) and, in a CSA layer, the indexer's kv_norm (di). q_b_norm is unweighted.
export const v4LayerNormParams = formula({
  id: 'params.norms.deepseekV4',
  label: 'DeepSeek-V4 norm weights, one layer',
  expression: '2 * h + rq + d + k * d + x * di',
  symbols: {h: 'hidden size (elements)', rq: 'query latent rank (elements)', d: 'head width (elements)', k: '1 in a CSA or HCA layer (compressor kv_norm), else 0', x: '1 in a CSA layer (indexer kv_norm), else 0', di: 'indexer head width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4DecoderLayer, DeepseekV4Attention.q_a_norm/kv_norm, compressor and indexer kv_norm (modeling_deepseek_v4.py)',
  evaluate: (v) => 2 * v.h + v.rq + v.d + v.k * v.d + v.x * v.di,
  read: (spec: ModelSpec, kind: 'csa' | 'hca' | 'none') => ({
    h: spec.hiddenSize,
    rq: v4(spec).qLoraRank,
    d: spec.attention.headDim,
    k: kind === 'none' ? 0 : 1,
    x: kind === 'csa' ? 1 : 0,
    di: spec.attention.indexer?.headDim ?? 0,
  }),
})

// DeepseekV4HyperConnection, twice per layer (attn_hc, ffn_hc): fn ((2+n)*n, n*h), base ((2+n)*n), scale (3).
export const hyperConnectionParams = formula({
  id: 'params.hyperConnection',
  label: 'manifold-constrained hyper-connections of one layer (attn_hc and ffn_hc)',
  expression: '2 * ((2 + n) * n * n * h + (2 + n) * n + 3)',
  symbols: {n: 'residual streams, hc_mult', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4HyperConnection (modeling_deepseek_v4.py); inference/model.py Block hc_attn_fn/base/scale, hc_ffn_*',
  evaluate: (v) => 2 * ((2 + v.n) * v.n * v.n * v.h + (2 + v.n) * v.n + 3),
  read: (spec: ModelSpec) => ({n: v4(spec).hcMult, h: spec.hiddenSize}),
})

// DeepseekV4HyperHead: the final collapse of the n streams, hc_fn (n, n*h), hc_base (n), hc_scale (1).
export const hyperHeadParams = formula({
  id: 'params.hyperHead',
  label: 'hyper-connection head (collapses the streams before the final norm)',
  expression: 'n * n * h + n + 1',
  symbols: {n: 'residual streams, hc_mult', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4HyperHead (modeling_deepseek_v4.py); inference/model.py hc_head_fn/base/scale',
  evaluate: (v) => v.n * v.n * v.h + v.n + 1,
  read: (spec: ModelSpec) => ({n: v4(spec).hcMult, h: spec.hiddenSize}),
})

// DeepseekV4HashRouter: the learned gate weight (E, h) still weights the chosen experts; the frozen token-id table
// tid2eid (V, k), a persistent buffer saved in the checkpoint, picks them; no e_score_correction_bias.
export const hashRouterParams = formula({
  id: 'params.moe.hashRouter',
  label: 'hash router, one hash-routed MoE layer (gate weight and token-to-expert table)',
  expression: 'h * E + V * k',
  symbols: {h: 'hidden size (elements)', E: 'routed experts', V: 'vocabulary size (rows)', k: 'experts per token'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV4HashRouter (weight, tid2eid); inference/model.py Gate (hash: tid2eid, bias None)',
  evaluate: (v) => v.h * v.E + v.V * v.k,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, E: spec.moe!.routedExperts, V: spec.embeddings.vocabSize, k: spec.moe!.topK}),
})

// inference/model.py MTPBlock: a full Block (attention, MoE, hyper-connections) plus e_proj and h_proj (h, h),
// enorm, hnorm and norm (h), and its own hyper-connection head; embedding and LM head shared with the main model.
export const v4MtpParams = formula({
  id: 'params.mtp.deepseekV4',
  label: 'DeepSeek-V4 multi-token-prediction blocks (shipped, not run by default)',
  expression: 'm * (layer + 2 * h * h + 3 * h + head)',
  symbols: {m: 'MTP blocks', layer: 'parameters of the block\'s decoder layer (params)', h: 'hidden size (elements)', head: 'its hyper-connection head (params)'},
  unit: 'params',
  integer: true,
  source: 'DeepSeek-V4 inference/model.py MTPBlock (e_proj, h_proj, enorm, hnorm, norm, hc_head_fn/base/scale)',
  evaluate: (v) => v.m * (v.layer + 2 * v.h * v.h + 3 * v.h + v.head),
  read: (spec: ModelSpec, layer: number, head: number) => ({m: spec.mtpLayers, layer, h: spec.hiddenSize, head}),
})

// One KV head read as both key and value: DeepseekV4HCACache.update stores the keys once (values = keys).
export const sharedKvElements = formula({
  id: 'kv.elementsPerToken.sharedKv',
  label: 'cached values per token per layer (one head read as key and value)',
  expression: 'Hkv * d',
  symbols: {Hkv: 'key/value heads', d: 'head width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'transformers DeepseekV4HCACache.update (self.values = self.keys), modeling_deepseek_v4.py',
  evaluate: (v) => v.Hkv * v.d,
  read: (spec: ModelSpec) => ({Hkv: spec.attention.kvHeads, d: spec.attention.headDim}),
})

// A CSA or HCA layer emits one compressed entry per closed window of r tokens (the partial window stays in a buffer).
export const compressedEntriesHeld = formula({
  id: 'kv.tokensHeld.compressed',
  label: 'compressed entries a CSA or HCA layer holds at context L',
  expression: 'floor(L / r)',
  symbols: {L: 'context (tokens)', r: 'compression ratio (tokens per entry)'},
  unit: 'tokens',
  integer: true,
  source: 'transformers DeepseekV4HCACache.store_compression_weights (usable = len // compress_rate), update_compressor_states',
  evaluate: (v) => Math.floor(v.L / v.r),
})

// Values of one compressed entry: the compressed K=V (d) and, in a CSA layer, the indexer's compressed key (di).
export const compressedEntryElements = formula({
  id: 'kv.elementsPerEntry.compressed',
  label: 'cached values per compressed entry (compressed K=V, and the indexer key in a CSA layer)',
  expression: 'd + x * di',
  symbols: {d: 'head width (elements)', x: '1 in a CSA layer, else 0', di: 'indexer head width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'transformers DeepseekV4CSACache compressed_kv "compressor" (head_dim) and "indexer" (index_head_dim)',
  evaluate: (v) => v.d + v.x * v.di,
  read: (spec: ModelSpec, kind: 'csa' | 'hca') => ({d: spec.attention.headDim, x: kind === 'csa' ? 1 : 0, di: spec.attention.indexer?.headDim ?? 0}),
})

// What one more token adds to one sequence's cache, averaged over a compression window: the growing window layers'
// entries, plus each CSA and HCA layer's entry spread over its r tokens.
export const v4KvBytesPerToken = formula({
  id: 'kv.bytesPerToken.deepseekV4',
  label: 'bytes one more token adds at context L (windows still growing, compressed entries averaged over their ratio)',
  expression: '(growing * e + nc * ec / rc + nh * eh / rh) * bytes',
  symbols: {
    growing: 'layers whose window still grows at context L',
    e: 'cached values per token per window layer (elements)',
    nc: 'CSA layers',
    ec: 'values per CSA entry (elements)',
    rc: 'CSA ratio (tokens per entry)',
    nh: 'HCA layers',
    eh: 'values per HCA entry (elements)',
    rh: 'HCA ratio (tokens per entry)',
    bytes: 'bytes per cached value (bytes/element)',
  },
  unit: 'bytes',
  integer: false,
  source: 'transformers DeepseekV4HCACache / DeepseekV4CSACache growth',
  evaluate: (v) => (v.growing * v.e + (v.nc * v.ec) / v.rc + (v.nh * v.eh) / v.rh) * v.bytes,
})

// Compressed entries a query at position p attends to: HCA reads every closed window, CSA the indexer's top-k of them.
export const hcaEntriesSeen = formula({
  id: 'flops.keysSeen.hca',
  label: 'compressed entries a query at position p attends to, HCA layer',
  expression: 'floor((p + 1) / r)',
  symbols: {p: '0-based position of the query (tokens)', r: 'HCA compression ratio (tokens per entry)'},
  unit: 'tokens',
  integer: true,
  source: 'transformers DeepseekV4HCACompressor (causal_threshold = (position + 1) // compress_rate)',
  evaluate: (v) => Math.floor((v.p + 1) / v.r),
})

export const csaEntriesSeen = formula({
  id: 'flops.keysSeen.csa',
  label: 'compressed entries a query at position p attends to, CSA layer (indexer top-k)',
  expression: 'min(k, floor((p + 1) / r))',
  symbols: {p: '0-based position of the query (tokens)', r: 'CSA compression ratio (tokens per entry)', k: 'indexer top-k, index_topk'},
  unit: 'tokens',
  integer: true,
  source: 'transformers DeepseekV4Indexer (top_k = min(index_topk, compressed_len)), DeepseekV4CSACompressor',
  evaluate: (v) => Math.min(v.k, Math.floor((v.p + 1) / v.r)),
})

/** Σ_{t=1}^{P} floor(t / r), in closed form: q = floor(P / r) full steps. */
const floorSum = (P: number, r: number): number => {
  const q = Math.floor(P / r)
  return (r * q * (q - 1)) / 2 + q * (P - q * r + 1)
}

// Σ over the P prompt positions of floor((p + 1) / r): r*q*(q-1)/2 + q*(P - q*r + 1), q = floor(P / r).
export const hcaEntriesSeenPrefill = formula({
  id: 'flops.keysSeenPrefill.hca',
  label: 'compressed entries all prompt positions attend to, HCA layer',
  expression: 'r * floor(P / r) * (floor(P / r) - 1) / 2 + floor(P / r) * (P - floor(P / r) * r + 1)',
  symbols: {P: 'prompt (tokens)', r: 'HCA compression ratio (tokens per entry)'},
  unit: 'tokens',
  integer: true,
  source: 'Σ_{t=1}^{P} floor(t / r) of flops.keysSeen.hca',
  evaluate: (v) => floorSum(v.P, v.r),
})

// Σ over the prompt of min(k, floor((p + 1) / r)): the floor sum up to the position the top-k fills (k*r - 1), then k each.
export const csaEntriesSeenPrefill = formula({
  id: 'flops.keysSeenPrefill.csa',
  label: 'compressed entries all prompt positions attend to, CSA layer (indexer top-k)',
  expression:
    'r * floor(min(P, k * r - 1) / r) * (floor(min(P, k * r - 1) / r) - 1) / 2 + floor(min(P, k * r - 1) / r) * (min(P, k * r - 1) - floor(min(P, k * r - 1) / r) * r + 1) + max(0, P - k * r + 1) * k',
  symbols: {P: 'prompt (tokens)', r: 'CSA compression ratio (tokens per entry)', k: 'indexer top-k, index_topk'},
  unit: 'tokens',
  integer: true,
  source: 'Σ_{t=1}^{P} min(k, floor(t / r)) of flops.keysSeen.csa',
  evaluate: (v) => floorSum(Math.min(v.P, v.k * v.r - 1), v.r) + Math.max(0, v.P - v.k * v.r + 1) * v.k,
})

// The lightning indexer scores every closed CSA entry for every query: Σ_h w_h ReLU(q_h · k) is 2*di per head for the
// dot product and 2 per head for weighting and summing. DeepSeek-V3.2 / GLM-5 DSA layers score every cached key the
// same way (DeepSeek-V3.2-Exp inference/model.py Indexer.forward: relu(q·k) * weights, summed over heads).
export const v4IndexerFlopsPerEntry = formula({
  id: 'flops.perKey.deepseekV4Indexer',
  label: 'DSA lightning indexer FLOPs per key (DeepSeek-V4: per compressed entry) scored, one layer',
  expression: '2 * Hi * (di + 1)',
  symbols: {Hi: 'indexer heads', di: 'indexer head width (elements)'},
  unit: 'FLOP/key',
  integer: true,
  source: 'transformers DeepseekV4IndexerScorer (modeling_deepseek_v4.py); DeepSeek-V3.2-Exp inference/model.py Indexer',
  evaluate: (v) => 2 * v.Hi * (v.di + 1),
  read: (spec: ModelSpec) => ({Hi: spec.attention.indexer!.heads, di: spec.attention.indexer!.headDim}),
})

// Compressed attention FLOPs of the CSA and HCA layers: attended entries at the per-key cost, plus the indexer scoring
// every closed CSA entry (S: entries scored; the sliding-window keys are the sliding kind's term).
export const v4CompressedAttentionFlops = formula({
  id: 'flops.attention.deepseekV4Compressed',
  label: 'DeepSeek-V4 compressed-entry attention and indexer FLOPs, all CSA and HCA layers',
  expression: 'nc * Kc * perKey + nh * Kh * perKey + nc * S * perEntry',
  symbols: {
    nc: 'CSA layers',
    Kc: 'compressed entries attended per CSA layer (top-k at most)',
    nh: 'HCA layers',
    Kh: 'compressed entries attended per HCA layer',
    perKey: 'attention FLOPs per key, flops.perKey (FLOP/key)',
    S: 'compressed entries the indexer scores per CSA layer',
    perEntry: 'indexer FLOPs per entry scored (FLOP/key)',
  },
  unit: 'FLOP',
  integer: false,
  source: 'transformers DeepseekV4Attention (compressed KV concatenated to the window), DeepseekV4Indexer',
  evaluate: (v) => v.nc * v.Kc * v.perKey + v.nh * v.Kh * v.perKey + v.nc * v.S * v.perEntry,
})

export const deepseekV4Formulas = [
  v4AttentionParams,
  v4CompressorParams,
  v4IndexerParams,
  v4LayerNormParams,
  hyperConnectionParams,
  hyperHeadParams,
  hashRouterParams,
  v4MtpParams,
  sharedKvElements,
  compressedEntriesHeld,
  compressedEntryElements,
  v4KvBytesPerToken,
  hcaEntriesSeen,
  csaEntriesSeen,
  hcaEntriesSeenPrefill,
  csaEntriesSeenPrefill,
  v4IndexerFlopsPerEntry,
  v4CompressedAttentionFlops,
] as const
