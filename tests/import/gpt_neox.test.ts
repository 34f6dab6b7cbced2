// gpt_neox: GPTNeoXConfig (configuration_gpt_neox.py), GPTNeoXForCausalLM (modeling_gpt_neox.py). Fixture:
// EleutherAI/pythia-1b's config.json. Its checkpoint's count, 1,011,781,632, is the Pythia paper's (arXiv 2304.01373,
// Table 1: 1,011,781,632 total, 805,736,448 non-embedding).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'pythia-1b') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'EleutherAI/pythia-1b'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('gpt_neox (Pythia-1B): fused biased qkv, plain MLP with bias, two LayerNorms per parallel-residual layer, untied', () => {
  const h = 2048
  const layer =
    2 * 2 * h /* input_layernorm, post_attention_layernorm: weight + bias */ +
    (h * 3 * h + 3 * h) /* query_key_value */ +
    (h * h + h) /* dense */ +
    (h * 8192 + 8192) /* dense_h_to_4h */ +
    (8192 * h + h) /* dense_4h_to_h */
  const total = 50304 * h /* embed_in */ + 16 * layer + 2 * h /* final_layer_norm */ + 50304 * h /* embed_out */

  it('total is the Pythia paper\'s 1,011,781,632', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(1_011_781_632)
    // and a parameter table lists "pythia-1b"="1011781632" (search-index file id 49071488734)
  })
  it('non-embedding (embed_in out, embed_out in) is total minus one table', () => {
    expect(paramCounts(spec(raw())).nonEmbeddingParams).toBe(total - 50304 * h)
  })
  it('without either table it is the paper\'s 805,736,448 non-embedding parameters', () => {
    expect(total - 2 * 50304 * h).toBe(805_736_448)
  })
  it('rotary_pct 0.25 rotates a quarter of each head; rotary_emb_base is the RoPE base', () => {
    expect(spec(raw()).rope).toEqual({theta: 10000, scaling: null, partialRotaryFactor: 0.25})
  })
  it('KV per token: 2 (k, v) x 8 heads x 256 x 16 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 8 * 256 * 16 * 2)
  })
  it('attention_bias false drops the qkv and dense biases', () => {
    expect(paramCounts(spec({...raw(), attention_bias: false})).totalParams).toBe(total - 16 * (3 * h + h))
  })
})
