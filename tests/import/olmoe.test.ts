// olmoe: OlmoeConfig (configuration_olmoe.py @ 008e5743; modular_olmoe.py). The fixture has the key set of OLMoE's
// published config.json (as a copy of allenai/OLMoE-1B-7B-0125-Instruct's quotes it) with the values of
// allenai/OLMoE-1B-7B-0924 that two independent trimmed copies state: h 2048, 16 layers, 16/16 heads, 64 experts of
// 1024, top-8, vocab 50304, 4096 positions, untied. Published: "7B total, 1B active" (OLMoE paper: 6.9B total,
// 1.3B active), HF model size 6.92B; computed 6,919,161,856 total, 1,282,017,280 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/olmoe-1b-7b-0924.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'olmoe-1b-7b-0924'}), 'olmoe')

describe('olmoe (OLMoE-1B-7B-0924)', () => {
  const h = 2048
  const attention = 4 * h * h // q, k, v, o of 16 heads x 128, no bias
  const qkNorm = 16 * 128 + 16 * 128 // q_norm over hidden_size, k_norm over kv heads x head_dim
  const expert = 3 * h * 1024
  const router = 64 * h // gate, no bias, no correction bias
  const layer = attention + qkNorm + 2 * h + 64 * expert + router
  const total = 2 * 50304 * h + 16 * layer + h

  it('total and active (8 of 64 experts, no shared expert)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(6_919_161_856)
    // Unique parameter bytes of the released OLMoE-1B-7B loaded in bf16, measured: 13,838,323,712 (a pruning study's
    // baseline row, search-index file id 56309031485)
    expect(total).toBe(13_838_323_712 / 2)
    expect(p.activeParams).toBe(total - 16 * 56 * expert)
    expect(p.activeParams).toBe(1_282_017_280)
    expect(p.breakdown.sharedExperts).toBe(0)
  })
  it('KV per token: 2 x 16 KV heads x 128 x 16 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 16 * 128 * 16 * 2)
  })
  it('attention_bias adds q/k/v/o biases; num_local_experts is an alias of num_experts', () => {
    expect(paramCounts(spec({...raw(), attention_bias: true})).totalParams).toBe(total + 16 * (3 * 2048 + 2048))
    const {num_experts: _e, ...rest} = raw()
    expect(paramCounts(spec({...rest, num_local_experts: 64})).totalParams).toBe(total)
  })
})
