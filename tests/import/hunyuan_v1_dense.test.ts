// hunyuan_v1_dense: transformers' HunYuanDenseV1Config (configuration_hunyuan_v1_dense.py) with
// modular_hunyuan_v1_dense.py: a Llama decoder whose attention always has query_layernorm / key_layernorm of head_dim,
// and whose MLP has no bias. The fixture is tencent/Hy-MT2-7B's config.json (the Hunyuan-7B geometry: h 4096,
// 32 layers, 32/8 heads x 128, ffn 14336, vocab 128167, tied), which keeps the remote config's keys (use_cla,
// use_qk_norm, mlp_bias, ...). Published: a "7B" model (the Hunyuan-7B card gives no exact count); computed
// 7,504,568,320.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/hy-mt2-7b.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'hy-mt2-7b'}), 'hunyuan_v1_dense')

const h = 4096
const attention = h * (32 * 128) + 2 * h * (8 * 128) + (32 * 128) * h // q, k, v, o; attention_bias false
const qkNorm = 2 * 128 // query_layernorm, key_layernorm of head_dim
const mlp = 3 * h * 14336 // gate, up, down, no bias
const layer = attention + qkNorm + mlp + 2 * h // + input / post-attention RMSNorm
const total = 128167 * h /* tied */ + 32 * layer + h /* final norm */

describe('hunyuan_v1_dense (Hy-MT2-7B, the Hunyuan-7B geometry)', () => {
  it('total parameters, module by module', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(7_504_568_320)
  })
  it('KV per token: 2 x 8 KV heads x 128 x 32 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 128 * 32 * 2)
  })
  it('attention_bias puts a bias on q, k, v and o; untied adds the LM head', () => {
    expect(paramCounts(spec({...raw(), attention_bias: true})).totalParams).toBe(total + 32 * (32 * 128 + 2 * 8 * 128 + h))
    expect(paramCounts(spec({...raw(), tie_word_embeddings: false})).totalParams).toBe(total + 128167 * h)
  })
  it('without head_dim the head is hidden_size / num_attention_heads (the class default is None)', () => {
    const {head_dim: _, ...rest} = raw()
    expect(spec(rest).attention.headDim).toBe(4096 / 32)
  })
  it('remote-config switches the class does not build are refused', () => {
    expect(() => spec({...raw(), use_cla: true})).toThrow(/use_cla/)
    expect(() => spec({...raw(), use_qk_norm: false})).toThrow(/use_qk_norm/)
    expect(() => spec({...raw(), num_experts: 64})).toThrow(/hunyuan_v1_moe/)
    expect(() => spec({...raw(), attention_head_dim: 64})).toThrow(/attention_head_dim/)
  })
})
