// kimi_k25: Moonshot's remote-code KimiK25Config wrapping a Kimi K2 (DeepseekV3) text_config. The preset kimi-k2.5
// is Moonshot's config.json (presets/sources/SOURCES.md): text_config has Kimi-K2-Instruct's dimensions (61 layers,
// h 7168, MLA with 64 heads, q_lora 1536, kv_lora 512, nope 128 / rope 64 / v 128, 384 routed experts of 2048 + 1
// shared, top-8, first layer dense of 18432, vocab 163840, untied), with INT4 experts (compressed-tensors, group 32).
// The MoonViT vision tower and its projector are counted apart (encoderParams). NVIDIA's Kimi K2.5 page: "Total parameters 1T",
// "Active parameters 32.86B": the active count below is 32,861,500,928.
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {loadModel} from '../../src/presets/load.js'

const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

describe('kimi_k25 (Kimi-K2.5)', () => {
  const spec = loadModel('kimi-k2.5')
  const p = paramCounts(spec)
  // DeepseekV3Attention: q_a_proj (7168, 1536), q_b_proj (1536, 64 x 192), kv_a_proj_with_mqa (7168, 512 + 64),
  // kv_b_proj (512, 64 x (128 + 128)), o_proj (64 x 128, 7168); norms: two RMSNorm(7168), q_a_layernorm 1536, kv_a_layernorm 512
  const attention = 7168 * 1536 + 1536 * 64 * 192 + 7168 * 576 + 512 * 64 * 256 + 64 * 128 * 7168
  const norms = 2 * 7168 + 1536 + 512
  const expert = 3 * 7168 * 2048
  const moeLayer = attention + norms + 384 * expert + expert /* shared */ + 384 * 7168 + 384 /* router + e_score_correction_bias */
  const denseLayer = attention + norms + 3 * 7168 * 18432
  const total = 2 * 163840 * 7168 + denseLayer + 60 * moeLayer + 7168

  it('total and active: the text model, as Kimi K2', () => {
    expect(p.totalParams).toBe(total)
    expect(total).toBe(1_026_408_232_448)
    expect(p.totalParams).toBe(paramCounts(loadModel('kimi-k2-instruct')).totalParams)
    expect(p.activeParams).toBe(total - 60 * (384 - 8) * expert)
    expect(p.activeParams).toBe(32_861_500_928)
    expect(p.mtpParams).toBe(0)
  })

  it('MoonViT and its patch merger, counted apart (Moonshot modeling_kimi_k25.py MoonViT3dPretrainedModel, PatchMergerMLP)', () => {
    const h = 1152
    // patch_embed.proj Conv2d(3, 1152, 14) with bias; pos_emb.weight (64, 64, 1152)
    const embed = 3 * 14 * 14 * h + h + 64 * 64 * h
    // norm0, norm1 LayerNorm (weight + bias); wqkv (h, 3h) and wo (h, h) with bias (attn_bias True); MLP2 fc0 (h, 4304), fc1 (4304, h) with bias
    const block = 2 * 2 * h + (h * 3 * h + 3 * h) + (h * h + h) + (h * 4304 + 4304) + (4304 * h + h)
    const tower = embed + 27 * block + 2 * h // final_layernorm
    // PatchMergerMLP: pre_norm LayerNorm(1152), Linear(4 x 1152, 4 x 1152) and Linear(4 x 1152, 7168) with bias
    const projector = 2 * h + (4608 * 4608 + 4608) + (4608 * 7168 + 7168)
    expect(spec.encoders.map((e) => e.kind)).toEqual(['moonvit3d', 'moonvit-projector'])
    expect(p.encoderParams).toBe(tower + projector)
    expect(tower).toBe(416_866_032) // "MoonViT, 400M"
    expect(spec.notes).toBeUndefined()
  })

  it('KV: the MLA latent, 61 layers x (512 + 64) in bf16', () => {
    expect(kvBytesPerTokenAt(spec, 1000, bf16)).toBe(61 * (512 + 64) * 2) // = 70,272 B
  })
})
