// bailing_moe: the remote-code BailingMoeConfig and modeling_bailing_moe.py of inclusionAI (inclusionAI/Ling
// models/ @ 69823a61). The fixture is inclusionAI/Ling-lite-1.5's config.json as a Rust test reproduces it verbatim
// (see SOURCES.md): h 2048, 28 layers, 16/4 heads x 128 (fused query_key_value), all layers MoE (first_k_dense_replace
// 0), 64 experts of 1408 (top-6) + 2 shared, vocab 126464, untied. Published (Ling-lite model card): "16.8B total,
// 2.75B activated"; computed 16,801,974,272 total, 2,753,153,024 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/ling-lite-1.5.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'ling-lite-1.5'}), 'bailing_moe')

describe('bailing_moe (Ling-lite-1.5)', () => {
  const h = 2048
  const attention = h * ((16 + 2 * 4) * 128) + (16 * 128) * h // query_key_value, dense; use_qkv_bias, use_bias false
  const expert = 3 * h * 1408
  const shared = 3 * h * (2 * 1408)
  const router = 64 * h // gate weight, no bias
  const layer = attention + 2 * h + 64 * expert + shared + router
  const total = 2 * 126464 * h + 28 * layer + h

  it('total and active (6 of 64 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(16_801_974_272)
    expect(p.activeParams).toBe(total - 28 * 58 * expert)
    expect(p.activeParams).toBe(2_753_153_024)
  })
  it('use_qkv_bias biases the fused query_key_value, use_bias the dense output (not the MLPs)', () => {
    expect(paramCounts(spec({...raw(), use_qkv_bias: true})).totalParams).toBe(total + 28 * (16 + 2 * 4) * 128)
    expect(paramCounts(spec({...raw(), use_bias: true})).totalParams).toBe(total + 28 * h)
  })
  it('first_k_dense_replace makes the first layers dense MLPs of intermediate_size', () => {
    const dense = attention + 2 * h + 3 * h * 1408
    expect(paramCounts(spec({...raw(), first_k_dense_replace: 2})).totalParams).toBe(2 * 126464 * h + 2 * dense + 26 * layer + h)
  })
  it('KV per token: 2 x 4 KV heads x 128 x 28 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 4 * 128 * 28 * 2)
  })
  it('num_key_value_heads is required (the class defaults it to 0)', () => {
    const {num_key_value_heads: _k, ...rest} = raw()
    expect(() => spec(rest)).toThrow(/num_key_value_heads/)
  })
})
