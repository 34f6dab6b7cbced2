// mamba2: Mamba2Config (configuration_mamba2.py) and Mamba2Mixer / Mamba2Block (modeling_mamba2.py). No published
// HF-format Mamba-2 config was found verbatim, so the fixture is the configuration class defaults, which are the
// Mamba-Codestral-7B-v0.1 shape: h 4096, 64 layers, 128 heads x 64 (d_inner 8192 = 2 x 4096), 8 groups of B/C,
// d_state 128, conv 4 with bias, no in/out bias, vocab 32768, untied. Its total, 7,285,403,648, is the "7.29B" of
// mistralai/Mamba-Codestral-7B-v0.1's Hub page.
import {describe, expect, it} from 'vitest'
import {decodeFlopsPerToken} from '../../src/calc/flops.js'
import {kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const spec = (extra: Record<string, unknown> = {}) => parseModelSpec(importHfConfig({model_type: 'mamba2', ...extra}, {id: 'mamba2-defaults'}), 'mamba2')

describe('mamba2 (Mamba2Config defaults)', () => {
  const h = 4096
  const di = 128 * 64
  const conv = di + 2 * 8 * 128 // x, B and C
  // in_proj (h, z + x + B + C + dt = 2 di + 2 G N + H), conv1d (conv x 4 + conv bias), dt_bias, A_log, D (128 each), out_proj (di, h)
  const mixer = h * (2 * di + 2 * 8 * 128 + 128) + conv * 4 + conv + 3 * 128 + di * h
  const norms = di + h // the gated RMSNorm over d_inner, the block's norm
  const total = 2 * 32768 * h + 64 * (mixer + norms) + h

  it('total parameters', () => {
    expect(mixer).toBe(109_627_776)
    expect(paramCounts(spec()).totalParams).toBe(total)
    expect(total).toBe(7_285_403_648) // Mamba-Codestral-7B-v0.1: "7.29B"
  })
  it('state per sequence: conv over x, B, C and the heads x head_dim x d_state SSM state', () => {
    const kv = kvCache(spec(), 4096, 1, {kvFormat: 'fp8', mlaCache: 'latent'})
    // bf16 whatever the KV format: (conv x 4 + 128 x 64 x 128) x 2 bytes x 64 layers
    expect(kv.linearStateBytes).toBe((conv * 4 + 128 * 64 * 128) * 2 * 64)
  })
  it('decode FLOPs add 5 per state element to 2 per multiplied weight', () => {
    const flops = 2 * (64 * mixer + 32768 * h) + 64 * 5 * 128 * 64 * 128
    expect(decodeFlopsPerToken(spec(), 1000)).toBeCloseTo(flops, -1)
  })
  it('refuses heads x head_dim that is not expand x hidden', () => {
    expect(() => spec({num_heads: 100})).toThrow(/num_heads x head_dim = 6400 must equal expand x hidden_size = 8192/)
  })
})
