// ernie4_5: Ernie4_5Config (configuration_ernie4_5.py @ 008e5743; modeling_ernie4_5.py). The fixtures are the class
// defaults, which the class names baidu/ERNIE-4.5-0.3B-PT (vocab 103424, h 1024, ffn 3072, 18 layers, 16/2 heads of
// 128, tied), and a copy of ERNIE-4.5-0.3B-PT's config.json (see SOURCES.md) with the same values. use_bias puts
// biases on q/k/v/o and gate/up/down.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('ernie4_5 (Ernie4_5Config defaults = ERNIE-4.5-0.3B dimensions)', () => {
  const h = 1024
  const layer = h * (16 * 128) + 2 * h * (2 * 128) + (16 * 128) * h + 3 * h * 3072 + 2 * h
  const total = 103424 * h /* tied */ + 18 * layer + h

  it('total (0.36B), from the class defaults and from the published file', () => {
    expect(paramCounts(spec(load('ernie-4.5-0.3b-class-defaults.json'))).totalParams).toBe(total)
    expect(paramCounts(spec(load('ernie-4.5-0.3b-pt.json'))).totalParams).toBe(total)
    expect(total).toBe(360_748_032)
    // An evaluation log names an in-house ERNIE model "L=18, d=1024, params=360748032" (search-index file id
    // 69642363455): the same figure, not tied to a named release
    // Exact for the release: a vLLM integration note gives baidu/ERNIE-4.5-0.3B-PT @ b565cf6c as "360,748,032 BF16
    // parameters" (search-index file id 66980184468)
  })
  it('use_bias adds the attention and MLP biases; KV per token 2 x 2 x 128 x 18 layers x 2 bytes', () => {
    const bias = 16 * 128 + 2 * 2 * 128 + h /* q, k, v, o */ + 2 * 3072 + h /* gate, up, down */
    expect(paramCounts(spec({...load('ernie-4.5-0.3b-class-defaults.json'), use_bias: true})).totalParams).toBe(total + 18 * bias)
    expect(kvPerToken(load('ernie-4.5-0.3b-class-defaults.json'))).toBe(2 * 2 * 128 * 18 * 2)
  })
})
