// starcoder2: Starcoder2Config (configuration_starcoder2.py), Starcoder2ForCausalLM (modeling_starcoder2.py). Fixture:
// bigcode/starcoder2-3b's config.json; 3.03B rounds to the 3B of its name (no exact figure checked).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'starcoder2-3b') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'bigcode/starcoder2-3b'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('starcoder2 (StarCoder2-3B): GQA with bias, plain biased MLP, LayerNorms with bias, sliding window, tied', () => {
  const h = 3072
  const layer =
    (h * h + h) /* q_proj */ +
    2 * (h * 2 * 128 + 2 * 128) /* k_proj, v_proj: 2 KV heads of 128, with bias */ +
    (h * h + h) /* o_proj */ +
    (h * 12288 + 12288) /* c_fc */ +
    (12288 * h + h) /* c_proj */ +
    2 * 2 * h /* input_layernorm, post_attention_layernorm */
  const total = 49152 * h /* embed_tokens (tied head) */ + 30 * layer + 2 * h /* norm */

  it('total is 3,030,371,328', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(3_030_371_328)
  })
  it('every layer slides over 4096 tokens', () => {
    expect(spec(raw()).layerGroups).toEqual([{count: 30, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'dense'}])
  })
  it('KV per token: 2 x 2 KV heads x 128 x 30 layers x 2 bytes; none past the window', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 2 * 128 * 30 * 2)
    expect(kvBytesPerTokenAt(spec(raw()), 8192, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(0)
  })
})
