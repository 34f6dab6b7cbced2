// lfm2: Lfm2Config (configuration_lfm2.py) and modeling_lfm2.py. The fixture is LiquidAI/LFM2-1.2B's config.json as a
// third-party port quotes it (SOURCES.md): h 2048, 16 layers, attention (32 heads, 8 KV heads, head dim 64, q/k
// RMSNorms) at 2, 5, 8, 10, 12, 14, gated short convolutions elsewhere (conv_L_cache 3, no bias), block_ff_dim 12288
// auto-adjusted to 8192, vocab 65536, tied. Total 1,170,340,608: exactly the count LiquidAI's model card states.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {enginePages} from '../../src/calc/engines.js'
import {decodeFlopsPerToken} from '../../src/calc/flops.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/lfm2-1.2b.json', 'utf8'))
const spec = (config: unknown = raw()) => parseModelSpec(importHfConfig(config, {id: 'lfm2-1.2b'}), 'lfm2')

describe('lfm2 (LFM2-1.2B)', () => {
  const h = 2048
  const ffn = 256 * Math.ceil(Math.trunc(1.0 * Math.trunc((2 * 12288) / 3)) / 256) // int(2 I / 3) x multiplier, up to 256
  const conv = h * 3 * h + h * 3 + h * h // in_proj (h, 3h), depthwise conv (h x 3), out_proj
  const attention = 2 * h * 32 * 64 + 2 * h * 8 * 64 + 2 * 64 // q, out_proj; k, v; q_layernorm, k_layernorm
  const layer = 3 * h * ffn + 2 * h // w1, w3, w2; operator_norm, ffn_norm
  const total = 65536 * h + 10 * (conv + layer) + 6 * (attention + layer) + h // tied embedding, embedding_norm (final)

  it('total parameters', () => {
    expect(ffn).toBe(8192)
    expect(paramCounts(spec()).totalParams).toBe(total)
    expect(total).toBe(1_170_340_608)
    // A load check prints "Lfm2ForCausalLM 1170340608" for sum(p.numel() for p in m.parameters()) of
    // LiquidAI/LFM2.5-1.2B-Instruct in bf16, the same architecture (search-index file id 71256729768)
  })
  it('KV from 6 attention layers; each conv layer keeps its last taps of the hidden state', () => {
    const s = spec()
    const o = {kvFormat: 'bf16', mlaCache: 'latent'} as const
    expect(kvBytesPerTokenAt(s, 100, o)).toBe(6 * 8 * (64 + 64) * 2)
    expect(kvCache(s, 100, 1, o).linearStateBytes).toBe(10 * h * 3 * 2) // transformers keeps L_cache = 3 taps, bf16
    const pages = enginePages(s, 'vllm', {kvFormat: 'bf16'}) // vLLM: L_cache - 1 = 2 taps = 8192 bytes, 4 tokens of attention
    expect(pages.pageTokens).toBe(16)
    expect(pages.linearStateBytesPerLayer).toBe(16 * 8 * 128 * 2)
  })
  it('decode FLOPs: weights, the two gates of each conv layer, attention over the keys seen', () => {
    const weights = 10 * (conv + 3 * h * ffn) + 6 * (2 * h * 32 * 64 + 2 * h * 8 * 64 + 3 * h * ffn) + 65536 * h
    // at context 1000 the token sees 1000 keys in each of 6 layers, 2 x 32 x (64 + 64) FLOPs a key
    expect(decodeFlopsPerToken(spec(), 1000)).toBeCloseTo(2 * weights + 10 * 2 * h + 6 * 1000 * 2 * 32 * 128, -1)
  })
  it('without auto-adjust the width is block_ff_dim itself; layer_types may replace full_attn_idxs', () => {
    expect(spec({...raw(), block_auto_adjust_ff_dim: false}).ffn.intermediateSize).toBe(12288)
    const types = Array.from({length: 16}, (_, i) => ([2, 5, 8, 10, 12, 14].includes(i) ? 'full_attention' : 'conv'))
    const {full_attn_idxs: _, ...rest} = raw()
    expect(paramCounts(spec({...rest, layer_types: types})).totalParams).toBe(total)
  })
})
