// bloom: BloomConfig (configuration_bloom.py), BloomForCausalLM (modeling_bloom.py). Fixture: bigscience/bloom-560m's
// config.json. 559,214,592 is the count issue #15 gives (the bigscience/bloom-560m card's "559,214,592 parameters").
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'bloom-560m') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'bigscience/bloom-560m'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('bloom (BLOOM-560m): ALiBi, a LayerNorm on the embeddings, fused biased qkv, 4h MLP with bias, tied', () => {
  const h = 1024
  const layer =
    2 * 2 * h /* input_layernorm, post_attention_layernorm */ +
    (h * 3 * h + 3 * h) /* query_key_value */ +
    (h * h + h) /* dense */ +
    (h * 4 * h + 4 * h) /* dense_h_to_4h */ +
    (4 * h * h + h) /* dense_4h_to_h */
  const total = 250880 * h /* word_embeddings (tied head) */ + 2 * h /* word_embeddings_layernorm */ + 24 * layer + 2 * h /* ln_f */

  it('total is the model card\'s 559,214,592', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(559_214_592)
    // Exact from the tensors: huggingface_hub's tests assert get_safetensors_metadata("bigscience/bloomz-560m")
    // .parameter_count == {"F16": 559214592} over 293 tensors (bloomz-560m is bloom-560m fine-tuned, the same
    // tensors; search-index file id 105710915). 293 = 24 layers x 12 + word_embeddings, its LayerNorm (2), ln_f (2).
    expect(24 * 12 + 1 + 2 + 2).toBe(293)
  })
  it('the embedding LayerNorm is one of the norms', () => {
    const s = spec(raw())
    expect(s.norms.embedding).toBe(true)
    expect(paramCounts(s).breakdown.norms).toBe(24 * 4 * h + 2 * h + 2 * h)
  })
  it('ALiBi: no layer rotates, no position table', () => {
    const s = spec(raw())
    expect(s.attention.alibi).toBe(true)
    expect(s.layerGroups).toEqual([{count: 24, mixer: 'full', rope: false, ffn: 'dense'}])
    expect(s.embeddings.learnedPositions).toBe(0)
  })
  it('KV per token: 2 x 16 heads x 64 x 24 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 16 * 64 * 24 * 2)
  })
})
