// Forward FLOPs: 2 per multiplied parameter, 2 per key per attention dimension, and the linear-attention recurrence
// (Kaplan et al. 2020 Table 1). FLOP counts pass 2^53 on long prefills, so they are floats, compared to 1e-9.
import type {ModelSpec} from '../../schema/model.js'
import type {AttentionKind} from '../layers.js'

/** The layer kind a keys-seen formula reads: its window or chunk (0 for full attention). */
type Window = Pick<AttentionKind, 'windowTokens'>
import {bit, formula, tracedFormula} from './formula.js'
import {sharedBlockAttentionParams, sharedBlockMlpParams, type ParamBreakdown} from './params.js'

/** Shared-block weights a token multiplies again beyond the once the breakdown counts them: (invocations - blocks) x (attention + MLP) of a block (Zamba2). */
function sharedBlockReuse(spec: ModelSpec): number {
  const sb = spec.sharedBlocks
  if (!sb) return 0
  const block = sharedBlockAttentionParams.evaluate(sharedBlockAttentionParams.read!(spec)) + sharedBlockMlpParams.evaluate(sharedBlockMlpParams.read!(spec))
  return (sb.invokedAt.length - sb.blocks) * block
}

// Every matrix a token multiplies: the active breakdown without lookups and norm scales; a tied head multiplies the embedding.
export const matmulParamsPerToken = formula({
  id: 'flops.matmulParams',
  label: 'parameters each token multiplies (active matrices and the LM head; lookups and norm scales left out)',
  expression: 'attention + denseFfn + sharedExperts + routedExperts + router + other + lmHead + tied * V * h + reuse',
  symbols: {
    attention: 'token-mixer parameters (params)',
    denseFfn: 'dense MLP parameters (params)',
    sharedExperts: 'shared-expert parameters (params)',
    routedExperts: 'parameters of the top-k routed experts a token runs (params)',
    router: 'router parameters (params)',
    other: 'other matrices: indexers, AltUp, LAuReL (params)',
    lmHead: 'untied LM head parameters (params)',
    tied: '1 if the head is tied to the embedding (it multiplies the embedding matrix), else 0',
    V: 'vocabulary size (rows)',
    h: 'width of the rows the head multiplies: the hidden size, or the projected embedding width (OPT-350m) (elements)',
    reuse: 'weight-shared blocks run again at their further invocations: (invocations - blocks) x (attention + MLP of a block), Zamba2; else 0 (params)',
  },
  unit: 'params',
  integer: true,
  source: 'Kaplan et al. 2020 Table 1 (N excludes embeddings); the LM head multiplies every position',
  evaluate: (v) => v.attention + v.denseFfn + v.sharedExperts + v.routedExperts + v.router + v.other + v.lmHead + v.tied * v.V * v.h + v.reuse,
  read: (spec: ModelSpec, active: ParamBreakdown) => ({
    attention: active.attention,
    denseFfn: active.denseFfn,
    sharedExperts: active.sharedExperts,
    routedExperts: active.routedExperts,
    router: active.router,
    other: active.other,
    lmHead: active.lmHead,
    tied: bit(spec.embeddings.tied),
    V: spec.embeddings.vocabSize,
    h: spec.embeddings.projectionDim ?? spec.hiddenSize,
    reuse: sharedBlockReuse(spec),
  }),
})

// QK^T and the weighted sum of V for one query and one key in one layer: 2 FLOPs per multiply-add per dimension.
export const attentionFlopsPerKey = formula({
  id: 'flops.perKey',
  label: 'FLOPs per key per attention layer (QK^T and the weighted sum of V)',
  expression: '2 * H * (dqk + dv)',
  symbols: {H: 'query heads', dqk: 'query/key head width (elements)', dv: 'value head width (elements)'},
  unit: 'FLOP/key',
  integer: true,
  source: 'Kaplan et al. 2020 Table 1 (2 n_ctx d_attn per token, for QK^T and for V)',
  evaluate: (v) => 2 * v.H * (v.dqk + v.dv),
  read: (spec: ModelSpec) => ({H: spec.attention.heads, dqk: spec.attention.headDim, dv: spec.attention.valueHeadDim}),
})

// MSA indexer scores (MiniMax-M3): every index head dots its query with each cached index key; the block score is the
// max over the block (no softmax), so only the dot products count.
export const msaIndexerFlopsPerKey = formula({
  id: 'flops.perKey.msaIndexer',
  label: 'FLOPs per key per sparse layer of the MSA indexer (index q . index k for each index head)',
  expression: '2 * Hi * di',
  symbols: {Hi: 'indexer query heads', di: 'indexer head width (elements)'},
  unit: 'FLOP/key',
  integer: true,
  source: 'SGLang MiniMaxM3Attention index_q/index_k (models/minimax_m3.py); block score = max over the block of index q . k',
  evaluate: (v) => 2 * v.Hi * v.di,
  read: (spec: ModelSpec) => ({Hi: spec.attention.indexer!.heads, di: spec.attention.indexer!.headDim}),
})

// MLA with the up-projections absorbed: queries and values live in the latent (DeepSeek-V2 §2.1.2; vLLM MLACommonImpl decode).
export const absorbedMlaFlopsPerKey = formula({
  id: 'flops.perKey.mlaAbsorbed',
  label: 'FLOPs per key per attention layer (MLA absorbed: scores and values in the latent)',
  expression: '2 * H * (2 * rkv + dr)',
  symbols: {H: 'attention heads', rkv: 'KV latent rank (elements)', dr: 'decoupled RoPE key width (elements)'},
  unit: 'FLOP/key',
  integer: true,
  source: 'DeepSeek-V2 §2.1.2 weight absorption (arXiv 2405.04434); vLLM MLACommonImpl._forward_decode',
  evaluate: (v) => 2 * v.H * (2 * v.rkv + v.dr),
  read: (spec: ModelSpec) => ({H: spec.attention.heads, rkv: spec.attention.mla!.kvLoraRank, dr: spec.attention.mla!.qkRopeHeadDim}),
})

// A decode step at context L computes the token at 0-based position L - 1, which sees the L cached tokens.
export const decodePosition = formula({
  id: 'flops.decodePosition',
  label: 'position of the token a decode step at context L computes',
  expression: 'L - 1',
  symbols: {L: 'context, the new token included (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'autoregressive decoding: the token at position L - 1 attends to positions 0 .. L - 1',
  evaluate: (v) => v.L - 1,
  read: (contextTokens: number) => ({L: contextTokens}),
})

// Keys the query at position p sees: all before it and itself (causal attention).
export const fullKeysSeen = formula({
  id: 'flops.keysSeen.full',
  label: 'keys a query at position p sees, full attention',
  expression: 'p + 1',
  symbols: {p: '0-based position of the query (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'causal self-attention (Vaswani et al. 2017)',
  evaluate: (v) => v.p + 1,
  read: (_kind: Window, pos: number) => ({p: pos}),
})

// Sliding window: at most the window (Mistral 7B; Gemma 2 local layers).
export const slidingKeysSeen = formula({
  id: 'flops.keysSeen.sliding',
  label: 'keys a query at position p sees, sliding window',
  expression: 'min(p + 1, w)',
  symbols: {p: '0-based position of the query (tokens)', w: 'window (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'Jiang et al. 2023 (Mistral 7B) sliding-window attention',
  evaluate: (v) => Math.min(v.p + 1, v.w),
  read: (kind: Window, pos: number) => ({p: pos, w: kind.windowTokens}),
})

// Chunked attention: the keys since the start of the query's chunk (Llama 4 attention_chunk_size).
export const chunkedKeysSeen = formula({
  id: 'flops.keysSeen.chunked',
  label: 'keys a query at position p sees, chunked attention',
  expression: 'mod(p, w) + 1',
  symbols: {p: '0-based position of the query (tokens)', w: 'chunk (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'transformers Llama4TextAttention chunked mask (modeling_llama4.py)',
  evaluate: (v) => (v.p % v.w) + 1,
  read: (kind: Window, pos: number) => ({p: pos, w: kind.windowTokens}),
})

// Σ over positions < P of the keys seen, full attention: the causal triangle (the masked half is skipped, FlashAttention).
export const fullKeysSeenPrefill = formula({
  id: 'flops.keysSeenPrefill.full',
  label: 'keys seen by all P prompt positions, full attention',
  expression: 'P * (P + 1) / 2',
  symbols: {P: 'prompt (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'causal self-attention; FlashAttention skips masked blocks (Dao et al. 2022)',
  evaluate: (v) => (v.P * (v.P + 1)) / 2,
  read: (_kind: Window, tokens: number) => ({P: tokens}),
})

// Sliding window: the triangle up to the window, then w keys for every later position.
export const slidingKeysSeenPrefill = formula({
  id: 'flops.keysSeenPrefill.sliding',
  label: 'keys seen by all P prompt positions, sliding window',
  expression: 'min(P, w) * (min(P, w) + 1) / 2 + max(P - w, 0) * w',
  symbols: {P: 'prompt (tokens)', w: 'window (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'Jiang et al. 2023 (Mistral 7B) sliding-window attention',
  evaluate: (v) => {
    const m = Math.min(v.P, v.w)
    return (m * (m + 1)) / 2 + Math.max(v.P - v.w, 0) * v.w
  },
  read: (kind: Window, tokens: number) => ({P: tokens, w: kind.windowTokens}),
})

// Chunked: one triangle per whole chunk and one for the partial chunk at the end.
export const chunkedKeysSeenPrefill = formula({
  id: 'flops.keysSeenPrefill.chunked',
  label: 'keys seen by all P prompt positions, chunked attention',
  expression: 'floor(P / w) * (w * (w + 1) / 2) + mod(P, w) * (mod(P, w) + 1) / 2',
  symbols: {P: 'prompt (tokens)', w: 'chunk (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'transformers Llama4TextAttention chunked mask (modeling_llama4.py)',
  evaluate: (v) => {
    const rest = v.P % v.w
    return Math.floor(v.P / v.w) * ((v.w * (v.w + 1)) / 2) + (rest * (rest + 1)) / 2
  },
  read: (kind: Window, tokens: number) => ({P: tokens, w: kind.windowTokens}),
})

// Attention FLOPs of one kind of layers: layers x keys seen x FLOPs per key.
export const layerAttentionFlops = formula({
  id: 'flops.attention.layers',
  label: 'attention FLOPs of the layers of one kind',
  expression: 'n * K * perKey',
  symbols: {n: 'layers of this kind', K: 'keys seen (tokens)', perKey: 'FLOPs per key per layer (FLOP/key)'},
  unit: 'FLOP',
  integer: false,
  source: 'Kaplan et al. 2020 Table 1 (attention term 2 n_layer n_ctx d_attn)',
  evaluate: (v) => v.n * v.K * v.perKey,
})

// Linear attention per token: the short conv (2 x channels x K) and the delta-rule step on each dk x dv state (about 7 dk dv).
export const linearMixerFlopsPerToken = formula({
  id: 'flops.linearMixer',
  label: 'FLOPs per token of one linear-attention layer (conv and recurrent step)',
  expression: '2 * (2 * Hk * dk + Hv * dv) * K + 7 * Hv * dk * dv',
  symbols: {Hk: 'key heads', dk: 'key head width (elements)', Hv: 'value heads', dv: 'value head width (elements)', K: 'conv kernel (taps)'},
  unit: 'FLOP',
  integer: true,
  source: 'Yang et al. 2024, Gated Delta Networks (arXiv 2412.06464), recurrent form',
  evaluate: (v) => 2 * (2 * v.Hk * v.dk + v.Hv * v.dv) * v.K + 7 * v.Hv * v.dk * v.dv,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {Hk: la.keyHeads, dk: la.keyHeadDim, Hv: la.valueHeads, dv: la.valueHeadDim, K: la.convKernel}
  },
})

// State-space mixers per token, beyond 2 FLOPs per mixer parameter (flops.matmulParams): the depthwise conv taps and
// the A, D and dt vectors are weights a token multiplies once each, so 2N already counts the convolution. What is
// left is the scan on the fixed state, in the recurrent form the decode kernels run (mamba_ssm
// selective_state_update): on each state element the decay times h, (dt*x) times B, the add, and y += C*h, 5 FLOPs.
// The exp, the SiLU gates and the D skip are per channel and left out like other elementwise work; prefill's chunked
// SSD form does more (intra-chunk quadratic work) and is counted as this recurrence, like Gated DeltaNet's.

// Mamba-1: d_inner x d_state state elements (Gu & Dao 2023, arXiv 2312.00752, Algorithm 2).
export const mambaMixerFlopsPerToken = formula({
  id: 'flops.mambaMixer',
  label: 'FLOPs per token of one Mamba layer beyond its weights (selective-scan step)',
  expression: '5 * di * N',
  symbols: {di: 'inner width d_inner (channels)', N: 'state size d_state (elements)'},
  unit: 'FLOP',
  integer: true,
  source: 'Gu & Dao 2023, Mamba (arXiv 2312.00752) Algorithm 2; mamba_ssm selective_state_update',
  evaluate: (v) => 5 * v.di * v.N,
  read: (spec: ModelSpec) => ({di: spec.linearAttention!.valueHeads, N: spec.linearAttention!.keyHeadDim}),
})

// Mamba-2: n_heads x head_dim x d_state state elements (Dao & Gu 2024, arXiv 2405.21060, SSD recurrent form).
export const mamba2MixerFlopsPerToken = formula({
  id: 'flops.mamba2Mixer',
  label: 'FLOPs per token of one Mamba-2 layer beyond its weights (SSD recurrent step)',
  expression: '5 * H * P * N',
  symbols: {H: 'SSM heads', P: 'SSM head width (elements)', N: 'state size d_state (elements)'},
  unit: 'FLOP',
  integer: true,
  source: 'Dao & Gu 2024, Transformers are SSMs (arXiv 2405.21060) §3 recurrent SSD; mamba_ssm selective_state_update',
  evaluate: (v) => 5 * v.H * v.P * v.N,
  read: (spec: ModelSpec) => ({H: spec.linearAttention!.valueHeads, P: spec.linearAttention!.valueHeadDim, N: spec.linearAttention!.keyHeadDim}),
})

// LFM2 short conv: its conv taps are weights (2N); left are the two elementwise gates, B*x before the conv, C*y after.
export const shortConvFlopsPerToken = formula({
  id: 'flops.shortConvMixer',
  label: 'FLOPs per token of one short-conv layer beyond its weights (the two gates)',
  expression: '2 * C',
  symbols: {C: 'conv channels (elements)'},
  unit: 'FLOP',
  integer: true,
  source: 'transformers Lfm2ShortConv.slow_forward (modeling_lfm2.py): Bx = B * x, y = C * conv_out',
  evaluate: (v) => 2 * v.C,
  read: (spec: ModelSpec) => ({C: spec.linearAttention!.valueHeads}),
})

// One token's forward pass: 2 FLOPs per multiplied parameter, attention over the keys it sees, the linear mixers.
export const forwardFlops = formula({
  id: 'flops.forward',
  label: 'FLOPs of one token (the decode step at position p = L - 1)',
  expression: '2 * N + A + nl * lin',
  symbols: {N: 'parameters multiplied per token (params)', A: 'attention FLOPs over the keys seen, all layers (FLOP)', nl: 'linear-attention layers', lin: 'FLOPs per token of one linear-attention layer (FLOP)'},
  unit: 'FLOP',
  integer: false,
  source: 'Kaplan et al. 2020 Table 1 (C_forward = 2N + 2 n_layer n_ctx d_attn)',
  evaluate: (v) => 2 * v.N + v.A + v.nl * v.lin,
})

// Prefill of P tokens: every position multiplies the matrices (the LM head too), attention over the causal half.
export const prefillFlops = formula({
  id: 'flops.prefill',
  label: 'FLOPs of a prefill of P tokens, causal',
  expression: 'P * (2 * N + nl * lin) + A',
  symbols: {P: 'prompt (tokens)', N: 'parameters multiplied per token (params)', nl: 'linear-attention layers', lin: 'FLOPs per token of one linear-attention layer (FLOP)', A: 'attention FLOPs of all positions, all layers (FLOP)'},
  unit: 'FLOP',
  integer: false,
  source: 'Kaplan et al. 2020 Table 1 summed over positions',
  evaluate: (v) => v.P * (2 * v.N + v.nl * v.lin) + v.A,
})

// Training: forward + backward = 3 x forward (backward = 2 x forward), 4 x with full recomputation (Korthikanti et al. 2022).
export const trainFlopsPerToken = tracedFormula({
  id: 'flops.trainPerToken',
  label: 'training FLOPs per token',
  expression: 'x * F / S',
  symbols: {x: '3 (forward and backward), 4 with full activation recomputation', F: 'prefill FLOPs of one sequence (FLOP)', S: 'sequence (tokens)'},
  unit: 'FLOP',
  integer: false,
  source: 'Kaplan et al. 2020 §2.1 (6N rule); Korthikanti et al. 2022 (recomputation)',
  evaluate: (v) => (v.x * v.F) / v.S,
})

export const flopsFormulas = [
  matmulParamsPerToken,
  decodePosition,
  attentionFlopsPerKey,
  msaIndexerFlopsPerKey,
  absorbedMlaFlopsPerKey,
  fullKeysSeen,
  slidingKeysSeen,
  chunkedKeysSeen,
  fullKeysSeenPrefill,
  slidingKeysSeenPrefill,
  chunkedKeysSeenPrefill,
  layerAttentionFlops,
  linearMixerFlopsPerToken,
  mambaMixerFlopsPerToken,
  mamba2MixerFlopsPerToken,
  shortConvFlopsPerToken,
  forwardFlops,
  prefillFlops,
  trainFlopsPerToken,
] as const
