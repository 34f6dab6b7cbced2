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
import {engineBudget} from '../../src/calc/engine-budget.js'
import {memoryScenarioFor} from '../../src/calc/deployment.js'
import {memoryEstimate} from '../../src/calc/memory.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {ffnMultToIntermediateSize} from '../../src/import/families/deci.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {expandLayers} from '../../src/import/layers.js'
import {loadHardware, loadModel, parseModelSpec} from '../../src/presets/load.js'

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
  it('a block with its own n_heads_in_group keeps the preset\'s KV heads for the others', () => {
    const mixed = raw()
    mixed.block_configs[0]!.attention.n_heads_in_group = 4 // layer 0: 64 / 4 = 16 KV heads
    const s = spec(mixed)
    expect(s.attention.kvHeads).toBe(8)
    expect(s.layerGroups[0]).toMatchObject({count: 1, attention: {kvHeads: 16}})
    expect(paramCounts(s).totalParams).toBe(49_867_145_216 + 2 * h * (16 - 8) * 128) // k and v of 8 more heads
    expect(kvCache(s, 1000, 1, bf16).totalBytes).toBe(1000 * (48 * 2 * 8 * 128 * 2 + 2 * 16 * 128 * 2))
  })
  it('refuses what it does not model, in one line', () => {
    const linear = raw()
    linear.block_configs[3] = {attention: {n_heads_in_group: 8, no_op: false}, ffn: {ffn_mult: 1, replace_with_linear: true}}
    expect(() => spec(linear)).toThrow(/ffn: "replace_with_linear" .*is not modelled/)
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

// Llama-3.1-Nemotron-Ultra-253B-v1 (tests/fixtures/hf/SOURCES.md: NVIDIA's config.json as NeMo copies it): a
// Llama-3.1-405B decoder (h 16384, 128 heads x 128, vocab 128256, untied) of 162 blocks: 64 with attention (all
// n_heads_in_group 16: 128 / 16 = 8 KV heads) and an MLP, 17 MLP-only (no_op attention), and 81 identity blocks whose
// attention and FFN are both no_op (DeciLMDecoderLayer builds neither module nor norm: no weights at all).
describe('nemotron-nas (Llama-3.1-Nemotron-Ultra-253B-v1)', () => {
  const h = 16384
  const ultra = () => spec(parseJsonText(readFileSync('tests/fixtures/hf/llama-3.1-nemotron-ultra-253b-v1.json', 'utf8')))
  const attention = h * 128 * 128 + 2 * h * 8 * 128 + 128 * 128 * h // q, k + v (8 KV heads), o
  const mlp = (I: number) => 3 * h * I // gate, up, down
  it('MLP widths from ffn_mult: int(2 * m * 16384 / 3) rounded up to 256', () => {
    expect(ffnMultToIntermediateSize(4.875, h)).toBe(53248) // 53248 exactly
    expect(ffnMultToIntermediateSize(1.95, h)).toBe(21504) // int(21299.2) = 21299 -> 84 x 256
    expect(ffnMultToIntermediateSize(39.0, h)).toBe(425984) // 26 x 16384: the widest fused FFN
  })
  it('total: per kind, kind counts x per-layer counts', () => {
    // MLP widths over the 81 blocks with an MLP (64 with attention + 17 without):
    // ffn_mult 0.4875 (5376) x 1, 0.975 (10752) x 1, 1.4625 (16128) x 6, 1.95 (21504) x 10, 2.4375 (26624) x 19,
    // 2.925 (32000) x 2, 3.4125 (37376) x 4, 4.875 (53248) x 34, and one each of 27.5625 (301056), 31.40625 (343040),
    // 36.5625 (399360), 39.0 (425984)
    const mlps =
      mlp(5376) + mlp(10752) + 6 * mlp(16128) + 10 * mlp(21504) + 19 * mlp(26624) + 2 * mlp(32000) + 4 * mlp(37376) + 34 * mlp(53248) + mlp(301056) + mlp(343040) + mlp(399360) + mlp(425984)
    const norms = 64 * 2 * h + 17 * h + h // two per attention block, one per MLP-only block, none in an identity block, final
    const total = 2 * 128256 * h + 64 * attention + mlps + norms
    const p = paramCounts(ultra())
    expect(p.breakdown.attention).toBe(64 * attention)
    expect(p.breakdown.denseFfn).toBe(mlps)
    expect(p.breakdown.norms).toBe(norms)
    expect(p.totalParams).toBe(total)
    // "253B" (the repository name); 253.40B x 2 bytes = 506.80 GB of bf16. llama.cpp's Q4_K_M GGUF of it (PR #12843's
    // log: "file size = 140.56 GiB (4.76 BPW)") is 140.56 x 2^30 x 8 / 253,401,268,224 = 4.765 bits per weight.
    expect(total).toBe(253_401_268_224)
  })
  it('the identity blocks are layers of their own: 162 layers, 81 of them without weights', () => {
    const s = ultra()
    expect(s.layers).toBe(162)
    expect(s.layerGroups.filter((g) => g.mixer === 'none' && g.ffn === 'none').reduce((n, g) => n + g.count, 0)).toBe(81)
    // blocks 9-12 are the first identity blocks (llama.cpp PR #12843's log: n_head 0 at layers 9-12; GPTQModel PR #1518:
    // "DeciLMDecoderLayer in layer index 9-12 have no registered module parameters")
    const layers = expandLayers(s.layerGroups)
    expect(layers.slice(8, 14).map((l) => `${l.mixer}/${l.ffn}/${l.norms ?? 2}`)).toEqual(['full/dense/2', 'none/none/0', 'none/none/0', 'none/none/0', 'none/none/0', 'full/dense/2'])
  })
  it('KV per token: 64 attention layers x (K + V) x 8 KV heads x 128 x bf16', () => {
    expect(kvCache(ultra(), 1000, 1, bf16).totalBytes).toBe(1000 * 64 * 2 * 8 * 128 * 2) // 262,144 bytes a token
  })
  it('GGUF enumeration: every class adds up to the parameter breakdown', () => {
    const s = ultra()
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect(ggufMixBytes(s, mix).params).toEqual(expected)
  })
})

// Llama-3.1-Nemotron-51B-Instruct (tests/fixtures/hf/SOURCES.md: block_configs reconstructed from a per-layer
// transcription of NVIDIA's config.json, not the file itself): a Llama-3.1-70B decoder (h 8192, 64 heads x 128, vocab
// 128256, untied) whose 80 blocks have their own KV heads (n_heads_in_group 8, 16, 32, 64: 8, 4, 2, 1 KV heads), 18
// attentions replaced by one hidden x hidden linear (DeciLMLinearAttention, self_attn.linear_attn, no bias, behind its
// input_layernorm) and 8 no_op attentions; every block keeps an MLP.
describe('nemotron-nas (Llama-3.1-Nemotron-51B-Instruct, per-layer KV heads)', () => {
  const h = 8192
  const nas51 = () => spec(parseJsonText(readFileSync('tests/fixtures/hf/llama-3.1-nemotron-51b-instruct-reconstructed.json', 'utf8')))
  const attention = (kv: number) => h * 64 * 128 + 2 * h * kv * 128 + 64 * 128 * h // q, k + v (kv heads), o
  const mlp = (I: number) => 3 * h * I
  it('takes the most common KV heads (8) for attention and states the others per run', () => {
    const s = nas51()
    expect(s.attention.kvHeads).toBe(8)
    expect(s.layerGroups.slice(0, 3)).toMatchObject([{count: 1, mixer: 'full'}, {count: 1, mixer: 'full', attention: {kvHeads: 4}}, {count: 3, mixer: 'full'}])
  })
  it('total: per kind, kind counts x per-layer counts', () => {
    // attention blocks by KV heads: 8 x 44, 4 x 1, 2 x 6, 1 x 3 (54); 18 linear attentions; 8 no_op attentions
    const attentions = 44 * attention(8) + attention(4) + 6 * attention(2) + 3 * attention(1) + 18 * h * h
    // MLP widths: ffn_mult 5.25 (28672) x 44, 2.625 (14336) x 16, 1.3125 (7168) x 20 (80 blocks)
    const mlps = 44 * mlp(28672) + 16 * mlp(14336) + 20 * mlp(7168)
    const norms = (54 + 18) * 2 * h + 8 * h + h // two per block with an attention (real or linear), one without, final
    const total = 2 * 128256 * h + attentions + mlps + norms
    const p = paramCounts(nas51())
    expect(p.breakdown.attention).toBe(attentions)
    expect(p.breakdown.denseFfn).toBe(mlps)
    expect(p.breakdown.norms).toBe(norms)
    expect(p.totalParams).toBe(total)
    expect(total).toBe(51_501_015_040) // "51B" (the repository name); 103.00 GB of bf16
  })
  it('KV per token: the sum over layers of 2 x kvHeads_l x 128 x 2 bytes', () => {
    const perToken = 2 * 128 * 2 * (44 * 8 + 1 * 4 + 6 * 2 + 3 * 1) // (K + V) x head dim x bf16 x 371 KV heads = 189,952
    expect(kvCache(nas51(), 1000, 1, bf16).totalBytes).toBe(1000 * perToken)
    expect(perToken).toBe(189_952)
  })
  it('vLLM: one KV group, each layer its own heads split or replicated over tensor parallel', () => {
    const run = (tp: number) => {
      const s = nas51()
      const input = scenarioInput({engine: 'vllm', context: '8192', tp: String(tp)})
      const costed = memoryScenarioFor(s, input, tp)
      return engineBudget(s, costed.scenario, loadHardware('h100'), input.engineSettings, costed.memoryUtilization)
    }
    const perHead = 128 * 2 * 2 // head dim x (K, V) x bf16
    // tp 8: every attention layer keeps one head per rank (8 / 8, or one replicated head of 4, 2 or 1)
    expect(run(8).kvBytesPerTokenPerDevice).toBe(54 * perHead)
    // tp 2: 8 -> 4 heads, 4 -> 2, 2 -> 1, 1 -> 1 (replicated)
    expect(run(2).kvBytesPerTokenPerDevice).toBe((44 * 4 + 1 * 2 + 6 * 1 + 3 * 1) * perHead)
  })
  it('llama.cpp: each layer caches its own n_head_kv (one device: the whole 189,952 bytes a token)', () => {
    const s = nas51()
    const input = scenarioInput({engine: 'llama.cpp', context: '8192'})
    const costed = memoryScenarioFor(s, input, 1)
    const b = engineBudget(s, costed.scenario, loadHardware('h200'), input.engineSettings, costed.memoryUtilization)
    expect(b.kvBytesPerTokenPerDevice).toBe(2 * 128 * 2 * (44 * 8 + 1 * 4 + 6 * 2 + 3 * 1))
  })
  it('memory: the KV one device holds counts each layer\'s own heads', () => {
    const s = nas51()
    const input = scenarioInput({context: '32768'})
    const tp8 = memoryEstimate(s, memoryScenarioFor(s, {...input}, 8).scenario)
    expect(tp8.perDevice.kvBytes).toBeCloseTo(32768 * 54 * 128 * 2 * 2, -1) // 54 layers x one head per rank
  })
  it('GGUF enumeration: every class adds up to the parameter breakdown (linear_attn as attn_output)', () => {
    const s = nas51()
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect(ggufMixBytes(s, mix).params).toEqual(expected)
  })
})
