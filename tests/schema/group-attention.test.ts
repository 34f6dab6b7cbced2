// layerGroups[].attention: a run's own attention shape, the one form for Gemma 4's global layers, MiMo-V2-Flash's
// sliding layers, Step 3.5/3.7's query heads and nemotron-nas' KV heads. Its rules live in groupAttentionIssues
// (src/schema/model.ts); calculators read it through groupAttentionSpec (src/calc/attention-shape.ts).
import {describe, expect, it} from 'vitest'
import {groupAttentionSpec} from '../../src/calc/attention-shape.js'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {loadModel} from '../../src/presets/load.js'
import {modelSpecSchema, type ModelSpec} from '../../src/schema/model.js'

const qwen = loadModel('qwen3-8b') // 36 full layers, 32 heads, 8 KV heads x 128, hidden 4096
const withGroups = (layerGroups: unknown[], base: ModelSpec = qwen) => ({...structuredClone(base), layerGroups}) as ModelSpec
const full = {mixer: 'full', rope: true, ffn: 'dense'} as const
const sliding = {mixer: 'sliding', windowTokens: 1024, rope: true, ffn: 'dense'} as const
const issues = (spec: unknown) => {
  const r = modelSpecSchema.safeParse(spec)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('layerGroups[].attention', () => {
  it('a run with KV heads of its own caches and projects them (nemotron-nas form)', () => {
    const s = withGroups([{count: 18, ...full, attention: {kvHeads: 4}}, {count: 18, ...full}])
    expect(issues(s)).toEqual([])
    const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
    expect(kvBytesPerTokenAt(s, 1000, bf16)).toBe((18 * 4 + 18 * 8) * 2 * 128 * 2) // (layers x KV heads) x (K + V) x head dim x bf16
    // each of the 18 runs' layers drops 4 KV heads of k_proj and v_proj: 4 x 128 x 4096 x 2
    expect(paramCounts(qwen).totalParams - paramCounts(s).totalParams).toBe(18 * 4 * 128 * 4096 * 2)
  })
  it('resolves once per spec and override: the same spec object every time', () => {
    const s = withGroups([{count: 36, ...full, attention: {headDim: 256, valueHeadDim: 256}}])
    const a = groupAttentionSpec(s, s.layerGroups[0]!)
    expect(a).toBe(groupAttentionSpec(s, s.layerGroups[0]!))
    expect(a.attention).toMatchObject({heads: 32, kvHeads: 8, headDim: 256, valueHeadDim: 256, kind: 'gqa'})
    expect(groupAttentionSpec(s, {})).toBe(s)
  })
  it('rejects heads that are not a multiple of the KV heads, the spec\'s or the run\'s', () => {
    expect(issues(withGroups([{count: 36, ...full, attention: {kvHeads: 3}}]))).toEqual(['layerGroups.0.attention: heads (32) must be a multiple of kvHeads (3)'])
    expect(issues(withGroups([{count: 36, ...full, attention: {heads: 12}}]))).toEqual(['layerGroups.0.attention: heads (12) must be a multiple of kvHeads (8)'])
  })
  it('rejects an empty override, an unknown field and a run without attention', () => {
    expect(issues(withGroups([{count: 36, ...full, attention: {}}]))).toEqual(['layerGroups.0.attention: an empty attention override changes nothing: remove it'])
    expect(issues(withGroups([{count: 36, ...full, attention: {qkNorm: 'none'}}]))[0]).toMatch(/^layerGroups\.0\.attention: Unrecognized key/)
    expect(issues(withGroups([{count: 35, ...full}, {count: 1, mixer: 'none', rope: false, ffn: 'dense', norms: 1, attention: {kvHeads: 4}}]))).toContain(
      'layerGroups.1.attention: a run\'s own attention is modelled for GQA/MHA attention layers only (not MLA, linear, parallel, FFN-only or shared-block models)',
    )
  })
  it('a shape of its own (head widths) goes to every full, or every sliding, layer alike', () => {
    const mixed = withGroups([{count: 6, ...sliding, attention: {kvHeads: 4, sinks: true}}, {count: 24, ...sliding}, {count: 6, ...full}])
    expect(issues(mixed)).toContain('layerGroups: some sliding layers have an attention shape of their own: give it to every sliding layer')
    const two = withGroups([{count: 30, ...sliding, attention: {kvHeads: 4, sinks: true}}, {count: 6, ...sliding, attention: {kvHeads: 2, sinks: true}}])
    expect(issues(two)).toContain('layerGroups.1.attention: every sliding layer with an attention shape of its own must have the same one')
    const both = withGroups([{count: 30, ...sliding, attention: {kvHeads: 4, sinks: true}}, {count: 6, ...full, attention: {headDim: 256, valueHeadDim: 256}}])
    expect(issues(both)).toContain('layerGroups: runs with their own attention mix several forms (query heads only, KV heads only, full-layer shape, sliding-layer shape): one form per model is modelled')
  })
  it('valueFromKey needs keys as wide as values, on full-attention layers', () => {
    expect(issues(withGroups([{count: 36, ...full, attention: {headDim: 256, valueFromKey: true}}]))).toEqual(['layerGroups.0.attention: valueFromKey: values are k_proj\'s output, so valueHeadDim must equal headDim'])
    expect(issues(withGroups([{count: 36, ...full, attention: {headDim: 256, valueHeadDim: 256, valueFromKey: true}}]))).toEqual([])
  })
  it('sliding layers of their own shape keep their own KV; per-run KV heads do too', () => {
    const shared = withGroups([{count: 35, ...sliding, attention: {kvHeads: 4, sinks: true}}, {count: 1, ...sliding, kvSourceLayer: 0, attention: {kvHeads: 4, sinks: true}}])
    expect(issues(shared)).toContain('layerGroups.1.attention: sliding layers with their own attention shape cannot reuse another layer\'s KV')
    const kvShared = withGroups([{count: 35, ...full, attention: {kvHeads: 4}}, {count: 1, ...full, kvSourceLayer: 0}])
    expect(issues(kvShared)).toContain('layerGroups: per-run KV heads with kv-sharing layers are not modelled')
  })
})
