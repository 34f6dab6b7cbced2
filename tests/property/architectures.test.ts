// Properties over random valid architectures (fast-check): what must hold for any model, not just the presets.
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {decodeFlopsPerToken, prefillFlops} from '../../src/calc/flops.js'
import {kvCache} from '../../src/calc/kv.js'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {exportHfConfig} from '../../src/import/export.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import type {ModelSpec} from '../../src/schema/model.js'
import {loadModel} from '../../src/presets/load.js'

/** Random Hugging Face configs of two importable types: dense Llama and MoE Mixtral (optionally sliding). */
const arbConfig = fc
  .record({
    moe: fc.boolean(),
    layers: fc.integer({min: 1, max: 12}),
    kvHeads: fc.integer({min: 1, max: 8}),
    groups: fc.integer({min: 1, max: 8}),
    headDim: fc.constantFrom(32, 64, 80, 128, 256),
    hidden: fc.integer({min: 8, max: 512}).map((x) => x * 16),
    ffn: fc.integer({min: 1, max: 2048}).map((x) => x * 16),
    vocab: fc.integer({min: 256, max: 262144}),
    tied: fc.boolean(),
    experts: fc.integer({min: 2, max: 64}),
    topK: fc.integer({min: 1, max: 8}),
    window: fc.option(fc.integer({min: 16, max: 4096}), {nil: null}),
    maxContext: fc.constantFrom(8192, 32768, 131072),
    theta: fc.constantFrom(10000, 500000, 1000000),
  })
  .map((r) => {
    const common = {
      hidden_size: r.hidden,
      num_hidden_layers: r.layers,
      num_attention_heads: r.kvHeads * r.groups,
      num_key_value_heads: r.kvHeads,
      head_dim: r.headDim,
      intermediate_size: r.ffn,
      vocab_size: r.vocab,
      max_position_embeddings: r.maxContext,
      tie_word_embeddings: r.tied,
      rope_theta: r.theta,
      torch_dtype: 'bfloat16',
    }
    return r.moe
      ? {...common, model_type: 'mixtral', num_local_experts: r.experts, num_experts_per_tok: Math.min(r.topK, r.experts), sliding_window: r.window}
      : {...common, model_type: 'llama'}
  })

const arbSpec = arbConfig.map((config) => importHfConfig(config, {id: 'random'}))
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
const runs = {numRuns: 150}

/** The same model with every layer doubled. */
const doubled = (spec: ModelSpec): ModelSpec => ({...spec, layers: spec.layers * 2, layerGroups: spec.layerGroups.map((g) => ({...g, count: g.count * 2}))})

describe('properties of any architecture', () => {
  it('active <= total, both exact integers', () => {
    fc.assert(
      fc.property(arbSpec, (spec) => {
        const p = paramCounts(spec)
        return Number.isSafeInteger(p.totalParams) && Number.isSafeInteger(p.activeParams) && p.activeParams <= p.totalParams
      }),
      runs,
    )
  })
  it('the KV cache never shrinks as context grows, and sliding layers never hold more than full ones', () => {
    fc.assert(
      fc.property(arbSpec, fc.integer({min: 1, max: 200000}), fc.integer({min: 1, max: 200000}), (spec, a, b) => {
        const [short, long] = a <= b ? [a, b] : [b, a]
        const allFull: ModelSpec = {...spec, layerGroups: spec.layerGroups.map(({windowTokens: _w, ...g}) => ({...g, mixer: 'full' as const}))}
        return kvCache(spec, short, 1, bf16).totalBytes <= kvCache(spec, long, 1, bf16).totalBytes && kvCache(spec, long, 1, bf16).totalBytes <= kvCache(allFull, long, 1, bf16).totalBytes
      }),
      runs,
    )
  })
  it('the MLA latent is smaller than the per-head expanded cache', () => {
    const deepseek = loadModel('deepseek-v3')
    fc.assert(
      fc.property(fc.integer({min: 2, max: 128}), fc.integer({min: 16, max: 192}), fc.integer({min: 16, max: 64}), fc.integer({min: 32, max: 192}), (heads, nope, rope, v) => {
        // a latent no wider than the values it expands to, as in every MLA model (DeepSeek-V2/V3, Kimi K2: 512 <= 128 x 128)
        const kvLoraRank = Math.min(512, heads * v)
        const spec: ModelSpec = {
          ...deepseek,
          attention: {...deepseek.attention, heads, kvHeads: heads, headDim: nope + rope, valueHeadDim: v, mla: {...deepseek.attention.mla!, kvLoraRank, qkNopeHeadDim: nope, qkRopeHeadDim: rope, vHeadDim: v}},
        }
        return kvCache(spec, 1000, 1, bf16).totalBytes < kvCache(spec, 1000, 1, {kvFormat: 'bf16', mlaCache: 'expanded'}).totalBytes
      }),
      runs,
    )
  })
  it('memory total is the sum of its terms', () => {
    fc.assert(
      fc.property(arbSpec, fc.integer({min: 1, max: 65536}), fc.integer({min: 1, max: 64}), (spec, context, batch) => {
        const m = memoryEstimate(spec, {...defaultScenario(spec), contextTokens: context, batch})
        return m.totalBytes === m.weightsBytes + m.kvBytes + m.activationBytes + m.overheadBytes
      }),
      runs,
    )
  })
  it('FLOPs grow with context: decode never falls, prefill rises', () => {
    fc.assert(
      fc.property(arbSpec, fc.integer({min: 1, max: 100000}), fc.integer({min: 1, max: 1000}), (spec, context, extra) => {
        return decodeFlopsPerToken(spec, context + extra) >= decodeFlopsPerToken(spec, context) && prefillFlops(spec, context + extra) > prefillFlops(spec, context)
      }),
      runs,
    )
  })
  it('doubling the layers doubles every per-layer term', () => {
    fc.assert(
      fc.property(arbSpec, (spec) => {
        const one = paramCounts(spec).breakdown
        const two = paramCounts(doubled(spec)).breakdown
        const finalNorm = spec.norms.final ? spec.hiddenSize : 0
        return (
          two.attention === 2 * one.attention &&
          two.denseFfn === 2 * one.denseFfn &&
          two.routedExperts === 2 * one.routedExperts &&
          two.router === 2 * one.router &&
          two.norms - finalNorm === 2 * (one.norms - finalNorm) &&
          two.embedding === one.embedding &&
          kvCache(doubled(spec), 4096, 1, bf16).totalBytes === 2 * kvCache(spec, 4096, 1, bf16).totalBytes
        )
      }),
      runs,
    )
  })
  it('import(export(preset)) is the identity', () => {
    fc.assert(
      fc.property(arbSpec, (spec) => {
        expect(importHfConfig(exportHfConfig(spec), {id: 'random'})).toEqual(spec)
      }),
      runs,
    )
  })
})
