// glm_moe_dsa: GlmMoeDsaConfig (configuration_glm_moe_dsa.py @ 008e5743, modular_glm_moe_dsa.py @ 01f8fa55), GLM-5.x.
// The preset's config is zai-org/GLM-5.2's (presets/sources/glm-5.2.config.json). DeepSeek-V3.2's decoder (MLA +
// the DSA lightning indexer, DeepseekV3MoE with a shared expert and e_score_correction_bias) with GLM-5's sizes and
// IndexShare: GlmMoeDsaAttention builds an indexer only on the layers indexer_types calls "full"; a "shared" layer
// reuses the previous full layer's top-k and has no indexer weights (indexer = None, so no k_norm either).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {attentionFlopsAt, decodeFlopsPerToken, matmulParamsPerToken} from '../../src/calc/flops.js'
import {kvBytesPerTokenAt, kvBytesReadAt, kvCache} from '../../src/calc/kv.js'
import {engineBudget} from '../../src/calc/engine-budget.js'
import {memoryScenarioFor} from '../../src/calc/deployment.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {UserError} from '../../src/errors.js'
import {architectureCard} from '../../src/report/card.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadHardware, loadModel, parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('presets/sources/glm-5.2.config.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'glm-5.2'}), 'glm_moe_dsa')

describe('glm_moe_dsa (GLM-5.2): MLA + DSA indexer on 21 of 78 layers, DeepSeek MoE, 1 MTP layer', () => {
  const h = 6144
  // DeepseekV3Attention: q_a (h, 2048), q_b (2048, 64 x (192 + 64)), kv_a_proj_with_mqa (h, 512 + 64),
  // kv_b (512, 64 x (192 + 256)), o_proj (64 x 256, h); no biases.
  const attention = h * 2048 + 2048 * 64 * (192 + 64) + h * (512 + 64) + 512 * 64 * (192 + 256) + 64 * 256 * h
  // DeepseekV32Indexer: wq_b (2048, 32 x 128), wk (h, 128), weights_proj (h, 32); k_norm LayerNorm(128) weight + bias.
  const indexer = 2048 * 32 * 128 + h * 128 + h * 32
  const kNorm = 2 * 128
  const norms = 2 * h + 2048 + 512 // input/post-attention norms, q_a_layernorm, kv_a_layernorm
  const expert = 3 * h * 2048
  const router = 256 * h + 256 // gate + e_score_correction_bias
  const denseLayer = attention + norms + 3 * h * 12288
  const moeLayer = attention + norms + 256 * expert + expert /* shared */ + router
  // indexer_types: "full" at layers 0, 1, 2 and 6, 10, ..., 74 (18 more) = 21 indexers.
  const total = 2 * 154880 * h /* embed + untied lm_head */ + 3 * denseLayer + 75 * moeLayer + 21 * (indexer + kNorm) + h /* final norm */
  // model.layers.78: a full MoE layer with its own indexer, + enorm, hnorm, shared_head.norm and eh_proj (2h, h).
  const mtp = moeLayer + indexer + kNorm + 3 * h + 2 * h * h

  it('total, active and the MTP layer, to the parameter', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 75 * (256 - 8) * expert)
    expect(p.mtpParams).toBe(mtp)
    expect(total).toBe(743_377_019_904)
    // Exact against the released checkpoint: a safetensors-header audit of GLM-5.2-FP8 and -NVFP4 (search-index file id
    // 60942919614) finds 753,329,921,024 real parameters, layer 78 included, with the 76 x 256 fp32
    // e_score_correction_bias put among the scale tensors; it finds indexer tensors on layers 0, 1, 2, 6, ..., 74 and 78.
    expect(total + mtp - 76 * 256).toBe(753_329_921_024)
  })
  it('indexers only on the "full" layers: breakdown, groups and the GGUF tensors', () => {
    const s = spec(raw())
    expect(s.attention.indexer).toEqual({heads: 32, headDim: 128, topK: 2048})
    expect(paramCounts(s).breakdown.other).toBe(21 * indexer)
    expect(s.layerGroups.filter((g) => g.indexer !== false).reduce((n, g) => n + g.count, 0)).toBe(21)
    const blocks = ggufTensors(s, 'gguf-q8_0').filter((t) => t.name.endsWith('indexer.attn_k.weight')).map((t) => Number(t.name.split('.')[1]))
    expect(blocks).toEqual([0, 1, 2, ...Array.from({length: 18}, (_, i) => 6 + 4 * i)])
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'gguf-q8_0').params).toEqual({embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x})
  })
  it('the card says where the indexers are', () => {
    const card = Object.fromEntries(architectureCard(spec(raw())).map((f) => [f.field, f.value]))
    expect(card['Sparse attention']).toBe("DSA lightning indexer (32 heads x 128), top-2048 keys per query; indexers on 21 layers, the other 57 reuse an earlier layer's top-k")
  })
  const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
  it('KV per token: the MLA latent in all 78 layers, the 128-wide index key in the 21 with an indexer of their own', () => {
    // DeepSeek-V3.2-Exp inference/model.py: MLA caches kv_lora_rank + qk_rope_head_dim, Indexer its index_head_dim key;
    // the 57 IndexShare layers build no indexer and cache no index key.
    const bytesPerToken = (21 * (512 + 64 + 128) + 57 * (512 + 64)) * 2
    expect(bytesPerToken).toBe(95_232)
    expect(kvBytesPerTokenAt(spec(raw()), 1, bf16)).toBe(bytesPerToken)
    expect(kvCache(spec(raw()), 32768, 1, bf16).totalBytes).toBe(32768 * bytesPerToken)
    expect(spec(raw()).notes?.join(' ')).toMatch(/top-2048/)
  })
  it('decode at 128k: every layer attends its top-2048 keys, the 21 indexers score every key', () => {
    const s = spec(raw())
    const L = 131072
    const perKey = 2 * 64 * (2 * 512 + 64) // MLA absorbed: 2 H (2 rkv + dr)
    const indexerPerKey = 2 * 32 * (128 + 1) // q . k of 32 index heads x 128, and each head's weight
    const attention = 78 * 2048 * perKey + 21 * L * indexerPerKey
    expect(attention).toBe(22_246_588_416 + 22_724_739_072)
    expect(attentionFlopsAt(s, L - 1, 'absorbed')).toBe(attention)
    expect(decodeFlopsPerToken(s, L)).toBe(2 * matmulParamsPerToken(s) + attention)
    // A decode step reads the latent of its 2048 keys in every layer and all L index keys of the 21 indexer layers.
    expect(kvBytesReadAt(s, L, 1, bf16)).toBe((78 * 2048 * (512 + 64) + 21 * L * 128) * 2)
  })
  it('vLLM and SGLang pools hold each layer at its own width (the index key only where there is an indexer)', () => {
    // vLLM merges the MLA and indexer caches (all full attention) into one group whose page sums the layers'
    // (kv_cache_interface.py UniformTypeKVCacheSpecs); MLA and the index key are replicated over tensor parallel.
    const spec = loadModel('glm-5.2')
    for (const engine of ['vllm', 'sglang']) {
      const input = scenarioInput({engine, context: '8192'})
      const costed = memoryScenarioFor(spec, input, 8) // tp 8: every layer on each device
      const b = engineBudget(spec, costed.scenario, loadHardware('h200'), input.engineSettings, costed.memoryUtilization)
      expect(b.kvBytesPerTokenPerDevice, engine).toBeCloseTo((21 * (512 + 64 + 128) + 57 * (512 + 64)) * 2, 6)
    }
  })
  it('below index_topk every key is attended: dense MLA plus the indexer term', () => {
    const s = spec(raw())
    const keys = 1000
    expect(attentionFlopsAt(s, keys - 1, 'absorbed')).toBe(78 * keys * 2 * 64 * (2 * 512 + 64) + 21 * keys * 2 * 32 * (128 + 1))
    expect(kvBytesReadAt(s, keys, 1, bf16)).toBe(kvCache(s, keys, 1, bf16).totalBytes)
  })
  it('the preset is the importer output', () => {
    expect(paramCounts(loadModel('glm-5.2')).totalParams).toBe(total)
  })

  it('indexer_types left out: derived from index_topk_freq and index_skip_topk_offset as the class does', () => {
    const {indexer_types: _, ...derived} = raw()
    expect(spec(derived).layerGroups).toEqual(spec(raw()).layerGroups)
    expect(spec({...derived, index_topk_pattern: 'FFFSSS' + 'FSSS'.repeat(18)}).layerGroups).toEqual(spec(raw()).layerGroups)
  })
  it('a sibling (GLM-5-like: 60 layers, no IndexShare keys, FP8 quantization_config, num_experts) imports', () => {
    // GlmMoeDsaConfig defaults: index_topk_freq 1 -> every layer runs its own indexer; num_experts overrides n_routed_experts.
    const {indexer_types: _a, index_topk_freq: _b, index_skip_topk_offset: _c, index_topk_pattern: _d, mlp_layer_types: _e, ...rest} = raw()
    const sibling = {
      ...rest,
      num_hidden_layers: 60,
      num_experts: 160,
      quantization_config: {quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128]},
    }
    const s = spec(sibling)
    const moe160 = attention + norms + 161 * expert + 160 * h + 160
    expect(paramCounts(s).totalParams).toBe(2 * 154880 * h + 3 * denseLayer + 57 * moe160 + 60 * (indexer + kNorm) + h)
    expect(s.layerGroups.every((g) => g.indexer === undefined)).toBe(true)
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'q4_k_m').params).toEqual({embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x})
  })
  it('a bad indexer_types is one clear line', () => {
    expect(() => spec({...raw(), indexer_types: ['full']})).toThrow(UserError)
    expect(() => spec({...raw(), indexer_types: ['shared', ...raw().indexer_types.slice(1)]})).toThrow(/first layer must run its own indexer/)
    expect(() => spec({...raw(), indexer_types: raw().indexer_types.map((t: string, i: number) => (i === 5 ? 'half' : t))})).toThrow(/only "full" and "shared"/)
  })
})
