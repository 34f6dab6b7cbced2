// GGUF weight mixes: the ggml type llama.cpp's llama-quantize gives each tensor of a model for a file type (Q4_K_M,
// ...), and the exact bytes that makes per weight class. The tensors are the ones convert_hf_to_gguf.py writes for
// the spec's modules (names as llama.cpp's LLM_TENSOR_NAMES, src/llama-arch.cpp), each with its element count from
// the spec's dimensions; their types follow src/llama-quant.cpp (ggml-org/llama.cpp @ 007dbbf3):
// tensor_allows_quantization, tensor_get_category, llama_tensor_get_type_impl, tensor_type_fallback and
// llama_ftype_get_default_type, ported rule by rule below. Bytes of a tensor = elements / values per block x bytes
// per block of its type (dtype.ts ggmlTypes). Assumed, as a plain `llama-quantize in.gguf out.gguf Q4_K_M` run:
// no importance matrix, no --pure, no --tensor-type / --output-tensor-type / --token-embedding-type overrides.
// Not modelled: MTP/nextn layers (not in the parameter breakdown either), the attn_k_b/attn_v_b copies newer DeepSeek
// conversions add beside attn_kv_b, Qwen3-Next files of the older fused ssm_in layout, the IQ and MXFP4_MOE file types.
import {groupAttentionSpec, isMsaGroup} from './attention-shape.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {ggmlTypes, ggufMixes, type GgmlType, type GgufMix} from './dtype.js'
import {perSpec} from './per-spec.js'

/** The storage classes of weights.ts, with the per-layer embeddings (Gemma 3n) apart as weightBytes keeps them. */
export type MixClass = 'embeddings' | 'perLayerEmbeddings' | 'linear' | 'experts' | 'unquantized'
export const mixClasses: readonly MixClass[] = ['embeddings', 'perLayerEmbeddings', 'linear', 'experts', 'unquantized']

/** llama_ftype names (include/llama.h LLAMA_FTYPE_MOSTLY_*) of the mixes modelled here. */
export type Ftype = (typeof ggufMixes)[GgufMix]

export interface GgufTensor {
  /** GGUF tensor name (blk.N.attn_v.weight); llama-quant.cpp decides by substrings of it. */
  name: string
  /** ggml dimensions, ne[0] first: the row length, then rows (and experts for the fused *_exps tensors). */
  ne: readonly number[]
  elements: number
  cls: MixClass
  /** Type in the unquantized GGUF llama-quantize reads (convert_hf_to_gguf.py prepare_tensors: 1-D, norms, routers F32). */
  source: GgmlType
  /** Type llama-quantize writes. */
  type: GgmlType
  bytes: number
}

export interface GgufMixBytes {
  mix: GgufMix
  ftype: Ftype
  /** Exact bytes of each class: the sum over its tensors. */
  bytes: Readonly<Record<MixClass, number>>
  /** Elements of each class: equal to the parameter breakdown's classes (tests check it). */
  params: Readonly<Record<MixClass, number>>
  /** bytes / params of each class; the default type's where a class has no parameters. */
  bytesPerElement: Readonly<Record<MixClass, number>>
  /** Bytes per element of the matrix the LM head multiplies: output.weight, or token_embd.weight when tied. */
  headBytesPerElement: number
  totalBytes: number
}

// ---------------------------------------------------------------------------------------------------------------
// The tensors of a spec, in the order llama-model-loader.h weight_name_comparer sorts them (by layer, then name).

/** HF model types whose GGUF fuses q, k and v into one attn_qkv tensor (convert_hf_to_gguf.py: GPT-2 c_attn, Phi-3 qkv_proj, ...). */
const fusedQkvTypes = new Set(['gpt2', 'gpt_bigcode', 'gpt_neox', 'bloom', 'falcon', 'phi3', 'chatglm', 'mpt'])
fusedQkvTypes.add('dbrx') // convert_hf_to_gguf.py DbrxModel writes Wqkv as blk.N.attn_qkv (bailing_moe's query_key_value is split)

/** The layer group of each decoder layer. */
function layerGroups(spec: ModelSpec): LayerGroup[] {
  const out: LayerGroup[] = []
  for (const g of spec.layerGroups) for (let i = 0; i < g.count; i++) out.push(g)
  return out
}

type Source = 'f32' | 'f16'

/** Collects tensors: a matrix (ne[0] = input width), or a 1-D vector, which convert_hf_to_gguf.py stores in F32. */
class TensorList {
  readonly list: {name: string; ne: number[]; cls: MixClass; source: Source}[] = []
  /** A weight matrix stored 16-bit in the source GGUF (convert_hf_to_gguf.py --outtype f16/bf16: 2 bytes either way). */
  matrix(name: string, ne: number[], cls: MixClass, source: Source = 'f16') {
    if (ne.every((n) => n > 0)) this.list.push({name, ne, cls, source})
  }
  /** A 1-D tensor (norm weight, bias, sink): F32 in the source and never quantized (n_dims < 2). */
  vector(name: string, n: number, cls: MixClass) {
    if (n > 0) this.list.push({name, ne: [n], cls, source: 'f32'})
  }
}

/** Every weight tensor of the spec's text model, GGUF-named, with its shape (ne[0] = input width); quantized.ts costs them too. */
export function tensorsOf(spec: ModelSpec): TensorList['list'] {
  const t = new TensorList()
  const h = spec.hiddenSize
  const V = spec.embeddings.vocabSize
  const att = spec.attention
  const lnBias = spec.norms.kind === 'layernorm' && spec.norms.bias
  const norm = (name: string, n: number) => {
    if (spec.norms.parametric === false) return // OLMo 1: llama.cpp olmo builds its LayerNorms without tensors
    t.vector(`${name}.weight`, n, 'unquantized')
    if (lnBias) t.vector(`${name}.bias`, n, 'unquantized')
  }

  // OPT-350m: the token table (and the tied head) at word_embed_proj_dim, project_in/project_out beside it.
  const e = spec.embeddings.projectionDim ?? h
  t.matrix('token_embd.weight', [e, V], 'embeddings')
  if (e !== h) {
    t.matrix('proj_in.weight', [e, h], 'linear')
    t.matrix('proj_out.weight', [h, e], 'linear')
  }
  // position_embd is in convert_hf_to_gguf.py's always-F32 list (MODEL_TENSOR.POS_EMBD).
  t.matrix('position_embd.weight', [h, spec.embeddings.learnedPositions], 'embeddings', 'f32')
  const ple = spec.embeddings.perLayer
  if (ple) t.matrix('per_layer_token_embd.weight', [spec.layers * ple.dim, ple.vocabSize], 'perLayerEmbeddings')
  if (!spec.embeddings.tied) t.matrix('output.weight', [h, V], 'embeddings')
  // LM-head bias as output.bias (llama-arch.cpp LLM_TENSOR_OUTPUT; GPT-J, Phi-2, Phi-3.5-MoE): 1-D, F32, never quantized.
  if (spec.embeddings.lmHeadBias) t.vector('output.bias', V, 'embeddings')
  if (spec.norms.final) norm('output_norm', h)
  // Attention residuals' output mix (Kimi K3 output_attn_res_norm / _proj): LLM_TENSOR_OUTPUT_RES_NORM, OUTPUT_RES_PROJ.
  if (spec.attnResiduals) {
    norm('output_res_norm', h)
    t.vector('output_res_proj.weight', h, 'linear')
  }
  // BLOOM word_embeddings_layernorm as token_embd_norm (LLM_TENSOR_TOKEN_EMBD_NORM).
  if (spec.norms.embedding) norm('token_embd_norm', h)
  const g3n = spec.gemma3n
  if (g3n && ple) {
    t.matrix('per_layer_model_proj.weight', [h, spec.layers * ple.dim], 'linear')
    t.matrix('altup_proj.weight', [h, h, g3n.altupInputs - 1], 'linear')
    t.matrix('altup_unembd_proj.weight', [h, h, g3n.altupInputs - 1], 'linear')
    t.vector('per_layer_proj_norm.weight', ple.dim, 'unquantized')
  }
  // Gemma 4 E2B/E4B per-layer inputs (llama.cpp gemma4, the gemma3n names): no AltUp projections.
  if (ple && !g3n) {
    t.matrix('per_layer_model_proj.weight', [h, spec.layers * ple.dim], 'linear')
    t.vector('per_layer_proj_norm.weight', ple.dim, 'unquantized')
  }

  // DeepSeek-V4 DeepseekV4HyperHead: hc_fn (n, n h), hc_base (n), hc_scale (1), fp32.
  if (spec.deepseekV4) {
    const n = spec.deepseekV4.hcMult
    t.matrix('hc_head_fn.weight', [n * h, n], 'linear', 'f32')
    t.matrix('hc_head_base.weight', [n], 'linear', 'f32')
    t.matrix('hc_head_scale.weight', [1], 'linear', 'f32')
  }

  // ChatGLM's saved inv_freq: gguf-py tensor_mapping.py maps rotary_pos_emb.inv_freq to ROPE_FREQS ("rope_freqs");
  // a 1-D F32 tensor, never quantized, so the enumeration keeps the checkpoint's count.
  if (spec.rope.storedInvFreq) t.vector('rope_freqs.weight', spec.rope.storedInvFreq, 'linear')

  // Weight-shared blocks (Zamba2). llama.cpp has no zamba2 architecture: these names are archcost's, built from
  // LLM_TENSOR_NAMES' (attn_q, ffn_up, ...) so that llama-quant's rules treat them as the matrices they are; the fused
  // gate_up_proj is ffn_up of 2 x intermediate (as convert_hf_to_gguf.py writes Phi-3's). Each block once, as
  // shared.<b>.*; each invocation's adapters and output projection on its layer, as blk.<i>.shared_*.
  const sb = spec.sharedBlocks
  if (sb) {
    const w = sb.inputWidth
    for (let b = 0; b < sb.blocks; b++) {
      const pre = `shared.${b}.`
      t.vector(`${pre}attn_norm.weight`, w, 'unquantized')
      t.matrix(`${pre}attn_q.weight`, [w, att.heads * att.headDim], 'linear')
      t.matrix(`${pre}attn_k.weight`, [w, att.kvHeads * att.headDim], 'linear')
      t.matrix(`${pre}attn_v.weight`, [w, att.kvHeads * att.valueHeadDim], 'linear')
      t.matrix(`${pre}attn_output.weight`, [att.heads * att.valueHeadDim, h], 'linear')
      t.vector(`${pre}ffn_norm.weight`, h, 'unquantized')
      t.matrix(`${pre}ffn_up.weight`, [h, 2 * sb.intermediateSize], 'linear')
      t.matrix(`${pre}ffn_down.weight`, [sb.intermediateSize, h], 'linear')
      if (sb.ffnBias) {
        t.vector(`${pre}ffn_up.bias`, 2 * sb.intermediateSize, 'linear')
        t.vector(`${pre}ffn_down.bias`, h, 'linear')
      }
    }
  }
  const invocations = new Set(sb?.invokedAt ?? [])

  const fusedQkv = fusedQkvTypes.has(spec.source.modelType)
  layerGroups(spec).forEach((g, i) => {
    const blk = `blk.${i}.`
    if (sb && invocations.has(i)) {
      if (sb.mlpAdapters) {
        t.matrix(`${blk}shared_ffn_adapter_a.weight`, [h, sb.adapterRank], 'linear')
        t.matrix(`${blk}shared_ffn_adapter_b.weight`, [sb.adapterRank, 2 * sb.intermediateSize], 'linear')
      }
      if (sb.attentionAdapters)
        for (const p of ['q', 'k', 'v']) {
          t.matrix(`${blk}shared_${p}_adapter_a.weight`, [sb.inputWidth, sb.adapterRank], 'linear')
          t.matrix(`${blk}shared_${p}_adapter_b.weight`, [sb.adapterRank, sb.inputWidth], 'linear')
        }
      if (sb.outputProjection) t.matrix(`${blk}shared_out.weight`, [h, h], 'linear')
    }
    // Norms of the layer: spec.norms.perLayer hidden-size norms (input, post-attention, sandwich ones).
    // A run may state its own count (DeciLM: no norm before a no_op attention or FFN); a block without a mixer then
    // keeps the last ones (post_attention_layernorm, llama.cpp deci's ffn_norm), one without an FFN the first.
    const nNorms = g.norms ?? spec.norms.perLayer
    const firstNorm = g.mixer === 'none' && nNorms < spec.norms.perLayer ? spec.norms.perLayer - nNorms : 0
    for (let n = firstNorm; n < firstNorm + nNorms; n++) norm(`${blk}norm_${n}`, h)
    // Attention residuals (Kimi K3): the two pseudo-queries, 1-D as the converter flattens them (LLM_TENSOR_ATTN_RES_PROJ,
    // LLM_TENSOR_FFN_RES_PROJ); their norms are norm_2 and norm_3 above.
    if (spec.attnResiduals) for (const p of ['attn', 'ffn']) t.vector(`${blk}${p}_res_proj.weight`, h, 'linear')
    // Gemma 4 layer_scalar (llama-arch.cpp LLM_TENSOR_LAYER_OUT_SCALE, blk.%d.layer_output_scale).
    if (spec.norms.layerScalar) t.vector(`${blk}layer_output_scale.weight`, 1, 'unquantized')
    // A parallel layer (Falcon-H1, llama.cpp falcon-h1) holds the SSM tensors and the attention ones below.
    if (g.mixer === 'parallel') ssmTensors(t, spec, blk)
    if (g.mixer === 'none') {
      // An FFN-only block (Nemotron-H "-", "E"): its norm above and its FFN below. A DeciLM replace_with_linear attention
      // (self_attn.linear_attn) is attn_output (convert_hf_to_gguf.py DeciModel, llama.cpp deci: n_head_kv 0 -> wo only).
      if (g.linearMixer) t.matrix(`${blk}attn_output.weight`, [h, h], 'linear')
    } else if (g.mixer === 'linear' && ssmKinds.has(spec.linearAttention!.kind)) {
      ssmTensors(t, spec, blk)
    } else if (g.mixer === 'linear') {
      const la = spec.linearAttention!
      if (la.kind === 'gated-deltanet') {
        // Qwen3-Next (llama.cpp qwen3next): in_proj_qkvz as attn_qkv (q, k, v) + attn_gate (z), in_proj_ba as ssm_ba.
        const qkv = 2 * la.keyHeads * la.keyHeadDim + la.valueHeads * la.valueHeadDim
        t.matrix(`${blk}attn_qkv.weight`, [h, qkv], 'linear')
        t.matrix(`${blk}attn_gate.weight`, [h, la.valueHeads * la.valueHeadDim], 'linear')
        t.matrix(`${blk}ssm_ba.weight`, [h, 2 * la.valueHeads], 'linear')
        t.matrix(`${blk}ssm_conv1d.weight`, [la.convKernel, qkv], 'linear', 'f32')
        t.vector(`${blk}ssm_dt.bias`, la.valueHeads, 'linear')
        t.vector(`${blk}ssm_a`, la.valueHeads, 'linear')
        t.matrix(`${blk}ssm_out.weight`, [la.valueHeads * la.valueHeadDim, h], 'linear')
      } else {
        // Kimi Delta Attention: q, k, v, o, the low-rank decay and gate, beta, short convs (names not in llama-quant's rules).
        const H = la.keyHeads
        const d = la.keyHeadDim
        for (const p of ['q', 'k', 'v']) t.matrix(`${blk}ssm_${p}.weight`, [h, H * d], 'linear')
        t.matrix(`${blk}ssm_out.weight`, [H * d, h], 'linear')
        t.matrix(`${blk}ssm_f_a.weight`, [h, d], 'linear')
        t.matrix(`${blk}ssm_f_b.weight`, [d, H * d], 'linear')
        if (la.fullRankGate) t.matrix(`${blk}attn_gate.weight`, [h, H * d], 'linear') // Kimi K3 full-rank g_proj (LLM_TENSOR_ATTN_GATE)
        else {
          t.matrix(`${blk}ssm_g_a.weight`, [h, d], 'linear')
          t.matrix(`${blk}ssm_g_b.weight`, [d, H * d], 'linear')
        }
        t.matrix(`${blk}ssm_beta.weight`, [h, H], 'linear')
        t.vector(`${blk}ssm_dt.bias`, H * d, 'linear')
        t.vector(`${blk}ssm_a`, H, 'linear')
        for (const p of ['q', 'k', 'v']) t.matrix(`${blk}ssm_conv1d_${p}.weight`, [la.convKernel, H * d], 'linear', 'f32')
      }
      t.vector(`${blk}ssm_norm.weight`, la.valueHeadDim, 'unquantized')
    } else if (spec.deepseekV4) {
      // DeepSeek-V4 (DeepseekV4Attention, modeling_deepseek_v4.py). llama.cpp names as its deepseek4 ports write them
      // (attn_q_a, attn_kv, attn_out_a/b, hc_attn_*); the compressor's are archcost's (attn_compressor_*), built the same way.
      const v4 = spec.deepseekV4
      const d = att.headDim
      t.matrix(`${blk}attn_q_a.weight`, [h, v4.qLoraRank], 'linear')
      t.vector(`${blk}attn_q_a_norm.weight`, v4.qLoraRank, 'unquantized')
      t.matrix(`${blk}attn_q_b.weight`, [v4.qLoraRank, att.heads * d], 'linear')
      t.matrix(`${blk}attn_kv.weight`, [h, d], 'linear')
      t.vector(`${blk}attn_kv_a_norm.weight`, d, 'unquantized')
      t.matrix(`${blk}attn_out_a.weight`, [(att.heads * d) / v4.oGroups, v4.oGroups * v4.oLoraRank], 'linear')
      t.matrix(`${blk}attn_out_b.weight`, [v4.oGroups * v4.oLoraRank, h], 'linear')
      t.vector(`${blk}attn_sinks.weight`, att.heads, 'linear')
      if (g.compressor) {
        // DeepseekV4CSACompressor (two overlapping series, 2d) / DeepseekV4HCACompressor (d); position_bias is fp32.
        const c = g.compressor === 'csa' ? 2 : 1
        const r = g.compressor === 'csa' ? v4.csaRatio : v4.hcaRatio
        t.matrix(`${blk}attn_compressor_kv.weight`, [h, c * d], 'linear')
        t.matrix(`${blk}attn_compressor_gate.weight`, [h, c * d], 'linear')
        t.matrix(`${blk}attn_compressor_ape.weight`, [c * d, r], 'linear', 'f32')
        t.vector(`${blk}attn_compressor_norm.weight`, d, 'unquantized')
      }
      const ix = att.indexer
      if (g.compressor === 'csa' && ix) {
        // DeepseekV4Indexer: q_b_proj, scorer.weights_proj, its own overlapping compressor (2 di) and kv_norm.
        t.matrix(`${blk}indexer.attn_q_b.weight`, [v4.qLoraRank, ix.heads * ix.headDim], 'linear')
        t.matrix(`${blk}indexer.proj.weight`, [h, ix.heads], 'linear')
        t.matrix(`${blk}indexer.compressor_kv.weight`, [h, 2 * ix.headDim], 'linear')
        t.matrix(`${blk}indexer.compressor_gate.weight`, [h, 2 * ix.headDim], 'linear')
        t.matrix(`${blk}indexer.compressor_ape.weight`, [2 * ix.headDim, v4.csaRatio], 'linear', 'f32')
        t.vector(`${blk}indexer.k_norm.weight`, ix.headDim, 'unquantized')
      }
      // DeepseekV4HyperConnection attn_hc and ffn_hc: fn ((2+n)n, n h), base, scale (3); fp32 in the checkpoint.
      const n = v4.hcMult
      for (const site of ['attn', 'ffn']) {
        t.matrix(`${blk}hc_${site}_fn.weight`, [n * h, (2 + n) * n], 'linear', 'f32')
        t.matrix(`${blk}hc_${site}_base.weight`, [(2 + n) * n], 'linear', 'f32')
        t.matrix(`${blk}hc_${site}_scale.weight`, [3], 'linear', 'f32')
      }
    } else if (att.mla) {
      const m = att.mla
      const b = att.qkvBias
      if (m.qLoraRank === null) t.matrix(`${blk}attn_q.weight`, [h, att.heads * (m.qkNopeHeadDim + m.qkRopeHeadDim)], 'linear')
      else {
        t.matrix(`${blk}attn_q_a.weight`, [h, m.qLoraRank], 'linear')
        if (b) t.vector(`${blk}attn_q_a.bias`, m.qLoraRank, 'linear')
        t.vector(`${blk}attn_q_a_norm.weight`, m.qLoraRank, 'unquantized')
        t.matrix(`${blk}attn_q_b.weight`, [m.qLoraRank, att.heads * (m.qkNopeHeadDim + m.qkRopeHeadDim)], 'linear')
      }
      t.matrix(`${blk}attn_kv_a_mqa.weight`, [h, m.kvLoraRank + m.qkRopeHeadDim], 'linear')
      if (b) t.vector(`${blk}attn_kv_a_mqa.bias`, m.kvLoraRank + m.qkRopeHeadDim, 'linear')
      t.vector(`${blk}attn_kv_a_norm.weight`, m.kvLoraRank, 'unquantized')
      t.matrix(`${blk}attn_kv_b.weight`, [m.kvLoraRank, att.heads * (m.qkNopeHeadDim + m.vHeadDim)], 'linear')
      t.matrix(`${blk}attn_output.weight`, [att.heads * m.vHeadDim, h], 'linear')
      if (att.outputBias) t.vector(`${blk}attn_output.bias`, h, 'linear')
      // Gated MLA (Kimi K3): g_proj as attn_gate (LLM_TENSOR_ATTN_GATE).
      if (m.outputGate) t.matrix(`${blk}attn_gate.weight`, [h, att.heads * m.vHeadDim], 'linear')
      const ix = att.indexer
      if (ix && m.qLoraRank !== null && g.indexer !== false) {
        // DeepSeek-V3.2 DSA lightning indexer (llama-arch.cpp blk.%d.indexer.*); none on GLM-5's "shared" layers.
        t.matrix(`${blk}indexer.attn_q_b.weight`, [m.qLoraRank, ix.heads * ix.headDim], 'linear')
        t.matrix(`${blk}indexer.attn_k.weight`, [h, ix.headDim], 'linear')
        t.matrix(`${blk}indexer.proj.weight`, [h, ix.heads], 'linear')
        t.vector(`${blk}indexer.k_norm.weight`, ix.headDim, 'unquantized')
        t.vector(`${blk}indexer.k_norm.bias`, ix.headDim, 'unquantized')
      }
    } else {
      // Each layer's own attention shape (groupAttentionSpec): Gemma 4 global layers (no v_proj with valueFromKey,
      // attention_k_eq_v), MiMo-V2-Flash sliding layers, Step 3.5/3.7 query heads, DeciLM / Nemotron-NAS KV heads.
      const att = groupAttentionSpec(spec, g).attention
      const noV = g.attention?.valueFromKey === true
      const H = att.heads
      const q = H * att.headDim * (att.outputGate ? 2 : 1)
      // A cross-layer-attention layer (kvProjections false) has no k/v projections: no attn_k / attn_v tensors.
      const k = g.kvProjections === false ? 0 : att.kvHeads * att.headDim
      const v = g.kvProjections === false || noV ? 0 : att.kvHeads * att.valueHeadDim
      if (fusedQkv) {
        t.matrix(`${blk}attn_qkv.weight`, [h, q + k + v], 'linear')
        if (att.qkvBias) t.vector(`${blk}attn_qkv.bias`, q + k + v, 'linear')
      } else {
        for (const [p, n] of [['q', q], ['k', k], ['v', v]] as const) {
          t.matrix(`${blk}attn_${p}.weight`, [h, n], 'linear')
          if (att.qkvBias) t.vector(`${blk}attn_${p}.bias`, n, 'linear')
        }
      }
      t.matrix(`${blk}attn_output.weight`, [H * att.valueHeadDim, h], 'linear')
      if (att.outputBias) t.vector(`${blk}attn_output.bias`, h, 'linear')
      if (att.sinks) t.vector(`${blk}attn_sinks.weight`, H, 'linear')
      // Step 3.5/3.7 g_proj (hidden -> heads) as attn_gate (llama-arch.cpp LLM_TENSOR_ATTN_GATE).
      if (att.headGate) t.matrix(`${blk}attn_gate.weight`, [h, H], 'linear')
      if (att.qkNorm === 'per-head') {
        t.vector(`${blk}attn_q_norm.weight`, att.headDim, 'unquantized')
        if (g.kNorm !== false) t.vector(`${blk}attn_k_norm.weight`, att.headDim, 'unquantized') // Gemma 4 kv-shared layers: q_norm only
        if (att.qkNormBias) {
          // Phi qk_layernorm: LayerNorms with a bias.
          t.vector(`${blk}attn_q_norm.bias`, att.headDim, 'unquantized')
          t.vector(`${blk}attn_k_norm.bias`, att.headDim, 'unquantized')
        }
      } else if (att.qkNorm === 'across-heads') {
        t.vector(`${blk}attn_q_norm.weight`, att.heads * att.headDim, 'unquantized')
        t.vector(`${blk}attn_k_norm.weight`, att.kvHeads * att.headDim, 'unquantized')
      }
      if (isMsaGroup(spec, g)) {
        // MiniMax-M3 MSA indexer (index_q_proj, index_k_proj, index_q_norm, index_k_norm). llama.cpp has no
        // minimax_m3 architecture: the names follow its DSA indexer's (blk.%d.indexer.*).
        const ix = att.indexer!
        t.matrix(`${blk}indexer.attn_q.weight`, [h, ix.heads * ix.headDim], 'linear')
        t.matrix(`${blk}indexer.attn_k.weight`, [h, ix.headDim], 'linear')
        t.vector(`${blk}indexer.q_norm.weight`, ix.headDim, 'unquantized')
        t.vector(`${blk}indexer.k_norm.weight`, ix.headDim, 'unquantized')
      }
    }

    const mlp = (suffix: string, I: number, bias: boolean, cls: MixClass, experts = 1, width = h) => {
      const e = experts > 1 ? [experts] : []
      if (spec.ffn.gated) t.matrix(`${blk}ffn_gate${suffix}.weight`, [width, I, ...e], cls)
      t.matrix(`${blk}ffn_up${suffix}.weight`, [width, I, ...e], cls)
      t.matrix(`${blk}ffn_down${suffix}.weight`, [I, width, ...e], cls)
      if (!bias) return
      // Biases of a fused expert tensor are 2-D [I, E]; not ".weight", so F32 and never quantized.
      if (spec.ffn.gated) t.matrix(`${blk}ffn_gate${suffix}.bias`, [I, ...e], cls, 'f32')
      t.matrix(`${blk}ffn_up${suffix}.bias`, [I, ...e], cls, 'f32')
      t.matrix(`${blk}ffn_down${suffix}.bias`, [width, ...e], cls, 'f32')
    }
    if (g.ffn === 'dense') {
      mlp('', g.ffnIntermediateSize ?? spec.ffn.intermediateSize, spec.ffn.bias, 'linear')
      // Apertus xIELU scalars: convert_hf_to_gguf.py ApertusModel moves act_fn.alpha_p/alpha_n/beta/eps into F32
      // per-layer metadata arrays (xielu_alpha_p, ...), 4 bytes a value as a 1-D F32 tensor would take.
      if (spec.ffn.activationParams) t.vector(`${blk}ffn_act_xielu`, spec.ffn.activationParams, 'linear')
    } else if (g.ffn === 'moe') {
      const moe = spec.moe!
      mlp('_exps', moe.expertIntermediateSize, moe.expertBias, 'experts', moe.routedExperts, moe.latentSize ?? h)
      // Latent MoE: llama-arch.cpp LLM_TENSOR_FFN_LATENT_DOWN/UP (fc1_latent_proj h to L, fc2_latent_proj L to h),
      // in the experts class as params counts them with the routed experts.
      if (moe.latentSize) {
        t.matrix(`${blk}ffn_latent_down.weight`, [h, moe.latentSize], 'experts')
        t.matrix(`${blk}ffn_latent_up.weight`, [moe.latentSize, h], 'experts')
        // Kimi K3 routed_expert_norm as ffn_latent_norm (LLM_TENSOR_FFN_LATENT_NORM), with the norms.
        if (moe.latentNorm) t.vector(`${blk}ffn_latent_norm.weight`, moe.latentSize, 'unquantized')
      }
      if (moe.sharedIntermediateSize > 0) mlp('_shexp', moe.sharedIntermediateSize, moe.sharedExpertBias ?? false, 'linear')
      if (moe.sharedExpertGate) t.vector(`${blk}ffn_gate_inp_shexp.weight`, h, 'linear')
      // The router is in convert_hf_to_gguf.py's always-F32 list (MODEL_TENSOR.FFN_GATE_INP).
      t.matrix(`${blk}ffn_gate_inp.weight`, [h, moe.routedExperts], 'unquantized', 'f32')
      if (moe.routerBias) t.vector(`${blk}ffn_gate_inp.bias`, moe.routedExperts, 'unquantized')
      // DeepSeek-V4 hash-routed layer (DeepseekV4HashRouter): no correction bias, the int32 token-to-expert table
      // tid2eid (V, k) instead; not a ".weight", so llama-quantize leaves it as stored.
      if (moe.routerScoreCorrectionBias && !g.hashRouting) t.vector(`${blk}exp_probs_b.bias`, moe.routedExperts, 'unquantized')
      if (g.hashRouting) t.matrix(`${blk}ffn_gate_tid2eid`, [moe.topK, V], 'unquantized', 'f32')
      // Gemma4TextRouter.scale and per_expert_scale (llama.cpp gemma4: ffn_gate_inp.scale, ffn_down_exps.scale).
      if (moe.routerScales) {
        t.vector(`${blk}ffn_gate_inp.scale`, h, 'unquantized')
        t.vector(`${blk}ffn_down_exps.scale`, moe.routedExperts, 'unquantized')
      }
    }

    if (g3n && ple) {
      // Gemma 3n (llama.cpp gemma3n): AltUp, LAuReL and per-layer input gate and projection.
      const n = g3n.altupInputs
      t.matrix(`${blk}altup_correct_coef.weight`, [n, n], 'linear', 'f32') // ALTUP_CORRECT_COEF: always F32
      t.matrix(`${blk}altup_predict_coef.weight`, [n, n * n], 'linear', 'f32') // ALTUP_PREDICT_COEF: always F32
      t.matrix(`${blk}altup_router.weight`, [h, n], 'linear')
      t.vector(`${blk}altup_router_norm.weight`, h, 'linear')
      t.vector(`${blk}altup_correct_scale.weight`, h, 'linear')
      t.matrix(`${blk}laurel_l.weight`, [h, g3n.laurelRank], 'linear')
      t.matrix(`${blk}laurel_r.weight`, [g3n.laurelRank, h], 'linear')
      t.matrix(`${blk}inp_gate.weight`, [h, ple.dim], 'linear')
      t.matrix(`${blk}proj.weight`, [ple.dim, h], 'linear')
      t.vector(`${blk}laurel_post_norm.weight`, h, 'unquantized')
      t.vector(`${blk}post_norm.weight`, h, 'unquantized')
    }
    if (ple && !g3n) {
      // Gemma 4 E2B/E4B (llama.cpp gemma4): per_layer_input_gate, per_layer_projection, post_per_layer_input_norm.
      t.matrix(`${blk}inp_gate.weight`, [h, ple.dim], 'linear')
      t.matrix(`${blk}proj.weight`, [ple.dim, h], 'linear')
      t.vector(`${blk}post_norm.weight`, h, 'unquantized')
    }
  })
  return t.list
}

const ssmKinds = new Set(['mamba', 'mamba2', 'short-conv'])

/**
 * A state-space mixer's tensors as convert_hf_to_gguf.py writes them (MambaModel, Mamba2Model, JambaModel,
 * NemotronHModel, GraniteHybridModel, FalconH1Model, LFM2Model; names as llama-arch.cpp LLM_TENSOR_SSM_* and
 * LLM_TENSOR_SHORTCONV_*). A (-exp(A_log)), D and the conv kernels are F32 in the source file; ssm_a and ssm_d are
 * not ".weight" tensors and the convs are excluded by name, so llama-quantize keeps all of them.
 */
function ssmTensors(t: TensorList, spec: ModelSpec, blk: string) {
  const la = spec.linearAttention!
  const h = spec.hiddenSize
  const bias = (name: string, n: number, on: boolean | undefined) => {
    if (on) t.vector(`${blk}${name}.bias`, n, 'linear')
  }
  if (la.kind === 'short-conv') {
    const C = la.valueHeads
    t.matrix(`${blk}shortconv.in_proj.weight`, [h, 3 * C], 'linear')
    bias('shortconv.in_proj', 3 * C, la.projectionBias)
    t.matrix(`${blk}shortconv.conv.weight`, [la.convKernel, C], 'linear')
    bias('shortconv.conv', C, la.convBias)
    t.matrix(`${blk}shortconv.out_proj.weight`, [C, h], 'linear')
    bias('shortconv.out_proj', h, la.projectionBias)
    return
  }
  if (la.kind === 'mamba') {
    const di = la.valueHeads
    const N = la.keyHeadDim
    const R = la.dtRank!
    t.matrix(`${blk}ssm_in.weight`, [h, 2 * di], 'linear')
    bias('ssm_in', 2 * di, la.projectionBias)
    t.matrix(`${blk}ssm_conv1d.weight`, [la.convKernel, di], 'linear', 'f32')
    bias('ssm_conv1d', di, la.convBias)
    t.matrix(`${blk}ssm_x.weight`, [di, R + 2 * N], 'linear')
    t.matrix(`${blk}ssm_dt.weight`, [R, di], 'linear')
    t.vector(`${blk}ssm_dt.bias`, di, 'linear')
    t.matrix(`${blk}ssm_a`, [N, di], 'linear', 'f32')
    t.vector(`${blk}ssm_d`, di, 'linear')
    if (la.dtBcNorms) {
      // Jamba (llama.cpp jamba): RMSNorms on dt, B and C.
      t.vector(`${blk}ssm_dt_norm.weight`, R, 'unquantized')
      t.vector(`${blk}ssm_b_norm.weight`, N, 'unquantized')
      t.vector(`${blk}ssm_c_norm.weight`, N, 'unquantized')
    }
    t.matrix(`${blk}ssm_out.weight`, [di, h], 'linear')
    bias('ssm_out', h, la.projectionBias)
    return
  }
  // Mamba-2: in_proj (z, x, B, C, dt), conv over x, B, C; dt bias, A, D per head; grouped gated norm; out_proj.
  const H = la.valueHeads
  const di = H * la.valueHeadDim
  const conv = di + 2 * la.keyHeads * la.keyHeadDim
  t.matrix(`${blk}ssm_in.weight`, [h, di + conv + H], 'linear')
  bias('ssm_in', di + conv + H, la.projectionBias)
  t.matrix(`${blk}ssm_conv1d.weight`, [la.convKernel, conv], 'linear', 'f32')
  bias('ssm_conv1d', conv, la.convBias)
  t.vector(`${blk}ssm_dt.bias`, H, 'linear')
  t.matrix(`${blk}ssm_a`, [1, H], 'linear', 'f32')
  t.matrix(`${blk}ssm_d`, [1, H], 'linear', 'f32')
  if (la.outputNorm !== false) t.matrix(`${blk}ssm_norm.weight`, [di / la.keyHeads, la.keyHeads], 'unquantized', 'f32')
  t.matrix(`${blk}ssm_out.weight`, [di, h], 'linear')
  bias('ssm_out', h, la.projectionBias)
}

// ---------------------------------------------------------------------------------------------------------------
// llama-quant.cpp, rule by rule.

type Category = 'token_embd' | 'attn_q' | 'attn_v' | 'attn_k' | 'attn_qkv' | 'attn_kv_b' | 'attn_output' | 'ffn_up' | 'ffn_gate' | 'ffn_down' | 'output' | 'other'

// llama-quant.cpp tensor_get_category (and tensor_name_match_token_embd / tensor_name_match_output_weight).
function categoryOf(name: string): Category {
  if (name === 'output.weight') return 'output'
  if (name === 'token_embd.weight' || name === 'per_layer_token_embd.weight') return 'token_embd'
  if (name.includes('attn_qkv.weight')) return 'attn_qkv'
  if (name.includes('attn_kv_b.weight')) return 'attn_kv_b'
  if (name.includes('attn_v.weight')) return 'attn_v'
  if (name.includes('attn_k.weight')) return 'attn_k'
  if (name.includes('attn_q.weight')) return 'attn_q'
  if (name.includes('attn_output.weight')) return 'attn_output'
  if (name.includes('ffn_up')) return 'ffn_up'
  if (name.includes('ffn_gate')) return 'ffn_gate'
  if (name.includes('ffn_down')) return 'ffn_down'
  return 'other'
}

// llama-quant.cpp category_is_attn_v: attn_v, attn_qkv and attn_kv_b take the attn_v rules and counter.
const isAttnV = (c: Category) => c === 'attn_v' || c === 'attn_qkv' || c === 'attn_kv_b'

// llama-quant.cpp tensor_allows_quantization: 2-D and 3-D ".weight" tensors, less norms, routers and small tables.
function allowsQuantization(name: string, nDims: number): boolean {
  if (nDims < 2) return false
  return (
    name.endsWith('weight') &&
    !name.includes('_norm.weight') &&
    !name.includes('ffn_gate_inp.weight') &&
    !name.includes('altup') &&
    !name.includes('laurel') &&
    !name.includes('per_layer_model_proj') &&
    name !== 'position_embd.weight' &&
    !name.includes('ssm_conv1d') &&
    !name.includes('shortconv.conv.weight')
  )
}

// llama-quant.cpp llama_tensor_get_type_impl, use_more_bits: the first and last eighth of the layers and every third between.
export const useMoreBits = (i: number, n: number): boolean => i < Math.trunc(n / 8) || i >= Math.trunc((7 * n) / 8) || (i - Math.trunc(n / 8)) % 3 === 2

// llama-quant.cpp llama_ftype_get_default_type: the type of every quantized tensor the rules leave alone.
const defaultTypes: Record<Ftype, GgmlType> = {
  Q8_0: 'q8_0',
  Q6_K: 'q6_k',
  Q5_K_M: 'q5_k',
  Q5_K_S: 'q5_k',
  Q4_K_M: 'q4_k',
  Q4_K_S: 'q4_k',
  Q4_0: 'q4_0',
  Q3_K_L: 'q3_k',
  Q3_K_M: 'q3_k',
  Q3_K_S: 'q3_k',
  Q2_K: 'q2_k',
}

/** The model facts llama-quant.cpp reads (llama_hparams and llm_type). */
interface ModelFacts {
  falcon: boolean
  /** hparams.n_expert: routed experts (0 for a dense model). */
  nExpert: number
  /** hparams.n_gqa(): query heads per KV head. */
  nGqa: number
  /** model.type == LLM_TYPE_70B: llama-model.cpp sets it for LLaMA with 80 layers and GQA, Qwen2 and DECI with 80 layers. */
  is70B: boolean
  /** hparams.n_layer: n_ffn_down, n_ffn_gate and n_ffn_up. */
  nLayer: number
}

function modelFacts(spec: ModelSpec): ModelFacts {
  const type = spec.source.modelType
  const llama = type === 'llama' || type === 'mistral' // converted as LLM_ARCH_LLAMA
  return {
    falcon: type === 'falcon',
    nExpert: spec.moe?.routedExperts ?? 0,
    nGqa: spec.attention.heads / spec.attention.kvHeads,
    // LLM_ARCH_DECI (nemotron-nas) is LLM_TYPE_70B at 80 layers whatever its heads (llama-model.cpp).
    is70B: spec.layers === 80 && ((llama && spec.attention.heads !== spec.attention.kvHeads) || type === 'qwen2' || type === 'nemotron-nas'),
    nLayer: spec.layers,
  }
}

/** quantize_state_impl: the counters and the tied-embeddings flag. */
interface QuantizeState {
  nAttentionWv: number
  iAttentionWv: number
  iFfnDown: number
  hasTiedEmbeddings: boolean
}

const blockSize = (type: GgmlType) => ggmlTypes[type][0]
const layerOf = (name: string) => Number(/^blk\.(\d+)\./.exec(name)?.[1] ?? -1)

// llama-quant.cpp llama_tensor_get_type_impl, for the k-quant, Q8_0 and Q4_0 file types (the IQ and MXFP4 branches never fire for them).
function typeImpl(qs: QuantizeState, m: ModelFacts, type: GgmlType, name: string, ne: readonly number[], ftype: Ftype, c: Category): GgmlType {
  // layer_info: with experts (n_expert > 1) the layer is parsed from the name, else the counter is the layer.
  const layer = (counter: number) => (m.nExpert > 1 ? layerOf(name) : counter)
  if (c === 'output' || (qs.hasTiedEmbeddings && c === 'token_embd')) {
    // Output (and a tied token_embd): Q8_0 for Falcon or a row not whole blocks of the default type, else Q6_K unless Q8_0.
    if (m.falcon || ne[0]! % blockSize(type) !== 0) return 'q8_0'
    return type !== 'q8_0' ? 'q6_k' : type
  }
  if (c === 'token_embd') return type // only IQ and TQ file types change an untied token_embd
  if (isAttnV(c)) {
    // attn_v branch, by i_attention_wv of n_attention_wv (every attn_v, attn_qkv, attn_kv_b in layer order).
    const i = qs.iAttentionWv
    let t = type
    if (ftype === 'Q2_K') t = m.nGqa >= 4 ? 'q4_k' : 'q3_k' // Q2_K: Q4_K with 4+ query heads per KV head, else Q3_K
    else if (ftype === 'Q3_K_M') t = i < 2 ? 'q5_k' : 'q4_k' // Q3_K_M: the first two Q5_K, the rest Q4_K
    else if (ftype === 'Q3_K_L') t = 'q5_k' // Q3_K_L: Q5_K
    else if ((ftype === 'Q4_K_M' || ftype === 'Q5_K_M') && useMoreBits(i, qs.nAttentionWv)) t = 'q6_k' // Q4_K_M, Q5_K_M: Q6_K on use_more_bits
    else if (ftype === 'Q4_K_S' && i < 4) t = 'q5_k' // Q4_K_S: the first four Q5_K
    if (m.is70B && (t === 'q3_k' || t === 'q4_k')) t = 'q5_k' // 70B: 8 heads share attn_v, so more bits cost little
    if (m.nExpert === 8) t = 'q8_0' // the 8-expert model (Mixtral): Q8_0 "trades just ~128MB"
    qs.iAttentionWv++
    return t
  }
  if (c === 'attn_k') return m.nExpert === 8 ? 'q8_0' : type // attn_k branch: Q8_0 for the 8-expert model
  if (c === 'attn_q') return type // attn_q branch: only IQ3_XS and IQ3_XXS change attn_q
  if (c === 'ffn_down') {
    // ffn_down branch, by layer_info(i_ffn_down, n_ffn_down): every ffn_down, ffn_down_exps, ffn_down_shexp.
    const i = layer(qs.iFfnDown)
    const n = m.nLayer
    let t = type
    if (ftype === 'Q2_K') t = 'q3_k' // Q2_K: Q3_K
    else if (ftype === 'Q3_K_M') t = i < Math.trunc(n / 16) ? 'q5_k' : !m.falcon || useMoreBits(i, n) ? 'q4_k' : 'q3_k' // Q3_K_M: Q5_K below n/16, else Q4_K
    else if (ftype === 'Q3_K_L') t = m.falcon ? 'q4_k' : 'q5_k' // Q3_K_L: Q5_K (Falcon Q4_K)
    else if (ftype === 'Q4_K_M') {
      // Q4_K_M: Q6_K on use_more_bits (Falcon: Q6_K below n/16, Q5_K on use_more_bits)
      if (m.falcon) t = i < Math.trunc(n / 16) ? 'q6_k' : useMoreBits(i, n) ? 'q5_k' : 'q4_k'
      else if (useMoreBits(i, n)) t = 'q6_k'
    } else if (ftype === 'Q5_K_M' && useMoreBits(i, n)) t = 'q6_k' // Q5_K_M: Q6_K on use_more_bits
    else if (ftype === 'Q4_K_S' && !m.falcon && i < Math.trunc(n / 8)) t = 'q5_k' // Q4_K_S: Q5_K below n/8
    // (Q4_0 with an importance matrix would keep the first eighth in Q4_1; none is assumed.)
    qs.iFfnDown++
    return t
  }
  if (c === 'attn_output') {
    // attn_output branch: Q5_K for the 8-expert model in the listed file types; else Q2_K -> Q3_K, Q3_K_M -> Q4_K, Q3_K_L -> Q5_K.
    if (!m.falcon) {
      if (m.nExpert === 8) return ['Q2_K', 'Q3_K_S', 'Q3_K_M', 'Q4_K_S', 'Q4_K_M'].includes(ftype) ? 'q5_k' : type
      if (ftype === 'Q2_K') return 'q3_k'
      if (ftype === 'Q3_K_M') return 'q4_k'
      if (ftype === 'Q3_K_L') return 'q5_k'
      return type
    }
    return ftype === 'Q3_K_L' ? 'q4_k' : type
  }
  // attn_qkv and attn_kv_b went through the attn_v branch above; ffn_gate and ffn_up change only for IQ3_XS.
  return type
}

// llama-quant.cpp tensor_type_fallback: a row that is not whole blocks of the chosen type falls back to a 32-value type, else F16.
function fallback(name: string, ne0: number, type: GgmlType): GgmlType {
  if (ne0 % blockSize(type) === 0) return type
  const to: Partial<Record<GgmlType, GgmlType>> = {q2_k: 'q4_0', q3_k: 'q4_0', q4_k: 'q5_0', q5_k: 'q5_1', q6_k: 'q8_0'}
  const next = to[type]
  if (!next) throw new RangeError(`llama-quantize has no fallback for ${name}: a row of ${ne0} values is not whole ${type} blocks`)
  return ne0 % blockSize(next) === 0 ? next : 'f16'
}

const bytesOf = (type: GgmlType, elements: number) => (elements / ggmlTypes[type][0]) * ggmlTypes[type][1]

/** Every tensor of the spec's text model with the type llama-quantize gives it for the mix (llama_model_quantize_impl). */
export function ggufTensors(spec: ModelSpec, mix: GgufMix): GgufTensor[] {
  const ftype = ggufMixes[mix]
  const defaultType = defaultTypes[ftype]
  const m = modelFacts(spec)
  const list = [...tensorsOf(spec)].sort((a, b) => layerOf(a.name) - layerOf(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  // init_quantize_state_counters: n_attention_wv counts the attn_v-like tensors; an output tensor means untied embeddings.
  const qs: QuantizeState = {
    nAttentionWv: list.filter((t) => isAttnV(categoryOf(t.name))).length,
    iAttentionWv: 0,
    iFfnDown: 0,
    hasTiedEmbeddings: !list.some((t) => categoryOf(t.name) === 'output'),
  }
  return list.map((t) => {
    const elements = t.ne.reduce((a, b) => a * b, 1)
    // llama_tensor_get_type: a tensor that may not be quantized keeps its source type; else the rules, then the fallback.
    const type = allowsQuantization(t.name, t.ne.length) ? fallback(t.name, t.ne[0]!, typeImpl(qs, m, defaultType, t.name, t.ne, ftype, categoryOf(t.name))) : t.source
    return {name: t.name, ne: t.ne, elements, cls: t.cls, source: t.source, type, bytes: bytesOf(type, elements)}
  })
}

function computeMix(spec: ModelSpec, mix: GgufMix): GgufMixBytes {
  const tensors = ggufTensors(spec, mix)
  const zero = () => ({embeddings: 0, perLayerEmbeddings: 0, linear: 0, experts: 0, unquantized: 0})
  const bytes: Record<MixClass, number> = zero()
  const params: Record<MixClass, number> = zero()
  for (const t of tensors) {
    bytes[t.cls] += t.bytes
    params[t.cls] += t.elements
  }
  const defaultBytes = bytesOf(defaultTypes[ggufMixes[mix]], 1)
  const bytesPerElement = Object.fromEntries(mixClasses.map((c) => [c, params[c] > 0 ? bytes[c] / params[c] : defaultBytes])) as Record<MixClass, number>
  const head = tensors.find((t) => t.name === (spec.embeddings.tied ? 'token_embd.weight' : 'output.weight'))!
  return {mix, ftype: ggufMixes[mix], bytes, params, bytesPerElement, headBytesPerElement: head.bytes / head.elements, totalBytes: tensors.reduce((s, t) => s + t.bytes, 0)}
}

/**
 * Parameters a Hugging Face checkpoint saves that llama.cpp's converter keeps out of the GGUF tensor table, by
 * breakdown component: ChatGLM's rotary inv_freq (convert_hf_to_gguf.py ChatGLMModel skips rotary_pos_emb.inv_freq)
 * and Apertus's xIELU scalars (ApertusModel moves act_fn.alpha_p/alpha_n/beta/eps into per-layer metadata arrays).
 * The enumeration above keeps them as 1-D F32 tensors so its elements equal the breakdown; `verify` against a GGUF
 * file expects them absent.
 */
export function ggufDroppedParams(spec: ModelSpec): {other: number; denseFfn: number} {
  const denseLayers = spec.layerGroups.reduce((n, g) => n + (g.ffn === 'dense' ? g.count : 0), 0)
  return {other: spec.rope.storedInvFreq ?? 0, denseFfn: (spec.ffn.activationParams ?? 0) * denseLayers}
}

const cache = perSpec(() => new Map<GgufMix, GgufMixBytes>())

/** Bytes of each class of the spec under a mix, computed once per spec and mix (sweeps ask per point). */
export function ggufMixBytes(spec: ModelSpec, mix: GgufMix): GgufMixBytes {
  const bySpec = cache(spec)
  let value = bySpec.get(mix)
  if (!value) bySpec.set(mix, (value = Object.freeze(computeMix(spec, mix))))
  return value
}
