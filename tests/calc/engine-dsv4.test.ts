// DeepSeek-V4's KV cache as vLLM and SGLang reserve it (src/calc/engine-dsv4.ts), worked by hand from their source:
// vLLM kv_cache_interface.py / kv_cache_utils.py / deepseek_v4_attention.py / deepseek_compressor.py / sparse_swa.py,
// SGLang pool_configurator.py DSV4PoolConfigurator and apply_deepseek_v4_defaults.
import {describe, expect, it} from 'vitest'
import {engineBudget} from '../../src/calc/engine-budget.js'
import {dsv4EntryBytes, dsv4IndexerKeyBytes, dsv4Layers, dsv4StateBytes, approximateGcd, sglangDsv4Pools, vllmDsv4BlocksPerRequest, vllmDsv4Capacity, vllmDsv4Layout} from '../../src/calc/engine-dsv4.js'
import {engineKvBytes} from '../../src/calc/engines.js'
import {memoryScenarioFor} from '../../src/calc/deployment.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'

const budget = (model: string, hardware: string, flags: Record<string, string | boolean>, devices = 1) => {
  const spec = loadModel(model)
  const input = scenarioInput(flags)
  const costed = memoryScenarioFor(spec, input, devices)
  return engineBudget(spec, costed.scenario, loadHardware(hardware), input.engineSettings, costed.memoryUtilization)
}
const flash = loadModel('deepseek-v4-flash')
const pro = loadModel('deepseek-v4-pro')
const GiB = 2 ** 30

describe('DeepSeek-V4 entries as both engines store them', () => {
  const l = dsv4Layers(flash)!
  it('V4-Flash: 43 window layers, 21 CSA (ratio 4), 20 HCA (ratio 128)', () => {
    expect([l.windowLayers, l.csaLayers, l.hcaLayers, l.csaRatio, l.hcaRatio, l.windowTokens]).toEqual([43, 21, 20, 4, 128, 128])
  })
  it('a latent entry is 584 bytes, an index key 132, the compressor states fp32', () => {
    expect(dsv4EntryBytes(l)).toBe(448 + 64 * 2 + 448 / 64 + 1) // fp8 NoPE + bf16 RoPE + ue8m0 scales + pad = 584
    expect(dsv4IndexerKeyBytes(l)).toBe(128 + 4) // fp8 key + one fp32 scale
    expect(dsv4StateBytes(512, true)).toBe(2 * 2 * 512 * 4) // CSA: (kv, score) x 2 overlapping windows x fp32 = 8192
    expect(dsv4StateBytes(128, true)).toBe(2 * 2 * 128 * 4) // the indexer's CSA compressor = 2048
    expect(dsv4StateBytes(512, false)).toBe(2 * 512 * 4) // HCA: (kv, score) x fp32 = 4096
  })
  it('no layout for a model without compressed layers', () => {
    expect(vllmDsv4Layout(loadModel('llama-3.1-8b'))).toBeNull()
    expect(sglangDsv4Pools(loadModel('llama-3.1-8b'), 1, GiB, 0.1)).toBeNull()
  })
})

describe('vLLM: five KV cache groups over one block pool', () => {
  const v = vllmDsv4Layout(flash)!
  it('pages of 256-token blocks, padded to 576 bytes', () => {
    expect(v.tuplePageBytes).toEqual([
      3 * 576, // HCA latents: 256 / 128 = 2 entries x 584 = 1168 -> 1728
      15 * 576, // CSA index keys: 256 / 4 = 64 x 132 = 8448 -> 8640
      65 * 576, // CSA latents: 64 x 584 = 37,376 -> 37,440 (the window pages, 64 tokens x 584, are the same)
    ])
  })
  it('layer tuples: the padding-minimising count over 21 compressed, 43 window, 21 CSA-state, 20 HCA-state layers', () => {
    expect(approximateGcd([21, 43, 21, 20], 21)).toBe(22) // padding 1 + 1 + 1 + 2 = 5 (21 pads 20 + 1 = 21)
    expect(v.layerTuples).toBe(22) // the 43 window layers split 22 + 21
    expect(v.blockBytes).toBe((1728 + 8640 + 37_440) * 22) // 1,051,776 bytes a block id
    expect(v.groups.map((g) => g.name)).toEqual(['compressed', 'window.0', 'window.1', 'csa-state', 'hca-state'])
  })
  it('V4-Pro: 30 CSA, 31 HCA, 61 windows -> 31 tuples, the windows in 2 groups', () => {
    const p = vllmDsv4Layout(pro)!
    expect(approximateGcd([31, 61, 30, 31], 31)).toBe(31) // padding 0 + 1 + 1 + 0
    expect(p.blockBytes).toBe((1728 + 8640 + 37_440) * 31)
    expect(p.groups).toHaveLength(5)
  })
  it('reproduces vllm#44376: V4-Flash TP2, max_model_len 30000, LLM() batching 16384 -> "6.66 GiB KV cache is needed", 13528 in 5.44 GiB', () => {
    // compressed cdiv(30000, 256) = 118; 2 window groups cdiv(127 + 16384, 64) + 1 = 259; CSA states
    // cdiv(7 + 16384, 4) + 1 = 4099; HCA states cdiv(127 + 16384, 8) + 1 = 2065
    expect(vllmDsv4BlocksPerRequest(v, 30_000, 16_384)).toBe(118 + 2 * 259 + 4099 + 2065)
    const needed = 6800 * 1_051_776
    expect((needed / GiB).toFixed(2)).toBe('6.66')
    // At 13528 tokens: 53 + 2 x (cdiv(13528, 64) + 1) + (cdiv(13528, 4) + 1) + (cdiv(13528, 8) + 1) = 5554 blocks.
    const pool = (53 + 2 * 213 + 3383 + 1692) * 1_051_776
    expect((pool / GiB).toFixed(2)).toBe('5.44')
    expect(vllmDsv4Capacity(v, pool, 30_000, 16_384).capacityTokens).toBe(13_528)
  })
  it('V4-Flash on 8 x H200 at 128K: blocks of 1,051,776 bytes, 3866 a request, "GPU KV cache size" = concurrency x 131,072', () => {
    const b = budget('deepseek-v4-flash', 'h200', {engine: 'vllm', context: '131072'}, 8)
    const blocks = Math.floor(b.kvCachePoolBytesPerDevice / 1_051_776)
    expect(b.blocks).toBe(blocks)
    // compressed 131072 / 256 = 512; windows 2 x (cdiv(127 + 8192, 64) + 1) = 2 x 131; CSA states cdiv(7 + 8192, 4) + 1 = 2051;
    // HCA states cdiv(127 + 8192, 8) + 1 = 1041
    const perRequest = 512 + 2 * 131 + 2051 + 1041
    expect(b.maxConcurrency).toBeCloseTo(blocks / perRequest, 10)
    expect(b.engineReportedKvTokens).toBe(Math.floor((blocks / perRequest) * 131_072))
    expect(b.engineLog).toContain(`GPU KV cache size: ${b.engineReportedKvTokens.toLocaleString('en-US')} tokens`)
    // The longest single request: its fixed 3354 window and state blocks, then 256 tokens a block.
    expect(b.capacityTokens).toBe((blocks - (2 * 131 + 2051 + 1041)) * 256)
    expect(b.blockTokens).toBe(256)
  })
  it('a decoding request holds its compressed blocks and one step of windows and states', () => {
    // 512 + 2 x (cdiv(127 + 1, 64) + 1) + (cdiv(7 + 1, 4) + 1) + (cdiv(127 + 1, 8) + 1) = 512 + 6 + 3 + 17
    expect(engineKvBytes(flash, 131_072, 2, 'vllm', {kvFormat: 'fp8'})).toBe(2 * (512 + 6 + 3 + 17) * 1_051_776)
  })
})

describe('SGLang: DSV4PoolConfigurator sizes six pools from bytes per full token', () => {
  const bytesPerFullToken =
    0.1 * 584 * 43 + // SWA latents: swa_full_tokens_ratio 0.1 x 43 layers
    (584 / 4) * 21 + // CSA latents
    (584 / 128) * 20 + // HCA latents
    (132 / 4) * 21 + // CSA index keys
    0.1 * (8 / 128) * 8192 * 21 + // CSA compressor states: ring of 8 per 128-token SWA page
    0.1 * (8 / 128) * 2048 * 21 // the indexer's compressor states
  it('7705.45 bytes per full token; the HCA states are sized by 256 running requests', () => {
    expect(bytesPerFullToken).toBeCloseTo(2511.2 + 3066 + 91.25 + 693 + 1075.2 + 268.8, 9)
    const p = sglangDsv4Pools(flash, 1, 100 * GiB, 0.1)!
    expect(p.bytesPerFullToken).toBeCloseTo(7705.45, 9)
    // (257 slots x 128 + 128 + 1) rows, rounded up to 128 = 33,152 rows x (kv, score) 2 x 512 fp32 x 20 layers
    expect(p.hcaStateFixedBytes).toBe(33_152 * 4096 * 20)
  })
  it('V4-Flash on 8 x H200 at 128K: max_total_num_tokens from the pool, page-aligned to 256', () => {
    const b = budget('deepseek-v4-flash', 'h200', {engine: 'sglang', context: '131072'}, 8)
    const rest = b.kvCachePoolBytesPerDevice
    const full = Math.floor(Math.floor((rest - 2_715_811_840) / bytesPerFullToken) / 256) * 256
    expect(b.engineReportedKvTokens).toBe(full)
    expect(b.kvBytesPerTokenPerDevice).toBeCloseTo(7705.45, 9)
    const swa = Math.floor(Math.floor(full * 0.1) / 256) * 256
    expect(b.engineLog).toContain(`DSV4 pool sizes: full=${full}, swa=${swa}, c4=${Math.floor(full / 4)}, c128=${Math.floor(full / 128)}, c4_state=${Math.floor(swa / 128) * 8}, c128_state=0`)
    // Concurrency: the full pool over the context (the SWA pool holds 0.1 x full / 512 and 256 slots are more).
    expect(b.maxConcurrency).toBeCloseTo(full / 131_072, 10)
  })
  it('keeps an explicit --swa-full-tokens-ratio', () => {
    const b = budget('deepseek-v4-flash', 'h200', {engine: 'sglang', context: '131072', 'swa-full-tokens-ratio': '0.5'}, 8)
    expect(b.kvBytesPerTokenPerDevice).toBeCloseTo(0.5 * 584 * 43 + 3066 + 91.25 + 693 + 0.5 * (8 / 128) * (8192 + 2048) * 21, 9)
  })
  it('a request holds its window and a page, its compressed entries by 256-token pages, and its state rings', () => {
    const L = 131_072
    const window = 512 // 128 + 256 rounded up to 256-token pages
    const bytes = window * 584 * 43 + (L / 4) * (584 + 132) * 21 + (L / 128) * 584 * 20 + (window / 128) * 8 * (8192 + 2048) * 21 + 128 * 4096 * 20
    expect(engineKvBytes(flash, L, 1, 'sglang', {kvFormat: 'fp8'})).toBe(bytes)
  })
})
