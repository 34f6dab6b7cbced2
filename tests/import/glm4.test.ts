// glm4: Glm4Config (configuration_glm4.py @ 008e5743; modeling_glm4.py). The fixture is the class defaults (the
// glm-4-9b shape; THUDM/GLM-4-9B-0414's config was not found). Glm4DecoderLayer: GLM's attention and fused MLP
// with four RMSNorms: input_layernorm, post_self_attn_layernorm, post_attention_layernorm, post_mlp_layernorm.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('glm4 (Glm4Config defaults)', () => {
  const h = 4096
  const attention = (h + 1) * (32 * 128) + 2 * (h + 1) * (2 * 128) + (32 * 128) * h
  const mlp = h * 2 * 13696 + 13696 * h
  const total = 2 * 151552 * h + 40 * (attention + mlp + 4 * h /* 4 norms */) + h

  it('total: GLM plus two norms per layer', () => {
    const s = spec(load('glm4-class-defaults.json'))
    expect(paramCounts(s).totalParams).toBe(total)
    expect(total).toBe(9_400_279_040)
    // Exact for THUDM/GLM-4-9B-0414, whose shape these defaults are: "官方safetensors参数量 9,400,279,040" (its official
    // safetensors count; search-index file id 69323105306), the same in a model table (file id 62641708671)
    expect(s.norms).toEqual({kind: 'rmsnorm', bias: false, placement: 'sandwich', perLayer: 4, final: true})
  })
  it('KV per token: 2 x 2 KV heads x 128 x 40 layers x 2 bytes', () => {
    expect(kvPerToken(load('glm4-class-defaults.json'))).toBe(2 * 2 * 128 * 40 * 2)
  })
})
