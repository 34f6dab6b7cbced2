// exaone: remote-code ExaoneConfig / modeling_exaone.py of LGAI-EXAONE/EXAONE-3.x-*-Instruct. exaone-class-defaults.json
// is the configuration class's defaults (vocab 102400, h 2048, num_layers 32, 32 heads, intermediate_size None -> 4 h,
// tie from PretrainedConfig: True); exaone-3.0-7.8b-instruct.json is EXAONE-3.0-7.8B-Instruct's config as
// transformers prints it (see SOURCES.md). ExaoneModel: wte; per block ln_1,
// attn.attention.{q,k,v,out}_proj without bias, ln_2, mlp.{c_fc_0, c_fc_1, c_proj} (gated); ln_f; lm_head.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('exaone (ExaoneConfig defaults)', () => {
  const h = 2048
  const layer = 4 * h * h + 3 * h * (4 * h) + 2 * h
  const total = 102400 * h /* tied */ + 32 * layer + h

  it('total', () => {
    expect(paramCounts(spec(load('exaone-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(2_357_331_968)
  })
  it('EXAONE-3.5-2.4B shape (h 2560, ffn 7168, 30 layers, 32/8 heads): non-embedding 2.14B as its card states', () => {
    const raw = {...load('exaone-class-defaults.json'), hidden_size: 2560, intermediate_size: 7168, num_layers: 30, num_key_value_heads: 8, tie_word_embeddings: true}
    const layer24 = 2560 * 2560 + 2 * 2560 * (8 * 80) + 2560 * 2560 + 3 * 2560 * 7168 + 2 * 2560
    const p = paramCounts(spec(raw))
    expect(p.totalParams).toBe(102400 * 2560 + 30 * layer24 + 2560)
    expect(p.nonEmbeddingParams).toBe(30 * layer24 + 2560)
    expect(30 * layer24 + 2560).toBe(2_143_183_360)
    expect(kvPerToken(raw)).toBe(2 * 8 * 80 * 30 * 2)
  })
})

describe('exaone (EXAONE-3.0-7.8B-Instruct)', () => {
  const h = 4096
  const layer = h * h + 2 * h * (8 * 128) + h * h /* q, k+v (8 KV heads), out */ + 3 * h * 14336 /* c_fc_0, c_fc_1, c_proj */ + 2 * h
  const total = 2 * 102400 * h /* untied */ + 32 * layer + h

  it('total (card: 7.8B)', () => {
    expect(paramCounts(spec(load('exaone-3.0-7.8b-instruct.json'))).totalParams).toBe(total)
    expect(total).toBe(7_818_448_896)
    // A run report over mlx-community/EXAONE-3.5-7.8B-Instruct-4bit (EXAONE 3.5 7.8B: the same dimensions) states
    // "exact model parameters: 7,818,448,896" (search-index file ids 58380506202, 58493593240)
  })
  it('KV per token 2 x 8 x 128 x 32 layers x 2 bytes; context 4096', () => {
    expect(kvPerToken(load('exaone-3.0-7.8b-instruct.json'))).toBe(2 * 8 * 128 * 32 * 2)
    expect(spec(load('exaone-3.0-7.8b-instruct.json')).maxContextTokens).toBe(4096)
  })
})
