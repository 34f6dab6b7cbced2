// dbrx: DbrxConfig with DbrxAttentionConfig / DbrxFFNConfig sub-configs (configuration_dbrx.py @ 032b32ab;
// modeling_dbrx.py). The fixture is databricks/dbrx-instruct's config.json as the mlx-community/dbrx-instruct-4bit
// copy quotes it (see SOURCES.md), PretrainedConfig defaults serialized into the sub-configs included, its mlx
// "quantization" block removed. Published: "132B total parameters of which 36B are active on any input" (Databricks);
// computed 131,596,523,520 total, 36,469,708,800 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/dbrx-instruct.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'dbrx-instruct'}), 'dbrx')

describe('dbrx (DBRX Instruct)', () => {
  const d = 6144
  const attention = d * (d + 2 * 8 * 128) + d * d // fused Wqkv (48 q + 8 k + 8 v heads of 128), out_proj; no bias
  const expert = 3 * d * 10752 // w1, v1 (d -> 10752) and w2 (10752 -> d) rows of one expert in the fused tensors
  const router = 16 * d // router.layer, no bias
  const layer = attention + 2 * d /* norm_1, norm_2: LayerNorm without bias */ + 16 * expert + router
  const total = 2 * 100352 * d /* wte + untied lm_head */ + 40 * layer + d /* norm_f */

  it('total and active (4 of 16 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(131_596_523_520)
    expect(p.activeParams).toBe(total - 40 * 12 * expert)
    expect(p.activeParams).toBe(36_469_708_800)
  })
  it('reads the sub-configs: kv_n_heads, rope_theta, ffn_act_fn; LayerNorm without bias', () => {
    const s = spec(raw())
    expect(s.attention).toMatchObject({kind: 'gqa', heads: 48, kvHeads: 8, headDim: 128, qkvBias: false, outputBias: false})
    expect(s.rope).toEqual({theta: 500000, scaling: null, partialRotaryFactor: 1})
    expect(s.norms).toEqual({kind: 'layernorm', bias: false, placement: 'pre', perLayer: 2, final: true})
    expect(s.maxContextTokens).toBe(32768)
  })
  it('KV per token: 2 x 8 KV heads x 128 x 40 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 128 * 40 * 2)
  })
  it('sub-config defaults apply when the file leaves them out (kv_n_heads 1, 4 experts top-1 of 3584)', () => {
    const s = spec({model_type: 'dbrx', d_model: 256, n_heads: 4, n_layers: 2, vocab_size: 1000})
    const layer = 256 * (256 + 2 * 64) + 256 * 256 + 2 * 256 + 4 * 3 * 256 * 3584 + 4 * 256
    expect(paramCounts(s).totalParams).toBe(2 * 1000 * 256 + 2 * layer + 256)
    expect(s.moe).toMatchObject({routedExperts: 4, topK: 1})
  })
  it('tie_word_embeddings true is refused, as DbrxConfig does; a malformed ffn_act_fn is one clear line', () => {
    expect(() => spec({...raw(), tie_word_embeddings: true})).toThrow(/tie_word_embeddings/)
    expect(() => spec({...raw(), ffn_config: {...raw().ffn_config, ffn_act_fn: 'silu'}})).toThrow(/ffn_act_fn/)
  })
})
