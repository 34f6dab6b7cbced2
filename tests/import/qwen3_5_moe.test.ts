// qwen3_5_moe: Qwen3_5MoeConfig / Qwen3_5MoeTextConfig (configuration_qwen3_5_moe.py; modeling_qwen3_5_moe.py). The
// presets qwen3.5-122b-a10b and qwen3.5-397b-a17b are Qwen's config.json files (presets/sources/SOURCES.md): the Qwen3.5
// layer stack (3 Gated DeltaNet : 1 gated full attention, 16 key / 64 value linear heads of 128, 32/2 heads x 256) with
// Qwen3_5MoeSparseMoeBlock in every layer (routed experts of 1024, one shared expert of 1024 behind a sigmoid gate),
// vocab 248320 untied, one MTP layer and the 27-block vision tower. Qwen's cards: "122B in total and 10B activated",
// "397B in total and 17B activated" (the text model is 396.35B; the card's 397B is reached with the vision tower,
// 396.80B, so the preset records it as ~397B). A BF16 122B checkpoint is quoted at 250 GB on disk (olka-fi's MXFP4 card),
// agreeing with 2 x (text + MTP + vision) = 250,172,994,016 bytes.
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {loadModel} from '../../src/presets/load.js'

const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

function qwen35Moe(h: number, layers: number, experts: number, topK: number) {
  // Qwen3_5MoeGatedDeltaNet: in_proj_qkv (h, 2*16*128 + 64*128), in_proj_z (h, 64*128), in_proj_b/in_proj_a (h, 64 each),
  // conv1d (2*16*128 + 64*128 = 12288 channels x 4, no bias), dt_bias + A_log (64 each), gated norm (128), out_proj (64*128, h)
  const deltaNet = h * 12288 + h * 64 * 128 + 2 * h * 64 + 12288 * 4 + 2 * 64 + 128 + 64 * 128 * h
  // Qwen3_5MoeAttention: q_proj (h, 2*32*256: query and gate), k/v (h, 2*256), o (32*256, h), q_norm + k_norm (256 each)
  const gatedAttention = h * 2 * 32 * 256 + 2 * h * 2 * 256 + 32 * 256 * h + 2 * 256
  const expert = 3 * h * 1024 // gate, up, down of one expert (moe_intermediate_size 1024)
  const moeFixed = experts * h /* router gate */ + expert /* shared_expert (1024) */ + h /* shared_expert_gate (h, 1) */
  const norms = 2 * h
  const total = 248320 * h * 2 /* untied embed + lm_head */ + h + (layers * 3) / 4 * deltaNet + (layers / 4) * gatedAttention + layers * (norms + moeFixed + experts * expert)
  const active = total - layers * (experts - topK) * expert
  const mtp = gatedAttention + norms + moeFixed + experts * expert + 2 * h * h + 3 * h // a full-attention MoE layer + fc (2h -> h) + three norms
  // Qwen3_5MoeVisionModel, as Qwen3_5VisionModel: patch_embed, pos_embed 2304 x 1152, 27 blocks, merger to h
  const v = 1152
  const block = 4 * v + (v * 3 * v + 3 * v) + (v * v + v) + (v * 4304 + 4304) + (4304 * v + v)
  const vision = 3 * 2 * 16 * 16 * v + v + 2304 * v + 27 * block + 2 * v + (4 * v * 4 * v + 4 * v) + (4 * v * h + h)
  return {total, active, mtp, vision}
}

describe('qwen3_5_moe (Qwen3.5-122B-A10B: h 3072, 48 layers, 256 experts, top-8)', () => {
  const want = qwen35Moe(3072, 48, 256, 8)
  const p = paramCounts(loadModel('qwen3.5-122b-a10b'))
  it('total and active', () => {
    expect(p.totalParams).toBe(want.total)
    expect(want.total).toBe(122_111_526_912)
    expect(p.activeParams).toBe(want.active)
    expect(want.active).toBe(9_771_288_576)
  })
  it('MTP and vision tower apart', () => {
    expect(p.mtpParams).toBe(want.mtp)
    expect(want.mtp).toBe(2_523_679_232)
    expect(p.encoderParams).toBe(want.vision)
    expect(want.vision).toBe(451_290_864)
  })
  it('KV: 12 full layers x K and V x 2 KV heads x 256 in bf16, plus 36 DeltaNet states', () => {
    const spec = loadModel('qwen3.5-122b-a10b')
    const perToken = 12 * 2 * 2 * 256 * 2 // = 24,576 B
    expect(kvBytesPerTokenAt(spec, 1000, bf16)).toBe(perToken)
    const state = (12288 * 4 + 64 * 128 * 128) * 2 // conv window x 4 + recurrent 64 x 128 x 128, bf16 = 2,195,456 B
    expect(kvCache(spec, 1000, 1, bf16).totalBytes).toBe(36 * state + 1000 * perToken)
  })
})

describe('qwen3_5_moe (Qwen3.5-397B-A17B: h 4096, 60 layers, 512 experts, top-10)', () => {
  const want = qwen35Moe(4096, 60, 512, 10)
  const p = paramCounts(loadModel('qwen3.5-397b-a17b'))
  it('total and active', () => {
    expect(p.totalParams).toBe(want.total)
    expect(want.total).toBe(396_346_350_336)
    expect(p.activeParams).toBe(want.active)
    expect(want.active).toBe(17_349_040_896)
  })
  it('MTP and vision tower apart', () => {
    expect(p.mtpParams).toBe(want.mtp)
    expect(want.mtp).toBe(6_595_568_128)
    expect(p.encoderParams).toBe(want.vision)
    expect(want.vision).toBe(456_010_480)
  })
  it('KV: 15 full layers x K and V x 2 KV heads x 256 in bf16, plus 45 DeltaNet states', () => {
    const spec = loadModel('qwen3.5-397b-a17b')
    const perToken = 15 * 2 * 2 * 256 * 2 // = 30,720 B
    expect(kvBytesPerTokenAt(spec, 1000, bf16)).toBe(perToken)
    const state = (12288 * 4 + 64 * 128 * 128) * 2
    expect(kvCache(spec, 1000, 1, bf16).totalBytes).toBe(45 * state + 1000 * perToken)
  })
})
