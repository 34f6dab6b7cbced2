// cohere: CohereConfig (configuration_cohere.py), CohereForCausalLM (modeling_cohere.py). Fixture:
// CohereForAI/c4ai-command-r-v01's config.json; 34.98B is the card's "35 billion parameter" model (no exact figure checked).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'c4ai-command-r-v01') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'CohereForAI/c4ai-command-r-v01'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('cohere (Command R): one weight-only LayerNorm per parallel block, gated MLP, tied', () => {
  const h = 8192
  const layer =
    h /* input_layernorm: CohereLayerNorm, weight only */ +
    4 * h * h /* q, k, v, o: 64 heads of 128 */ +
    3 * h * 22528 /* gate, up, down */
  const total = 256000 * h /* embed_tokens (tied head) */ + 40 * layer + h /* norm */

  it('total is 34,980,831,232', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(34_980_831_232)
  })
  it('KV per token: 2 x 64 heads x 128 x 40 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 64 * 128 * 40 * 2)
  })
  it('use_qk_norm adds CohereLayerNorms over (heads, head_dim) and (kv heads, head_dim)', () => {
    expect(paramCounts(spec({...raw(), use_qk_norm: true})).totalParams).toBe(total + 40 * (64 * 128 + 64 * 128))
  })
})
