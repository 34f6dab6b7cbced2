// qwen2_moe: Qwen2MoeConfig (configuration_qwen2_moe.py @ 008e5743), whose defaults are its docstring checkpoint
// Qwen/Qwen1.5-MoE-A2.7B: h 2048, 24 layers, 16/16 heads, 60 experts of 1408, top-4, one shared expert of 5632 with
// a sigmoid gate, vocab 151936, untied. The fixture is those defaults written out.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/qwen1.5-moe-a2.7b.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'qwen1.5-moe-a2.7b'}), 'qwen2_moe')

describe('qwen2_moe (Qwen1.5-MoE-A2.7B = Qwen2MoeConfig defaults)', () => {
  const h = 2048
  const attention = 3 * (h * h + h) /* q, k, v with bias (qkv_bias) */ + h * h /* o_proj without */
  const expert = 3 * h * 1408
  const shared = 3 * h * 5632 + h // shared_expert MLP + shared_expert_gate Linear(h, 1)
  const router = h * 60
  const layer = attention + 2 * h + 60 * expert + shared + router
  const total = 2 * 151936 * h + 24 * layer + h

  it('total and active (4 of 60 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 24 * 56 * expert)
    expect(total).toBe(14_315_784_192) // Qwen's announcement of Qwen1.5-MoE-A2.7B quotes 14.3B total, 2.7B activated
    // Exact: the HF API gives Qwen/Qwen1.5-MoE-A2.7B @ 1a758c50 safetensors 14,315,784,192 BF16 (search-index file id
    // 58413280785); keras-hub qwen1.5_moe_2.7b_en "params": 14315784192 (file id 583820047)
    expect(total - 24 * 56 * expert).toBe(2_689_173_504)
  })
  it('mlp_only_layers and decoder_sparse_step make dense layers of intermediate_size', () => {
    const s = spec({...raw(), mlp_only_layers: [0], decoder_sparse_step: 2})
    // layer 0 dense (listed), layers with (i + 1) % 2 != 0 dense: 0, 2, 4, ... -> 12 dense, 12 MoE
    const p = paramCounts(s)
    expect(p.breakdown.denseFfn).toBe(12 * 3 * h * 5632)
    expect(p.breakdown.routedExperts).toBe(12 * 60 * expert)
  })
  it('qkv_bias false drops the three biases', () => {
    expect(paramCounts(spec({...raw(), qkv_bias: false})).totalParams).toBe(total - 24 * 3 * h)
  })
})
