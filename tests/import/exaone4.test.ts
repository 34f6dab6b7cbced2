// exaone4: Exaone4Config (configuration_exaone4.py @ 008e5743; modular_exaone4.py). The fixture is the class
// defaults (vocab 102400, h 4096, ffn 16384, 32 layers, 32/32 heads, 2048 positions, window 4096, pattern 4); no
// released config was found. Exaone4Attention: q/k/v/o without bias, q_norm/k_norm RMSNorm(head_dim), RoPE only on
// sliding layers when a window is set; Exaone4DecoderLayer = Olmo2's (post-norms).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('exaone4 (Exaone4Config defaults)', () => {
  const h = 4096
  const layer = 4 * h * h + 3 * h * 16384 + 2 * 128 /* q_norm, k_norm */ + 2 * h
  const total = 2 * 102400 * h + 32 * layer + h

  it('total', () => {
    expect(paramCounts(spec(load('exaone4-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(9_429_069_824)
  })
  it('every 4th layer is global and NoPE; the 4096 window over 2048 positions never slides', () => {
    const s = spec(load('exaone4-class-defaults.json'))
    expect(s.layerGroups.slice(0, 2)).toEqual([
      {count: 3, mixer: 'full', rope: true, ffn: 'dense'},
      {count: 1, mixer: 'full', rope: false, ffn: 'dense'},
    ])
    const long = {...load('exaone4-class-defaults.json'), max_position_embeddings: 131072}
    expect(spec(long).layerGroups[0]).toEqual({count: 3, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'dense'})
    expect(kvPerToken(long, 8192)).toBe(2 * 32 * 128 * 8 * 2) // only the 8 global layers still grow
  })
  it('sliding_window_pattern "LLLG" reads like 4; no window makes every layer global with RoPE', () => {
    expect(spec({...load('exaone4-class-defaults.json'), sliding_window_pattern: 'LLLG'}).layerGroups).toEqual(spec(load('exaone4-class-defaults.json')).layerGroups)
    expect(spec({...load('exaone4-class-defaults.json'), sliding_window: null}).layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'dense'}])
  })
})
