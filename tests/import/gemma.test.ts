// gemma: GemmaConfig (configuration_gemma.py @ 008e5743; modeling_gemma.py). The fixture is the class defaults,
// which the class names google/gemma-7b: h 3072, 28 layers, 16/16 heads x 256, ffn 24576, vocab 256000, tied.
// GemmaRMSNorm scales by (1 + weight): h weights like any RMSNorm; GemmaMLP gate/up/down, no biases.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('gemma (GemmaConfig defaults = gemma-7b dimensions)', () => {
  const h = 3072
  const attention = h * (16 * 256) + 2 * h * (16 * 256) + (16 * 256) * h // q, k+v, o (head_dim 256, not h/heads)
  const mlp = 3 * h * 24576
  const total = 256000 * h /* tied embedding */ + 28 * (attention + mlp + 2 * h) + h /* final norm */

  it('total (gemma-7b, "8.5B")', () => {
    expect(paramCounts(spec(load('gemma-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(8_537_680_896)
    // keras-hub gemma_presets.py: gemma_7b_en "params": 8537680896 (search-index file id 401604204)
  })
  it('gemma-2b (18 layers, h 2048, 8 heads and one KV head of 256, ffn 16384): 2,506,172,416', () => {
    const raw = {...load('gemma-class-defaults.json'), hidden_size: 2048, intermediate_size: 16384, num_hidden_layers: 18, num_attention_heads: 8, num_key_value_heads: 1}
    const layer = 2048 * (8 * 256) + 2 * 2048 * 256 + (8 * 256) * 2048 + 3 * 2048 * 16384 + 2 * 2048
    expect(paramCounts(spec(raw)).totalParams).toBe(256000 * 2048 + 18 * layer + 2048)
    expect(256000 * 2048 + 18 * layer + 2048).toBe(2_506_172_416) // the total_params another tool lists for google/gemma-2b
    // Exact: keras-hub gemma_presets.py gemma_2b_en "params": 2506172416 (search-index file id 401604204)
    expect(kvPerToken(raw)).toBe(2 * 1 * 256 * 18 * 2) // K+V x one KV head x 256 x 18 layers x bf16
  })
  it('KV per token: 2 x 16 heads x 256 x 28 layers x 2 bytes', () => {
    expect(kvPerToken(load('gemma-class-defaults.json'))).toBe(2 * 16 * 256 * 28 * 2)
  })
  it('the legacy hidden_activation key names the activation; use_bidirectional_attention is refused', () => {
    expect(spec({...load('gemma-class-defaults.json'), hidden_activation: 'gelu_pytorch_tanh', hidden_act: 'gelu'}).ffn.activation).toBe('gelu_pytorch_tanh')
    expect(() => spec({...load('gemma-class-defaults.json'), use_bidirectional_attention: true})).toThrow(/non-causal/)
  })
})
