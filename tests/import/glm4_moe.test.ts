// glm4_moe: Glm4MoeConfig (configuration_glm4_moe.py @ c7ec229a; modular_glm4_moe.py @ 0e97420c). The fixture is
// written in the class's field order with the 19 values that ai-dynamo/aiconfigurator's TRIMMED copy of
// zai-org/GLM-4.7-FP8's config.json states (src/aiconfigurator/model_configs/zai-org--GLM-4.7-FP8_config.json
// @ 19d098ad): h 5120, 92 layers, 96/8 heads x 128, ffn 12288, 160 routed experts of 1536 + 1 shared, top-8,
// first_k_dense_replace 3, vocab 151552. Every key it lacks takes the Glm4MoeConfig default: attention_bias False,
// use_qk_norm False, partial_rotary_factor 0.5, rope_theta 10000, no MTP key; the published file may differ on those.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/glm-4.7.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'glm-4.7'}), 'glm4_moe')

describe('glm4_moe (GLM-4.7 dimensions, class defaults elsewhere)', () => {
  const h = 5120
  const attention = h * (96 * 128) + 2 * h * (8 * 128) + (96 * 128) * h // q, k+v, o
  const expert = 3 * h * 1536
  const router = 160 * h + 160 // gate + e_score_correction_bias
  const denseLayer = attention + 2 * h + 3 * h * 12288
  const moeLayer = attention + 2 * h + 160 * expert + expert /* shared */ + router
  const total = 2 * 151552 * h + 3 * denseLayer + 89 * moeLayer + h

  it('total and active (8 of 160 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 89 * 152 * expert)
    expect(total).toBe(352_796_486_560)
  })
  it('half of each head is rotated by default (partial_rotary_factor 0.5)', () => {
    expect(spec(raw()).rope.partialRotaryFactor).toBe(0.5)
  })
  it('attention_bias adds q/k/v biases (not o_proj), use_qk_norm adds q_norm and k_norm of head_dim', () => {
    const p = paramCounts(spec({...raw(), attention_bias: true, use_qk_norm: true}))
    expect(p.totalParams).toBe(total + 92 * (96 * 128 + 2 * 8 * 128) + 92 * 2 * 128)
  })
  it('num_nextn_predict_layers counts the MTP layer apart, DeepSeek-V3 style', () => {
    expect(paramCounts(spec({...raw(), num_nextn_predict_layers: 1})).mtpParams).toBe(moeLayer + 3 * h + 2 * h * h)
  })
})
