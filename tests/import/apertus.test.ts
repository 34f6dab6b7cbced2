// apertus: ApertusConfig (modular_apertus.py @ 008e5743). The fixture is a TRIMMED copy of swiss-ai/Apertus-8B's
// config.json (see SOURCES.md): h 4096, ffn 21504, 32 layers, 32/8 heads, vocab 131072, untied, xIELU.
// ApertusAttention: Llama's q/k/v/o (no bias) + q_norm/k_norm RMSNorm(head_dim); ApertusMLP: up_proj and down_proj
// around XIELUActivation (activations.py), whose alpha_p and alpha_n are nn.Parameter of shape (1,) and beta, eps
// persistent buffers: four scalars per layer in the checkpoint (convert_hf_to_gguf.py ApertusModel reads all four).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('apertus (Apertus-8B, trimmed config)', () => {
  const h = 4096
  const layer = h * h + 2 * h * (8 * 128) + h * h + 2 * 128 /* q_norm, k_norm */ + 2 * h * 21504 + 4 /* xIELU */ + 2 * h
  const total = 2 * 131072 * h + 32 * layer + h

  it('total, with the four xIELU scalars of each MLP', () => {
    const s = spec(load('apertus-8b.json'))
    expect(paramCounts(s).totalParams).toBe(total)
    expect(total).toBe(8_053_338_240)
    // Exact: a vLLM integration note gives swiss-ai/Apertus-8B-Instruct-2509 @ b946d404 as "8,053,338,240 BF16
    // parameters" (search-index file id 66746681347)
    expect(s.ffn).toEqual({gated: false, activation: 'xielu', intermediateSize: 21504, bias: false, activationParams: 4})
  })
  it('another activation has no scalars; KV per token 2 x 8 x 128 x 32 layers x 2 bytes', () => {
    expect(paramCounts(spec({...load('apertus-8b.json'), hidden_act: 'relu2'})).totalParams).toBe(total - 32 * 4)
    expect(kvPerToken(load('apertus-8b.json'))).toBe(2 * 8 * 128 * 32 * 2)
  })
  it('llama3 RoPE scaling x8 on theta 12e6, from the file or the class default', () => {
    expect(spec(load('apertus-8b.json')).rope).toEqual({theta: 12000000, scaling: 'llama3', scalingFactor: 8, partialRotaryFactor: 1})
    const {rope_theta: _t, rope_scaling: _s, ...bare} = load('apertus-8b.json')
    expect(spec(bare).rope).toEqual({theta: 12000000, scaling: 'llama3', scalingFactor: 8, partialRotaryFactor: 1})
  })
})
