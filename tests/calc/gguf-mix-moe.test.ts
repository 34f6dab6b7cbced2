// The GGUF enumeration of the MoE model types of issue #15 (olmoe, phimoe, dbrx, granitemoe, granitemoeshared,
// ernie4_5_moe, dots1, bailing_moe, hunyuan) and of qwen2_5_vl's language model: for each imported fixture, the tensors of every weight class add up to the
// parameter breakdown's classes, as tests/calc/gguf-mix.test.ts checks for the presets.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import type {ModelSpec} from '../../src/schema/model.js'

const fixture = (file: string, patch: Record<string, unknown> = {}): ModelSpec => {
  const raw = {...JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8')), ...patch}
  return parseModelSpec(importHfConfig(raw, {id: file.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}), file)
}

const specs: [string, ModelSpec][] = [
  ['olmoe', fixture('olmoe-1b-7b-0924')],
  ['phimoe', fixture('phi-3.5-moe-instruct')],
  ['dbrx', fixture('dbrx-instruct')],
  ['granitemoe', fixture('granite-3.1-3b-a800m-instruct')],
  ['granitemoeshared', fixture('granite-3.1-3b-a800m-instruct', {model_type: 'granitemoeshared', shared_intermediate_size: 1024})],
  ['ernie4_5_moe', fixture('ernie-4.5-moe-defaults')],
  ['ernie4_5_moe use_bias', fixture('ernie-4.5-moe-defaults', {use_bias: true})],
  ['dots1', fixture('dots.llm1.inst')],
  ['bailing_moe', fixture('ling-lite-1.5')],
  ['bailing_moe v2 (Ling 2.0)', fixture('ling-mini-2.0-defaults')],
  ['bailing_moe v2 with an MTP layer', fixture('ling-mini-2.0-defaults', {num_nextn_predict_layers: 1})],
  ['hunyuan_v1_dense', fixture('hy-mt2-7b')],
  ['hunyuan', fixture('hunyuan-a13b-instruct')],
  ['hunyuan use_cla', fixture('hunyuan-a13b-instruct', {use_cla: true})],
  ['qwen2_5_vl', fixture('qwen2.5-vl-7b-instruct')],
]

describe('GGUF enumeration of the issue #15 MoE types', () => {
  it.each(specs)('%s: each class of tensors adds up to the parameter breakdown', (_type, spec) => {
    const classes = weightClassValues(paramCounts(spec).breakdown, weightFormatsFor(spec))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect({mix, params: ggufMixBytes(spec, mix).params}).toEqual({mix, params: expected})
  })
  it('phimoe writes output.bias (F32, never quantized); dbrx a fused attn_qkv', () => {
    const phi = ggufTensors(specs[1]![1], 'q4_k_m').find((t) => t.name === 'output.bias')
    expect(phi).toMatchObject({ne: [32064], type: 'f32', cls: 'embeddings'})
    const qkv = ggufTensors(specs[2]![1], 'q4_k_m').find((t) => t.name === 'blk.0.attn_qkv.weight')
    expect(qkv?.ne).toEqual([6144, 6144 + 2 * 8 * 128])
  })
  it('a cross-layer-attention layer (kvProjections false) has no attn_k / attn_v', () => {
    const names = ggufTensors(fixture('hunyuan-a13b-instruct', {use_cla: true}), 'q4_k_m').map((t) => t.name)
    expect(names).toContain('blk.0.attn_k.weight')
    expect(names).not.toContain('blk.1.attn_k.weight')
    expect(names).not.toContain('blk.1.attn_v.weight')
    expect(names).toContain('blk.1.attn_q.weight')
  })
})
