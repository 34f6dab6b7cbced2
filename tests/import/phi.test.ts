// phi: PhiConfig (configuration_phi.py), PhiForCausalLM (modeling_phi.py). Fixture: microsoft/phi-2's config.json.
// 2,779,683,840 is the phi-2 count issue #15 gives (the card's "2.7 billion parameters").
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'phi-2') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'microsoft/phi-2'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('phi (Phi-2): one input_layernorm per parallel block, biases everywhere, LM head with bias, partial rotary 0.4', () => {
  const h = 2560
  const layer =
    2 * h /* input_layernorm: weight + bias */ +
    4 * (h * h + h) /* q_proj, k_proj, v_proj, dense with bias */ +
    (h * 10240 + 10240) /* fc1 */ +
    (10240 * h + h) /* fc2 */
  const total = 51200 * h /* embed_tokens */ + 32 * layer + 2 * h /* final_layernorm */ + (51200 * h + 51200) /* lm_head + bias */

  it('total is 2,779,683,840', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(2_779_683_840)
    // microsoft/phi-2 model.safetensors.index.json total_size 5,559,367,680 bytes, fp16 (the index is quoted with its
    // lm_head.bias entry in a walkthrough of the repository, search-index file id 9232979876)
    expect(total).toBe(5_559_367_680 / 2)
  })
  it('partial_rotary_factor 0.4', () => {
    expect(spec(raw()).rope.partialRotaryFactor).toBe(0.4)
  })
  it('KV per token: 2 x 32 heads x 80 x 32 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 32 * 80 * 32 * 2)
  })
  it('qk_layernorm adds q_layernorm and k_layernorm, LayerNorm(80) with weight and bias each, per layer', () => {
    const s = spec({...raw(), qk_layernorm: true})
    expect(s.attention).toMatchObject({qkNorm: 'per-head', qkNormBias: true})
    expect(paramCounts(s).totalParams).toBe(total + 32 * 2 * (80 + 80))
  })
})
