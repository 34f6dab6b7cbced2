// deepseek_v32: DeepseekV32Config (configuration_deepseek_v32.py, modular_deepseek_v32.py @ 01f8fa55). The fixture
// is written in the class's field order with deepseek-ai/DeepSeek-V3.2's values as its config.json states them
// (read in ai-dynamo/aiconfigurator's copy, aic-core/.../deepseek-ai--DeepSeek-V3.2_config.json @ 095f58a5, and the
// copy in transformers' deepseek_v32/deepseek_files/config.json): DeepSeek-V3's dimensions + index_n_heads 64,
// index_head_dim 128, index_topk 2048. DeepseekV32Indexer builds wq_b (q_lora_rank, 64 x 128), wk (h, 128),
// k_norm = LayerNorm(128) with bias, weights_proj (h, 64), all without bias (as DeepSeek's inference/model.py Indexer).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {attentionFlopsAt} from '../../src/calc/flops.js'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadModel, parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/deepseek-v3.2.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'deepseek-v3.2'}), 'deepseek_v32')

describe('deepseek_v32 (DeepSeek-V3.2): DeepSeek-V3 + the DSA lightning indexer', () => {
  const h = 7168
  const attention = h * 1536 + 1536 * 128 * (128 + 64) + h * (512 + 64) + 512 * 128 * (128 + 128) + 128 * 128 * h
  const indexer = 1536 * 64 * 128 /* wq_b */ + h * 128 /* wk */ + h * 64 /* weights_proj */
  const norms = 2 * h + 1536 + 512 + 2 * 128 // layer norms, q_a/kv_a latent norms, indexer k_norm weight + bias
  const expert = 3 * h * 2048
  const router = 256 * h + 256 // gate + e_score_correction_bias (noaux_tc)
  const denseLayer = attention + indexer + norms + 3 * h * 18432
  const moeLayer = attention + indexer + norms + 256 * expert + expert /* shared */ + router
  const total = 2 * 129280 * h + 3 * denseLayer + 58 * moeLayer + h

  it('total, active and the MTP layer (which has an indexer too)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 58 * 248 * expert)
    expect(p.mtpParams).toBe(moeLayer + 3 * h + 2 * h * h)
    expect(indexer + 2 * 128).toBe(13_959_424)
    // Exact: DeepSeek-V3's main model (61 layers, routing correction biases, no MTP, no FP8 scales) is 671,026,419,200
    // by a checkpoint-header audit (search-index file ids 58539986806, 70319818083); V3.2 adds 61 indexers of 13,959,424,
    // and a construct-only run of DeepSeek-V3.2 reports "671,877,944,064 params" (file ids 68334439859, 70715080160)
    expect(total).toBe(671_026_419_200 + 61 * 13_959_424)
    expect(total).toBe(671_877_944_064)
  })
  it('is DeepSeek-V3 plus 61 indexers, to the parameter', () => {
    expect(paramCounts(spec(raw())).totalParams - paramCounts(loadModel('deepseek-v3')).totalParams).toBe(61 * (indexer + 2 * 128))
  })
  it('the indexer is in the spec, its matrices under "other", and the spec notes how kv/flops cost the DSA', () => {
    const s = spec(raw())
    expect(s.attention.indexer).toEqual({heads: 64, headDim: 128, topK: 2048})
    expect(paramCounts(s).breakdown.other).toBe(61 * indexer)
    expect(s.notes?.join(' ')).toMatch(/top-2048/)
  })
  it('KV per token: the MLA latent and the indexer key in all 61 layers', () => {
    // DeepSeek-V3.2-Exp inference/model.py: MLA kv_cache (512) + pe_cache (64), Indexer k_cache (128), per layer.
    expect(kvBytesPerTokenAt(spec(raw()), 1, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(61 * (512 + 64 + 128) * 2)
    // MLA expanded per head (128 heads x (192 + 128)), the index key beside it.
    expect(kvBytesPerTokenAt(spec(raw()), 1, {kvFormat: 'bf16', mlaCache: 'expanded'})).toBe(61 * (128 * (192 + 128) + 128) * 2)
  })
  it('attention FLOPs: top-2048 keys attended past index_topk, every key scored by 64 index heads', () => {
    const perKey = 2 * 128 * (2 * 512 + 64) // MLA absorbed: 2 H (2 rkv + dr)
    const indexerPerKey = 2 * 64 * (128 + 1)
    expect(attentionFlopsAt(spec(raw()), 131072 - 1, 'absorbed')).toBe(61 * 2048 * perKey + 61 * 131072 * indexerPerKey)
    expect(attentionFlopsAt(spec(raw()), 1000 - 1, 'absorbed')).toBe(61 * 1000 * perKey + 61 * 1000 * indexerPerKey)
  })
  it('mlp_layer_types, when given, decides dense and MoE layers', () => {
    const types = Array.from({length: 61}, (_, i) => (i < 1 ? 'dense' : 'sparse'))
    expect(spec({...raw(), mlp_layer_types: types}).layerGroups.map((g) => [g.count, g.ffn])).toEqual([
      [1, 'dense'],
      [60, 'moe'],
    ])
  })
})
