// phimoe: PhimoeConfig (configuration_phimoe.py @ 040e1a7e; modular_phimoe.py). The fixture is assembled from
// microsoft/Phi-3.5-MoE-instruct's published values (see tests/fixtures/hf/SOURCES.md): h 4096, 32 layers, 32/8 heads,
// 16 experts of 6400, top-2, vocab 32064, attention_bias and lm_head_bias true, LayerNorm with bias, sliding_window =
// max_position_embeddings = 131072, LongRoPE (its per-dimension factor lists left out: they change no cost).
// Published: "16x3.8B, 6.6B active, 42B total"; HF model size 41.9B. Computed 41,873,153,344 total, 6,640,999,744 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {architectureCard} from '../../src/report/card.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/phi-3.5-moe-instruct.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'phi-3.5-moe-instruct'}), 'phimoe')

describe('phimoe (Phi-3.5-MoE-instruct)', () => {
  const h = 4096
  const attention = (h + 1) * (32 * 128) + 2 * (h + 1) * (8 * 128) + (32 * 128) * h + h // q, k, v with bias; o with bias
  const norms = 2 * 2 * h // two LayerNorms, weight + bias
  const expert = 3 * h * 6400 // w1, w3 (h -> 6400), w2 (6400 -> h), no bias
  const router = 16 * h // no bias
  const layer = attention + norms + 16 * expert + router
  const lmHead = 32064 * h + 32064 // lm_head with its bias (lm_head_bias)
  const total = 32064 * h + lmHead + 32 * layer + 2 * h /* final LayerNorm, weight + bias */

  it('total and active (2 of 16 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(41_873_153_344)
    // A community summary gives Phi-3.5-MoE 41,873,153,344 in all, 40,267,415,552 of them in the feed-forward
    // (search-index file id 5536979741): 16 experts x 32 layers x 3 x 4096 x 6400 + 32 routers of 4096 x 16
    expect(32 * (16 * 3 * 4096 * 6400 + 4096 * 16)).toBe(40_267_415_552)
    expect(p.activeParams).toBe(total - 32 * 14 * expert)
    expect(p.activeParams).toBe(6_640_999_744)
    expect(p.breakdown.lmHead).toBe(lmHead)
  })
  it('lm_head_bias false drops the vocab-sized bias; attention_bias false the q/k/v/o biases', () => {
    expect(paramCounts(spec({...raw(), lm_head_bias: false})).totalParams).toBe(total - 32064)
    expect(paramCounts(spec({...raw(), attention_bias: false})).totalParams).toBe(total - 32 * (32 * 128 + 2 * 8 * 128 + h))
  })
  it('a sliding window as long as the context never binds (full attention); a shorter one slides', () => {
    expect(spec(raw()).layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'moe'}])
    expect(spec({...raw(), sliding_window: 4096}).layerGroups).toEqual([{count: 32, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'moe'}])
  })
  it('KV per token: 2 x 8 KV heads x 128 x 32 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 128 * 32 * 2)
  })
  it('the card says the LM head has a bias and the norms are LayerNorms with bias', () => {
    const card = Object.fromEntries(architectureCard(spec(raw())).map((f) => [f.field, f.value]))
    expect(card.Vocabulary).toBe('32064, untied LM head with bias')
    expect(card.Norms).toBe('layernorm with bias, pre, 2 per layer + final')
  })
})
