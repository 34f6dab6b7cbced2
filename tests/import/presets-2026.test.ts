// Issue #16, the 2026 configs of model types archcost already imports: each preset's total and active parameters
// and KV bytes per token worked out by hand from the modeling class, against the preset built from
// presets/sources/<id>.config.json (copied byte for byte from ai-dynamo/aiconfigurator @ 095f58a5, SOURCES.md).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig, importHfConfigReport} from '../../src/import/hf-config.js'
import {loadModel} from '../../src/presets/load.js'

const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const
const counts = (id: string) => paramCounts(loadModel(id))
const kvPerToken = (id: string) => kvBytesPerTokenAt(loadModel(id), 100, bf16)

describe('mixtral-8x22b-v0.1 (mixtral)', () => {
  // MixtralForCausalLM (modeling_mixtral.py): MixtralAttention without biases (head_dim 6144 / 48 = 128), 8 experts
  // (w1, w3: h -> 16384, w2: 16384 -> h), router Linear(h, 8) without bias, two RMSNorms a layer, untied LM head.
  const h = 6144
  const attention = 2 * h * (48 * 128) + 2 * h * (8 * 128) // q, o; k, v
  const expert = 3 * h * 16384
  const layer = attention + 8 * expert + 8 * h + 2 * h // + router + norms
  const total = 2 * 32000 * h + h + 56 * layer // embedding, LM head, final norm

  it('total and active parameters (2 of 8 experts)', () => {
    expect(counts('mixtral-8x22b-v0.1').totalParams).toBe(total)
    // the checkpoint: 281,241,268,224 bytes of bf16 tensors in 59 shards, 1,739 tensors (a page map of
    // mistralai/Mixtral-8x22B-v0.1's safetensors headers found in the code index) = 2 x 140,620,634,112
    expect(total).toBe(140_620_634_112) // Mistral: 141B
    expect(counts('mixtral-8x22b-v0.1').activeParams).toBe(total - 56 * 6 * expert)
    expect(total - 56 * 6 * expert).toBe(39_152_031_744) // Mistral: 39B active
  })
  it('KV bytes per token: 56 layers x k, v x 8 heads x 128 x 2 bytes', () => {
    expect(kvPerToken('mixtral-8x22b-v0.1')).toBe(56 * 2 * 8 * 128 * 2)
  })
})

describe('minimax-m2.5 (minimax_m2)', () => {
  // MiniMaxM2 (modular_minimax_m2.py): attention without biases, q_norm over 48 x 128 and k_norm over 8 x 128,
  // 256 experts of 1536 in every layer, router Linear(h, 256) plus e_score_correction_bias (256). The three MTP
  // modules (use_mtp) are not counted (the config does not state their layout).
  const h = 3072
  const attention = 2 * h * (48 * 128) + 2 * h * (8 * 128) + 48 * 128 + 8 * 128
  const expert = 3 * h * 1536
  const layer = attention + 256 * expert + 256 * h + 256 + 2 * h
  const embedding = 200064 * h
  const total = 2 * embedding + h + 62 * layer

  it('total and active parameters (8 of 256 experts)', () => {
    expect(counts('minimax-m2.5').totalParams).toBe(total)
    expect(total).toBe(228_689_764_864) // MiniMax: "230 billion"; HF page: 229B; technical report: 229.9B
    const active = total - 62 * 248 * expert
    expect(counts('minimax-m2.5').activeParams).toBe(active)
    expect(active).toBe(11_030_553_088)
    // the vendor's 10B leaves out the input embedding; the technical report's 9.8B the LM head too
    expect(active - embedding).toBe(10_415_956_480)
    expect(active - 2 * embedding).toBe(9_801_359_872)
  })
  it('KV bytes per token: 62 layers x k, v x 8 heads x 128 x 2 bytes', () => {
    expect(kvPerToken('minimax-m2.5')).toBe(62 * 2 * 8 * 128 * 2)
  })
})

describe('qwen3-coder-480b-a35b-instruct (qwen3_moe)', () => {
  // Qwen3MoeForCausalLM (modular_qwen3_moe.py): Qwen3Attention (bias from attention_bias: false; q_norm and k_norm
  // over head_dim 128), Qwen3MoeSparseMoeBlock of 160 experts of 2560 and a router Linear(h, 160), no shared expert.
  const h = 6144
  const attention = 2 * h * (96 * 128) + 2 * h * (8 * 128) + 2 * 128
  const expert = 3 * h * 2560
  const layer = attention + 160 * expert + 160 * h + 2 * h
  const total = 2 * 151936 * h + h + 62 * layer

  it('total and active parameters (8 of 160 experts)', () => {
    expect(counts('qwen3-coder-480b-a35b-instruct').totalParams).toBe(total)
    expect(total).toBe(480_154_875_392) // Qwen: 480B
    expect(counts('qwen3-coder-480b-a35b-instruct').activeParams).toBe(total - 62 * 152 * expert)
    expect(total - 62 * 152 * expert).toBe(35_474_765_312) // Qwen: 35B activated
  })
  it('KV bytes per token: 62 layers x k, v x 8 heads x 128 x 2 bytes', () => {
    expect(kvPerToken('qwen3-coder-480b-a35b-instruct')).toBe(62 * 2 * 8 * 128 * 2)
  })
  it('imports without a warning: qkv_bias, use_qk_norm and shared_expert_intermediate_size are known keys', () => {
    const raw = parseJsonText(readFileSync('presets/sources/qwen3-coder-480b-a35b-instruct.config.json', 'utf8'))
    const report = importHfConfigReport(raw, {id: 'qwen3-coder-480b-a35b-instruct'}, true) // strict: refuses unknown keys
    expect(report.warnings).toEqual([])
    expect(report.ignored).toEqual(expect.arrayContaining(['qkv_bias', 'use_qk_norm', 'shared_expert_intermediate_size']))
  })
})

describe('nemotron-h-56b-base-8k (nemotron_h)', () => {
  // NemotronHForCausalLM (modeling_nemotron_h.py): one RMSNorm and one mixer per pattern character; 54 Mamba-2
  // blocks (256 heads x 64, 8 groups, state 256, conv 4 with bias, gated norm), 10 attention blocks (64/8 heads x
  // 128, no bias), 54 relu2 MLP blocks (up, down: 32768), untied LM head. tests/import/nemotron_h.test.ts has the
  // same file as a fixture.
  const h = 8192
  const di = 256 * 64
  const conv = di + 2 * 8 * 256
  const mamba = h * (2 * di + 2 * 8 * 256 + 256) + conv * 4 + conv + 3 * 256 + di * h + di // in_proj, conv, dt_bias/A_log/D, out_proj, norm
  const attention = 2 * h * (64 * 128) + 2 * h * (8 * 128)
  const mlp = 2 * h * 32768
  const total = 2 * 131072 * h + h + 54 * mamba + 10 * attention + 54 * mlp + 118 * h

  it('total parameters (dense: active = total)', () => {
    expect(counts('nemotron-h-56b-base-8k').totalParams).toBe(total)
    expect(total).toBe(56_324_350_464) // named 56B
    expect(counts('nemotron-h-56b-base-8k').activeParams).toBe(total)
  })
  it('KV bytes per token: only the 10 attention blocks, k, v x 8 heads x 128 x 2 bytes', () => {
    expect(kvPerToken('nemotron-h-56b-base-8k')).toBe(10 * 2 * 8 * 128 * 2)
  })
})

describe('torch_dtype', () => {
  // Found by tests/fuzz once these configs joined its pool: a name of an Object.prototype member was taken as a dtype.
  it('"toString" is refused with one line, not taken from the prototype', () => {
    const raw = parseJsonText(readFileSync('presets/sources/mixtral-8x22b-v0.1.config.json', 'utf8')) as Record<string, unknown>
    expect(() => importHfConfig({...raw, torch_dtype: 'toString'}, {id: 'x'})).toThrow(/torch_dtype "toString" is not one of bfloat16, float16, float32/)
  })
})
