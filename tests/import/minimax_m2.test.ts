// minimax_m2: MiniMaxM2Config (configuration_minimax_m2.py @ 008e5743; modular_minimax_m2.py @ 001f85b3). The
// fixture is written in the class's field order (then the remote-code keys) with the values of MiniMaxAI/
// MiniMax-M2.5's config.json (model_type minimax_m2) as ai-dynamo/aiconfigurator's copy states them
// (aic-core/.../MiniMaxAI--MiniMax-M2.5_config.json @ 095f58a5): 62 layers, h 3072, 48/8 heads x 128, rotary_dim 64,
// q/k norms over all heads (qk_norm_type per_layer), 256 experts of 1536, top-8, routing bias, vocab 200064, FP8.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/minimax-m2.5.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'minimax-m2.5'}), 'minimax_m2')

describe('minimax_m2 (MiniMax-M2.5)', () => {
  const h = 3072
  const attention = h * (48 * 128) + 2 * h * (8 * 128) + (48 * 128) * h // no biases
  const qkNorm = 48 * 128 + 8 * 128 // q_norm over H*d, k_norm over Hkv*d
  const expert = 3 * h * 1536
  const router = 256 * h + 256 // gate + e_score_correction_bias
  const layer = attention + qkNorm + 2 * h + 256 * expert + router
  const total = 2 * 200064 * h + 62 * layer + h

  it('total and active (8 of 256 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 62 * 248 * expert)
    expect(total).toBe(228_689_764_864)
    // MiniMax-M2.7's published config.json (minimax-m2.7.json, verbatim) builds the same tensors: the figures below
    // are its own
    expect(paramCounts(spec(JSON.parse(readFileSync('tests/fixtures/hf/minimax-m2.7.json', 'utf8')))).totalParams).toBe(total)
    // The same count for MiniMax-M2.7 (the M2 architecture, same dimensions): the HF API's safetensors.total
    // 228,689,764,864 (search-index file id 69615480373), and llama-server's /v1/models for M2.7 GGUFs reports
    // 228,689,764,864 parameters (file ids 58271643091, 58229634409)
  })
  it('rotary_dim 64 of head_dim 128 is partial RoPE 0.5; FP8 linear layers; the MTP modules are noted, not counted', () => {
    const s = spec(raw())
    expect(s.rope).toEqual({theta: 5000000, scaling: null, partialRotaryFactor: 0.5})
    expect(s.checkpointWeights).toEqual({embeddings: 'bf16', linear: 'fp8', experts: 'fp8', unquantized: 'bf16'})
    expect(paramCounts(s).mtpParams).toBe(0)
    expect(s.notes?.join(' ')).toMatch(/multi-token-prediction/)
  })
  it('attn_type_list with lightning-attention layers (0) and a shared expert are refused', () => {
    expect(() => spec({...raw(), attn_type_list: [0, 1]})).toThrow(/attn_type_list/)
    expect(() => spec({...raw(), shared_intermediate_size: 1024})).toThrow(/shared_intermediate_size/)
  })
})
