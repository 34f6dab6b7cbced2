// olmo: OlmoConfig (configuration_olmo.py), OlmoForCausalLM (modeling_olmo.py). Fixture: allenai/OLMo-1B-hf's
// config.json; 1.18B rounds to the 1B of its name (no exact figure checked).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'olmo-1b-hf') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'allenai/OLMo-1B-hf'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('olmo (OLMo-1B): non-parametric LayerNorms (0 parameters), Llama-shaped otherwise, tied', () => {
  const h = 2048
  const layer = 4 * h * h /* q, k, v, o */ + 3 * h * 8192 /* gate, up, down */ + 0 /* OlmoLayerNorm: no weights */
  const total = 50304 * h /* embed_tokens (tied head) */ + 16 * layer

  it('total is 1,176,764,416, no norm weights', () => {
    const counts = paramCounts(spec(raw()))
    expect(counts.totalParams).toBe(total)
    expect(total).toBe(1_176_764_416)
    // allenai/OLMo-1B (the same weights before the -hf conversion) stores F32 tensors in one model.safetensors;
    // model.transformer.wte.weight, the last tensor by name, has data_offsets (4294967296, 4707057664), so the data
    // section is 4,707,057,664 bytes (search-index file id 16268154036). Its 16 blocks before it: 4 x 1,073,741,824.
    expect(total).toBe(4_707_057_664 / 4)
    expect(16 * (h * 3 * h + h * h + h * 2 * 8192 + 8192 * h)).toBe(4_294_967_296 / 4)
    expect(counts.breakdown.norms).toBe(0)
  })
  it('KV per token: 2 x 16 heads x 128 x 16 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 16 * 128 * 16 * 2)
  })
  it('the class defaults are OLMo-7B: untied, 6,888,095,744 (6.89B)', () => {
    const h7 = 4096
    const total7 = 2 * 50304 * h7 /* embed_tokens + lm_head */ + 32 * (4 * h7 * h7 + 3 * h7 * 11008)
    expect(paramCounts(spec({model_type: 'olmo', clip_qkv: 8})).totalParams).toBe(total7)
    expect(total7).toBe(6_888_095_744)
  })
  it('clip_qkv changes nothing counted', () => {
    expect(paramCounts(spec({...raw(), clip_qkv: 8})).totalParams).toBe(total)
  })
})
