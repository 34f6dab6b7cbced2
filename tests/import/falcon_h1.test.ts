// falcon_h1: FalconH1Config (configuration_falcon_h1.py) and modeling_falcon_h1.py: in every layer GQA attention (RoPE)
// and a Mamba-2 mixer run side by side (mixer "parallel"), then a gated MLP. The fixture holds the fields of
// tiiuae/Falcon-H1-3B's config.json a third-party importer test quotes (SOURCES.md); the keys it leaves out take the
// class defaults (no attention/MLP/projection biases, conv bias, mamba_rms_norm false: no gated norm). h 2560, 32
// layers, 10 heads / 2 KV heads x 128, Mamba d_ssm 4096 = 32 heads x 128, 1 group, d_state 256, conv 4, MLP 6144,
// vocab 65536, untied. Total 3,149,256,192: the "3.15B" of the Falcon-H1-3B Hub pages.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {enginePages, engineKvBytes} from '../../src/calc/engines.js'
import {decodeFlopsPerToken} from '../../src/calc/flops.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/falcon-h1-3b.json', 'utf8'))
const spec = (config: unknown = raw()) => parseModelSpec(importHfConfig(config, {id: 'falcon-h1-3b'}), 'falcon_h1')

describe('falcon_h1 (Falcon-H1-3B)', () => {
  const h = 2560
  const di = 32 * 128
  const conv = di + 2 * 1 * 256
  const mamba = h * (2 * di + 2 * 256 + 32) + conv * 5 + 3 * 32 + di * h // in_proj, conv + bias, dt_bias/A_log/D, out_proj
  const attention = 2 * h * 10 * 128 + 2 * h * 2 * 128 // q, o; k, v
  const mlp = 3 * h * 6144
  const total = 2 * 65536 * h + h + 32 * (attention + mamba + mlp + 2 * h)

  it('total parameters: each layer holds both mixers, its two norms once', () => {
    expect(paramCounts(spec()).totalParams).toBe(total)
    expect(total).toBe(3_149_256_192)
  })
  it('mamba_rms_norm adds the gated norm (d_ssm) to each layer', () => {
    expect(paramCounts(spec({...raw(), mamba_rms_norm: true})).totalParams).toBe(total + 32 * di)
  })
  it('every layer caches keys and values and keeps a Mamba state', () => {
    const s = spec()
    const o = {kvFormat: 'bf16', mlaCache: 'latent'} as const
    expect(kvBytesPerTokenAt(s, 100, o)).toBe(32 * 2 * (128 + 128) * 2)
    const state = (conv * 4 + 32 * 128 * 256) * 2 // transformers: whole conv window, bf16
    expect(kvCache(s, 1000, 1, o).totalBytes).toBe(32 * 1000 * 2 * 256 * 2 + 32 * state)
    // vLLM pads each layer's state ((conv x 3 + 32 x 128 x 256) x 2 = 2,124,800 bytes) to whole attention pages of
    // 2 x 256 x 2 = 1024 bytes a token: 2075 tokens -> 2080; every layer holds that page plus its KV pages.
    const pages = enginePages(s, 'vllm', {kvFormat: 'bf16'})
    expect(pages.pageTokens).toBe(2080)
    expect(engineKvBytes(s, 1000, 1, 'vllm', {kvFormat: 'bf16'})).toBe(32 * 2080 * 1024 + 32 * 2080 * 1024)
  })
  it('decode FLOPs: both mixers in every layer', () => {
    const weights = 32 * (attention + mamba + mlp) + 65536 * h
    const flops = 2 * weights + 32 * 1000 * 2 * 10 * 256 + 32 * 5 * 32 * 128 * 256
    expect(decodeFlopsPerToken(spec(), 1000)).toBeCloseTo(flops, -1)
  })
  it('refuses different in_proj and out_proj bias flags', () => {
    expect(() => spec({...raw(), projectors_bias: true})).toThrow(/mamba_proj_bias .* projectors_bias/)
  })
})
