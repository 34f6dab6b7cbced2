// nemotron-nas: DeciLMConfig / DeciLMForCausalLM (configuration_decilm.py, modeling_decilm.py, remote code in the model
// repository; vLLM vllm/model_executor/models/nemotron_nas.py DeciLMDecoderLayer builds the same modules). The preset
// llama-3.3-nemotron-super-49b-v1 is NVIDIA's config.json (presets/sources/SOURCES.md): a Llama-3.3-70B decoder
// (h 8192, 64 heads x 128, vocab 128256, untied) whose 80 layers differ one by one (block_configs): 49 keep attention
// with n_heads_in_group 8 (64 / 8 = 8 KV heads), 31 have no_op attention (no self_attn, no input_layernorm); every
// layer keeps an MLP whose width is _ffn_mult_to_intermediate_size(ffn_mult): int(2 * ffn_mult * 8192 / 3) rounded up
// to a multiple of 256. The repository name says 49B; the count below is 49.87B.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {ffnMultToIntermediateSize} from '../../src/import/families/deci.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadModel, parseModelSpec} from '../../src/presets/load.js'

const raw = () => parseJsonText(readFileSync('presets/sources/llama-3.3-nemotron-super-49b-v1.config.json', 'utf8')) as Record<string, unknown> & {block_configs: {attention: Record<string, unknown>; ffn: Record<string, unknown>}[]}
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'nas'}), 'nemotron-nas')
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

describe('nemotron-nas (Llama-3.3-Nemotron-Super-49B-v1)', () => {
  const h = 8192
  const attention = h * 64 * 128 + 2 * h * 8 * 128 + 64 * 128 * h // q, k + v (8 KV heads), o
  const mlp = (I: number) => 3 * h * I // gate, up, down
  it('ffn_mult to intermediate size: int(2 * m * h / 3), rounded up to a multiple of 256', () => {
    expect(ffnMultToIntermediateSize(5.25, h)).toBe(28672) // 2 * 5.25 * 8192 / 3 = 28672 exactly
    expect(ffnMultToIntermediateSize(3.28125, h)).toBe(17920) // = 70 x 256
    expect(ffnMultToIntermediateSize(1.0, h)).toBe(5632) // int(5461.33) = 5461 -> 22 x 256
    expect(ffnMultToIntermediateSize(0.5, h)).toBe(2816) // int(2730.67) = 2730 -> 11 x 256
  })
  it('total: 49 attention layers, 31 FFN-only blocks, MLP widths per block', () => {
    // ffn_mult 5.25 x 49 layers, 2.625 x 6, 3.28125 x 1, 1.3125 x 10, 1.0 x 8, 0.5 x 6 (80 layers)
    const mlps = 49 * mlp(28672) + 6 * mlp(14336) + mlp(17920) + 10 * mlp(7168) + 8 * mlp(5632) + 6 * mlp(2816)
    const norms = 49 * 2 * h + 31 * h + h // two norms per attention layer, one per no_op-attention layer, final
    const total = 2 * 128256 * h + 49 * attention + mlps + norms
    const p = paramCounts(spec(raw()))
    expect(p.breakdown.attention).toBe(49 * attention)
    expect(p.breakdown.norms).toBe(norms)
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total)
    expect(total).toBe(49_867_145_216) // "49B" (the repository name); a bf16 checkpoint of 2 x 49,867,145,216 = 99.73 GB
  })
  it('the preset is this count', () => {
    expect(paramCounts(loadModel('llama-3.3-nemotron-super-49b-v1')).totalParams).toBe(49_867_145_216)
  })
  it('KV per token: only the 49 layers with attention cache K and V', () => {
    const perToken = 49 * 2 * 8 * 128 * 2 // layers x (K + V) x KV heads x head dim x bf16 bytes = 200,704
    expect(kvCache(spec(raw()), 1000, 1, bf16).totalBytes).toBe(1000 * perToken)
  })
  it('a no_op FFN drops the MLP and its norm; n_heads_in_group sets the KV heads', () => {
    const c = raw()
    c.block_configs[0] = {attention: {n_heads_in_group: 8, no_op: false}, ffn: {no_op: true}}
    const p = paramCounts(spec(c))
    expect(p.totalParams).toBe(49_867_145_216 - mlp(14336) - h) // layer 0 had ffn_mult 2.625 (14336)
    const d = raw()
    for (const b of d.block_configs) if (!b.attention.no_op) b.attention.n_heads_in_group = 16
    expect(spec(d).attention.kvHeads).toBe(4)
  })
  it('refuses what it does not model, in one line', () => {
    const linear = raw()
    linear.block_configs[3] = {attention: {no_op: false, replace_with_linear: true}, ffn: {ffn_mult: 1}}
    expect(() => spec(linear)).toThrow(/replace_with_linear.*not modelled/)
    const mixed = raw()
    mixed.block_configs[0]!.attention.n_heads_in_group = 4
    expect(() => spec(mixed)).toThrow(/different n_heads_in_group/)
    const short = raw()
    short.block_configs.pop()
    expect(() => spec(short)).toThrow(/block_configs has 79 entries for 80 layers/)
  })
  it('GGUF enumeration: every class adds up to the parameter breakdown', () => {
    const s = spec(raw())
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect(ggufMixBytes(s, mix).params).toEqual(expected)
  })
})
