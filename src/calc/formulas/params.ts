// Parameter counts of what the Hugging Face transformers model classes build for the text model
// (src/transformers/models/<type>/modeling_<type>.py), one registry entry per module. A Linear(in, out, bias)
// holds in * out + out if it has a bias, which every expression below expands.
import type {ModelSpec} from '../../schema/model.js'
import {bit, formula} from './formula.js'

export const paramComponents = [
  'embedding',
  'perLayerEmbedding',
  'attention',
  'denseFfn',
  'routedExperts',
  'sharedExperts',
  'router',
  'norms',
  'lmHead',
  'other',
] as const
export type ParamComponent = (typeof paramComponents)[number]
export type ParamBreakdown = Record<ParamComponent, number>

// nn.Embedding(vocab, h) plus GPT-2's learned position table nn.Embedding(positions, h) (GPT2Model.wte, wpe).
export const embeddingParams = formula({
  id: 'params.embedding',
  label: 'embedding (tokens + learned positions)',
  expression: 'V * h + P * h',
  symbols: {V: 'vocabulary size (rows)', h: 'hidden size (elements)', P: 'rows of the learned position table, 0 for RoPE models (rows)'},
  unit: 'params',
  integer: true,
  source: 'transformers LlamaModel.embed_tokens; GPT2Model.wpe (modeling_gpt2.py)',
  evaluate: (v) => v.V * v.h + v.P * v.h,
  read: (spec: ModelSpec) => ({V: spec.embeddings.vocabSize, h: spec.hiddenSize, P: spec.embeddings.learnedPositions}),
})

// OPT-350m: embed_tokens (vocab, p) narrower than the hidden size, plus the learned position table (positions, h).
export const projectedEmbeddingParams = formula({
  id: 'params.embedding.projected',
  label: 'embedding (tokens at the projected width + learned positions)',
  expression: 'V * p + P * h',
  symbols: {V: 'vocabulary size (rows)', p: 'token embedding width, word_embed_proj_dim (elements)', P: 'rows of the learned position table (rows)', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers OPTDecoder.embed_tokens, embed_positions (modeling_opt.py)',
  evaluate: (v) => v.V * v.p + v.P * v.h,
  read: (spec: ModelSpec) => ({V: spec.embeddings.vocabSize, p: spec.embeddings.projectionDim!, P: spec.embeddings.learnedPositions, h: spec.hiddenSize}),
})

// OPT-350m: project_in Linear(p, h, bias=False) after the embedding and project_out Linear(h, p, bias=False) before the head.
export const embeddingProjectionParams = formula({
  id: 'params.embedding.projections',
  label: 'embedding projections in and out (counted under other)',
  expression: '2 * p * h',
  symbols: {p: 'token embedding width, word_embed_proj_dim (elements)', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers OPTDecoder.project_in, project_out (modeling_opt.py)',
  evaluate: (v) => 2 * v.p * v.h,
  read: (spec: ModelSpec) => ({p: spec.embeddings.projectionDim!, h: spec.hiddenSize}),
})

// Gemma 3n and Gemma 4 E2B/E4B per-layer embeddings: embed_tokens_per_layer (vocab_per_layer, L * p).
export const perLayerEmbeddingParams = formula({
  id: 'params.perLayerEmbedding',
  label: 'per-layer embeddings (Gemma 3n, Gemma 4 E2B/E4B)',
  expression: 'Vp * L * p',
  symbols: {Vp: 'per-layer embedding vocabulary (rows)', L: 'decoder layers', p: 'per-layer embedding width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma3nTextModel.embed_tokens_per_layer (modeling_gemma3n.py), Gemma4TextModel.embed_tokens_per_layer (modeling_gemma4.py)',
  evaluate: (v) => v.Vp * v.L * v.p,
  read: (spec: ModelSpec) => ({Vp: spec.embeddings.perLayer?.vocabSize ?? 0, L: spec.layers, p: spec.embeddings.perLayer?.dim ?? 0}),
})

// lm_head Linear(h, vocab), absent when tied to the embedding (tie_word_embeddings); its bias, where it has one, is params.lmHead.bias.
export const lmHeadParams = formula({
  id: 'params.lmHead',
  label: 'LM head (0 when tied to the embedding)',
  expression: 'u * V * h',
  symbols: {u: '1 if the head is untied from the embedding, else 0', V: 'vocabulary size (rows)', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers LlamaForCausalLM.lm_head (modeling_llama.py)',
  evaluate: (v) => v.u * v.V * v.h,
  read: (spec: ModelSpec) => ({u: bit(!spec.embeddings.tied), V: spec.embeddings.vocabSize, h: spec.hiddenSize}),
})

// The bias of an LM head Linear(h, vocab, bias=True): GPT-J, Phi-1/2, Phi-3.5-MoE (lm_head_bias) and ERNIE 4.5 MoE
// (use_bias), whose bias is its own even when the weight is tied to the embedding.
export const lmHeadBiasParams = formula({
  id: 'params.lmHead.bias',
  label: 'LM head bias',
  expression: 'hb * V',
  symbols: {hb: '1 if the LM head has a bias, else 0', V: 'vocabulary size (rows)'},
  unit: 'params',
  integer: true,
  source: 'transformers GPTJForCausalLM.lm_head (modeling_gptj.py), PhiForCausalLM.lm_head (modeling_phi.py), PhimoeForCausalLM.lm_head (modular_phimoe.py), Ernie4_5_MoeForCausalLM.lm_head: Linear(h, vocab, bias=True)',
  evaluate: (v) => v.hb * v.V,
  read: (spec: ModelSpec) => ({hb: bit(spec.embeddings.lmHeadBias === true), V: spec.embeddings.vocabSize}),
})

// GQA/MHA/MQA: q (h, H*d, doubled for an output gate), k (h, Hkv*d), v (h, Hkv*dv), o (H*dv, h), sinks (H).
export const gqaAttentionParams = formula({
  id: 'params.attention.gqa',
  label: 'attention projections, one layer',
  expression: '(h + b) * (H * d * (1 + g) + Hkv * d + Hkv * dv) + (H * dv + ob) * h + s * H',
  symbols: {
    h: 'hidden size (elements)',
    b: '1 if q, k and v have biases, else 0',
    H: 'query heads',
    d: 'query/key head width (elements)',
    g: '1 if q_proj also computes a sigmoid output gate (Qwen3-Next), else 0',
    Hkv: 'key/value heads',
    dv: 'value head width (elements)',
    ob: '1 if o_proj has a bias, else 0',
    s: '1 if each head has a learned attention-sink logit (gpt-oss), else 0',
  },
  unit: 'params',
  integer: true,
  source: 'transformers LlamaAttention (modeling_llama.py), Qwen3NextAttention, GptOssAttention.sinks',
  evaluate: (v) => (v.h + v.b) * (v.H * v.d * (1 + v.g) + v.Hkv * v.d + v.Hkv * v.dv) + (v.H * v.dv + v.ob) * v.h + v.s * v.H,
  read: (spec: ModelSpec) => {
    const att = spec.attention
    return {h: spec.hiddenSize, b: bit(att.qkvBias), H: att.heads, d: att.headDim, g: bit(att.outputGate), Hkv: att.kvHeads, dv: att.valueHeadDim, ob: bit(att.outputBias), s: bit(att.sinks)}
  },
})

// DeciLM / Nemotron-NAS replace_with_linear attention: one Linear(hidden, hidden, bias=False) in place of self_attn.
export const linearMixerParams = formula({
  id: 'params.attention.linearReplacement',
  label: 'hidden x hidden linear in place of attention (replace_with_linear), one layer',
  expression: 'h * h',
  symbols: {h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'DeciLMLinearAttention.linear_attn (modeling_decilm.py, remote code of nvidia/Llama-3_1-Nemotron-51B-Instruct); TensorRT-LLM nemotron_nas.py',
  evaluate: (v) => v.h * v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize}),
})

// Step 3.5/3.7 head-wise gate: g_proj (hidden -> heads, no bias), one sigmoid scalar per head on the attention output.
export const headGateParams = formula({
  id: 'params.attention.headGate',
  label: 'head-wise attention gate (g_proj), one layer',
  expression: 'h * H',
  symbols: {h: 'hidden size (elements)', H: 'query heads'},
  unit: 'params',
  integer: true,
  source: 'transformers Step3p7Attention.g_proj (modeling_step3p7.py); vLLM Step3p5Attention.g_proj (step3p5.py)',
  evaluate: (v) => v.h * v.H,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, H: spec.attention.heads}),
})

// A layer of cross-layer attention that reuses another layer's keys and values: q and o only (Hunyuan use_cla).
export const gqaNoKvAttentionParams = formula({
  id: 'params.attention.gqaNoKv',
  label: 'attention projections without k/v (cross-layer KV), one layer',
  expression: '(h + b) * H * d * (1 + g) + (H * dv + ob) * h + s * H',
  symbols: {
    h: 'hidden size (elements)',
    b: '1 if q has a bias, else 0',
    H: 'query heads',
    d: 'query head width (elements)',
    g: '1 if q_proj also computes a sigmoid output gate, else 0',
    dv: 'value head width (elements)',
    ob: '1 if o_proj has a bias, else 0',
    s: '1 if each head has a learned attention-sink logit, else 0',
  },
  unit: 'params',
  integer: true,
  source: 'Tencent Hunyuan modeling_hunyuan.py HunYuanAttention (attention_type "cross": no k_proj, v_proj when use_cla)',
  evaluate: (v) => (v.h + v.b) * v.H * v.d * (1 + v.g) + (v.H * v.dv + v.ob) * v.h + v.s * v.H,
  read: (spec: ModelSpec) => {
    const att = spec.attention
    return {h: spec.hiddenSize, b: bit(att.qkvBias), H: att.heads, d: att.headDim, g: bit(att.outputGate), dv: att.valueHeadDim, ob: bit(att.outputBias), s: bit(att.sinks)}
  },
})

// Gemma 4 full-attention layer with attention_k_eq_v: q (h, H*d), k (h, Hkv*d), no v_proj (values are k_proj's output), o (H*d, h).
export const gqaKeyIsValueAttentionParams = formula({
  id: 'params.attention.gqaKeyIsValue',
  label: 'attention projections with values from the key projection, one layer',
  expression: '(h + b) * (H * d + Hkv * d) + (H * d + ob) * h',
  symbols: {
    h: 'hidden size (elements)',
    b: '1 if q and k have biases, else 0',
    H: 'query heads',
    d: 'head width of these layers (elements)',
    Hkv: 'key/value heads of these layers',
    ob: '1 if o_proj has a bias, else 0',
  },
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextAttention (modeling_gemma4.py): v_proj None when attention_k_eq_v and not sliding',
  evaluate: (v) => (v.h + v.b) * (v.H * v.d + v.Hkv * v.d) + (v.H * v.d + v.ob) * v.h,
  read: (spec: ModelSpec) => {
    const att = spec.attention
    return {h: spec.hiddenSize, b: bit(att.qkvBias), H: att.heads, d: att.headDim, Hkv: att.kvHeads, ob: bit(att.outputBias)}
  },
})

const mlaSymbols = {
  h: 'hidden size (elements)',
  b: '1 if q_a_proj and kv_a_proj_with_mqa have biases (attention_bias), else 0',
  H: 'attention heads',
  dn: 'per-head key width without RoPE, qk_nope_head_dim (elements)',
  dr: 'decoupled RoPE key width, qk_rope_head_dim (elements)',
  rkv: 'KV latent rank, kv_lora_rank (elements)',
  dv: 'value head width, v_head_dim (elements)',
  ob: '1 if o_proj has a bias, else 0',
} as const
const readMla = (spec: ModelSpec) => {
  const att = spec.attention
  const m = att.mla!
  return {h: spec.hiddenSize, b: bit(att.qkvBias), H: att.heads, dn: m.qkNopeHeadDim, dr: m.qkRopeHeadDim, rkv: m.kvLoraRank, dv: m.vHeadDim, ob: bit(att.outputBias)}
}

// MLA with a query latent: q_a (h, rq), q_b (rq, H*(dn+dr)), kv_a_with_mqa (h, rkv+dr), kv_b (rkv, H*(dn+dv)), o (H*dv, h).
export const mlaAttentionParams = formula({
  id: 'params.attention.mla',
  label: 'MLA projections, one layer',
  expression: '(h + b) * rq + rq * H * (dn + dr) + (h + b) * (rkv + dr) + rkv * H * (dn + dv) + (H * dv + ob) * h',
  symbols: {...mlaSymbols, rq: 'query latent rank, q_lora_rank (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV3Attention (modeling_deepseek_v3.py); DeepSeek-V2 §2.1 (arXiv 2405.04434)',
  evaluate: (v) => (v.h + v.b) * v.rq + v.rq * v.H * (v.dn + v.dr) + (v.h + v.b) * (v.rkv + v.dr) + v.rkv * v.H * (v.dn + v.dv) + (v.H * v.dv + v.ob) * v.h,
  read: (spec: ModelSpec) => ({...readMla(spec), rq: spec.attention.mla!.qLoraRank ?? 0}),
})

// MLA without a query latent (DeepSeek-V2-Lite): q_proj (h, H*(dn+dr)) without bias.
export const mlaFullRankQueryAttentionParams = formula({
  id: 'params.attention.mlaFullRankQuery',
  label: 'MLA projections with a full-rank q_proj, one layer',
  expression: 'h * H * (dn + dr) + (h + b) * (rkv + dr) + rkv * H * (dn + dv) + (H * dv + ob) * h',
  symbols: mlaSymbols,
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV3Attention with q_lora_rank None (modeling_deepseek_v3.py)',
  evaluate: (v) => v.h * v.H * (v.dn + v.dr) + (v.h + v.b) * (v.rkv + v.dr) + v.rkv * v.H * (v.dn + v.dv) + (v.H * v.dv + v.ob) * v.h,
  read: readMla,
})

// Qwen3RMSNorm(head_dim) on q and on k.
export const perHeadQkNormParams = formula({
  id: 'params.qkNorm.perHead',
  label: 'QK-norm weights (per head), one layer',
  expression: '2 * d',
  symbols: {d: 'query/key head width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Qwen3Attention.q_norm, k_norm (modeling_qwen3.py)',
  evaluate: (v) => 2 * v.d,
  read: (spec: ModelSpec) => ({d: spec.attention.headDim}),
})

// Gemma 4 kv-shared layer (Gemma4TextAttention with is_kv_shared_layer): q_norm (head_dim) only, no k_norm.
export const queryNormParams = formula({
  id: 'params.qkNorm.queryOnly',
  label: 'query norm weights (no k_norm), one layer',
  expression: 'd',
  symbols: {d: 'query head width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextAttention.q_norm; k_norm only when not is_kv_shared_layer (modeling_gemma4.py)',
  evaluate: (v) => v.d,
  read: (spec: ModelSpec) => ({d: spec.attention.headDim}),
})

// Phi qk_layernorm: q_layernorm and k_layernorm, each a LayerNorm(head_dim) with weight and bias, shared by all heads.
export const perHeadQkNormBiasParams = formula({
  id: 'params.qkNorm.perHeadBias',
  label: 'QK-norm weights and biases (per head, LayerNorm), one layer',
  expression: '2 * 2 * d',
  symbols: {d: 'query/key head width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers PhiAttention.q_layernorm, k_layernorm (modeling_phi.py)',
  evaluate: (v) => 2 * 2 * v.d,
  read: (spec: ModelSpec) => ({d: spec.attention.headDim}),
})

// OLMo 2: q_norm over H*d and k_norm over Hkv*d.
export const acrossHeadsQkNormParams = formula({
  id: 'params.qkNorm.acrossHeads',
  label: 'QK-norm weights (across heads), one layer',
  expression: 'H * d + Hkv * d',
  symbols: {H: 'query heads', Hkv: 'key/value heads', d: 'query/key head width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Olmo2Attention.q_norm, k_norm (modeling_olmo2.py)',
  evaluate: (v) => v.H * v.d + v.Hkv * v.d,
  read: (spec: ModelSpec) => ({H: spec.attention.heads, Hkv: spec.attention.kvHeads, d: spec.attention.headDim}),
})

// MLA latent norms q_a_layernorm (rq) and kv_a_layernorm (rkv); the DSA indexer's k_norm LayerNorm (di, with bias).
export const mlaNormParams = formula({
  id: 'params.qkNorm.mla',
  label: 'MLA latent norm weights (and the DSA indexer k_norm), one layer',
  expression: 'rq + rkv + 2 * di',
  symbols: {rq: 'query latent rank, 0 without one (elements)', rkv: 'KV latent rank (elements)', di: 'DSA indexer head width, 0 without an indexer (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV3Attention.q_a_layernorm, kv_a_layernorm; DeepseekV32Indexer.k_norm (modular_deepseek_v32.py)',
  evaluate: (v) => v.rq + v.rkv + 2 * v.di,
  read: (spec: ModelSpec) => ({rq: spec.attention.mla!.qLoraRank ?? 0, rkv: spec.attention.mla!.kvLoraRank, di: spec.attention.indexer?.headDim ?? 0}),
})

// Qwen3NextGatedDeltaNet: in_proj_qkvz (h, 2*Hk*dk + 2*Hv*dv), in_proj_ba (h, 2*Hv), conv1d (2*Hk*dk + Hv*dv channels x K,
// no bias), dt_bias (Hv), A_log (Hv), out_proj (Hv*dv, h); its gated RMSNorm (dv) is counted with the norms.
export const gatedDeltaNetParams = formula({
  id: 'params.mixer.gatedDeltaNet',
  label: 'Gated DeltaNet mixer, one layer',
  expression: 'h * (2 * Hk * dk + 2 * Hv * dv) + h * 2 * Hv + (2 * Hk * dk + Hv * dv) * K + 2 * Hv + Hv * dv * h',
  symbols: {h: 'hidden size (elements)', Hk: 'key heads', dk: 'key head width (elements)', Hv: 'value heads', dv: 'value head width (elements)', K: 'causal conv kernel (taps)'},
  unit: 'params',
  integer: true,
  source: 'transformers Qwen3NextGatedDeltaNet (modeling_qwen3_next.py)',
  evaluate: (v) => v.h * (2 * v.Hk * v.dk + 2 * v.Hv * v.dv) + v.h * 2 * v.Hv + (2 * v.Hk * v.dk + v.Hv * v.dv) * v.K + 2 * v.Hv + v.Hv * v.dv * v.h,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {h: spec.hiddenSize, Hk: la.keyHeads, dk: la.keyHeadDim, Hv: la.valueHeads, dv: la.valueHeadDim, K: la.convKernel}
  },
})

// KimiDeltaAttention: q/k/v (h, H*d) and o (H*d, h); low-rank decay and gate f_a, g_a (h, d) with f_b, g_b (d, H*d);
// beta b_proj (h, H); dt_bias (H*d), A_log (H); q/k/v short convs (H*d channels x K, no bias). o_norm (d) is with the norms.
export const kdaParams = formula({
  id: 'params.mixer.kda',
  label: 'Kimi Delta Attention mixer, one layer',
  expression: '4 * h * H * d + 2 * (h * d + d * H * d) + h * H + H * d + H + 3 * H * d * K',
  symbols: {h: 'hidden size (elements)', H: 'heads (q, k and v alike)', d: 'head width (elements)', K: 'short conv kernel (taps)'},
  unit: 'params',
  integer: true,
  source: 'vLLM model_executor/layers/kda.py KimiDeltaAttention; transformers kimi_linear',
  evaluate: (v) => 4 * v.h * v.H * v.d + 2 * (v.h * v.d + v.d * v.H * v.d) + v.h * v.H + v.H * v.d + v.H + 3 * v.H * v.d * v.K,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {h: spec.hiddenSize, H: la.keyHeads, d: la.keyHeadDim, K: la.convKernel}
  },
})

// Kimi K3 KDA with use_full_rank_gate: the output gate is one g_proj (h, H*d) in place of g_a (h, d) + g_b (d, H*d); the
// rest as kdaParams. A_log counts the class's H values (the released K3 checkpoint pads each A_log to 128 with zeros).
export const kdaFullRankGateParams = formula({
  id: 'params.mixer.kdaFullRankGate',
  label: 'Kimi Delta Attention mixer with a full-rank output gate, one layer',
  expression: '5 * h * H * d + h * d + d * H * d + h * H + H * d + H + 3 * H * d * K',
  symbols: {h: 'hidden size (elements)', H: 'heads (q, k and v alike)', d: 'head width (elements)', K: 'short conv kernel (taps)'},
  unit: 'params',
  integer: true,
  source: 'SGLang models/kimi_k3.py KimiK3DeltaAttention (g_proj when use_full_rank_gate); Moonshot modeling_kimi_linear.py (Kimi-K3) KimiDeltaAttention',
  evaluate: (v) => 5 * v.h * v.H * v.d + v.h * v.d + v.d * v.H * v.d + v.h * v.H + v.H * v.d + v.H + 3 * v.H * v.d * v.K,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {h: spec.hiddenSize, H: la.keyHeads, d: la.keyHeadDim, K: la.convKernel}
  },
})

// Gated MLA (Kimi K3 mla_use_output_gate): g_proj Linear(h, H*dv, bias=False); sigmoid(g) scales the attention output before o_proj.
export const mlaOutputGateParams = formula({
  id: 'params.attention.mlaOutputGate',
  label: 'MLA output gate g_proj, one layer',
  expression: 'h * H * dv',
  symbols: {h: 'hidden size (elements)', H: 'attention heads', dv: 'value head width, v_head_dim (elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang models/kimi_k3.py KimiK3MLAAttention.g_proj; vLLM kimi_k3 MLA g_proj (ColumnParallelLinear, no bias)',
  evaluate: (v) => v.h * v.H * v.dv,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, H: spec.attention.heads, dv: spec.attention.mla!.vHeadDim}),
})

// MambaMixer (modeling_mamba.py, Mamba-1): in_proj (h, 2*di), conv1d (di channels x K, bias use_conv_bias), x_proj
// (di, R + 2*N, no bias), dt_proj (R, di, with bias), A_log (di, N), D (di), out_proj (di, h); in/out biases use_bias.
export const mambaParams = formula({
  id: 'params.mixer.mamba',
  label: 'Mamba (selective SSM) mixer, one layer',
  expression: '(h + pb) * 2 * di + di * (K + cb) + di * (R + 2 * N) + (R + 1) * di + di * N + di + (di + pb) * h',
  symbols: {
    h: 'hidden size (elements)',
    pb: '1 if in_proj and out_proj have biases, else 0',
    di: 'inner width d_inner = expand * h (channels)',
    K: 'conv kernel (taps)',
    cb: '1 if the conv has a bias, else 0',
    R: 'dt rank, time_step_rank (elements)',
    N: 'SSM state size d_state (elements)',
  },
  unit: 'params',
  integer: true,
  source: 'transformers MambaMixer (modeling_mamba.py), JambaMambaMixer (modeling_jamba.py)',
  evaluate: (v) => (v.h + v.pb) * 2 * v.di + v.di * (v.K + v.cb) + v.di * (v.R + 2 * v.N) + (v.R + 1) * v.di + v.di * v.N + v.di + (v.di + v.pb) * v.h,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {h: spec.hiddenSize, pb: bit(la.projectionBias ?? false), di: la.valueHeads, K: la.convKernel, cb: bit(la.convBias ?? false), R: la.dtRank ?? 0, N: la.keyHeadDim}
  },
})

// Mamba2Mixer (modeling_mamba2.py): in_proj (h, 2*H*P + 2*G*N + H: gate z, x, B, C, dt), conv1d over x, B and C
// (H*P + 2*G*N channels x K, bias use_conv_bias), dt_bias, A_log and D (H each), out_proj (H*P, h). Its gated RMSNorm
// (H*P) is counted with the norms.
export const mamba2Params = formula({
  id: 'params.mixer.mamba2',
  label: 'Mamba-2 (SSD) mixer, one layer',
  expression: '(h + pb) * (2 * H * P + 2 * G * N + H) + (H * P + 2 * G * N) * (K + cb) + 3 * H + (H * P + pb) * h',
  symbols: {
    h: 'hidden size (elements)',
    pb: '1 if in_proj and out_proj have biases, else 0',
    H: 'SSM heads',
    P: 'SSM head width (elements)',
    G: 'groups of B and C, n_groups',
    N: 'SSM state size d_state (elements)',
    K: 'conv kernel (taps)',
    cb: '1 if the conv has a bias, else 0',
  },
  unit: 'params',
  integer: true,
  source: 'transformers Mamba2Mixer (modeling_mamba2.py), NemotronHMamba2Mixer, GraniteMoeHybridMambaLayer, FalconH1Mixer',
  evaluate: (v) => (v.h + v.pb) * (2 * v.H * v.P + 2 * v.G * v.N + v.H) + (v.H * v.P + 2 * v.G * v.N) * (v.K + v.cb) + 3 * v.H + (v.H * v.P + v.pb) * v.h,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {h: spec.hiddenSize, pb: bit(la.projectionBias ?? false), H: la.valueHeads, P: la.valueHeadDim, G: la.keyHeads, N: la.keyHeadDim, K: la.convKernel, cb: bit(la.convBias ?? false)}
  },
})

// Lfm2ShortConv (modeling_lfm2.py): in_proj (h, 3*C: B, C gates and x), depthwise conv (C channels x K), out_proj (C, h);
// in/out biases and the conv bias follow conv_bias.
export const shortConvParams = formula({
  id: 'params.mixer.shortConv',
  label: 'gated short-convolution mixer, one layer',
  expression: '(h + pb) * 3 * C + C * (K + cb) + (C + pb) * h',
  symbols: {h: 'hidden size (elements)', pb: '1 if in_proj and out_proj have biases, else 0', C: 'conv channels (elements)', K: 'conv kernel, L_cache (taps)', cb: '1 if the conv has a bias, else 0'},
  unit: 'params',
  integer: true,
  source: 'transformers Lfm2ShortConv (modeling_lfm2.py)',
  evaluate: (v) => (v.h + v.pb) * 3 * v.C + v.C * (v.K + v.cb) + (v.C + v.pb) * v.h,
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {h: spec.hiddenSize, pb: bit(la.projectionBias ?? false), C: la.valueHeads, K: la.convKernel, cb: bit(la.convBias ?? false)}
  },
})

// Norm weights inside a state-space mixer: Mamba-2's gated RMSNorm over d_inner (MambaRMSNormGated), Jamba's
// dt_layernorm (R), b_layernorm and c_layernorm (N each).
export const ssmNormParams = formula({
  id: 'params.mixer.ssmNorms',
  label: 'norm weights inside a state-space mixer, one layer',
  expression: 'o * H * P + j * (R + 2 * N)',
  symbols: {
    o: '1 with a gated output norm (Mamba-2), else 0',
    H: 'SSM heads (Mamba-1: d_inner channels)',
    P: 'SSM head width (elements)',
    j: '1 with dt, B and C norms (Jamba), else 0',
    R: 'dt rank (elements)',
    N: 'SSM state size (elements)',
  },
  unit: 'params',
  integer: true,
  source: 'transformers Mamba2Mixer.norm (modeling_mamba2.py); JambaMambaMixer dt_layernorm, b_layernorm, c_layernorm (modeling_jamba.py)',
  evaluate: (v) => v.o * v.H * v.P + v.j * (v.R + 2 * v.N),
  read: (spec: ModelSpec) => {
    const la = spec.linearAttention!
    return {o: bit(la.kind === 'mamba2' && la.outputNorm !== false), H: la.valueHeads, P: la.valueHeadDim, j: bit(la.kind === 'mamba' && la.dtBcNorms === true), R: la.dtRank ?? 0, N: la.keyHeadDim}
  },
})

// DSA lightning indexer: wq_b (rq, Hi*di), wk (h, di), weights_proj (h, Hi), none with a bias. Counted under "other".
export const indexerParams = formula({
  id: 'params.indexer',
  label: 'DSA lightning indexer, one attention layer',
  expression: 'rq * Hi * di + h * di + h * Hi',
  symbols: {rq: 'query latent rank (elements)', Hi: 'indexer heads', di: 'indexer head width (elements)', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV32Indexer (modular_deepseek_v32.py); DeepSeek inference/model.py Indexer',
  evaluate: (v) => v.rq * v.Hi * v.di + v.h * v.di + v.h * v.Hi,
  read: (spec: ModelSpec) => ({rq: spec.attention.mla?.qLoraRank ?? 0, Hi: spec.attention.indexer!.heads, di: spec.attention.indexer!.headDim, h: spec.hiddenSize}),
})

// MSA indexer (MiniMax-M3, disable_index_value): index_q_proj (h, Hi*di) and index_k_proj (h, di) without bias; no
// index_v_proj or index_o_proj. Counted under "other"; its two norms are msaQkNormParams.
export const msaIndexerParams = formula({
  id: 'params.indexer.msa',
  label: 'MSA indexer projections, one sparse attention layer',
  expression: 'h * Hi * di + h * di',
  symbols: {h: 'hidden size (elements)', Hi: 'indexer query heads (sparse_num_index_heads)', di: 'indexer head width (sparse_index_dim, elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang MiniMaxM3Attention.index_qkv_proj (models/minimax_m3.py), v_head_size 0 when disable_index_value',
  evaluate: (v) => v.h * v.Hi * v.di + v.h * v.di,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, Hi: spec.attention.indexer!.heads, di: spec.attention.indexer!.headDim}),
})

// MiniMax-M3 sparse layer: per-head q_norm and k_norm (d) plus index_q_norm and index_k_norm (di), Gemma RMSNorms.
export const msaQkNormParams = formula({
  id: 'params.qkNorm.msa',
  label: 'QK-norm weights (per head) and MSA indexer norms, one sparse layer',
  expression: '2 * d + 2 * di',
  symbols: {d: 'query/key head width (elements)', di: 'indexer head width (elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang MiniMaxM3Attention.q_norm, k_norm, index_q_norm, index_k_norm (models/minimax_m3.py)',
  evaluate: (v) => 2 * v.d + 2 * v.di,
  read: (spec: ModelSpec) => ({d: spec.attention.headDim, di: spec.attention.indexer!.headDim}),
})

// Dense MLP: gate and up (h, I) and down (I, h) when gated (LlamaMLP), up and down when plain (GPT2MLP). Also one
// routed expert and the shared expert of an MoE layer.
export const ffnParams = formula({
  id: 'params.ffn',
  label: 'feed-forward MLP (gate, up, down; up, down without a gate)',
  expression: '(1 + gated) * (h + b) * I + (I + b) * h',
  symbols: {gated: '1 for a gated MLP (SwiGLU/GeGLU), else 0', h: 'hidden size (elements)', b: '1 if the MLP matrices have biases, else 0', I: 'intermediate width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers LlamaMLP (modeling_llama.py), GPT2MLP (modeling_gpt2.py)',
  evaluate: (v) => (1 + v.gated) * (v.h + v.b) * v.I + (v.I + v.b) * v.h,
  read: (spec: ModelSpec, intermediate: number, bias: boolean) => ({gated: bit(spec.ffn.gated), h: spec.hiddenSize, b: bit(bias), I: intermediate}),
})

// Learnable activation of one dense MLP: Apertus ApertusMLP.act_fn = XIELUActivation (transformers activations.py):
// alpha_p, alpha_n nn.Parameter of shape (1,), beta and eps persistent buffers, all four in the checkpoint.
export const activationParams = formula({
  id: 'params.ffn.activation',
  label: 'learnable activation scalars, one dense MLP',
  expression: 'a',
  symbols: {a: 'scalars the activation stores in the checkpoint, 0 for a fixed activation (params)'},
  unit: 'params',
  integer: true,
  source: 'transformers XIELUActivation (activations.py), ApertusMLP (modular_apertus.py)',
  evaluate: (v) => v.a,
  read: (spec: ModelSpec) => ({a: spec.ffn.activationParams ?? 0}),
})

// The routed experts of one MoE layer: E copies of the expert MLP (MixtralSparseMoeBlock.experts, DeepseekV3MoE.experts).
export const routedExpertParams = formula({
  id: 'params.moe.routed',
  label: 'routed experts, one MoE layer',
  expression: 'E * F',
  symbols: {E: 'routed experts', F: 'parameters of one expert MLP (params)'},
  unit: 'params',
  integer: true,
  source: 'transformers MixtralSparseMoeBlock, DeepseekV3MoE (modeling_deepseek_v3.py)',
  evaluate: (v) => v.E * v.F,
})

// Active routed experts of one MoE layer: the top-k each token is sent to (Fedus et al. 2021, Switch Transformer).
export const activeRoutedExpertParams = formula({
  id: 'params.moe.routedActive',
  label: 'routed experts a token runs, one MoE layer',
  expression: 'k * F',
  symbols: {k: 'experts per token (top-k)', F: 'parameters of one expert MLP (params)'},
  unit: 'params',
  integer: true,
  source: 'Fedus et al. 2021 (Switch Transformer) top-k routing; transformers MixtralSparseMoeBlock.top_k',
  evaluate: (v) => v.k * v.F,
})

// Latent MoE projections of one MoE layer: fc1_latent_proj Linear(h, L) before the routed experts and fc2_latent_proj
// Linear(L, h) after them, no bias (mlp_bias false); every token runs both. 0 without a latent size. Kimi K3's
// routed_expert_down_proj / routed_expert_up_proj are the same pair (SGLang models/kimi_k3.py KimiK3MoE).
export const latentProjectionParams = formula({
  id: 'params.moe.latent',
  label: 'latent MoE projections (hidden to latent and back), one MoE layer',
  expression: '2 * h * L',
  symbols: {h: 'hidden size (elements)', L: 'latent width of the routed experts, 0 without latent MoE (elements)'},
  unit: 'params',
  integer: true,
  source: 'vLLM NemotronHMoE.fc1_latent_proj/fc2_latent_proj (model_executor/models/nemotron_h.py); NVIDIA modeling_nemotron_h.py NemotronHMOE',
  evaluate: (v) => 2 * v.h * v.L,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, L: spec.moe!.latentSize ?? 0}),
})

// Kimi K3 latent_moe_use_norm: routed_expert_norm RMSNorm(L) on the combined expert output before routed_expert_up_proj.
export const latentNormParams = formula({
  id: 'params.moe.latentNorm',
  label: 'latent MoE norm (before the up-projection), one MoE layer',
  expression: 'L',
  symbols: {L: 'latent width of the routed experts (elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang models/kimi_k3.py KimiK3MoE.routed_expert_norm; Moonshot modeling_kimi_linear.py (Kimi-K3) KimiSparseMoeBlock',
  evaluate: (v) => v.L,
  read: (spec: ModelSpec) => ({L: spec.moe!.latentSize ?? 0}),
})

// Block attention residuals (Kimi K3): each layer's two pseudo-queries self_attention_res_proj and mlp_res_proj,
// Linear(h, 1, bias=False); their RMSNorms are two of the layer's hidden-size norms.
export const attnResLayerParams = formula({
  id: 'params.attnRes.layer',
  label: 'attention-residual pseudo-queries, one layer',
  expression: '2 * h',
  symbols: {h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang models/kimi_k3.py KimiK3DecoderLayer.self_attention_res_proj, mlp_res_proj (Kimi K3 report §2.2, Attention Residuals)',
  evaluate: (v) => 2 * v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize}),
})

// The model's last depth mix before its final norm: output_attn_res_proj Linear(h, 1) (here) and output_attn_res_norm RMSNorm(h) (attnResOutputNormParams).
export const attnResOutputParams = formula({
  id: 'params.attnRes.output',
  label: 'attention-residual output pseudo-query',
  expression: 'h',
  symbols: {h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang models/kimi_k3.py KimiK3LinearModel.output_attn_res_proj',
  evaluate: (v) => v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize}),
})

export const attnResOutputNormParams = formula({
  id: 'params.attnRes.outputNorm',
  label: 'attention-residual output norm',
  expression: 'h',
  symbols: {h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'SGLang models/kimi_k3.py KimiK3LinearModel.output_attn_res_norm (RMSNorm)',
  evaluate: (v) => v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize}),
})

// Shared expert MLP of one MoE layer plus Qwen's shared_expert_gate Linear(h, 1, bias=False).
export const sharedExpertParams = formula({
  id: 'params.moe.shared',
  label: 'shared experts (and their gate), one MoE layer',
  expression: 'Fs + sg * h',
  symbols: {Fs: 'parameters of the shared expert MLP, 0 without one (params)', sg: '1 with a shared-expert gate (Qwen), else 0', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV3MoE.shared_experts, Qwen3NextSparseMoeBlock.shared_expert_gate (modeling_qwen3_next.py)',
  evaluate: (v) => v.Fs + v.sg * v.h,
  read: (spec: ModelSpec, sharedMlp: number) => ({Fs: sharedMlp, sg: bit(spec.moe!.sharedExpertGate), h: spec.hiddenSize}),
})

// Router Linear(h, E) (with a bias in gpt-oss) plus DeepSeek-V3's e_score_correction_bias (E).
export const routerParams = formula({
  id: 'params.moe.router',
  label: 'router, one MoE layer',
  expression: '(h + rb) * E + sc * E',
  symbols: {h: 'hidden size (elements)', rb: '1 if the router has a bias (gpt-oss), else 0', E: 'routed experts', sc: '1 with a per-expert score-correction bias (DeepSeek-V3), else 0'},
  unit: 'params',
  integer: true,
  source: 'transformers DeepseekV3TopkRouter (weight, e_score_correction_bias), GptOssTopKRouter',
  evaluate: (v) => (v.h + v.rb) * v.E + v.sc * v.E,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, rb: bit(spec.moe!.routerBias), E: spec.moe!.routedExperts, sc: bit(spec.moe!.routerScoreCorrectionBias)}),
})

// Gemma4TextRouter (modeling_gemma4.py): scale (h) multiplies the normed input, per_expert_scale (E) the top-k weights; its norm has no weight.
export const routerScaleParams = formula({
  id: 'params.moe.routerScales',
  label: 'router input and per-expert scales, one MoE layer',
  expression: 'h + E',
  symbols: {h: 'hidden size (elements)', E: 'routed experts'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextRouter.scale, per_expert_scale (modeling_gemma4.py)',
  evaluate: (v) => v.h + v.E,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, E: spec.moe!.routedExperts}),
})

// Gemma4TextDecoderLayer registers layer_scalar = ones(1) as a persistent buffer: the checkpoint stores one value per layer.
export const layerScalarParams = formula({
  id: 'params.norms.layerScalar',
  label: 'layer output scalars, all layers',
  expression: 'n',
  symbols: {n: 'decoder layers (one stored scalar each)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextDecoderLayer.layer_scalar (modeling_gemma4.py)',
  evaluate: (v) => v.n,
  read: (spec: ModelSpec) => ({n: spec.layers}),
})

// Hidden-size norms of one decoder layer (input/post-attention, sandwich ones) plus the norms inside its token mixer.
export const layerNormParams = formula({
  id: 'params.norms.layer',
  label: 'norm weights, one layer',
  expression: 'n * (1 + lb) * h + m',
  symbols: {
    n: 'hidden-size norms per layer',
    lb: '1 for LayerNorm with a bias, else 0',
    h: 'hidden size (elements)',
    m: 'norm weights inside the token mixer: QK or latent norms of attention, the gated output norm (dv) of linear attention (params)',
  },
  unit: 'params',
  integer: true,
  source: 'transformers LlamaDecoderLayer.input_layernorm, post_attention_layernorm; Gemma2DecoderLayer (4 norms); GPT2Block ln_1, ln_2',
  evaluate: (v) => v.n * (1 + v.lb) * v.h + v.m,
  // Non-parametric norms (OLMo 1, OlmoLayerNorm in modeling_olmo.py) hold no weights: n = 0.
  read: (spec: ModelSpec, mixerNorms: number) => ({n: spec.norms.parametric === false ? 0 : spec.norms.perLayer, lb: bit(spec.norms.kind === 'layernorm' && spec.norms.bias), h: spec.hiddenSize, m: mixerNorms}),
})

// The final norm before the LM head (LlamaModel.norm, GPT2Model.ln_f).
export const finalNormParams = formula({
  id: 'params.norms.final',
  label: 'final norm',
  expression: 'f * (1 + lb) * h',
  symbols: {f: '1 if the model has a final norm, else 0', lb: '1 for LayerNorm with a bias, else 0', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers LlamaModel.norm (modeling_llama.py), GPT2Model.ln_f',
  evaluate: (v) => v.f * (1 + v.lb) * v.h,
  // Non-parametric norms (OLMo 1 OlmoLayerNorm) hold no weights: f = 0.
  read: (spec: ModelSpec) => ({f: bit(spec.norms.final && spec.norms.parametric !== false), lb: bit(spec.norms.kind === 'layernorm' && spec.norms.bias), h: spec.hiddenSize}),
})

// A norm on the token embeddings before the first layer: BLOOM's word_embeddings_layernorm, LayerNorm(h) with bias.
export const embeddingNormParams = formula({
  id: 'params.norms.embedding',
  label: 'embedding norm',
  expression: 'e * (1 + lb) * h',
  symbols: {e: '1 if the token embeddings are normed (with weights) before the first layer, else 0', lb: '1 for LayerNorm with a bias, else 0', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers BloomModel.word_embeddings_layernorm (modeling_bloom.py)',
  evaluate: (v) => v.e * (1 + v.lb) * v.h,
  read: (spec: ModelSpec) => ({e: bit(spec.norms.embedding === true && spec.norms.parametric !== false), lb: bit(spec.norms.kind === 'layernorm' && spec.norms.bias), h: spec.hiddenSize}),
})

// Gemma3nTextDecoderLayer extras: AltUp correction_coefs (n, n), prediction_coefs (n, n*n), modality_router (h, n),
// router_norm (h), correct_output_scale (h); LAuReL linear_left (h, r), linear_right (r, h); per-layer input gate (h, p)
// and projection (p, h).
export const gemma3nLayerParams = formula({
  id: 'params.gemma3n.layer',
  label: 'Gemma 3n AltUp, LAuReL and per-layer projections, one layer',
  expression: 'n * n + n * n * n + h * n + h + h + 2 * h * r + 2 * h * p',
  symbols: {n: 'AltUp streams', h: 'hidden size (elements)', r: 'LAuReL rank (elements)', p: 'per-layer embedding width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma3nTextAltUp, Gemma3nTextLaurelBlock, Gemma3nTextDecoderLayer (modeling_gemma3n.py @ 00aa0f5d)',
  evaluate: (v) => v.n * v.n + v.n * v.n * v.n + v.h * v.n + v.h + v.h + 2 * v.h * v.r + 2 * v.h * v.p,
  read: (spec: ModelSpec) => ({n: spec.gemma3n!.altupInputs, h: spec.hiddenSize, r: spec.gemma3n!.laurelRank, p: spec.embeddings.perLayer!.dim}),
})

// Gemma3nTextDecoderLayer post_laurel_norm (h) and post_per_layer_input_norm (h).
export const gemma3nLayerNormParams = formula({
  id: 'params.gemma3n.layerNorms',
  label: 'Gemma 3n LAuReL and per-layer-input norms, one layer',
  expression: '2 * h',
  symbols: {h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma3nTextDecoderLayer.post_laurel_norm, post_per_layer_input_norm (modeling_gemma3n.py)',
  evaluate: (v) => 2 * v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize}),
})

// Gemma3nTextModel: per_layer_model_projection (h, L*p); altup_projections and altup_unembed_projections, 2*(n-1) Linear(h, h).
export const gemma3nModelParams = formula({
  id: 'params.gemma3n.model',
  label: 'Gemma 3n per-layer model projection and AltUp projections',
  expression: 'h * L * p + 2 * (n - 1) * h * h',
  symbols: {h: 'hidden size (elements)', L: 'decoder layers', p: 'per-layer embedding width (elements)', n: 'AltUp streams'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma3nTextModel.per_layer_model_projection, altup_projections, altup_unembed_projections',
  evaluate: (v) => v.h * v.L * v.p + 2 * (v.n - 1) * v.h * v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, L: spec.layers, p: spec.embeddings.perLayer!.dim, n: spec.gemma3n!.altupInputs}),
})

// Gemma3nTextModel.per_layer_projection_norm (p).
export const gemma3nModelNormParams = formula({
  id: 'params.gemma3n.modelNorms',
  label: 'Gemma 3n per-layer projection norm',
  expression: 'p',
  symbols: {p: 'per-layer embedding width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma3nTextModel.per_layer_projection_norm (modeling_gemma3n.py)',
  evaluate: (v) => v.p,
  read: (spec: ModelSpec) => ({p: spec.embeddings.perLayer!.dim}),
})

// Gemma 4 per-layer inputs (E2B/E4B, hidden_size_per_layer_input > 0): the per-layer modules Gemma 3n has, without
// AltUp or LAuReL (gemma3nLayerParams and gemma3nModelParams count the same modules with those).
// Gemma4TextDecoderLayer: per_layer_input_gate (h, p) and per_layer_projection (p, h), no bias.
export const perLayerInputLayerParams = formula({
  id: 'params.perLayerInput.layer',
  label: 'Gemma 4 per-layer input gate and projection, one layer',
  expression: '2 * h * p',
  symbols: {h: 'hidden size (elements)', p: 'per-layer embedding width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextDecoderLayer.per_layer_input_gate, per_layer_projection (modeling_gemma4.py @ c308a309)',
  evaluate: (v) => 2 * v.h * v.p,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, p: spec.embeddings.perLayer!.dim}),
})

// Gemma4TextDecoderLayer.post_per_layer_input_norm (h).
export const perLayerInputLayerNormParams = formula({
  id: 'params.perLayerInput.layerNorm',
  label: 'Gemma 4 per-layer input norm, one layer',
  expression: 'h',
  symbols: {h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextDecoderLayer.post_per_layer_input_norm (modeling_gemma4.py @ c308a309)',
  evaluate: (v) => v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize}),
})

// Gemma4TextModel.per_layer_model_projection (h, L * p), no bias.
export const perLayerInputModelParams = formula({
  id: 'params.perLayerInput.model',
  label: 'Gemma 4 per-layer model projection',
  expression: 'h * L * p',
  symbols: {h: 'hidden size (elements)', L: 'decoder layers', p: 'per-layer embedding width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextModel.per_layer_model_projection (modeling_gemma4.py @ c308a309)',
  evaluate: (v) => v.h * v.L * v.p,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, L: spec.layers, p: spec.embeddings.perLayer!.dim}),
})

// Gemma4TextModel.per_layer_projection_norm (p).
export const perLayerInputModelNormParams = formula({
  id: 'params.perLayerInput.modelNorm',
  label: 'Gemma 4 per-layer projection norm',
  expression: 'p',
  symbols: {p: 'per-layer embedding width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Gemma4TextModel.per_layer_projection_norm (modeling_gemma4.py @ c308a309)',
  evaluate: (v) => v.p,
  read: (spec: ModelSpec) => ({p: spec.embeddings.perLayer!.dim}),
})

// A rotary inv_freq registered as a persistent buffer is saved with the weights: ChatGLM RotaryEmbedding
// (modeling_chatglm.py of THUDM/chatglm3-6b, glm-4-9b-chat) register_buffer("inv_freq"), kv_channels / 4 values.
export const storedRopeParams = formula({
  id: 'params.rope.stored',
  label: 'rotary inv_freq buffer saved in the checkpoint',
  expression: 'f',
  symbols: {f: 'inv_freq values the checkpoint stores, 0 when the buffer is not persistent (params)'},
  unit: 'params',
  integer: true,
  source: 'ChatGLM RotaryEmbedding.inv_freq (modeling_chatglm.py, THUDM/chatglm3-6b)',
  evaluate: (v) => v.f,
  read: (spec: ModelSpec) => ({f: spec.rope.storedInvFreq ?? 0}),
})

// Multi-token prediction: one MoE decoder layer (Nemotron-H: its run of blocks) plus enorm, hnorm, shared_head.norm (3h)
// and eh_proj (2h, h) per module, and an LM head of its own where the module has one (Step 3.5/3.7).
export const mtpParams = formula({
  id: 'params.mtp',
  label: 'multi-token-prediction modules (shipped, not run by default)',
  expression: 'm * (layer + 3 * h + 2 * h * h + o)',
  symbols: {
    m: 'MTP modules',
    layer: 'parameters of one MoE decoder layer, or of the module\'s blocks (params)',
    h: 'hidden size (elements)',
    o: 'LM head of the module\'s own: vocabulary x hidden size when mtpOwnHead, else 0 (params)',
  },
  unit: 'params',
  integer: true,
  source: 'DeepSeek-V3 tech report §2.2 (model.layers.61: enorm, hnorm, eh_proj, shared_head.norm); vLLM qwen3_next_mtp.py; vLLM nemotron_h_mtp.py (enorm, hnorm, eh_proj, final_layernorm); vLLM step3p5_mtp.py (shared_head.head)',
  evaluate: (v) => v.m * (v.layer + 3 * v.h + 2 * v.h * v.h + v.o),
  read: (spec: ModelSpec, layer: number) => ({m: spec.mtpLayers, layer, h: spec.hiddenSize, o: spec.mtpOwnHead ? spec.embeddings.vocabSize * spec.hiddenSize : 0}),
})

const componentDocs: Record<ParamComponent, string> = {
  embedding: 'token (and position) embeddings (params)',
  perLayerEmbedding: 'per-layer embeddings (params)',
  attention: 'token mixers of all layers (params)',
  denseFfn: 'dense MLPs of all dense layers (params)',
  routedExperts: 'routed experts of all MoE layers (params)',
  sharedExperts: 'shared experts of all MoE layers (params)',
  router: 'routers of all MoE layers (params)',
  norms: 'norm weights (params)',
  lmHead: 'LM head (params)',
  other: 'everything else: indexers, AltUp, LAuReL (params)',
}

// Totals are the sum of the breakdown's leaves, never a second formula.
export const totalParams = formula({
  id: 'params.total',
  label: 'total: the sum of the components',
  expression: paramComponents.join(' + '),
  symbols: componentDocs,
  unit: 'params',
  integer: true,
  source: 'sum of the components above',
  evaluate: (v) => v.embedding + v.perLayerEmbedding + v.attention + v.denseFfn + v.routedExperts + v.sharedExperts + v.router + v.norms + v.lmHead + v.other,
  read: (breakdown: ParamBreakdown) => breakdown,
})

// Weight-shared transformer blocks (Zamba2). Each block is counted once; the adapters and output projection once per
// invocation. The attention reads the hidden state concatenated with the input embeddings (w = 2h wide).
const sharedOf = (spec: ModelSpec) => {
  if (!spec.sharedBlocks) throw new Error('shared-block formula without a sharedBlocks block')
  return spec.sharedBlocks
}

export const sharedBlockAttentionParams = formula({
  id: 'params.sharedBlock.attention',
  label: 'attention projections of one shared block (input w wide, output h)',
  expression: 'w * (H * d + 2 * Hkv * d) + H * d * h',
  symbols: {w: 'width the attention reads: hidden state and input embeddings concatenated (elements)', H: 'query heads', Hkv: 'key/value heads', d: 'head width (elements)', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers ZambaAttention (modeling_zamba.py): q/k/v_proj Linear(attention_hidden_size, heads x head_dim), o_proj to hidden_size, no bias; Zamba2Attention',
  evaluate: (v) => v.w * (v.H * v.d + 2 * v.Hkv * v.d) + v.H * v.d * v.h,
  read: (spec: ModelSpec) => ({w: sharedOf(spec).inputWidth, H: spec.attention.heads, Hkv: spec.attention.kvHeads, d: spec.attention.headDim, h: spec.hiddenSize}),
})

export const sharedBlockNormParams = formula({
  id: 'params.sharedBlock.norms',
  label: 'norm weights of one shared block (input norm over w, pre-MLP norm over h)',
  expression: 'w + h',
  symbols: {w: 'width of the attention input (elements)', h: 'hidden size (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers ZambaAttentionDecoderLayer (modeling_zamba.py): input_layernorm(attention_hidden_size), pre_ff_layernorm(hidden_size)',
  evaluate: (v) => v.w + v.h,
  read: (spec: ModelSpec) => ({w: sharedOf(spec).inputWidth, h: spec.hiddenSize}),
})

export const sharedBlockMlpParams = formula({
  id: 'params.sharedBlock.mlp',
  label: 'MLP of one shared block (fused gate_up_proj, down_proj)',
  expression: '2 * (h + b) * I + (I + b) * h',
  symbols: {h: 'hidden size (elements)', b: '1 if the projections have biases, else 0', I: 'MLP width (elements)'},
  unit: 'params',
  integer: true,
  source: 'transformers Zamba2MLP (modular_zamba2.py): gate_up_proj Linear(h, 2I), down_proj Linear(I, h), bias = add_bias_linear',
  evaluate: (v) => 2 * (v.h + v.b) * v.I + (v.I + v.b) * v.h,
  read: (spec: ModelSpec) => ({h: spec.hiddenSize, b: bit(sharedOf(spec).ffnBias), I: sharedOf(spec).intermediateSize}),
})

export const sharedBlockAdapterParams = formula({
  id: 'params.sharedBlock.adapters',
  label: 'low-rank adapters and output projection of one shared-block invocation',
  expression: 'm * (h * r + r * 2 * I) + a * 3 * (w * r + r * w) + p * h * h',
  symbols: {
    m: '1 with an adapter on the MLP gate/up projection, else 0',
    a: '1 with adapters on q, k and v, else 0',
    h: 'hidden size (elements)',
    r: 'adapter rank',
    I: 'MLP width (elements)',
    w: 'width of the attention input (elements)',
    p: '1 with a per-invocation output projection (h x h), else 0',
  },
  unit: 'params',
  integer: true,
  source: 'transformers Zamba2MLP.gate_up_proj_adapter_list, Zamba2Attention.linear_{q,k,v}_adapter_list (modular_zamba2.py), Zamba2Model linear_layers',
  evaluate: (v) => v.m * (v.h * v.r + v.r * 2 * v.I) + v.a * 3 * (v.w * v.r + v.r * v.w) + v.p * v.h * v.h,
  read: (spec: ModelSpec) => {
    const sb = sharedOf(spec)
    return {m: bit(sb.mlpAdapters), a: bit(sb.attentionAdapters), h: spec.hiddenSize, r: sb.adapterRank, I: sb.intermediateSize, w: sb.inputWidth, p: bit(sb.outputProjection)}
  },
})

export const paramFormulas = [
  embeddingParams,
  projectedEmbeddingParams,
  embeddingProjectionParams,
  perLayerEmbeddingParams,
  lmHeadParams,
  lmHeadBiasParams,
  gqaAttentionParams,
  gqaNoKvAttentionParams,
  headGateParams,
  linearMixerParams,
  gqaKeyIsValueAttentionParams,
  mlaAttentionParams,
  mlaFullRankQueryAttentionParams,
  mlaOutputGateParams,
  perHeadQkNormParams,
  queryNormParams,
  perHeadQkNormBiasParams,
  acrossHeadsQkNormParams,
  mlaNormParams,
  gatedDeltaNetParams,
  kdaParams,
  kdaFullRankGateParams,
  mambaParams,
  mamba2Params,
  shortConvParams,
  ssmNormParams,
  indexerParams,
  msaIndexerParams,
  msaQkNormParams,
  ffnParams,
  activationParams,
  routedExpertParams,
  activeRoutedExpertParams,
  sharedExpertParams,
  routerParams,
  routerScaleParams,
  layerScalarParams,
  latentProjectionParams,
  latentNormParams,
  attnResLayerParams,
  attnResOutputParams,
  attnResOutputNormParams,
  layerNormParams,
  finalNormParams,
  embeddingNormParams,
  gemma3nLayerParams,
  gemma3nLayerNormParams,
  gemma3nModelParams,
  gemma3nModelNormParams,
  perLayerInputLayerParams,
  perLayerInputLayerNormParams,
  perLayerInputModelParams,
  perLayerInputModelNormParams,
  storedRopeParams,
  mtpParams,
  totalParams,
  sharedBlockAttentionParams,
  sharedBlockNormParams,
  sharedBlockMlpParams,
  sharedBlockAdapterParams,
] as const
