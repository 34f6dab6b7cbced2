// granite: GraniteConfig (configuration_granite.py @ 008e5743; modeling_granite.py: Llama's modules). The fixture
// is the class defaults (the Llama-7B shape: vocab 32000, h 4096, 32 layers, 32 heads, ffn 11008, untied); no
// released config was found. The four multipliers scale activations and change no count.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('granite (GraniteConfig defaults)', () => {
  const h = 4096
  const total = 2 * 32000 * h + 32 * (4 * h * h + 3 * h * 11008 + 2 * h) + h

  it('total', () => {
    expect(paramCounts(spec(load('granite-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(6_738_415_616)
  })
  it('granite-3.1-8b shape (vocab 49155, ffn 12800, 40 layers, 32/8 heads, tied): 8.17B', () => {
    const raw = {...load('granite-class-defaults.json'), vocab_size: 49155, intermediate_size: 12800, num_hidden_layers: 40, num_key_value_heads: 8, tie_word_embeddings: true, embedding_multiplier: 12.0, residual_multiplier: 0.22, attention_multiplier: 0.0078125, logits_scaling: 16.0}
    const layer = h * h + 2 * h * (8 * 128) + h * h + 3 * h * 12800 + 2 * h
    expect(paramCounts(spec(raw)).totalParams).toBe(49155 * h + 40 * layer + h)
    expect(49155 * h + 40 * layer + h).toBe(8_170_848_256)
    // Exact: a model sheet of ibm-granite/granite-3.1-8b-instruct gives "8,170,848,256 parameters (safetensors
    // metadata)", BF16 (search-index file id 66166523910)
    expect(kvPerToken(raw)).toBe(2 * 8 * 128 * 40 * 2)
  })
})
