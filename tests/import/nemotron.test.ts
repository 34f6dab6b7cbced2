// nemotron: NemotronConfig (configuration_nemotron.py @ 05cd1ec1; modeling_nemotron.py). The fixture is the class
// defaults (vocab 256000, h 6144, ffn 24576, 32 layers, 48 heads, relu2, partial_rotary_factor 0.5, untied); no
// released config was found. NemotronMLP: up_proj and down_proj only (squared ReLU); NemotronLayerNorm1P is an
// nn.LayerNorm with weight and bias for the two per-layer norms and the final norm.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('nemotron (NemotronConfig defaults)', () => {
  const h = 6144
  const layer = 4 * h * h + 2 * h * 24576 /* up, down */ + 2 * (2 * h) /* 2 LayerNorms, weight + bias */
  const total = 2 * 256000 * h + 32 * layer + 2 * h

  it('total', () => {
    expect(paramCounts(spec(load('nemotron-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(17_642_041_344)
  })
  it('Minitron-4B shape (h 3072, ffn 9216, 24/8 heads of 128): 4.19B', () => {
    const raw = {...load('nemotron-class-defaults.json'), hidden_size: 3072, intermediate_size: 9216, num_attention_heads: 24, num_key_value_heads: 8, head_dim: 128}
    const layer4b = 3072 * 3072 + 2 * 3072 * 1024 + 3072 * 3072 + 2 * 3072 * 9216 + 2 * 2 * 3072
    expect(paramCounts(spec(raw)).totalParams).toBe(2 * 256000 * 3072 + 32 * layer4b + 2 * 3072)
    expect(2 * 256000 * 3072 + 32 * layer4b + 2 * 3072).toBe(4_190_509_056)
    expect(kvPerToken(raw)).toBe(2 * 8 * 128 * 32 * 2)
  })
  it('half of each head rotated; mlp_bias adds up/down biases; attention_bias q/k/v/o biases', () => {
    expect(spec(load('nemotron-class-defaults.json')).rope.partialRotaryFactor).toBe(0.5)
    expect(paramCounts(spec({...load('nemotron-class-defaults.json'), mlp_bias: true})).totalParams).toBe(total + 32 * (24576 + h))
    expect(paramCounts(spec({...load('nemotron-class-defaults.json'), attention_bias: true})).totalParams).toBe(total + 32 * 4 * h)
  })
})
