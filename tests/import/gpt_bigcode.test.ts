// gpt_bigcode: GPTBigCodeConfig (configuration_gpt_bigcode.py), GPTBigCodeForCausalLM (modeling_gpt_bigcode.py).
// Fixture: bigcode/starcoderbase-1b's config.json; 1.14B rounds to the 1B of its name (no exact figure checked).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'starcoderbase-1b') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'bigcode/starcoderbase-1b'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('gpt_bigcode (StarCoderBase-1B): multi-query fused c_attn with bias, learned positions, tied', () => {
  const h = 2048
  const layer =
    2 * 2 * h /* ln_1, ln_2 */ +
    (h * (h + 2 * 128) + (h + 2 * 128)) /* c_attn: 16 query heads + 1 key + 1 value head of 128 */ +
    (h * h + h) /* attn.c_proj */ +
    (h * 8192 + 8192) /* c_fc */ +
    (8192 * h + h) /* mlp.c_proj */
  const total = 49152 * h /* wte (tied head) */ + 8192 * h /* wpe */ + 24 * layer + 2 * h /* ln_f */

  it('total is 1,137,207,296', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(1_137_207_296)
    // A scaling table lists 'multipl-t-starcoder-1b-ocaml' (a fine-tune of starcoderbase-1b, the same tensors) at
    // 1137207296.0 parameters (search-index file id 69542685706)
  })
  it('KV per token: 2 x 1 KV head x 128 x 24 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 1 * 128 * 24 * 2)
  })
  it('multi_query false is plain multi-head attention', () => {
    expect(spec({...raw(), multi_query: false}).attention.kvHeads).toBe(16)
  })
})
