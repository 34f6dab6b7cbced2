// jamba: JambaConfig (configuration_jamba.py) and modeling_jamba.py. The fixture is ai21labs/AI21-Jamba-1.5-Mini's
// config.json as a model-builder test module transcribes it (SOURCES.md): h 4096, 32 layers, attention on layers
// i % 8 == 4 (4 of them, GQA 32/8, no RoPE), Mamba-1 elsewhere (d_inner 8192, d_state 16, dt rank 256, conv 4 with
// bias, dt/B/C RMSNorms), MoE on odd layers (16 experts of 14336, top-2, no shared expert), dense gated MLP on even
// ones, vocab 65536, untied. Total 51,570,323,328: the Hub page's "51.6B"; active 12.11B: the card's "12B active".
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {enginePages} from '../../src/calc/engines.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/ai21-jamba-1.5-mini.json', 'utf8'))
const spec = (config: unknown = raw()) => parseModelSpec(importHfConfig(config, {id: 'ai21-jamba-1.5-mini'}), 'jamba')

describe('jamba (AI21-Jamba-1.5-Mini)', () => {
  const h = 4096
  const di = 2 * h
  const attention = h * 4096 + 2 * h * 8 * 128 + 4096 * h // q, k, v (8 KV heads x 128), o
  // in_proj (h, 2 di), conv1d + bias, x_proj (di, 256 + 2 x 16), dt_proj (256, di) + bias, A_log (di, 16), D, out_proj
  const mamba = h * 2 * di + di * 5 + di * (256 + 32) + 257 * di + di * 16 + di + di * h
  const mambaNorms = 256 + 16 + 16 // dt_layernorm, b_layernorm, c_layernorm
  const mlp = 3 * h * 14336
  const moe = 16 * mlp + h * 16 // experts + router
  const total = 2 * 65536 * h + h + 4 * attention + 28 * (mamba + mambaNorms) + 32 * 2 * h + 16 * mlp + 16 * moe

  it('total and active parameters', () => {
    const p = paramCounts(spec())
    expect(mamba).toBe(105_308_160)
    expect(p.totalParams).toBe(total)
    expect(total).toBe(51_570_323_328)
    expect(p.activeParams).toBe(total - 16 * 14 * mlp) // 2 of 16 experts run
    expect(p.activeParams).toBe(12_110_311_296)
  })
  it('total: the bf16 checkpoint of the same shape, A_log and D stored bf16 like every other tensor', () => {
    // model.safetensors.index.json total_size 103,140,646,656 bytes, bf16 (2 bytes a parameter), as a model report of a
    // jamba checkpoint with these dimensions quotes it (h 4096, 32 layers, 16 experts top-2, vocab 65536, 262144
    // positions, transformers 4.40.2: AI21-Jamba-1.5-Mini; search-index file id 54365071727)
    expect(total).toBe(103_140_646_656 / 2)
  })
  it('layer plan: attention at 4, 12, 20, 28; MoE on odd layers; no RoPE', () => {
    const layers = spec().layerGroups.flatMap((g) => Array.from({length: g.count}, () => g))
    expect(layers.map((g, i) => (g.mixer === 'full' ? i : -1)).filter((i) => i >= 0)).toEqual([4, 12, 20, 28])
    expect(layers.every((g, i) => (g.ffn === 'moe') === (i % 2 === 1) && !g.rope)).toBe(true)
  })
  it('KV per token from the 4 attention layers, a fixed Mamba state for the 28 others', () => {
    const s = spec()
    const o = {kvFormat: 'bf16', mlaCache: 'latent'} as const
    expect(kvBytesPerTokenAt(s, 1000, o)).toBe(4 * 8 * (128 + 128) * 2)
    // theoretical: conv window 4 and the d_inner x d_state state, bf16, 28 layers
    expect(kvCache(s, 1000, 1, o).linearStateBytes).toBe(28 * (di * 4 + di * 16) * 2)
    // vLLM: K - 1 taps, (8192 x 3 + 8192 x 16) x 2 = 311,296 bytes; the attention page (8 x 256 x 2 = 4096 bytes a
    // token) grows in steps of 16 tokens to ceil(311296 / 4096) = 76 -> 80 tokens, and the state is padded to it.
    const pages = enginePages(s, 'vllm', {kvFormat: 'bf16'})
    expect(pages.pageTokens).toBe(80)
    expect(pages.linearStateBytesPerLayer).toBe(80 * 4096)
  })
  it('refuses a sliding window and defaults mamba_dt_rank "auto" to ceil(h / 16)', () => {
    expect(() => spec({...raw(), sliding_window: 4096})).toThrow(/sliding_window/)
    expect(paramCounts(spec({...raw(), mamba_dt_rank: 'auto'})).totalParams).toBe(total) // ceil(4096 / 16) = 256
  })
})
