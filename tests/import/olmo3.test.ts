// olmo3: Olmo3Config (configuration_olmo3.py @ 008e5743; modular_olmo3.py on Olmo2's modeling). The fixture is the
// class defaults (vocab 50304, h 4096, ffn 11008, 32 layers, 32 heads, 2048 positions, window 4096): they are not a
// released Olmo 3's values (allenai/Olmo-3-1025-7B has vocab 100278 and 65536 positions; its config was not found).
// Olmo2 decoder: post-norms, q_norm over H*d and k_norm over Hkv*d, no biases.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('olmo3 (Olmo3Config defaults)', () => {
  const h = 4096
  const layer = 4 * h * h /* q, k, v, o */ + 3 * h * 11008 + (32 * 128 + 32 * 128) /* q_norm, k_norm */ + 2 * h /* post-norms */
  const total = 2 * 50304 * h + 32 * layer + h

  it('total', () => {
    expect(paramCounts(spec(load('olmo3-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(6_888_624_128)
  })
  it('three sliding layers then one full; a window no shorter than the 2048 positions never slides', () => {
    expect(spec(load('olmo3-class-defaults.json')).layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'dense'}])
    const long = spec({...load('olmo3-class-defaults.json'), max_position_embeddings: 65536})
    expect(long.layerGroups.slice(0, 2)).toEqual([
      {count: 3, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'dense'},
      {count: 1, mixer: 'full', rope: true, ffn: 'dense'},
    ])
    expect(long.layerGroups.length).toBe(16)
  })
  it('KV per token: all 32 layers while short, only the 8 full ones past the window', () => {
    const long = {...load('olmo3-class-defaults.json'), max_position_embeddings: 65536}
    expect(kvPerToken(long, 1)).toBe(2 * 32 * 128 * 32 * 2)
    expect(kvPerToken(long, 8192)).toBe(2 * 32 * 128 * 8 * 2)
  })
})
