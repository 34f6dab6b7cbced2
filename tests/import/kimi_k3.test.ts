// kimi_k3: Moonshot's remote-code KimiK3Config wrapping a Kimi Linear text_config with K3's additions. The preset
// kimi-k3 is Moonshot's config.json (presets/sources/SOURCES.md). Reference: SGLang models/kimi_k3.py (KimiK3MLAAttention,
// KimiK3DeltaAttention, KimiK3MoE, KimiK3DecoderLayer, KimiK3LinearModel), which builds Moonshot's modeling_kimi_linear.py
// (Kimi-K3) modules under the checkpoint's names:
// - 93 layers: 69 KDA, 24 gated MLA (full_attn_layers 4, 8, ..., 92, 93, 1-indexed); layer 1 (index 0) dense;
// - gated MLA: q_a (h, 1536), q_a_layernorm, q_b (1536, 96 x 192), kv_a_proj_with_mqa (h, 512 + 64), kv_a_layernorm,
//   kv_b (512, 96 x 256), o_proj (96 x 128, h) and the output gate g_proj (h, 96 x 128); NoPE;
// - KDA 96 heads x 128 with use_full_rank_gate: q, k, v, g (h, 96 x 128), o (96 x 128, h), f_a (h, 128), f_b (128, 96 x 128),
//   b_proj (h, 96), dt_bias (96 x 128), A_log (96), q/k/v short convs (96 x 128 channels x 4), o_norm (128);
// - latent MoE: router (896, h) + e_score_correction_bias (896); routed_expert_down_proj (h, 3584), 896 experts w1/w3
//   (3584, 3072) and w2 (3072, 3584), routed_expert_norm (3584), routed_expert_up_proj (3584, h); 2 shared experts as one
//   MLP of 6144 at the hidden size;
// - attention residuals: per layer self_attention_res_norm, mlp_res_norm (RMSNorm h) and self_attention_res_proj,
//   mlp_res_proj (Linear(h, 1)); model output_attn_res_norm and output_attn_res_proj;
// - SiTU activation (activation_situ_beta 4, activation_situ_linear_beta 25): scalars of the activation, no weights.
// The vendor: model card "Total Parameters 2.8T", "Activated Parameters 104B"; the K3 report (arXiv 2607.24653, Table 1):
// 2.78T total, 104.2B activated, 401M ViT. The HF page's "2779.9B" is the text model below plus the vision tower and
// its projector (counted apart, encoderParams). The released checkpoint stores each A_log padded to 128 (96 values and 32 zeros), 2,208
// stored elements over the 69 KDA layers that the modeling class does not build; the count is the class's.
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {ggufMixBytes, tensorsOf} from '../../src/calc/gguf-mix.js'
import {paramCounts} from '../../src/calc/params.js'
import {quantizedCheckpointBytes} from '../../src/calc/quantized.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {importHfConfig, importHfConfigReport} from '../../src/import/hf-config.js'
import {parseJsonText} from '../../src/import/config.js'
import {loadModel, parseModelSpec} from '../../src/presets/load.js'
import {architectureCard} from '../../src/report/card.js'
import {readFileSync} from 'node:fs'

const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
const raw = () => parseJsonText(readFileSync('presets/sources/kimi-k3.config.json', 'utf8')) as Record<string, Record<string, unknown>>
const imported = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'kimi-k3'}), 'kimi_k3')

describe('kimi_k3 (Kimi-K3)', () => {
  const spec = loadModel('kimi-k3')
  const p = paramCounts(spec)
  const h = 7168
  const w = 96 * 128 // KDA projection width, and the MLA heads x v_head_dim
  const mla = h * 1536 + 1536 * 96 * 192 + h * (512 + 64) + 512 * 96 * 256 + w * h
  const mlaGate = h * w // g_proj
  const mlaNorms = 1536 + 512 // q_a_layernorm, kv_a_layernorm
  // q, k, v, o, g (full rank); f_a, f_b; b_proj; dt_bias; A_log; three convs
  const kda = 5 * h * w + h * 128 + 128 * w + h * 96 + w + 96 + 3 * w * 4
  const kdaNorms = 128 // o_norm
  const layerNorms = 4 * h // input_layernorm, post_attention_layernorm, self_attention_res_norm, mlp_res_norm
  const attnRes = 2 * h // self_attention_res_proj, mlp_res_proj
  const expert = 3 * 3584 * 3072 // w1, w3 (3584 -> 3072), w2 (3072 -> 3584)
  const latent = 2 * h * 3584 // routed_expert_down_proj, routed_expert_up_proj
  const moe = 896 * expert + latent + 3584 /* routed_expert_norm */ + 3 * h * 6144 /* shared */ + 896 * h + 896 /* router */
  const dense = 3 * h * 33792
  const model = 2 * 163840 * h /* embed_tokens, lm_head */ + h /* norm */ + 2 * h /* output_attn_res_norm, _proj */
  const total = model + 24 * (mla + mlaGate + mlaNorms) + 69 * (kda + kdaNorms) + 93 * (layerNorms + attnRes) + dense + 92 * moe

  it('total and active: 16 of 896 experts in 92 MoE layers', () => {
    expect(p.totalParams).toBe(total)
    expect(total).toBe(2_779_484_476_000) // 2.78T (report), 2.8T (model card)
    expect(p.activeParams).toBe(total - 92 * (896 - 16) * expert)
    // The vendor's active count leaves out the input embedding: 104.19B, "104B" (card), "104.2B" (report)
    expect(p.activeParams - 163840 * h).toBe(104_189_612_640)
  })
  it('the components: gated MLA and KDA gates with the attention, the latent and its norm with the experts and norms', () => {
    expect(p.breakdown.attention).toBe(24 * (mla + mlaGate) + 69 * kda)
    expect(p.breakdown.routedExperts).toBe(92 * (896 * expert + latent))
    expect(p.breakdown.norms).toBe(24 * mlaNorms + 69 * kdaNorms + 93 * layerNorms + 92 * 3584 + 2 * h)
    expect(p.breakdown.other).toBe(93 * attnRes + h)
  })
  it('KV: the MLA latent of the 24 gated-MLA layers per token; the KDA state per sequence', () => {
    const perToken = 24 * (512 + 64) * 2 // kv_lora_rank + the rope-width key part kv_a_proj_with_mqa still makes (NoPE), bf16
    expect(kvBytesPerTokenAt(spec, 1000, bf16)).toBe(perToken)
    // conv state of q, k, v (3 x 96 x 128 channels, kernel 4) and the 96 x 128 x 128 delta-rule state, bf16, 69 layers
    const state = 69 * ((3 * w * 4 + 96 * 128 * 128) * 2)
    expect(kvCache(spec, 1000, 1, bf16)).toEqual({fullBytes: 1000 * perToken, windowedBytes: 0, linearStateBytes: state, totalBytes: 1000 * perToken + state})
  })
  it('checkpoint bytes: only the routed experts in MXFP4 (packed pairs and an E8M0 scale per 32), the rest bf16', () => {
    const q = quantizedCheckpointBytes(spec)!
    const expertMatrices = 92 * 896 * expert
    // compressed-tensors MXFP4: weight_packed uint8 [out, in / 2] and weight_scale uint8 [out, in / 32] per expert matrix
    const perExpert = 2 * (3072 * 3584 / 2 + 3072 * 3584 / 32) + (3584 * 3072 / 2 + 3584 * 3072 / 32)
    expect(q.totalBytes).toBe(2 * (total - expertMatrices) + 92 * 896 * perExpert)
    expect(q.totalBytes).toBe(1_559_943_357_632) // ~1.56 TB, as the HF file tree (1.56 TB with the vision tower)
    expect(q.bytes.experts).toBe(92 * 896 * perExpert + 2 * 92 * latent) // the latent projections stay bf16
    expect(q.tensors.filter((t) => t.quantized).every((t) => /_exps\.weight$/.test(t.name))).toBe(true)
    expect(spec.checkpointWeights).toEqual({embeddings: 'bf16', linear: 'bf16', experts: 'mxfp4', unquantized: 'bf16'})
  })
  it('GGUF enumeration: the K3 tensors, per class equal to the breakdown', () => {
    const classes = weightClassValues(p.breakdown, weightFormatsFor(spec))
    const m = ggufMixBytes(spec, 'q4_k_m')
    expect(m.params).toEqual({embeddings: classes.embeddings.x, perLayerEmbeddings: 0, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x})
    const names = new Set(tensorsOf(spec).map((t) => t.name))
    for (const name of ['blk.0.attn_gate.weight', 'blk.3.attn_gate.weight', 'blk.1.ffn_latent_norm.weight', 'blk.5.attn_res_proj.weight', 'blk.5.ffn_res_proj.weight', 'output_res_norm.weight', 'output_res_proj.weight'])
      expect(names.has(name)).toBe(true)
    expect(names.has('blk.0.ssm_g_a.weight')).toBe(false)
  })
  it('the card names gated MLA, the full-rank KDA gate, the latent norm and the attention residuals', () => {
    const rows = Object.fromEntries(architectureCard(spec).map((f) => [f.field, f.value]))
    expect(rows['Attention extras']).toMatch(/gated output/)
    expect(rows['Linear attention']).toMatch(/full-rank output gate/)
    expect(rows['Experts']).toMatch(/3584-wide latent .*RMSNorm/)
    expect(rows['Residuals']).toMatch(/every 12 layers/)
  })
  it('reads every key of the config; without the K3 keys the text model is a plain Kimi Linear', () => {
    const report = importHfConfigReport(raw(), {id: 'kimi-k3'}, true)
    expect(report.warnings).toEqual([])
    const text = {...raw().text_config}
    for (const key of ['mla_use_output_gate', 'routed_expert_hidden_size', 'latent_moe_use_norm', 'attn_res_block_size']) delete text[key]
    const plain = imported({...raw(), text_config: {...text, linear_attn_config: {...(text.linear_attn_config as object), use_full_rank_gate: false}}})
    expect(plain.attnResiduals).toBeUndefined()
    expect(plain.norms.perLayer).toBe(2)
    expect(paramCounts(plain).totalParams).toBe(
      total - 24 * mlaGate - 69 * (h * w - (h * 128 + 128 * w)) /* g_a + g_b back */ - 93 * (2 * h + attnRes) - 2 * h - 92 * (latent + 3584) + 92 * 896 * (3 * h * 3072 - expert),
    )
  })
  it('MoonViT-V2 and its patch merger v2, counted apart: 401M as the report says, 2779.9B with the text model as the HF page', () => {
    const v = 1024
    // patch_embed.proj Conv2d(3, 1024, 14) without bias; pos_emb.weight (64, 64, 1024); the time embedding is fixed
    const embed = 3 * 14 * 14 * v + 64 * 64 * v
    // norm0, norm1 RMSNorm; wqkv (1024, 3 x 1536), wo (1536, 1024), fc0 (1024, 4096), fc1 (4096, 1024), no biases
    const block = 2 * v + v * 3 * 1536 + 1536 * v + v * 4096 + 4096 * v
    const tower = embed + 27 * block + v // final_layernorm RMSNorm
    // PatchMergerMLPV2: Linear(4 x 1024, 4 x 1024), Linear(4 x 1024, 7168), no bias; post_norm RMSNorm(7168)
    const projector = 4096 * 4096 + 4096 * 7168 + 7168
    expect(spec.encoders.map((e) => e.kind)).toEqual(['moonvit3d', 'moonvit-projector'])
    expect(tower).toBe(401_214_464) // report Table 1: "401M" ViT parameters
    expect(p.encoderParams).toBe(tower + projector)
    expect(total + tower + projector).toBe(2_779_931_834_976) // HF page: 2779.9B parameters
    expect(spec.notes).toBeUndefined()
  })
  it('a MoonViT variant the modeling code does not build is left out with a note; a bad norm_type is refused', () => {
    const withVision = (vision: Record<string, unknown>) => importHfConfigReport({...raw(), vision_config: {...raw().vision_config, ...vision}}, {id: 'k3'}).spec
    const otherPos = withVision({pos_emb_type: 'rope_only'})
    expect(otherPos.encoders).toEqual([])
    expect(otherPos.notes).toEqual([expect.stringMatching(/pos_emb_type "rope_only"/)])
    const otherProjector = withVision({mm_projector_type: 'mlp'})
    expect(otherProjector.encoders.map((e) => e.kind)).toEqual(['moonvit3d'])
    expect(otherProjector.notes).toEqual([expect.stringMatching(/mm_projector_type "mlp" is not counted/)])
    expect(() => withVision({norm_type: 'batchnorm'})).toThrow(/norm_type/)
  })
  it('refuses an attn_res_block_size that is not a positive layer count', () => {
    expect(() => imported({...raw(), text_config: {...raw().text_config, attn_res_block_size: 0}})).toThrow(/attn_res_block_size/)
  })
})
