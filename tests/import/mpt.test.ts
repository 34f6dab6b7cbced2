// mpt: MptConfig (configuration_mpt.py), MptForCausalLM (modeling_mpt.py). Fixture: mosaicml/mpt-7b-instruct's
// config.json (mpt-7b's architecture). transformers' MptModel builds no position table (learned_pos_emb is not read)
// and no biases; the mpt-7b checkpoint agrees: ggml's CI conversion log lists transformer.wte.weight, then
// transformer.blocks.0.norm_1.weight (4096,) with no wpe and no norm bias. 6.65B rounds to the 7B of the name.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'mpt-7b-instruct') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'mosaicml/mpt-7b-instruct'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('mpt (MPT-7B-Instruct): ALiBi, no biases anywhere (LayerNorms included), fused Wqkv, 4x MLP, tied', () => {
  const h = 4096
  const layer =
    2 * h /* norm_1, norm_2: weight only (bias None) */ +
    h * 3 * h /* Wqkv */ +
    h * h /* out_proj */ +
    2 * h * 4 * h /* up_proj, down_proj */
  const total = 50432 * h /* wte (tied head) */ + 32 * layer + h /* norm_f */

  it('total is 6,649,286,656', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(6_649_286_656)
    // pytorch_model.bin.index.json total_size 13,298,573,312 bytes, bf16, of an MPT-7B checkpoint (d_model 4096, 32
    // layers, vocab 50432, max_seq_len 2048, no_bias, tied; a model report, search-index file id 54028930474)
    expect(total).toBe(13_298_573_312 / 2)
  })
  it('ALiBi layers, no rotary', () => {
    expect(spec(raw()).layerGroups).toEqual([{count: 32, mixer: 'full', rope: false, ffn: 'dense'}])
  })
  it('KV per token: 2 x 32 heads x 128 x 32 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 32 * 128 * 32 * 2)
  })
  it('shapes transformers cannot build are refused, not miscounted', () => {
    expect(() => spec({...raw(), expansion_ratio: 8})).toThrow(/expansion_ratio 8/)
    expect(() => spec({...raw(), no_bias: false})).toThrow(/no_bias false/)
    expect(() => spec({...raw(), attn_config: {...raw().attn_config, attn_type: 'multiquery_attention'}})).toThrow(/attn_type "multiquery_attention"/)
  })
})
