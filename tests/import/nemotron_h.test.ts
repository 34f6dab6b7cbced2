// nemotron_h: NemotronHConfig (configuration_nemotron_h.py) and modeling_nemotron_h.py: one RMSNorm and one mixer per
// pattern character, M = Mamba-2, * = GQA attention without position embedding, - = relu2 MLP (up, down), E = MoE
// (ungated relu2 experts, router with e_score_correction_bias, one shared MLP). Fixtures: nvidia/Nemotron-H-56B-Base-8K
// and nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16 config.json, both copied verbatim from ai-dynamo/aiconfigurator
// (SOURCES.md). The 56B file states time_step_limit [0.0, Infinity], as Python's json writes it.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {enginePages} from '../../src/calc/engines.js'
import {tensorsOf} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt, kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {parseJsonText} from '../../src/import/config.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => parseJsonText(readFileSync(`tests/fixtures/hf/${file}`, 'utf8')) as Record<string, unknown>
const spec = (config: unknown, id: string) => parseModelSpec(importHfConfig(config, {id}), 'nemotron_h')

describe('nemotron_h (Nemotron-H-56B-Base-8K)', () => {
  const raw = () => load('nemotron-h-56b-base-8k.json')
  const s = () => spec(raw(), 'nemotron-h-56b')
  const h = 8192
  const di = 256 * 64
  // in_proj (h, 2 di + 2 x 8 x 256 + 256), conv over di + 2 x 8 x 256 channels x 4 + bias, dt_bias/A_log/D, out_proj
  const mamba = h * (2 * di + 2 * 8 * 256 + 256) + (di + 2 * 8 * 256) * 5 + 3 * 256 + di * h
  const attention = 2 * h * 64 * 128 + 2 * h * 8 * 128 // q, o (64 x 128); k, v (8 x 128)
  const mlp = 2 * h * 32768 // up, down
  // 118 blocks: 54 M, 10 *, 54 -; each one norm; the Mamba blocks' gated norm (di)
  const total = 2 * 131072 * h + h + 54 * (mamba + di) + 10 * attention + 54 * mlp + 118 * h

  it('total parameters', () => {
    expect(mamba).toBe(438_407_936)
    expect(paramCounts(s()).totalParams).toBe(total)
    expect(total).toBe(56_324_350_464) // named 56B
  })
  it('blocks: 54 Mamba-only, 10 attention-only, 54 MLP-only', () => {
    const groups = s().layerGroups
    const count = (mixer: string, ffn: string) => groups.filter((g) => g.mixer === mixer && g.ffn === ffn).reduce((n, g) => n + g.count, 0)
    expect([count('linear', 'none'), count('full', 'none'), count('none', 'dense')]).toEqual([54, 10, 54])
  })
  it('KV from 10 attention blocks; state bf16 in theory, the SSM part fp32 in vLLM (mamba_ssm_cache_dtype default)', () => {
    const o = {kvFormat: 'bf16', mlaCache: 'latent'} as const
    expect(kvBytesPerTokenAt(s(), 100, o)).toBe(10 * 8 * 256 * 2)
    const conv = di + 2 * 8 * 256
    expect(kvCache(s(), 100, 1, o).linearStateBytes).toBe(54 * (conv * 4 + 256 * 64 * 256) * 2)
    // vLLM: conv (K - 1 = 3 taps) bf16 + SSM state fp32 = 20480 x 3 x 2 + 256 x 64 x 256 x 4 bytes; the attention page
    // (8 x 256 x 2 = 4096 bytes a token) grows in steps of 16 tokens until one page holds it: 4126 tokens -> 4128
    const state = conv * 3 * 2 + 256 * 64 * 256 * 4
    expect(state).toBe(16_900_096)
    const pages = enginePages(s(), 'vllm', {kvFormat: 'bf16'})
    expect(pages.pageTokens).toBe(4128)
    expect(pages.linearStateBytesPerLayer).toBe(4128 * 4096)
  })
  it('refuses a pattern that disagrees with num_hidden_layers', () => {
    expect(() => spec({...raw(), num_hidden_layers: 117}, 'x')).toThrow(/num_hidden_layers 117 does not match the 118 blocks/)
  })
})

describe('nemotron_h (NVIDIA-Nemotron-3-Nano-30B-A3B)', () => {
  const s = () => spec(load('nvidia-nemotron-3-nano-30b-a3b.json'), 'nemotron-3-nano')
  const h = 2688
  const di = 64 * 64
  const mamba = h * (2 * di + 2 * 8 * 128 + 64) + (di + 2 * 8 * 128) * 5 + 3 * 64 + di * h
  const attention = 2 * h * 32 * 128 + 2 * h * 2 * 128
  const expert = 2 * h * 1856 // up, down
  const moe = 128 * expert + 2 * h * 3712 + 128 * h + 128 // experts, shared MLP, router weight + e_score_correction_bias
  // 52 blocks: 23 M, 6 *, 23 E
  const total = 2 * 131072 * h + h + 23 * (mamba + di) + 6 * attention + 23 * moe + 52 * h

  it('total and active parameters', () => {
    const p = paramCounts(s())
    expect(p.totalParams).toBe(total)
    expect(total).toBe(31_577_940_288) // the model card's "31.6B total"
    // Exact in GGUF form: llama.cpp reports n_params 31577940288 for Nemotron-3-Nano-30B-A3B GGUFs (llama-bench
    // model_n_params, search-index file id 58091926432; llama-server /v1/models meta, file id 36988296767)
    expect(p.activeParams).toBe(total - 23 * (128 - 6) * expert) // 6 of 128 experts
    expect(p.activeParams).toBe(3_580_076_352) // "3.6B active" with embeddings
  })
})

// Nemotron 3 Super and Ultra: latent MoE (moe_latent_size). vLLM nemotron_h.py NemotronHMoE (and NVIDIA's remote
// modeling_nemotron_h.py NemotronHMOE): the router (h, E) and the shared expert read the hidden state; fc1_latent_proj
// (h -> L) feeds the routed experts, which run up (L, I) and down (I, L), and fc2_latent_proj (L -> h) brings their sum
// back; no biases (mlp_bias false). Every token runs both projections, so they count in the active parameters too.
// Configs: presets/sources/*.config.json, copied byte-for-byte from the hf-configs-2026 folder (AIC @ 095f58a5).
const preset = (id: string) => spec(parseJsonText(readFileSync(`presets/sources/${id}.config.json`, 'utf8')), id)

describe('nemotron_h latent MoE (NVIDIA-Nemotron-3-Super-120B-A12B-FP8)', () => {
  const s = () => preset('nvidia-nemotron-3-super-120b-a12b-fp8')
  const h = 4096
  const di = 128 * 64
  const mamba = h * (2 * di + 2 * 8 * 128 + 128) + (di + 2 * 8 * 128) * 5 + 3 * 128 + di * h
  const attention = 2 * h * 32 * 128 + 2 * h * 2 * 128 // q, o (32 x 128); k, v (2 x 128)
  const expert = 2 * 1024 * 2688 // up (L, I), down (I, L) at the latent width L = 1024
  const latent = 2 * h * 1024 // fc1_latent_proj, fc2_latent_proj
  const common = latent + 2 * h * 5376 + 512 * h + 512 // latent projections, shared MLP, router + e_score_correction_bias
  // 88 blocks: 40 M, 8 *, 40 E; each one norm; the Mamba blocks' gated norm (di)
  const outside = 2 * 131072 * h + h + 40 * (mamba + di) + 8 * attention + 88 * h
  const total = outside + 40 * (512 * expert + common)
  const active = outside + 40 * (22 * expert + common) // top-22 of 512

  it('total and active parameters', () => {
    const p = paramCounts(s())
    expect(s().moe!.latentSize).toBe(1024)
    expect(p.totalParams).toBe(total)
    expect(total).toBe(120_668_707_840) // "120B total"
    expect(p.activeParams).toBe(active)
    expect(active).toBe(12_770_237_440) // "12B active" (NVIDIA: "a 12B active 120B total parameter" model)
    expect(p.breakdown.routedExperts).toBe(40 * (512 * expert + latent))
    expect(p.breakdown.sharedExperts).toBe(40 * 2 * h * 5376)
  })
  it('KV from 8 attention blocks of 2 x 128', () => {
    expect(kvBytesPerTokenAt(s(), 100, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(8 * 2 * 2 * 128 * 2) // layers x (k, v) x heads x dim x bytes
  })
  it('GGUF: experts at the latent width, ffn_latent_down/up at h x L', () => {
    const t = tensorsOf(s())
    const ne = (name: string) => t.find((x) => x.name === name)?.ne
    expect(ne('blk.1.ffn_up_exps.weight')).toEqual([1024, 2688, 512])
    expect(ne('blk.1.ffn_down_exps.weight')).toEqual([2688, 1024, 512])
    expect(ne('blk.1.ffn_latent_down.weight')).toEqual([h, 1024])
    expect(ne('blk.1.ffn_latent_up.weight')).toEqual([1024, h])
    expect(t.reduce((n, x) => n + x.ne.reduce((a, b) => a * b, 1), 0)).toBe(total)
  })
  it('null moe_latent_size keeps experts at the hidden width', () => {
    const raw = parseJsonText(readFileSync('presets/sources/nvidia-nemotron-3-super-120b-a12b-fp8.config.json', 'utf8')) as Record<string, unknown>
    const plain = spec({...raw, moe_latent_size: null}, 'x')
    expect(plain.moe!.latentSize).toBeUndefined()
    expect(paramCounts(plain).totalParams).toBe(outside + 40 * (512 * 2 * h * 2688 + 2 * h * 5376 + 512 * h + 512))
  })
  // mtp_hybrid_override_pattern "*E": an attention block (norm + attention) with enorm, hnorm and eh_proj (2h -> h),
  // then a MoE block (norm + latent MoE) with final_layernorm; embedding and head are the main model's
  // (vLLM nemotron_h_mtp.py NemotronHMTPAttentionDecoderLayer, NemotronHMTPMoEDecoderLayer).
  it('the MTP module, counted apart: one attention block and one MoE block', () => {
    const p = paramCounts(s())
    expect(s().mtpLayers).toBe(1)
    const mtp = (h + attention) + (h + 512 * expert + common) + 2 * h + 2 * h * h + h
    expect(p.mtpParams).toBe(mtp)
    expect(mtp).toBe(2_942_325_248)
    expect(p.totalParams).toBe(total) // the module stays apart from the total
  })
  it('an MTP module the config does not describe is noted, and a narrower one refused', () => {
    const raw = parseJsonText(readFileSync('presets/sources/nvidia-nemotron-3-super-120b-a12b-fp8.config.json', 'utf8')) as Record<string, unknown>
    const {mtp_hybrid_override_pattern: _pattern, ...bare} = raw
    const noted = spec(bare, 'x')
    expect(noted.mtpLayers).toBe(0)
    expect(noted.notes?.join(' ')).toMatch(/MTP module\(s\) .* not counted/)
    expect(() => spec({...raw, mtp_bottleneck_hidden_size: 1536}, 'x')).toThrow(/mtp_bottleneck_hidden_size/)
  })
})

describe('nemotron_h latent MoE (NVIDIA-Nemotron-3-Ultra-550B-A55B-BF16, layers_block_type mamba/attention/moe)', () => {
  const s = () => preset('nvidia-nemotron-3-ultra-550b-a55b-bf16')
  const h = 8192
  const di = 256 * 64
  const mamba = h * (2 * di + 2 * 8 * 128 + 256) + (di + 2 * 8 * 128) * 5 + 3 * 256 + di * h
  const attention = 2 * h * 64 * 128 + 2 * h * 2 * 128
  const expert = 2 * 2048 * 5120 // latent L = 2048
  const common = 2 * h * 2048 + 2 * h * 10240 + 512 * h + 512
  // 108 blocks: 48 mamba, 12 attention, 48 moe
  const outside = 2 * 131072 * h + h + 48 * (mamba + di) + 12 * attention + 108 * h

  it('total and active parameters', () => {
    const p = paramCounts(s())
    expect(p.totalParams).toBe(outside + 48 * (512 * expert + common))
    expect(p.totalParams).toBe(549_308_993_536) // "550B"
    expect(p.activeParams).toBe(outside + 48 * (22 * expert + common))
    expect(p.activeParams).toBe(56_058_843_136) // "A55B"
  })
  it('KV from 12 attention blocks of 2 x 128', () => {
    expect(kvBytesPerTokenAt(s(), 100, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(12 * 2 * 2 * 128 * 2)
  })
  it('the MTP module from mtp_layers_block_type ["attention", "moe"]', () => {
    expect(paramCounts(s()).mtpParams).toBe((h + attention) + (h + 512 * expert + common) + 3 * h + 2 * h * h)
  })
})
