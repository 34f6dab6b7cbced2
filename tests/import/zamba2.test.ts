// zamba2: Zamba2Config (configuration_zamba2.py) with modular_zamba2.py (Zamba2MambaMixer, Zamba2MLP, Zamba2Attention,
// Zamba2AttentionDecoderLayer, Zamba2HybridLayer, Zamba2Model) and ZambaAttention / ZambaAttentionDecoderLayer of
// modeling_zamba.py. No published Zamba2 config.json was found in the stored sources: the fixture is the class
// defaults ("a Zamba2-2.7B style configuration": h 2560, 54 Mamba-2 layers, 9 of them hybrid, one shared block of
// 32 heads x 160 over the 5120-wide concatenation, MLP 10240, adapter rank 128, vocab 32000, tied), so no published
// size is compared; Zamba2-2.7B itself differs (two shared blocks, 80 Mamba heads of 64).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {fewestDevices} from '../../src/calc/deployment.js'
import {decodeFlopsPerToken, matmulParamsPerToken, prefillFlops} from '../../src/calc/flops.js'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {defaultPerfOptions, perfEstimate} from '../../src/calc/perf.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {verifyExplanation} from '../../src/explain/check.js'
import {explain} from '../../src/explain/steps.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {architectureCard} from '../../src/report/card.js'
import {loadHardware, parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/zamba2-defaults.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'zamba2-defaults'}), 'zamba2')

const h = 2560
const inner = 2 * h // mamba_expand 2
const heads = 8 // n_mamba_heads; mamba_headdim 5120 / 8 = 640
const convDim = inner + 2 * 1 * 64 // d_inner + 2 x ngroups x d_state
// Zamba2MambaDecoderLayer: input_layernorm + Zamba2MambaMixer (in_proj to d_inner + conv_dim + heads, conv1d with bias,
// dt_bias, A_log, D, the gated RMSNorm over d_inner, out_proj), no biases on the projections (add_bias_linear false).
const mambaLayer = h /* input_layernorm */ + h * (inner + convDim + heads) + convDim * 4 + convDim + 3 * heads + inner + inner * h
// The shared Zamba2AttentionDecoderLayer: attention over w = 2h (head_dim 2h / 32 = 160), o_proj back to h.
const w = 2 * h
const d = w / 32
const sharedAttention = w * (32 * d) + 2 * w * (32 * d) + 32 * d * h // q, k, v (32 KV heads), o; no bias
const sharedNorms = w + h // input_layernorm over 2h, pre_ff_layernorm over h
const I = 4 * h // intermediate_size None -> 4 x hidden_size
const sharedMlp = h * 2 * I + I * h // gate_up_proj, down_proj
// Each of the 9 hybrid layers: its gate_up_proj adapter (h -> 128 -> 2I) and its Linear(h, h).
const perInvocation = h * 128 + 128 * 2 * I + h * h
const total = 32000 * h /* tied */ + 54 * mambaLayer + (sharedAttention + sharedNorms + sharedMlp) + 9 * perInvocation + h /* final_layernorm */

describe('zamba2 (Zamba2Config defaults)', () => {
  it('total: each shared tensor once, the adapters and linear per invocation', () => {
    const s = spec(raw())
    expect(s.sharedBlocks?.invokedAt).toEqual([6, 12, 18, 24, 30, 36, 42, 47, 51]) // the default layers_block_type
    const p = paramCounts(s)
    expect(p.totalParams).toBe(total)
    expect(total).toBe(2_481_848_336)
    expect(p.breakdown.attention).toBe(54 * (mambaLayer - h - inner) + sharedAttention) // mixers (less their norms) + the shared attention
    expect(p.breakdown.denseFfn).toBe(sharedMlp)
    expect(p.breakdown.norms).toBe(54 * (h + inner) + sharedNorms + h)
    expect(p.breakdown.other).toBe(9 * perInvocation)
    expect(p.activeParams).toBe(total)
  })
  it('KV: every invocation caches its own keys and values: 9 x 2 x 32 heads x 160 x 2 bytes per token', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(9 * 2 * 32 * 160 * 2)
  })
  it('state per sequence: 54 Mamba-2 layers of conv (5248 x 4) and SSM (8 x 640 x 64) state, bf16', () => {
    const kv = kvCache(spec(raw()), 1000, 1, {kvFormat: 'bf16', mlaCache: 'latent'})
    expect(kv.linearStateBytes).toBe(54 * (convDim * 4 + heads * 640 * 64) * 2)
    expect(kv.fullBytes).toBe(9 * 1000 * 2 * 32 * 160 * 2)
  })
  it('FLOPs: the shared block runs at every invocation', () => {
    const s = spec(raw())
    const p = paramCounts(s).breakdown
    // Matrices a token multiplies: the breakdown's (the shared block once) + the block again at 8 more invocations.
    expect(matmulParamsPerToken(s)).toBe(p.attention + p.denseFfn + p.other + 32000 * h + 8 * (sharedAttention + sharedMlp))
    // Attention over one more key: 9 invocations x 2 x 32 heads x (160 + 160).
    expect(decodeFlopsPerToken(s, 2048) - decodeFlopsPerToken(s, 1024)).toBeCloseTo(1024 * 9 * 2 * 32 * (160 + 160), -3)
  })
  it('use_shared_attention_adapter: q, k and v adapters (2h -> 128 -> 2h) per invocation', () => {
    expect(paramCounts(spec({...raw(), use_shared_attention_adapter: true})).totalParams).toBe(total + 9 * 3 * (w * 128 + 128 * w))
  })
  it('num_mem_blocks 2: a second block (attention, MLP, norms), run at every other invocation', () => {
    const s = spec({...raw(), num_mem_blocks: 2})
    expect(paramCounts(s).totalParams).toBe(total + sharedAttention + sharedNorms + sharedMlp)
    expect(matmulParamsPerToken(s) - matmulParamsPerToken(spec(raw()))).toBe(0) // the same 9 invocations of one block's size
  })
  it('the GGUF enumeration adds up to the breakdown per class, shared tensors once', () => {
    for (const s of [spec(raw()), spec({...raw(), use_shared_attention_adapter: true, num_mem_blocks: 2, add_bias_linear: true})]) {
      const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
      const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
      for (const mix of ggufMixNames) expect({mix, params: ggufMixBytes(s, mix).params}).toEqual({mix, params: expected})
    }
    const names = ggufTensors(spec(raw()), 'q4_k_m').map((t) => t.name)
    expect(names.filter((n) => n.endsWith('attn_q.weight'))).toEqual(['shared.0.attn_q.weight'])
    expect(names.filter((n) => n.endsWith('shared_out.weight'))).toHaveLength(9)
  })
  it('the card names the shared blocks', () => {
    const card = Object.fromEntries(architectureCard(spec(raw())).map((f) => [f.field, f.value]))
    expect(card['Shared blocks']).toBe('1 shared attention + MLP block (32 heads x 160 over 5120 inputs, MLP 10240) run at 9 layers (6, 12, 18, 24, 30, 36, 42, 47, 51), adapters of rank 128 on the MLP; each invocation has its own output projection and KV cache')
    expect(card.Attention).toBe('MHA, 32 heads, 32 KV heads, head dim 160 (in the shared blocks)')
    expect(card.FFN).toBe("none in the layers; the shared blocks' MLP is gated gelu, width 10240")
    expect(card.Positions).toBe('none (the shared attention has no position embedding)')
    // use_mem_rope with use_long_context: rope_theta x 8^(160 / 158) and 16384 positions (Zamba2Config.__init__).
    const long = spec({...raw(), use_mem_rope: true, use_long_context: true})
    expect(long.rope.theta).toBeCloseTo(10000 * 8 ** (160 / 158), 6)
    expect(long.maxContextTokens).toBe(16384)
    expect(Object.fromEntries(architectureCard(long).map((f) => [f.field, f.value])).Positions).toMatch(/^RoPE theta /)
  })
  it('refuses what the model cannot build', () => {
    expect(() => spec({...raw(), layers_block_type: ['mamba', 'hybrid']})).toThrow(/2 entries for 54 layers/)
    expect(() => spec({...raw(), num_mem_blocks: 10})).toThrow(/num_mem_blocks/)
    expect(() => spec({...raw(), n_mamba_heads: 7})).toThrow(/n_mamba_heads/)
    expect(() => spec({...raw(), use_shared_attention_adapter: true, num_key_value_heads: 8})).toThrow(/use_shared_attention_adapter/)
  })
  it('explain: every quantity is made of registry entries that agree with the calculators', async () => {
    const h100 = loadHardware('h100')
    for (const s of [spec(raw()), spec({...raw(), num_mem_blocks: 2, use_shared_attention_adapter: true, use_mem_rope: true})]) {
      const base = {...defaultScenario(s), contextTokens: 4096, promptTokens: 2048, outputTokens: 256}
      const layout = fewestDevices(s, base, h100, 1)
      expect(layout).not.toBeNull()
      const scenario = {...base, layout: layout!}
      const perf = perfEstimate(s, scenario, h100, defaultPerfOptions)
      const figures = {
        params: paramCounts(s).totalParams,
        kv: kvCache(s, scenario.contextTokens, scenario.batch, scenario).totalBytes,
        flops: decodeFlopsPerToken(s, scenario.contextTokens, defaultPerfOptions.flops),
        prefill: prefillFlops(s, scenario.contextTokens, defaultPerfOptions.flops),
        memory: memoryEstimate(s, scenario).totalBytes,
        tpot: perf.tpotSeconds,
      }
      for (const [quantity, figure] of Object.entries(figures)) {
        const e = explain(s, quantity as keyof typeof figures, {scenario, hardware: h100, perf: defaultPerfOptions, price: null})
        await verifyExplanation(e)
        expect(e.result, quantity).toBe(figure)
      }
    }
  })
})
