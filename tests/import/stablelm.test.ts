// stablelm: StableLmConfig (configuration_stablelm.py), StableLmForCausalLM (modeling_stablelm.py). Fixtures:
// stabilityai/stablelm-2-1_6b and stabilityai/stablelm-3b-4e1t config.json. 1,644,515,328 and 2,795,443,200 round to
// the 1.6B and 3B of their names (no exact published figure checked).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'stablelm-2-1.6b') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'stabilityai/stablelm-2-1_6b'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('stablelm (StableLM 2 1.6B): q/k/v bias, gated MLP, two LayerNorms with bias, untied', () => {
  const h = 2048
  const layer =
    3 * (h * h + h) /* q_proj, k_proj, v_proj with bias (use_qkv_bias) */ +
    h * h /* o_proj */ +
    3 * h * 5632 /* gate_proj, up_proj, down_proj */ +
    2 * 2 * h /* input_layernorm, post_attention_layernorm */
  const total = 2 * 100352 * h /* embed_tokens + lm_head */ + 24 * layer + 2 * h /* norm */

  it('total is 1,644,515,328', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(1_644_515_328)
    // A model comparison table lists Stable LM 2 1.6B "Parameters 1644515328" (search-index file id 35661935992)
    // and a model sheet of stabilityai/stablelm-2-1_6b gives "1,644,515,328 parameters (safetensors metadata)"
    // (file ids 65849527990, 65755328185)
  })
  it('KV per token: 2 x 32 heads x 64 x 24 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 32 * 64 * 24 * 2)
  })
  it('use_parallel_residual drops post_attention_layernorm; qk_layernorm adds per-head LayerNorms (weights only)', () => {
    expect(paramCounts(spec({...raw(), use_parallel_residual: true})).totalParams).toBe(total - 24 * 2 * h)
    expect(paramCounts(spec({...raw(), qk_layernorm: true})).totalParams).toBe(total + 24 * (32 * 64 + 32 * 64))
  })
})

describe('stablelm (StableLM-3B-4E1T): no q/k/v bias', () => {
  const h = 2560
  const layer = 4 * h * h /* q, k, v, o */ + 3 * h * 6912 /* gated MLP */ + 2 * 2 * h /* two LayerNorms */
  it('total is 2,795,443,200', () => {
    const total = 2 * 50304 * h + 32 * layer + 2 * h
    expect(paramCounts(spec(raw('stablelm-3b-4e1t'))).totalParams).toBe(total)
    expect(total).toBe(2_795_443_200)
    // The stablelm-3b-4e1t model card's table: "Parameters 2,795,443,200" (search-index file ids 47270880946,
    // 15710750240)
  })
})
