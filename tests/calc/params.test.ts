// Parameter counts worked out by hand from each model's config.json (presets/sources), one
// architecture feature at a time. The arithmetic is written out; nothing is copied from the program.
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {loadModel} from '../../src/presets/load.js'

const count = (id: string) => paramCounts(loadModel(id))

describe('dense GQA (Llama 3.1 8B: h 4096, 32 layers, 32/8 heads, head dim 128, ffn 14336, vocab 128256, untied)', () => {
  const embed = 128256 * 4096
  const attention = 4096 * 4096 + 2 * 4096 * (8 * 128) + 4096 * 4096 // q, k+v, o
  const mlp = 3 * 4096 * 14336 // gate, up, down
  const norms = 2 * 4096 // input_layernorm, post_attention_layernorm
  const total = embed + 32 * (attention + mlp + norms) + 4096 /* final norm */ + 128256 * 4096 /* lm_head */

  it('total is every matrix, norm and the untied head', () => {
    expect(count('llama-3.1-8b').totalParams).toBe(total)
    expect(total).toBe(8_030_261_248)
  })
  it('breakdown leaves', () => {
    const p = count('llama-3.1-8b')
    expect(p.breakdown.attention).toBe(32 * attention)
    expect(p.breakdown.denseFfn).toBe(32 * mlp)
    expect(p.breakdown.norms).toBe(32 * norms + 4096)
    expect(p.breakdown.lmHead).toBe(128256 * 4096)
    expect(p.embeddingParams).toBe(embed)
    expect(p.nonEmbeddingParams).toBe(total - embed)
  })
  it('a dense model is fully active', () => {
    expect(count('llama-3.1-8b').activeParams).toBe(total)
  })
})

describe('tied embeddings and head dim given explicitly (Llama 3.2 1B: h 2048, 16 layers, 32/8 heads x 64, ffn 8192)', () => {
  it('counts the shared embedding once and no LM head', () => {
    const attention = 2048 * (32 * 64) + 2 * 2048 * (8 * 64) + (32 * 64) * 2048
    const layer = attention + 3 * 2048 * 8192 + 2 * 2048
    const p = count('llama-3.2-1b-instruct')
    expect(p.breakdown.lmHead).toBe(0)
    expect(p.totalParams).toBe(128256 * 2048 + 16 * layer + 2048)
  })
})

describe('QK-norm', () => {
  it('per head (Qwen3 0.6B: h 1024, 28 layers, 16/8 heads x 128, ffn 3072, tied)', () => {
    const attention = 1024 * (16 * 128) + 2 * 1024 * (8 * 128) + (16 * 128) * 1024
    const norms = 2 * 1024 + 2 * 128 // two layer norms + q_norm, k_norm of head_dim
    const layer = attention + 3 * 1024 * 3072 + norms
    const p = count('qwen3-0.6b')
    expect(p.totalParams).toBe(151936 * 1024 + 28 * layer + 1024)
    expect(p.breakdown.norms).toBe(28 * norms + 1024)
  })
  it('across heads, with post-norms and MHA (OLMo 2 7B: h 4096, 32 layers, 32/32 heads, ffn 11008, untied)', () => {
    const attention = 4 * 4096 * 4096
    const norms = 2 * 4096 /* post_attention, post_feedforward */ + 32 * 128 /* q_norm */ + 32 * 128 /* k_norm */
    const layer = attention + 3 * 4096 * 11008 + norms
    const p = count('olmo-2-1124-7b')
    expect(p.totalParams).toBe(100352 * 4096 * 2 + 32 * layer + 4096)
  })
})

describe('sandwich norms and sliding layers (Gemma 3 27B text: h 5376, 62 layers, 32/16 heads x 128, ffn 21504, tied, vocab 262208)', () => {
  it('has four hidden-size norms per layer plus per-head QK-norm', () => {
    const attention = 5376 * (32 * 128) + 2 * 5376 * (16 * 128) + (32 * 128) * 5376
    const norms = 4 * 5376 + 2 * 128
    const layer = attention + 3 * 5376 * 21504 + norms
    const p = count('gemma-3-27b-it')
    expect(p.breakdown.norms).toBe(62 * norms + 5376)
    expect(p.totalParams).toBe(262208 * 5376 + 62 * layer + 5376)
  })
})

describe('MLA + MoE with a shared expert and dense first layers (DeepSeek-V3)', () => {
  // h 7168, 61 layers, 128 heads, q_lora 1536, kv_lora 512, nope 128, rope 64, v 128,
  // first 3 layers dense (ffn 18432), 58 MoE layers: 256 routed (width 2048), top-8, 1 shared (2048).
  const attention = 7168 * 1536 + 1536 * 128 * (128 + 64) + 7168 * (512 + 64) + 512 * 128 * (128 + 128) + 128 * 128 * 7168
  const attentionNorms = 1536 + 512 // q_a_layernorm, kv_a_layernorm
  const expert = 3 * 7168 * 2048
  const router = 256 * 7168 + 256 // gate weight + e_score_correction_bias
  const norms = 2 * 7168 + attentionNorms
  const denseLayer = attention + norms + 3 * 7168 * 18432
  const moeLayer = attention + norms + 256 * expert + expert /* shared */ + router
  const embedAndHead = 2 * 129280 * 7168

  it('total matches the closed form', () => {
    const total = embedAndHead + 3 * denseLayer + 58 * moeLayer + 7168
    expect(count('deepseek-v3').totalParams).toBe(total)
  })
  it('active keeps 8 of 256 routed experts per MoE layer', () => {
    const active = embedAndHead + 3 * denseLayer + 58 * (moeLayer - 248 * expert) + 7168
    expect(count('deepseek-v3').activeParams).toBe(active)
  })
  it('agrees with the vendor headline 671B total / 37B active', () => {
    const p = count('deepseek-v3')
    expect(Math.round(p.totalParams / 1e9)).toBe(671)
    expect(Math.floor(p.activeParams / 1e9)).toBe(37)
  })
  it('reports the MTP layer apart: one MoE layer + enorm, hnorm, shared_head.norm and eh_proj (2h -> h)', () => {
    expect(count('deepseek-v3').mtpParams).toBe(moeLayer + 3 * 7168 + 2 * 7168 * 7168)
  })
  it('R1 has the same architecture as V3', () => {
    expect(count('deepseek-r1').totalParams).toBe(count('deepseek-v3').totalParams)
  })
})

describe('Kimi K2: DeepSeek-V3 layout with 64 heads, 384 experts, 1 dense layer, no MTP', () => {
  it('total and active', () => {
    const attention = 7168 * 1536 + 1536 * 64 * 192 + 7168 * 576 + 512 * 64 * 256 + 64 * 128 * 7168
    const norms = 2 * 7168 + 1536 + 512
    const expert = 3 * 7168 * 2048
    const moeLayer = attention + norms + 384 * expert + expert + 384 * 7168 + 384
    const denseLayer = attention + norms + 3 * 7168 * 18432
    const total = 2 * 163840 * 7168 + denseLayer + 60 * moeLayer + 7168
    const p = count('kimi-k2-instruct')
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 60 * (384 - 8) * expert)
    expect(p.mtpParams).toBe(0)
  })
})

describe('gpt-oss-20b: biases everywhere, attention sinks, alternating windows', () => {
  // h 2880, 24 layers, 64/8 heads x 64, 32 experts (width 2880), top-4, vocab 201088, untied.
  const attention = (2880 * 4096 + 4096) + 2 * (2880 * 512 + 512) + (4096 * 2880 + 2880) + 64 /* sinks */
  const expert = 2880 * 2 * 2880 + 2 * 2880 /* gate_up_proj + bias */ + 2880 * 2880 + 2880 /* down_proj + bias */
  const router = 2880 * 32 + 32
  const layer = attention + 32 * expert + router + 2 * 2880
  it('total', () => {
    expect(count('gpt-oss-20b').totalParams).toBe(2 * 201088 * 2880 + 24 * layer + 2880)
  })
  it('active keeps 4 of 32 experts', () => {
    expect(count('gpt-oss-20b').activeParams).toBe(2 * 201088 * 2880 + 24 * (layer - 28 * expert) + 2880)
  })
})

describe('Llama 4 Maverick: MoE every 2nd layer, shared expert, wider dense layers (defaults of Llama4TextConfig)', () => {
  // h 5120, 48 layers, 40/8 heads x 128, 128 experts of width 8192, top-1, dense layers 16384, vocab 202048.
  const attention = 5120 * 5120 + 2 * 5120 * 1024 + 5120 * 5120
  const norms = 2 * 5120
  const expert = 3 * 5120 * 8192
  const moeLayer = attention + norms + 128 * expert + expert /* shared */ + 5120 * 128 /* router */
  const denseLayer = attention + norms + 3 * 5120 * 16384
  it('24 dense + 24 MoE layers', () => {
    const p = count('llama-4-maverick-17b-128e-instruct')
    expect(p.totalParams).toBe(2 * 202048 * 5120 + 24 * denseLayer + 24 * moeLayer + 5120)
    expect(p.activeParams).toBe(2 * 202048 * 5120 + 24 * denseLayer + 24 * (moeLayer - 127 * expert) + 5120)
  })
  it('Scout: every layer MoE with 16 experts', () => {
    const scoutMoe = attention + norms + 16 * expert + expert + 5120 * 16
    expect(count('llama-4-scout-17b-16e-instruct').totalParams).toBe(2 * 202048 * 5120 + 48 * scoutMoe + 5120)
  })
})

describe('MoE without a shared expert (Qwen3-30B-A3B: h 2048, 48 layers, 32/4 x 128, 128 experts x 768, top-8)', () => {
  it('total and active', () => {
    const attention = 2048 * 4096 + 2 * 2048 * 512 + 4096 * 2048
    const expert = 3 * 2048 * 768
    const layer = attention + 2 * 2048 + 2 * 128 + 128 * expert + 2048 * 128
    const total = 2 * 151936 * 2048 + 48 * layer + 2048
    const p = count('qwen3-30b-a3b')
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 48 * 120 * expert)
    expect(p.breakdown.sharedExperts).toBe(0)
  })
})

describe('Mixtral 8x7B: 8 experts, top-2, router without bias', () => {
  it('total and active', () => {
    const attention = 4096 * 4096 + 2 * 4096 * 1024 + 4096 * 4096
    const expert = 3 * 4096 * 14336
    const layer = attention + 2 * 4096 + 8 * expert + 4096 * 8
    const total = 2 * 32000 * 4096 + 32 * layer + 4096
    const p = count('mixtral-8x7b-v0.1')
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 32 * 6 * expert)
  })
})

describe('NoPE layers do not change the parameter count (SmolLM3 3B: h 2048, 36 layers, 16/4 x 128, ffn 11008, tied)', () => {
  it('total', () => {
    const layer = 2048 * 2048 + 2 * 2048 * 512 + 2048 * 2048 + 3 * 2048 * 11008 + 2 * 2048
    expect(count('smollm3-3b').totalParams).toBe(128256 * 2048 + 36 * layer + 2048)
  })
})

describe('learned positions, LayerNorm with bias, plain MLP with bias (GPT-2 124M, hand-written spec)', () => {
  it('matches the closed form', async () => {
    const {gpt2Small} = await import('../helpers/spec.js')
    const layer =
      2 * 768 /* ln_1 weight+bias */ +
      (768 * 3 * 768 + 3 * 768) /* c_attn */ +
      (768 * 768 + 768) /* attn c_proj */ +
      2 * 768 /* ln_2 */ +
      (768 * 3072 + 3072) /* c_fc */ +
      (3072 * 768 + 768) /* mlp c_proj */
    const total = 50257 * 768 /* wte */ + 1024 * 768 /* wpe */ + 12 * layer + 2 * 768 /* ln_f */
    expect(paramCounts(gpt2Small()).totalParams).toBe(total)
    expect(total).toBe(124_439_808) // nanoGPT prints "number of parameters: 124.44M" (with wpe)
  })
})

describe('MQA and sliding windows (Gemma 3 1B: h 1152, 26 layers, 4 heads / 1 KV head x 256, ffn 6912, vocab 262144)', () => {
  it('the window changes no parameter; one KV head', () => {
    const spec = loadModel('gemma-3-1b-it')
    expect(spec.attention.kind).toBe('mqa')
    const attention = 1152 * (4 * 256) + 2 * 1152 * 256 + (4 * 256) * 1152
    const layer = attention + 3 * 1152 * 6912 + 4 * 1152 + 2 * 256
    expect(paramCounts(spec).totalParams).toBe(262144 * 1152 + 26 * layer + 1152)
    const allGlobal = {...spec, layerGroups: [{count: 26, mixer: 'full' as const, rope: true, ffn: 'dense' as const}]}
    expect(paramCounts(allGlobal).totalParams).toBe(paramCounts(spec).totalParams)
  })
})

describe('Gemma 3n E4B: AltUp, LAuReL, per-layer embeddings, KV-sharing layers (transformers Gemma3nTextModel)', () => {
  // h 2048, 35 layers, 8/2 heads x 256, ffn 16384, vocab 262400 (tied), per-layer vocab 262144 x 256, AltUp 4, LAuReL 64
  const h = 2048
  const attention = h * 8 * 256 + 2 * h * 2 * 256 + 8 * 256 * h + 2 * 256 // q, k+v (KV-shared layers build them too), o, q_norm + k_norm (v_norm has no scale)
  const mlp = 3 * h * 16384
  const sandwich = 4 * h
  const altup = 4 * 4 + 4 * 16 + h * 4 + h + h // correction_coefs, prediction_coefs, modality_router, router_norm, correct_output_scale
  const laurel = 2 * h * 64 + h // linear_left, linear_right, post_laurel_norm
  const perLayerInput = 2 * h * 256 + h // per_layer_input_gate, per_layer_projection, post_per_layer_input_norm
  const layer = attention + mlp + sandwich + altup + laurel + perLayerInput
  const embed = 262400 * h
  const perLayerEmbed = 262144 * 35 * 256
  const model = h * 35 * 256 /* per_layer_model_projection */ + 256 /* its norm */ + 2 * 3 * h * h /* altup (un)embed projections */ + h /* final norm */

  it('total counts every module the reference implementation builds', () => {
    expect(count('gemma-3n-e4b-it').totalParams).toBe(embed + perLayerEmbed + model + 35 * layer)
    expect(embed + perLayerEmbed + model + 35 * layer).toBe(6_866_696_688)
  })
  it('per-layer embeddings are apart in the effective size, and E2B (30 layers, ffn 8192) follows the same formula', () => {
    expect(count('gemma-3n-e4b-it').effectiveParams).toBe(embed + model + 35 * layer)
    const e2bLayer = layer - 3 * h * 16384 + 3 * h * 8192
    const e2bModel = h * 30 * 256 + 256 + 2 * 3 * h * h + h
    expect(count('gemma-3n-e2b-it').totalParams).toBe(embed + 262144 * 30 * 256 + e2bModel + 30 * e2bLayer)
  })
})

describe('Gated DeltaNet hybrid (Qwen3-Next-80B-A3B: h 2048, 36 linear + 12 full layers, 512 experts x 512, top-10, 1 gated shared expert)', () => {
  const h = 2048
  // Qwen3NextGatedDeltaNet: in_proj_qkvz (h, 2*16*128 + 2*32*128), in_proj_ba (h, 2*32), conv1d (8192 channels x 4, no bias), dt_bias + A_log (32 each), gated norm (128), out_proj (32*128, h)
  const deltaNet = h * (2 * 16 * 128 + 2 * 32 * 128) + h * 64 + (2 * 16 * 128 + 32 * 128) * 4 + 2 * 32 + 128 + 32 * 128 * h
  // Qwen3NextAttention: q_proj doubled for the output gate (h, 2*16*256), k/v (h, 2*256), o (16*256, h), q_norm + k_norm (256 each)
  const gatedAttention = h * 2 * 16 * 256 + 2 * h * 2 * 256 + 16 * 256 * h + 2 * 256
  const expert = 3 * h * 512
  const moeFixed = 512 * h /* router */ + expert /* shared expert */ + h /* shared_expert_gate (h, 1) */
  const norms = 2 * h
  const total = 151936 * h * 2 /* untied embed + lm_head */ + h + 36 * deltaNet + 12 * gatedAttention + 48 * (norms + moeFixed + 512 * expert)

  it('total', () => {
    expect(count('qwen3-next-80b-a3b-thinking').totalParams).toBe(total)
    expect(total).toBe(79_674_391_296)
  })
  it('active keeps 10 of 512 experts in all 48 MoE layers', () => {
    expect(count('qwen3-next-80b-a3b-thinking').activeParams).toBe(total - 48 * 502 * expert)
  })
  it('the MTP layer the checkpoint ships (mtp.*) is apart: a full-attention MoE layer + fc (2h -> h) + three norms', () => {
    expect(count('qwen3-next-80b-a3b-thinking').mtpParams).toBe(gatedAttention + norms + moeFixed + 512 * expert + 2 * h * h + 3 * h)
  })
})

describe('Gemma 2: non-embedding counts equal the tech report\'s Table 2 to the parameter (arXiv 2408.00118)', () => {
  it('2B: 26 layers of q (2304, 8x256), k+v (2304, 2x4x256), o, GeGLU 3 x 2304 x 9216, 4 norms; + final norm', () => {
    const layer = 2304 * 2048 + 2 * 2304 * 1024 + 2048 * 2304 + 3 * 2304 * 9216 + 4 * 2304
    expect(count('gemma-2-2b').nonEmbeddingParams).toBe(26 * layer + 2304)
    expect(26 * layer + 2304).toBe(2_024_517_888)
  })
})

describe('Kimi Delta Attention layers (KDA, Kimi Linear): a GPT-2-sized hybrid of 11 KDA + 1 full layer, hand-written spec', () => {
  it('counts q/k/v/o, the low-rank decay and gate, beta, dt_bias, A_log and three short convs per KDA layer', async () => {
    const {kdaHybrid} = await import('../helpers/spec.js')
    const spec = kdaHybrid()
    const h = 768
    const w = 12 * 64 // heads x head dim
    const kda = 4 * h * w + 2 * (h * 64 + 64 * w) + h * 12 + w + 12 + 3 * w * 4 // q,k,v,o; f_a,f_b,g_a,g_b; b_proj; dt_bias; A_log; q/k/v conv
    const gpt2Attention = 4 * (h * h + h) // c_attn (q, k, v) and c_proj with biases
    expect(paramCounts(spec).breakdown.attention).toBe(11 * kda + gpt2Attention)
  })
})
