// opt: OPTConfig (configuration_opt.py), OPTForCausalLM (modeling_opt.py). Fixture: facebook/opt-125m's config.json.
// 125,239,296 is the count issue #15 gives for the released checkpoint; an independent OPT weight estimator (search index
// file 58700902353, a pytest table) gives 250,478,592 fp16 bytes = 2 x 125,239,296, and 14,175,744 = 2 x 7,087,872 per
// layer. embed_positions has 2050 rows.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {matmulParamsPerToken} from '../../src/calc/flops.js'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'opt-125m') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'facebook/opt-125m'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('opt (OPT-125m): learned positions offset by 2, biased q/k/v/out and fc1/fc2, LayerNorms with bias, tied', () => {
  const h = 768
  const layer =
    4 * (h * h + h) /* q_proj, k_proj, v_proj, out_proj with bias */ +
    (h * 3072 + 3072) /* fc1 */ +
    (3072 * h + h) /* fc2 */ +
    2 * 2 * h /* self_attn_layer_norm, final_layer_norm */
  const total = 50272 * h /* embed_tokens (tied head) */ + (2048 + 2) * h /* embed_positions: offset 2 */ + 12 * layer + 2 * h /* decoder.final_layer_norm */

  it('total is 125,239,296', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(125_239_296)
  })
  it('the position table has max_position_embeddings + 2 rows', () => {
    expect(spec(raw()).embeddings.learnedPositions).toBe(2050)
  })
  it('KV per token: 2 x 12 heads x 64 x 12 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 12 * 64 * 12 * 2)
  })
  it('do_layer_norm_before false (OPT-350m): post-norm, no final_layer_norm', () => {
    const s = spec({...raw(), do_layer_norm_before: false})
    expect(s.norms).toMatchObject({placement: 'post', final: false})
    expect(paramCounts(s).totalParams).toBe(total - 2 * h)
  })
  it('enable_bias false and layer_norm_elementwise_affine false drop the biases and the norm weights', () => {
    const noBias = 12 * (4 * h + 3072 + h)
    expect(paramCounts(spec({...raw(), enable_bias: false})).totalParams).toBe(total - noBias)
    expect(paramCounts(spec({...raw(), layer_norm_elementwise_affine: false})).totalParams).toBe(total - 12 * 2 * 2 * h - 2 * h)
  })
})

// facebook/opt-350m: the config.json as transcribed in two independent copies (see SOURCES.md). The same estimator gives
// 662,392,832 fp16 bytes = 2 x 331,196,416, and 25,192,448 = 2 x 12,596,224 per layer.
describe('opt (OPT-350m): a 512-wide embedding with project_in/project_out, post-norm, no final LayerNorm', () => {
  const h = 1024
  const layer =
    4 * (h * h + h) /* q_proj, k_proj, v_proj, out_proj with bias */ +
    (h * 4096 + 4096) /* fc1 */ +
    (4096 * h + h) /* fc2 */ +
    2 * 2 * h /* self_attn_layer_norm, final_layer_norm (after the residual adds) */
  const embedding = 50272 * 512 /* embed_tokens at word_embed_proj_dim (tied head) */ + (2048 + 2) * h /* embed_positions */
  const projections = 512 * h /* project_in */ + h * 512 /* project_out */
  const total = embedding + projections + 24 * layer /* + no decoder.final_layer_norm */

  it('total is 331,196,416', () => {
    expect(paramCounts(spec(raw('opt-350m'))).totalParams).toBe(total)
    expect(total).toBe(331_196_416)
    // A kernel benchmark sizes its buffer to OPT-350M's parameters: "--n_elements 331196416  # OPT-350M"
    // (search-index file id 65900525034)
  })
  it('the projections are counted under other, the narrow table under embedding', () => {
    const b = paramCounts(spec(raw('opt-350m'))).breakdown
    expect(b.other).toBe(projections)
    expect(b.embedding).toBe(embedding)
    expect(b.norms).toBe(24 * 4 * h)
  })
  it('the tied head multiplies 512-wide rows: matmul parameters per token are the layers, projections and V x 512', () => {
    expect(matmulParamsPerToken(spec(raw('opt-350m')))).toBe(24 * (layer - 4 * h) + projections + 50272 * 512)
  })
  it('KV per token: 2 x 16 heads x 64 x 24 layers x 2 bytes', () => {
    expect(kvBf16PerToken(raw('opt-350m'))).toBe(2 * 16 * 64 * 24 * 2)
  })
  it('an untied head with a projected embedding is refused in one line', () => {
    expect(() => spec({...raw('opt-350m'), tie_word_embeddings: false})).toThrow(/word_embed_proj_dim 512 with an untied head/)
  })
})
