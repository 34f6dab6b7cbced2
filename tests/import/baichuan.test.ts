// baichuan: remote-code BaichuanConfig / modeling_baichuan.py of baichuan-inc/Baichuan2-7B-Chat and -13B-Chat. The
// fixture is the 7B configuration class's defaults (vocab 125696, h 4096, ffn 11008, 32 layers, 32 heads, 4096
// positions, untied); no copy of either config.json was found. BaichuanAttention: W_pack (h, 3h) and o_proj, no
// bias; MLP gate/up/down; NormHead (vocab, h) as the LM head. The 13B file uses ALiBi instead of RoPE.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('baichuan (Baichuan2-7B configuration class defaults)', () => {
  const h = 4096
  const layer = h * 3 * h /* W_pack */ + h * h /* o_proj */ + 3 * h * 11008 + 2 * h
  const total = 2 * 125696 * h /* embed_tokens + NormHead */ + 32 * layer + h

  it('total (Baichuan2-7B: "7B"; 7,505,973,248 by this count)', () => {
    expect(paramCounts(spec(load('baichuan2-7b-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(7_505_973_248)
  })
  it('hidden_size 4096 rotates (RoPE); KV per token 2 x 32 heads x 128 x 32 layers x 2 bytes', () => {
    expect(spec(load('baichuan2-7b-class-defaults.json')).layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'dense'}])
    expect(kvPerToken(load('baichuan2-7b-class-defaults.json'))).toBe(2 * 32 * 128 * 32 * 2)
  })
  it('the 13B shape (h 5120, ffn 13696, 40 layers, 40 heads, context as model_max_length) uses ALiBi', () => {
    const {max_position_embeddings: _m, ...rest} = load('baichuan2-7b-class-defaults.json')
    const raw = {...rest, hidden_size: 5120, intermediate_size: 13696, num_hidden_layers: 40, num_attention_heads: 40, model_max_length: 4096}
    const s = spec(raw)
    expect(s.layerGroups).toEqual([{count: 40, mixer: 'full', rope: false, ffn: 'dense'}])
    expect(s.maxContextTokens).toBe(4096)
    expect(s.notes?.[0]).toMatch(/ALiBi/)
    const layer13 = 5120 * 3 * 5120 + 5120 * 5120 + 3 * 5120 * 13696 + 2 * 5120
    expect(paramCounts(s).totalParams).toBe(2 * 125696 * 5120 + 40 * layer13 + 5120)
    expect(2 * 125696 * 5120 + 40 * layer13 + 5120).toBe(13_896_668_160)
  })
})
