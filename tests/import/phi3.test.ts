// phi3: Phi3Config (configuration_phi3.py @ 008e5743; modeling_phi3.py). phi3-class-defaults.json is the class
// defaults, which the class names microsoft/Phi-3-mini-4k-instruct (h 3072, 32 layers, 32 heads of 96, ffn 8192,
// vocab 32064, untied). phi-4-mini-instruct.json is a TRIMMED copy of microsoft/Phi-4-mini-instruct's config.json
// (the fields a planner reads; see SOURCES.md). Phi3Attention: fused qkv_proj (h, (H + 2 Hkv) d) and o_proj, no
// bias; Phi3MLP: fused gate_up_proj (h, 2 ffn) and down_proj, no bias: the counts of separate q, k, v, gate, up.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('phi3 (Phi3Config defaults = Phi-3-mini-4k dimensions)', () => {
  const h = 3072
  const layer = h * (32 * 96 + 2 * 32 * 96) /* qkv_proj */ + (32 * 96) * h /* o_proj */ + h * 2 * 8192 /* gate_up_proj */ + 8192 * h + 2 * h
  const total = 2 * 32064 * h + 32 * layer + h

  it('total: the exact 3,821,079,552 keras-hub lists for phi3_mini_4k_instruct_en', () => {
    expect(paramCounts(spec(load('phi3-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(3_821_079_552)
    // microsoft/Phi-3-mini-4k-instruct model.safetensors.index.json total_size 7,642,159,104 bytes: 195 tensors in two
    // shards, one dtype (BF16), checked against the shard headers by a safetensors reader's write-up (search-index
    // file id 59792086451); Phi-3-mini-128k-instruct's index states the same total (file id 54376324643)
    expect(total).toBe(7_642_159_104 / 2)
  })
  it('the published config.json of Phi-3-mini-4k-instruct builds the same tensors as the class defaults', () => {
    expect(paramCounts(spec(load('phi-3-mini-4k-instruct.json'))).totalParams).toBe(7_642_159_104 / 2)
    expect(kvPerToken(load('phi-3-mini-4k-instruct.json'), 1)).toBe(2 * 32 * 96 * 32 * 2)
  })
  it('sliding_window slides every layer; KV per token 2 x 32 heads x 96 x 32 layers x 2 bytes until the window', () => {
    const raw = {...load('phi3-class-defaults.json'), sliding_window: 2047}
    expect(spec(raw).layerGroups).toEqual([{count: 32, mixer: 'sliding', windowTokens: 2047, rope: true, ffn: 'dense'}])
    expect(kvPerToken(raw, 1)).toBe(2 * 32 * 96 * 32 * 2)
    expect(kvPerToken(raw, 3000)).toBe(0)
  })
})

describe('phi3: Phi-4-mini-instruct (trimmed published config)', () => {
  const h = 3072
  const layer = h * (24 * 128 + 2 * 8 * 128) + (24 * 128) * h + 3 * h * 8192 + 2 * h // GQA 24/8 heads of 128
  const total = 200064 * h /* tied */ + 32 * layer + h

  it('total (card: 3.8B)', () => {
    expect(paramCounts(spec(load('phi-4-mini-instruct.json'))).totalParams).toBe(total)
    expect(total).toBe(3_836_021_760)
    // An evaluation script loads microsoft/Phi-4-mini-instruct in bf16 and stops unless sum(p.numel() for p in
    // model.parameters()) == 3836021760 (its "official_parameter_count"; expected weight bytes 7,672,043,520 = 2 x
    // that; search-index file id 61632566508). The tied head is one tensor, counted once, as here.
    expect(total).toBe(7_672_043_520 / 2)
  })
  it('partial_rotary_factor 0.75; a 262144 window over 131072 positions never slides', () => {
    const s = spec(load('phi-4-mini-instruct.json'))
    expect(s.rope.partialRotaryFactor).toBe(0.75)
    expect(s.layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'dense'}])
    expect(kvPerToken(load('phi-4-mini-instruct.json'))).toBe(2 * 8 * 128 * 32 * 2)
  })
})
