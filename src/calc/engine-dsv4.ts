// DeepSeek-V4's KV cache as vLLM and SGLang lay it out, beside the theoretical entries of kv.ts: both store the
// 512-wide latent as fp8_ds_mla entries (fp8 NoPE, bf16 RoPE, ue8m0 scales), the indexer keys in fp8 with an fp32
// scale, and the compressors' unfinished windows as fp32 state; vLLM pages them in five KV cache groups over one
// block pool, SGLang sizes six pools from one bytes-per-full-token coefficient.
import type {ModelSpec} from '../schema/model.js'
import {compressedKinds} from './kv.js'

const cdiv = (a: number, b: number) => Math.ceil(a / b)
const roundUp = (value: number, step: number) => Math.ceil(value / step) * step

/** The cache-holding layers of one DeepSeek-V4 device (pipeline stage) and the shapes their entries take. */
export interface Dsv4Layers {
  /** Layers keeping the 128-token window: every attention layer. */
  windowLayers: number
  /** CSA layers (compress ratio 4): a compressed entry and an indexer key per csaRatio tokens. */
  csaLayers: number
  /** HCA layers (compress ratio 128): a compressed entry per hcaRatio tokens. */
  hcaLayers: number
  csaRatio: number
  hcaRatio: number
  windowTokens: number
  /** Width of the latent read as key and value (head_dim, elements). */
  headDim: number
  /** Its rotated slice (qk_rope_head_dim, elements). */
  ropeHeadDim: number
  /** Width of the indexer's key (index_head_dim, elements). */
  indexerHeadDim: number
}

/** DeepSeek-V4 cache layers on one of `pp` pipeline stages (each kind split evenly), or null for any other spec. */
export function dsv4Layers(spec: ModelSpec, pp = 1): Dsv4Layers | null {
  const v4 = spec.deepseekV4
  const kinds = compressedKinds(spec)
  if (!v4 || kinds.length === 0) return null
  const windowLayers = spec.layerGroups.reduce((n, g) => n + (g.kvSourceLayer === undefined && g.mixer === 'sliding' ? g.count : 0), 0)
  const layersOf = (kind: 'csa' | 'hca') => kinds.find((k) => k.kind === kind)?.layers ?? 0
  return {
    windowLayers: cdiv(windowLayers, pp),
    csaLayers: cdiv(layersOf('csa'), pp),
    hcaLayers: cdiv(layersOf('hca'), pp),
    csaRatio: v4.csaRatio,
    hcaRatio: v4.hcaRatio,
    windowTokens: Math.max(0, ...spec.layerGroups.map((g) => g.windowTokens ?? 0)),
    headDim: spec.attention.headDim,
    ropeHeadDim: v4.ropeHeadDim,
    indexerHeadDim: spec.attention.indexer?.headDim ?? 0,
  }
}

/**
 * Bytes of one fp8_ds_mla latent entry (window token or compressed entry): fp8 NoPE, bf16 RoPE, one ue8m0 scale
 * per 64 NoPE values and a pad byte, 448 + 64 x 2 + 7 + 1 = 584 (vLLM deepseek_v4_attention.py
 * DeepseekV4MultiHeadLatentAttentionWrapper head_bytes; SGLang pool_configurator.py DSV4PoolConfigurator kv_bytes).
 */
export const dsv4EntryBytes = (l: Dsv4Layers) => l.headDim - l.ropeHeadDim + l.ropeHeadDim * 2 + Math.floor((l.headDim - l.ropeHeadDim) / 64) + 1

/** Bytes of one indexer key: fp8 values and an fp32 scale per 128, 128 + 4 = 132 (vLLM DeepseekV4Indexer k_cache_head_dim; SGLang indexer_bytes). */
export const dsv4IndexerKeyBytes = (l: Dsv4Layers) => l.indexerHeadDim + Math.floor(l.indexerHeadDim / 128) * 4

/**
 * fp32 compressor state of one token slot: kv and score, twice over for CSA's overlapping windows
 * (vLLM deepseek_compressor.py DeepseekCompressor state_dim = 2 x coff x head_dim; SGLang c4_state_bytes).
 */
export const dsv4StateBytes = (width: number, overlapping: boolean) => 2 * (overlapping ? 2 : 1) * width * 4

// ---------------------------------------------------------------------------------------------------------------
// vLLM (v0.2x): vllm/v1/kv_cache_interface.py MLAAttentionSpec / SlidingWindowMLASpec, vllm/v1/core/kv_cache_utils.py
// group_and_unify_kv_cache_specs, _get_kv_cache_groups_uniform_groups, _get_kv_cache_config_deepseek_v4.

export const vllmDsv4 = {
  /** Tokens per block of the compressed-KV group (the DEEPSEEK_SPARSE_SWA backend's preferred block size). */
  blockTokens: 256,
  /** Tokens per block of the window caches (sparse_swa.py DeepseekV4SWACache: the C4 page [256 / 4, 584]). */
  windowBlockTokens: 64,
  /** Token slots per block of the compressor states, CSA and HCA (deepseek_compressor.py CompressorStateCache). */
  stateBlockTokens: {csa: 4, hca: 8},
  /** FlashMLA packs pages to 576-byte multiples (kv_cache_interface.py _apply_alignment_padding, alignment=576). */
  alignmentBytes: 576,
} as const

/** One vLLM KV cache group: a block table whose blocks come from the shared pool. */
export interface VllmDsv4Group {
  name: string
  blockTokens: number
  /** Tokens the group keeps (SlidingWindowMLASpec.sliding_window), null for the compressed group (all tokens). */
  windowTokens: number | null
}

export interface VllmDsv4Layout {
  /** Distinct page sizes of the compressed group, bytes: one layer tuple (CSA latent, CSA index key, HCA latent). */
  tuplePageBytes: number[]
  /** Layer tuples every block is laid out for (the largest page-size bucket of any group, after splitting). */
  layerTuples: number
  /** Pool bytes one block id costs: sum(tuplePageBytes) x layerTuples (_get_kv_cache_config_deepseek_v4). */
  blockBytes: number
  groups: VllmDsv4Group[]
}

/** The padding-minimising tuple count (kv_cache_utils.py _approximate_gcd: ties prefer the larger). */
export function approximateGcd(values: number[], lowerBound: number): number {
  const max = Math.max(...values)
  let best = Math.max(1, lowerBound)
  let bestPad = Infinity
  for (let d = best; d <= max; d++) {
    const pad = values.reduce((sum, x) => sum + ((d - (x % d)) % d), 0)
    if (pad < bestPad || (pad === bestPad && d > best)) [best, bestPad] = [d, pad]
  }
  return best
}

/** vLLM's DeepSeek-V4 KV cache groups on one device, or null for any other spec. */
export function vllmDsv4Layout(spec: ModelSpec, pp = 1): VllmDsv4Layout | null {
  const l = dsv4Layers(spec, pp)
  if (!l) return null
  const align = (bytes: number) => roundUp(bytes, vllmDsv4.alignmentBytes)
  const entry = dsv4EntryBytes(l)
  const B = vllmDsv4.blockTokens
  // Page sizes -> layers, per group (a page size shared by two caches counts their layers together, as Counter does).
  const bucket = (pairs: [number, number][]) => {
    const m = new Map<number, number>()
    for (const [page, layers] of pairs) if (layers > 0) m.set(page, (m.get(page) ?? 0) + layers)
    return m
  }
  // MLAAttentionSpec: block_size / compress_ratio entries a page (storage_block_size), 584 B each; the indexer key
  // (DeepseekV4IndexerCache) the same at 132 B.
  const full = bucket([
    [align((B / l.csaRatio) * entry), l.csaLayers],
    [align((B / l.csaRatio) * dsv4IndexerKeyBytes(l)), l.csaLayers],
    [align((B / l.hcaRatio) * entry), l.hcaLayers],
  ])
  // SlidingWindowMLASpec groups, keyed by (block_size, sliding_window): the windows (64-token blocks of 584 B), the
  // CSA compressor states (its own and the indexer's: 4 slots of fp32 state, window 2 x 4) and the HCA ones (8 slots,
  // window 128), each window cache one layer per attention layer.
  const stateWindow = (ratio: number, overlapping: boolean) => (overlapping ? 2 : 1) * ratio
  const sliding = [
    {name: 'window', blockTokens: vllmDsv4.windowBlockTokens, windowTokens: l.windowTokens, pages: bucket([[align(vllmDsv4.windowBlockTokens * entry), l.windowLayers]])},
    {
      name: 'csa-state',
      blockTokens: vllmDsv4.stateBlockTokens.csa,
      windowTokens: stateWindow(l.csaRatio, true),
      pages: bucket([
        [align(vllmDsv4.stateBlockTokens.csa * dsv4StateBytes(l.headDim, true)), l.csaLayers],
        [align(vllmDsv4.stateBlockTokens.csa * dsv4StateBytes(l.indexerHeadDim, true)), l.csaLayers],
      ]),
    },
    {name: 'hca-state', blockTokens: vllmDsv4.stateBlockTokens.hca, windowTokens: stateWindow(l.hcaRatio, false), pages: bucket([[align(vllmDsv4.stateBlockTokens.hca * dsv4StateBytes(l.headDim, false)), l.hcaLayers]])},
  ].filter((g) => g.pages.size > 0)
  const tuplePageBytes = [...full.keys()].sort((a, b) => a - b)
  const mostLayers = (m: Map<number, number>) => Math.max(...m.values()) // UniformTypeKVCacheSpecs.get_num_layer_tuples
  const tuples = approximateGcd([mostLayers(full), ...sliding.map((g) => mostLayers(g.pages))], mostLayers(full))
  const groups: VllmDsv4Group[] = [{name: 'compressed', blockTokens: B, windowTokens: null}]
  let layerTuples = mostLayers(full)
  for (const g of sliding) {
    // Each page is padded to the nearest compressed-group page at least as large; the layers of a page size are
    // split into cdiv(layers, tuples) groups of at most that many.
    const padded = bucket([...g.pages].map(([page, layers]): [number, number] => [tuplePageBytes.find((p) => p >= page) ?? page, layers]))
    const layers = mostLayers(padded)
    const split = cdiv(layers, tuples)
    layerTuples = Math.max(layerTuples, cdiv(layers, split))
    for (let i = 0; i < split; i++) groups.push({name: split > 1 ? `${g.name}.${i}` : g.name, blockTokens: g.blockTokens, windowTokens: g.windowTokens})
  }
  const tupleBytes = tuplePageBytes.reduce((a, b) => a + b, 0)
  return {tuplePageBytes, layerTuples, blockBytes: tupleBytes * layerTuples, groups}
}

/**
 * Blocks one request of L tokens takes from the pool, summed over the groups (kv_cache_utils.py
 * get_max_concurrency_for_kv_cache_config): the compressed group cdiv(L, 256) (FullAttentionSpec), each window
 * group cdiv(min(window - 1 + batched, L), block) + 1 (SlidingWindowSpec.max_memory_usage_bytes).
 */
export function vllmDsv4BlocksPerRequest(layout: VllmDsv4Layout, contextTokens: number, batchedTokens: number): number {
  return layout.groups.reduce(
    (sum, g) => sum + (g.windowTokens === null ? cdiv(contextTokens, g.blockTokens) : cdiv(Math.min(g.windowTokens - 1 + batchedTokens, contextTokens), g.blockTokens) + 1),
    0,
  )
}

/** vLLM's blocks, concurrency, logged token count and longest context for a DeepSeek-V4 pool of `poolBytes`. */
export function vllmDsv4Capacity(layout: VllmDsv4Layout, poolBytes: number, contextTokens: number, batchedTokens: number) {
  const blocks = Math.max(0, Math.floor(poolBytes / layout.blockBytes))
  const maxConcurrency = blocks / vllmDsv4BlocksPerRequest(layout, contextTokens, batchedTokens)
  // "GPU KV cache size" is max_concurrency x max_model_len (kv_cache_utils.py _report_kv_cache_config).
  const reportedTokens = Math.floor(maxConcurrency * contextTokens)
  // Longest context whose blocks fit the pool bytes (_estimate_max_model_len_from_groups: a binary search).
  const fits = (L: number) => vllmDsv4BlocksPerRequest(layout, L, batchedTokens) * layout.blockBytes <= poolBytes
  let low = 0
  let high = Math.max(1, blocks * vllmDsv4.blockTokens)
  if (!fits(1)) high = 0
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (fits(mid)) low = mid
    else high = mid - 1
  }
  return {blocks, maxConcurrency, reportedTokens, capacityTokens: low}
}

// ---------------------------------------------------------------------------------------------------------------
// SGLang: python/sglang/srt/model_executor/pool_configurator.py DSV4PoolConfigurator (the fp8 path, not unified_kv;
// SGLANG_DSV4_COMPRESS_STATE_DTYPE float32, online c128 compression off, no speculative decoding).

export const sglangDsv4 = {
  /** apply_deepseek_v4_defaults: page_size 256 for the dsv4 attention backend. */
  pageTokens: 256,
  /** apply_deepseek_v4_defaults: max_running_requests 256 when not given. */
  maxRunningRequests: 256,
  /** apply_deepseek_v4_defaults: swa_full_tokens_ratio 0.1 when left at the default. */
  swaFullTokensRatio: 0.1,
  /** get_compress_state_ring_size without speculation: 8 slots for CSA, 128 for HCA. */
  stateRing: {csa: 8, hca: 128},
} as const

export interface SglangDsv4Pools {
  /** bytes_per_full_token: every pool's bytes per token of the full pool (_get_bytes_per_full_token). */
  bytesPerFullToken: number
  /** The HCA compressor states, sized by request slots, not tokens (_get_c128_state_fixed_bytes). */
  hcaStateFixedBytes: number
  /** max_total_num_tokens: the full pool's tokens, page-aligned. */
  fullTokens: number
  swaTokens: number
  csaEntries: number
  hcaEntries: number
  csaStateSlots: number
  maxRunningRequests: number
}

/** SGLang's DeepSeek-V4 pools from the bytes left after the weights, or null for any other spec. */
export function sglangDsv4Pools(spec: ModelSpec, pp: number, availableBytes: number, swaFullTokensRatio: number): SglangDsv4Pools | null {
  const l = dsv4Layers(spec, pp)
  if (!l) return null
  const r = swaFullTokensRatio
  const entry = dsv4EntryBytes(l)
  const page = sglangDsv4.pageTokens
  // c4_state_ratio: state slots per window token (the ring of 8 per 128-token SWA page).
  const stateRatio = sglangDsv4.stateRing.csa / l.windowTokens
  const bytesPerFullToken =
    r * entry * l.windowLayers + // SWA pool, swa_ratio x full tokens
    (entry / l.csaRatio) * l.csaLayers + // CSA latents, full / 4
    (entry / l.hcaRatio) * l.hcaLayers + // HCA latents, full / 128
    (dsv4IndexerKeyBytes(l) / l.csaRatio) * l.csaLayers + // indexer keys, full / 4
    r * stateRatio * dsv4StateBytes(l.headDim, true) * l.csaLayers + // CSA compressor states
    r * stateRatio * dsv4StateBytes(l.indexerHeadDim, true) * l.csaLayers // the indexer's compressor states
  const maxRunningRequests = sglangDsv4.maxRunningRequests
  // HCA states: (slots x ring + ring + 1) rows, rounded to 128, of kv and score (2 x head_dim fp32) per HCA layer.
  const rows = roundUp((maxRunningRequests + 1) * sglangDsv4.stateRing.hca + sglangDsv4.stateRing.hca + 1, 128)
  const hcaStateFixedBytes = l.hcaLayers > 0 ? rows * dsv4StateBytes(l.headDim, false) * l.hcaLayers : 0
  const full = Math.floor(Math.floor(Math.max(0, availableBytes - hcaStateFixedBytes) / bytesPerFullToken) / page) * page
  const swa = Math.floor(Math.floor(full * r) / page) * page
  return {
    bytesPerFullToken,
    hcaStateFixedBytes,
    fullTokens: full,
    swaTokens: swa,
    csaEntries: Math.floor(full / l.csaRatio),
    hcaEntries: Math.floor(full / l.hcaRatio),
    csaStateSlots: Math.floor(swa / l.windowTokens) * sglangDsv4.stateRing.csa,
    maxRunningRequests,
  }
}

/** Tokens of the SWA pool one request holds: its window and the page being written (SGLang's admission floor, window + page). */
export const sglangDsv4WindowHeld = (l: Dsv4Layers, contextTokens: number) => roundUp(Math.min(contextTokens, l.windowTokens + sglangDsv4.pageTokens), sglangDsv4.pageTokens)

/** Bytes SGLang holds for one request of L tokens in every pool (the window, compressed entries by full pages, the states). */
export function sglangDsv4RequestBytes(spec: ModelSpec, contextTokens: number): number {
  const l = dsv4Layers(spec)!
  const entry = dsv4EntryBytes(l)
  const fullTokens = roundUp(contextTokens, sglangDsv4.pageTokens)
  const window = sglangDsv4WindowHeld(l, contextTokens)
  return (
    window * entry * l.windowLayers +
    (fullTokens / l.csaRatio) * (entry + dsv4IndexerKeyBytes(l)) * l.csaLayers +
    (fullTokens / l.hcaRatio) * entry * l.hcaLayers +
    (window / l.windowTokens) * sglangDsv4.stateRing.csa * (dsv4StateBytes(l.headDim, true) + dsv4StateBytes(l.indexerHeadDim, true)) * l.csaLayers +
    sglangDsv4.stateRing.hca * dsv4StateBytes(l.headDim, false) * l.hcaLayers
  )
}
