// dots1: Dots1Config (configuration_dots1.py @ 008e5743; modular_dots1.py). The fixture is the trimmed copy of
// rednote-hilab/dots.llm1.inst's config.json (as an mlx conversion states it; see SOURCES.md): h 4096, 62 layers,
// 32/32 heads x 128, first layer dense (10944), 128 routed experts of 1408 (top-6) + 2 shared, sigmoid routing with
// the score-correction bias, vocab 152064, untied. Published: "142B total, 14B activated"; computed
// 142,774,381,696 total, 14,016,588,928 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/dots.llm1.inst.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'dots.llm1.inst'}), 'dots1')

describe('dots1 (dots.llm1.inst)', () => {
  const h = 4096
  const attention = 4 * h * (32 * 128) // q, k, v, o; attention_bias false
  const qkNorm = 2 * 128 // Qwen3 q_norm, k_norm of head_dim
  const expert = 3 * h * 1408
  const shared = 3 * h * (2 * 1408) // one MLP of moe_intermediate_size x n_shared_experts
  const router = 128 * h + 128 // weight + e_score_correction_bias
  const dense = attention + qkNorm + 2 * h + 3 * h * 10944
  const moe = attention + qkNorm + 2 * h + 128 * expert + shared + router
  const total = 2 * 152064 * h + dense + 61 * moe + h

  it('total and active (6 of 128 experts; first_k_dense_replace 1)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(142_774_381_696)
    // Exact: "142,774,381,696 BF16 parameters from Hub safetensors metadata" for rednote-hilab/dots.llm1.base, whose
    // neural dimensions dots.llm1.inst shares (a checkpoint sweep, search-index file id 56945298860)
    expect(p.activeParams).toBe(total - 61 * 122 * expert)
    expect(p.activeParams).toBe(14_016_588_928)
  })
  it('KV per token: 2 x 32 KV heads x 128 x 62 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 32 * 128 * 62 * 2)
  })
  it('max_window_layers below the layer count slides the layers from there on (Dots1Config.__post_init__)', () => {
    expect(spec({...raw(), max_window_layers: 60}).layerGroups).toEqual([
      {count: 1, mixer: 'full', rope: true, ffn: 'dense'},
      {count: 59, mixer: 'full', rope: true, ffn: 'moe'},
      {count: 2, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'moe'},
    ])
  })
  it('n_routed_experts, n_shared_experts and num_experts_per_tok are required (the class defaults them to None)', () => {
    const {n_shared_experts: _s, ...rest} = raw()
    expect(() => spec(rest)).toThrow(/"n_shared_experts" is required/)
  })
})
