// glm: GlmConfig (configuration_glm.py @ 008e5743; modeling_glm.py). The fixture is the class defaults, which the
// class names THUDM/glm-4-9b-chat (the -hf conversion): h 4096, 40 layers, 32/2 heads x 128, ffn 13696, vocab
// 151552, untied, partial_rotary_factor 0.5, attention_bias True. GlmAttention: q/k/v with bias, o_proj without;
// GlmMLP fused gate_up_proj (h, 2 ffn) + down_proj without bias.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('glm (GlmConfig defaults = glm-4-9b-chat dimensions)', () => {
  const h = 4096
  const attention = (h + 1) * (32 * 128) + 2 * (h + 1) * (2 * 128) + (32 * 128) * h // q, k, v with bias; o without
  const mlp = h * 2 * 13696 + 13696 * h // gate_up_proj, down_proj
  const total = 2 * 151552 * h + 40 * (attention + mlp + 2 * h) + h

  it('total', () => {
    expect(paramCounts(spec(load('glm-4-9b-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(9_399_951_360)
    // Loading THUDM/glm-4-9b-chat (the remote ChatGLM code; the same tensors) prints "9399951360 (100.00%) are
    // trainable" (search-index file id 29151670186); the other 32 of its 9,399,951,392 are the inv_freq buffer, which
    // the transformers Glm class does not save
  })
  it('half of each head rotated; KV per token 2 x 2 KV heads x 128 x 40 layers x 2 bytes', () => {
    expect(spec(load('glm-4-9b-class-defaults.json')).rope.partialRotaryFactor).toBe(0.5)
    expect(kvPerToken(load('glm-4-9b-class-defaults.json'))).toBe(2 * 2 * 128 * 40 * 2)
  })
  it('attention_bias false drops the q/k/v biases', () => {
    expect(paramCounts(spec({...load('glm-4-9b-class-defaults.json'), attention_bias: false})).totalParams).toBe(total - 40 * (32 * 128 + 2 * 2 * 128))
  })
})
