// internlm2: remote-code InternLM2Config / modeling_internlm2.py of internlm/internlm2_5-7b-chat. The fixture is a
// TRIMMED copy of internlm2_5-7b-chat's config.json (see SOURCES.md). InternLM2Attention: fused wqkv
// (h, (H + 2 Hkv) d) and wo, bias = config.bias (false here); InternLM2MLP w1/w3/w2 without bias; untied output.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('internlm2 (InternLM2.5-7B-Chat, trimmed config)', () => {
  const h = 4096
  const layer = h * (32 * 128 + 2 * 8 * 128) /* wqkv */ + (32 * 128) * h /* wo */ + 3 * h * 14336 + 2 * h
  const total = 2 * 92544 * h + 32 * layer + h

  it('total: the 7,737,708,544 a parameter report read from the loaded weights of a 7B InternLM2.5', () => {
    expect(paramCounts(spec(load('internlm2.5-7b-chat.json'))).totalParams).toBe(total)
    expect(total).toBe(7_737_708_544)
    // A local InternLM2 checkpoint inventory: 227 tensors, 7,737,708,544 elements, all BF16, 15,475,417,088 data bytes
    // (search-index file id 66695423343); 227 = 32 layers x 7 (wqkv, wo, w1, w2, w3, two norms) + 3
    expect(total).toBe(15_475_417_088 / 2)
  })
  it('bias (the class default, true) adds wqkv and wo biases', () => {
    const {bias: _b, ...noBias} = load('internlm2.5-7b-chat.json')
    expect(paramCounts(spec(noBias)).totalParams).toBe(total + 32 * ((32 * 128 + 2 * 8 * 128) + h))
  })
  it('KV per token: 2 x 8 KV heads x 128 x 32 layers x 2 bytes', () => {
    expect(kvPerToken(load('internlm2.5-7b-chat.json'))).toBe(2 * 8 * 128 * 32 * 2)
  })
})
