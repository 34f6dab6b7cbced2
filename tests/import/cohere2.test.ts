// cohere2: Cohere2Config (modular_cohere2.py), Cohere2ForCausalLM. Fixture: CohereForAI/c4ai-command-r7b-12-2024's
// dimensions as two independent copies state them (see SOURCES.md), not the Hub file itself; max_position_embeddings is
// left to the class default (8192). 8.03B: the 7B of its name counts without the 1.05B embedding (no exact figure checked).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = (file = 'c4ai-command-r7b-12-2024') => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'x', hfRepo: 'CohereForAI/c4ai-command-r7b-12-2024'}), 'x')
const kvBf16PerToken = (config: unknown) => kvBytesPerTokenAt(spec(config), 1, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('cohere2 (Command R7B): 3 sliding RoPE layers : 1 full layer without positions, GQA, tied', () => {
  const h = 4096
  const layer =
    h /* input_layernorm, weight only */ +
    2 * h * h /* q_proj, o_proj */ +
    2 * h * 8 * 128 /* k_proj, v_proj: 8 KV heads of 128 */ +
    3 * h * 14336 /* gate, up, down */
  const total = 256000 * h + 32 * layer + h

  it('total is 8,028,033,024', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(8_028_033_024)
  })
  it('sliding_window_pattern 4: layers 4, 8, ... are full and have no rotary embedding', () => {
    const groups = spec(raw()).layerGroups
    expect(groups.slice(0, 2)).toEqual([
      {count: 3, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'dense'},
      {count: 1, mixer: 'full', rope: false, ffn: 'dense'},
    ])
    expect(groups.length).toBe(16)
  })
  it('KV per token at a short context: 2 x 8 KV heads x 128 x 32 layers x 2 bytes; past the window only the 8 full layers grow', () => {
    expect(kvBf16PerToken(raw())).toBe(2 * 8 * 128 * 32 * 2)
    expect(kvBytesPerTokenAt(spec(raw()), 6000, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 8 * 128 * 8 * 2)
  })
  it('export keys asking for a block transformers does not build are refused in one line', () => {
    expect(() => spec({...raw(), use_qk_norm: true})).toThrow(/use_qk_norm is true/)
    expect(() => spec({...raw(), use_parallel_block: false})).toThrow(/use_parallel_block is false/)
    expect(spec({...raw(), use_parallel_block: true, use_qk_norm: false, rotary_pct: 1.0}).layers).toBe(32)
  })
  it('layer_types, when given, decides the pattern', () => {
    const types = Array.from({length: 32}, (_, i) => (i % 2 ? 'full_attention' : 'sliding_attention'))
    expect(spec({...raw(), layer_types: types}).layerGroups.length).toBe(32)
  })
})
