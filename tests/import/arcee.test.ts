// arcee: ArceeConfig (configuration_arcee.py @ 008e5743; modular_arcee.py). The fixture is the class defaults
// (vocab 32000, h 2560, ffn 18432, 32 layers, 32 heads of 80, relu2, untied); arcee-ai/AFM-4.5B's config was not
// found. ArceeMLP: up_proj and down_proj (bias = mlp_bias) around ReLU², no gate.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('arcee (ArceeConfig defaults)', () => {
  const h = 2560
  const layer = 4 * h * h + 2 * h * 18432 + 2 * h
  const total = 2 * 32000 * h + 32 * layer + h

  it('total', () => {
    const s = spec(load('arcee-class-defaults.json'))
    expect(paramCounts(s).totalParams).toBe(total)
    expect(total).toBe(4_022_766_080)
    expect(s.ffn).toEqual({gated: false, activation: 'relu2', intermediateSize: 18432, bias: false})
  })
  it('mlp_bias adds up/down biases; KV per token 2 x 32 x 80 x 32 layers x 2 bytes', () => {
    expect(paramCounts(spec({...load('arcee-class-defaults.json'), mlp_bias: true})).totalParams).toBe(total + 32 * (18432 + h))
    expect(kvPerToken(load('arcee-class-defaults.json'))).toBe(2 * 32 * 80 * 32 * 2)
  })
})
