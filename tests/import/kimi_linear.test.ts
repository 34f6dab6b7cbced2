// kimi_linear: KimiLinearConfig (transformers configuration_kimi_linear.py / modular_kimi_linear.py) and vLLM
// kimi_linear.py. The fixture holds the fields of moonshotai/Kimi-Linear-48B-A3B-Instruct's config.json (HF
// revision e1df551a) as a third-party test module quotes them verbatim (index id 59839768689), which also match
// KimiLinearConfig's defaults: h 2304, 27 layers, 20 KDA + 7 MLA layers (1-indexed lists), MLA without q LoRA and
// without RoPE (mla_use_nope), KDA 32 heads x 128 with conv kernel 4, layer 1 dense (ffn 9216), then 256 experts of
// 1024 + 1 shared, top-8, vocab 163840, untied.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig, importHfConfigReport} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/kimi-linear-48b-a3b-instruct.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'kimi-linear-48b-a3b-instruct'}), 'kimi_linear')

describe('kimi_linear (Kimi-Linear-48B-A3B)', () => {
  const h = 2304
  // MLA: q_proj (h, 32 x (128 + 64)), kv_a_proj_with_mqa (h, 512 + 64), kv_b_proj (512, 32 x (128 + 128)), o_proj (32 x 128, h)
  const mla = h * 32 * 192 + h * (512 + 64) + 512 * 32 * 256 + 32 * 128 * h
  const mlaNorms = 512 // kv_a_layernorm (no q_a_layernorm without q LoRA)
  const w = 32 * 128
  // KDA: q, k, v, o (h, 32 x 128); f_a (h, 128), f_b (128, 32 x 128), g_a, g_b likewise; b_proj (h, 32); dt_bias (32 x 128); A_log (32); q/k/v conv (32 x 128 channels x 4)
  const kda = 4 * h * w + 2 * (h * 128 + 128 * w) + h * 32 + w + 32 + 3 * w * 4
  const kdaNorms = 128 // o_norm (head_dim)
  const expert = 3 * h * 1024
  const moe = 256 * expert + expert /* shared */ + 256 * h + 256 // experts, shared expert, gate + e_score_correction_bias
  const dense = 3 * h * 9216
  const total = 2 * 163840 * h + h + 7 * (mla + mlaNorms) + 20 * (kda + kdaNorms) + 27 * 2 * h + dense + 26 * moe

  it('total and active (8 of 256 experts in 26 MoE layers)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 26 * 248 * expert)
    expect(total).toBe(49_122_681_728) // named 48B; the untied head and embedding are 2 x 377M of it
  })
  it('total: the published index of Kimi-Linear-48B-A3B-Instruct, dt_bias and A_log stored fp32', () => {
    // model.safetensors.index.json: metadata.total_parameters 49,122,681,728 and total_size 98,245,528,576 bytes
    // (search-index file id 53812905091; the HF API's safetensors.total is the same count, file id 69615480373)
    expect(total).toBe(49_122_681_728)
    // 165,120 bytes over 2 bytes a parameter: each KDA layer's dt_bias (32 x 128) and A_log (32) are fp32 (4 bytes)
    expect(98_245_528_576 - 2 * total).toBe(2 * 20 * (w + 32))
  })
  it('1-indexed layer lists: layers 4, 8, ..., 24 and 27 are MLA; no layer uses RoPE', () => {
    const s = spec(raw())
    const layers = s.layerGroups.flatMap((g) => Array.from({length: g.count}, () => g))
    expect(layers.map((g, i) => (g.mixer === 'full' ? i + 1 : 0)).filter(Boolean)).toEqual([4, 8, 12, 16, 20, 24, 27])
    expect(layers.every((g) => !g.rope)).toBe(true)
    expect(layers[0]!.ffn).toBe('dense')
    expect(s.linearAttention).toEqual({kind: 'kda', keyHeads: 32, valueHeads: 32, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4})
  })
  it('with mla_use_nope false the MLA layers use RoPE; the parameters are the same', () => {
    const s = spec({...raw(), mla_use_nope: false})
    expect(s.layerGroups.filter((g) => g.mixer === 'full').every((g) => g.rope)).toBe(true)
    expect(paramCounts(s).totalParams).toBe(total)
  })
  it('a layer in neither list is refused; an unknown key inside linear_attn_config is a warning, refused with strict', () => {
    const r = raw()
    expect(() => spec({...r, linear_attn_config: {...r.linear_attn_config, full_attn_layers: [4, 8, 12, 16, 20, 24]}})).toThrow(/layer 27/)
    const withKey = {...r, linear_attn_config: {...r.linear_attn_config, some_new_key: true}}
    expect(importHfConfigReport(withKey, {id: 'kimi'}).warnings).toEqual([expect.stringMatching(/"linear_attn_config\.some_new_key" of model_type "kimi_linear" is unknown/)])
    expect(() => importHfConfig(withKey, {id: 'kimi'}, true)).toThrow(/linear_attn_config\.some_new_key/)
  })
})
