// granitemoe: GraniteMoeConfig (configuration_granitemoe.py @ 546b1438; modular_granitemoe.py). The fixture is the
// trimmed copy of ibm-granite/granite-3.1-3b-a800m-instruct's config.json that a planner's test keeps (see
// SOURCES.md): h 1536, 32 layers, 24/8 heads x 64, 40 experts of 512, top-8, vocab 49155, tied, rope_theta 1e7;
// every other key takes the class default (attention_bias False; the multipliers change no cost). Published: "3.3B"
// (3B-A800M: about 800M active); computed 3,298,793,472 total, 882,874,368 active (807M without the tied embedding).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig, importHfConfigReport} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/granite-3.1-3b-a800m-instruct.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'granite-3.1-3b-a800m'}), 'granitemoe')

describe('granitemoe (granite-3.1-3b-a800m-instruct)', () => {
  const h = 1536
  const attention = h * (24 * 64) + 2 * h * (8 * 64) + (24 * 64) * h // no bias
  const expert = h * 2 * 512 + 512 * h // input_linear (2 x 512 rows: gate and up), output_linear
  const router = 40 * h // router.layer, no bias
  const layer = attention + 2 * h + 40 * expert + router
  const total = 49155 * h /* tied */ + 32 * layer + h

  it('total and active (8 of 40 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(3_298_793_472)
    // Exact: a GGUF gate of granite-3.1-3b-a800m-instruct (granitemoe, 40 experts, 8 used) records 3,298,793,472
    // params (search-index file id 71471098890); a fine-tuning log loading IBM Granite 3.1 3B Instruct prints
    // "Total Parameters: 3,298,793,472" (file id 11827392230)
    expect(p.activeParams).toBe(total - 32 * 32 * expert)
    expect(p.activeParams).toBe(882_874_368)
    expect(p.breakdown.lmHead).toBe(0)
  })
  it('KV per token: 2 x 8 KV heads x 64 x 32 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 64 * 32 * 2)
  })
})

// granitemoeshared: GraniteMoeSharedConfig (configuration_granitemoeshared.py @ 040e1a7e; modular_granitemoeshared.py).
// No published config was found, so the dimensions are granite-3.1-3b-a800m's with a shared MLP of 1024.
describe('granitemoeshared (GraniteMoeSharedDecoderLayer.shared_mlp)', () => {
  const h = 1536
  const shared = h * 2 * 1024 + 1024 * h // input_linear (h -> 2 x 1024), output_linear (1024 -> h), no bias, no gate
  it('adds one ungated shared MLP of shared_intermediate_size per layer, always active', () => {
    const base = paramCounts(spec(raw()))
    const p = paramCounts(spec({...raw(), model_type: 'granitemoeshared', shared_intermediate_size: 1024}))
    expect(p.totalParams).toBe(base.totalParams + 32 * shared)
    expect(p.activeParams).toBe(base.activeParams + 32 * shared)
    expect(p.breakdown.sharedExperts).toBe(32 * shared)
  })
  it('shared_intermediate_size 0 (the class default) builds no shared MLP', () => {
    expect(paramCounts(spec({...raw(), model_type: 'granitemoeshared'})).totalParams).toBe(paramCounts(spec(raw())).totalParams)
  })
  it('granitemoe does not know shared_intermediate_size: a warning by default, refused with --strict', () => {
    const report = importHfConfigReport({...raw(), shared_intermediate_size: 1024}, {id: 'granite-3.1-3b-a800m'})
    expect(report.warnings.join('\n')).toMatch(/shared_intermediate_size/)
    expect(() => importHfConfig({...raw(), shared_intermediate_size: 1024}, {id: 'granite-3.1-3b-a800m'}, true)).toThrow(/shared_intermediate_size/)
  })
})
