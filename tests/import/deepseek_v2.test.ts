// deepseek_v2: DeepseekV2Config (configuration_deepseek_v2.py @ 008e5743) + the remote-code keys of the published
// file. The fixture is written in DeepseekV2Config's field order with deepseek-ai/DeepSeek-V2's values, as a
// third-party script embeds that config.json whole (search-index id 1252603174; not read from DeepSeek's repo):
// h 5120, 60 layers, 128 heads, MLA q_lora 1536 / kv_lora 512, 1 dense layer (ffn 12288), 160 routed experts of
// 1536 + 2 shared, top-6, group_limited_greedy (no correction bias).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/deepseek-v2.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'deepseek-v2'}), 'deepseek_v2')

describe('deepseek_v2 (DeepSeek-V2)', () => {
  const h = 5120
  // q_a (h, 1536), q_b (1536, 128 x 192), kv_a (h, 512 + 64), kv_b (512, 128 x (128 + 128)), o (128 x 128, h)
  const attention = h * 1536 + 1536 * 128 * (128 + 64) + h * (512 + 64) + 512 * 128 * (128 + 128) + 128 * 128 * h
  const norms = 2 * h + 1536 + 512 // input/post-attention norms + q_a_layernorm + kv_a_layernorm
  const expert = 3 * h * 1536
  const router = 160 * h // gate weight; greedy routing has no e_score_correction_bias
  const denseLayer = attention + norms + 3 * h * 12288
  const moeLayer = attention + norms + 160 * expert + 2 * expert /* 2 shared experts of 1536 */ + router
  const total = 2 * 102400 * h + denseLayer + 59 * moeLayer + h

  it('total and active (6 of 160 routed experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 59 * 154 * expert)
    expect(p.mtpParams).toBe(0)
    // DeepSeek-V2 paper abstract: "236B total parameters, of which 21B are activated for each token"
    expect(Math.round(total / 1e9)).toBe(236)
    expect(Math.round((total - 59 * 154 * expert) / 1e9)).toBe(21)
  })
  it('without q_lora_rank (V2-Lite style) the query is one q_proj (h, H x 192)', () => {
    const p = paramCounts(spec({...raw(), q_lora_rank: null}))
    const lite = h * 128 * 192 + h * 576 + 512 * 128 * 256 + 128 * 128 * h
    expect(p.breakdown.attention).toBe(60 * lite)
  })
  it('class defaults: first_k_dense_replace 0 (every layer MoE), 2 shared experts, and a MoE file must give num_experts_per_tok', () => {
    const {first_k_dense_replace: _f, num_experts_per_tok: _k, ...rest} = raw()
    expect(() => spec(rest)).toThrow(/num_experts_per_tok/)
    expect(spec({...rest, num_experts_per_tok: 6}).layerGroups).toEqual([{count: 60, mixer: 'full', rope: true, ffn: 'moe'}])
  })
  it('mlp_bias true is refused, not silently dropped', () => {
    expect(() => spec({...raw(), mlp_bias: true})).toThrow(/mlp_bias/)
  })
})
