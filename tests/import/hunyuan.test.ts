// hunyuan: Tencent's remote-code HunYuanConfig (configuration_hunyuan.py) with hunyuan.py / modeling_hunyuan.py, as in
// the GitHub repository of Hunyuan-A13B (a fork, tianyu1412/Hunyuan-A13B @ df832ebc, models/). The fixture is that
// repository's models/config.json, the Hunyuan-A13B-Instruct config (auto_map hunyuan.HunYuanMoEV1ForCausalLM): h 4096,
// 32 layers, 32/8 heads x 128, QK-norm, 64 experts of 3072 (top-8) plus one shared MLP of 3072, vocab 128167, tied,
// no cross-layer attention (use_cla false; tested by switching it on). Published: "80B total, 13B active" (README: 800亿总参数, 130亿激活参数); computed
// 80,393,183,232 total, 12,747,448,320 active.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {architectureCard} from '../../src/report/card.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/hunyuan-a13b-instruct.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'hunyuan-a13b-instruct'}), 'hunyuan')

const h = 4096
const attention = h * (32 * 128) + 2 * h * (8 * 128) + (32 * 128) * h // q, k, v, o; attention_bias false
const qkNorm = 2 * 128 // query_layernorm, key_layernorm of head_dim
const expert = 3 * h * 3072 // gate, up, down of intermediate_size
const router = 64 * h // gate.wg, no bias
const layer = attention + qkNorm + 2 * h + 64 * expert + expert /* shared MLP, 3072 x 1 */ + router
const total = 128167 * h /* tied */ + 32 * layer + h

describe('hunyuan (Hunyuan-A13B-Instruct, remote code)', () => {
  it('total and active (8 of 64 experts, the shared MLP always on)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(80_393_183_232)
    // Exact: a parameter ledger of Hunyuan-A13B "reproduces the safetensors headers exactly: 80,393,183,232
    // parameters" (search-index file id 69713764538)
    expect(p.activeParams).toBe(total - 32 * 56 * expert)
    expect(p.activeParams).toBe(12_747_448_320)
  })
  it('KV per token: 2 x 8 KV heads x 128 x 32 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 128 * 32 * 2)
  })
  it('use_mixed_mlp_moe false drops the shared MLP; use_qk_norm false the QK-norm', () => {
    expect(paramCounts(spec({...raw(), use_mixed_mlp_moe: false})).totalParams).toBe(total - 32 * expert)
    expect(paramCounts(spec({...raw(), use_qk_norm: false})).totalParams).toBe(total - 32 * qkNorm)
  })
  it('num_experts 1 is the dense Hunyuan (HunYuanMLP of intermediate_size in every layer)', () => {
    const s = spec({...raw(), num_experts: 1})
    expect(paramCounts(s).totalParams).toBe(128167 * h + 32 * (attention + qkNorm + 2 * h + expert) + h)
  })
  it('use_cla: layers off the cla_share_factor have no k/v projections and reuse the KV of the layer before them', () => {
    const s = spec({...raw(), use_cla: true}) // cla_share_factor 2 in the file
    const kv = 2 * h * (8 * 128) // k_proj and v_proj of one layer
    expect(paramCounts(s).totalParams).toBe(total - 16 * kv)
    expect(s.layerGroups.slice(0, 3)).toEqual([
      {count: 1, mixer: 'full', rope: true, ffn: 'moe'},
      {count: 1, mixer: 'full', rope: true, ffn: 'moe', kvSourceLayer: 0, kvProjections: false},
      {count: 1, mixer: 'full', rope: true, ffn: 'moe'},
    ])
    // KV: only the 16 layers with their own projections cache keys and values.
    expect(kvBytesPerTokenAt(s, 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 128 * 16 * 2)
    const card = Object.fromEntries(architectureCard(s).map((f) => [f.field, f.value]))
    expect(card['KV sharing']).toBe("16 layers reuse an earlier layer's KV, 16 of them without k/v projections (cross-layer attention)")
    // cla_share_factor 4: 8 layers keep KV, 24 reuse it.
    expect(paramCounts(spec({...raw(), use_cla: true, cla_share_factor: 4})).totalParams).toBe(total - 24 * kv)
  })
  it('a classification head and per-layer widths the code cannot build are refused', () => {
    expect(() => spec({...raw(), add_classification_head: true})).toThrow(/add_classification_head/)
    expect(() => spec({...raw(), moe_intermediate_size: 1536})).toThrow(/moe_intermediate_size/)
    expect(() => spec({...raw(), moe_topk: [8, 4, ...Array(30).fill(8)]})).toThrow(/moe_topk" varies by layer/)
  })
})

// hunyuan_v1_moe: HunYuanMoEV1Config (configuration_hunyuan_v1_moe.py @ 008cd60e; modular_hunyuan_v1_moe.py). No
// published config under this name was found; the dimensions are a trimmed Hunyuan-A13B copy's under the transformers
// type (an index copy, id 57921602983), without tie_word_embeddings, so the class default (untied) applies.
describe('hunyuan_v1_moe (transformers HunYuanMoEV1Config)', () => {
  const v1 = {
    model_type: 'hunyuan_v1_moe',
    architectures: ['HunYuanMoEV1ForCausalLM'],
    hidden_size: 4096,
    num_hidden_layers: 32,
    num_attention_heads: 32,
    num_key_value_heads: 8,
    head_dim: 128,
    intermediate_size: 3072,
    vocab_size: 128167,
    torch_dtype: 'bfloat16',
    num_experts: 64,
    moe_intermediate_size: Array(32).fill(3072),
    moe_topk: Array(32).fill(8),
    num_shared_expert: Array(32).fill(1),
  }
  it('the same layers (QK-norm and the shared MLP always built), with an untied LM head', () => {
    const p = paramCounts(parseModelSpec(importHfConfig(v1, {id: 'hunyuan-v1-moe'}), 'hunyuan_v1_moe'))
    expect(p.totalParams).toBe(total + 128167 * h)
  })
})
