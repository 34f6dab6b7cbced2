// gptj: GPTJConfig (configuration_gptj.py), GPTJForCausalLM (modeling_gptj.py). Fixture: EleutherAI/gpt-j-6b's
// config.json. 6,050,882,784 is the count issue #15 gives for the released checkpoint (not re-checked against a file here).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'gpt-j-6b') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'EleutherAI/gpt-j-6b'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('gptj (GPT-J 6B): one ln_1 per parallel block, unbiased q/k/v/out, biased MLP, LM head with bias, rotary_dim 64', () => {
  const h = 4096
  const layer =
    2 * h /* ln_1: weight + bias */ +
    4 * h * h /* q_proj, k_proj, v_proj, out_proj: no bias */ +
    (h * 4 * h + 4 * h) /* fc_in (n_inner None -> 4h) */ +
    (4 * h * h + h) /* fc_out */
  const total = 50400 * h /* wte */ + 28 * layer + 2 * h /* ln_f */ + (50400 * h + 50400) /* lm_head + bias */

  it('total counts the lm_head bias: 6,050,882,784', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(6_050_882_784)
    // Loading EleutherAI/gpt-j-6B in fp16 prints "# of params: 6050882784" (search-index file id 37133021827)
  })
  it('the head bias is in the LM head component', () => {
    expect(paramCounts(spec(raw())).breakdown.lmHead).toBe(50400 * h + 50400)
    expect(spec(raw()).embeddings.lmHeadBias).toBe(true)
  })
  it('rotary_dim 64 of a 256-wide head: a quarter rotates', () => {
    expect(spec(raw()).rope.partialRotaryFactor).toBe(64 / 256)
  })
  it('KV per token: 2 x 16 heads x 256 x 28 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 16 * 256 * 28 * 2)
  })
  it('a rotary_dim wider than the head is refused in one line', () => {
    expect(() => spec({...raw(), rotary_dim: 512})).toThrow(/"rotary_dim" 512 must be between 1 and the head width 256/)
  })
})
