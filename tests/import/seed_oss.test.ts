// seed_oss: SeedOssConfig (configuration_seed_oss.py @ 008e5743; modeling_seed_oss.py). seed-oss-class-defaults.json
// is the class defaults (vocab 155136, h 4096, ffn 27648, 64 layers, 80/8 heads of 128, attention_bias True);
// seed-oss-36b-instruct.json is a TRIMMED copy of ByteDance-Seed/Seed-OSS-36B-Instruct's config.json (h 5120; see
// SOURCES.md), whose attention_bias is the class default. q/k/v bias = attention_bias, o_proj = attention_out_bias.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('seed_oss (SeedOssConfig defaults)', () => {
  const layer = (h: number) => (h + 1) * (80 * 128 + 2 * 8 * 128) /* q, k, v with bias */ + (80 * 128) * h + 3 * h * 27648 + 2 * h
  const total = (h: number) => 2 * 155136 * h + 64 * layer(h) + h

  it('total', () => {
    expect(paramCounts(spec(load('seed-oss-class-defaults.json'))).totalParams).toBe(total(4096))
    expect(total(4096)).toBe(28_921_040_896)
  })
  it('Seed-OSS-36B-Instruct (h 5120): 36.15B; KV per token 2 x 8 x 128 x 64 layers x 2 bytes', () => {
    const raw = load('seed-oss-36b-instruct.json')
    expect(spec(raw).rope.theta).toBe(10_000_000)
    expect(paramCounts(spec(raw)).totalParams).toBe(total(5120))
    expect(total(5120)).toBe(36_151_104_512)
    // A snapshot of the raw Hub files of ByteDance-Seed/Seed-OSS-36B-Instruct and -Base lists "params/index"
    // 36151104512 for both (search-index file id 57091266702)
    expect(kvPerToken(raw)).toBe(2 * 8 * 128 * 64 * 2)
  })
  it('attention_out_bias adds the o_proj bias; mlp_bias the MLP biases', () => {
    expect(paramCounts(spec({...load('seed-oss-class-defaults.json'), attention_out_bias: true})).totalParams).toBe(total(4096) + 64 * 4096)
    expect(paramCounts(spec({...load('seed-oss-class-defaults.json'), mlp_bias: true})).totalParams).toBe(total(4096) + 64 * (2 * 27648 + 4096))
  })
})
