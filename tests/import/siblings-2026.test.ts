// Issue #16: siblings of the 2026 presets that archcost was never tuned on import to the exact count. Each fixture is
// the released config.json, copied byte for byte from ai-dynamo/aiconfigurator @ 095f58a5 (tests/fixtures/hf/SOURCES.md);
// each count is worked out by hand from the reference implementation and checked against the published checkpoint.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {quantizedCheckpointBytes} from '../../src/calc/quantized.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/import/config.js'
import {importHfConfig, importHfConfigReport} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => parseJsonText(readFileSync(`tests/fixtures/hf/${file}`, 'utf8')) as Record<string, unknown>
const spec = (file: string, config: unknown = load(file)) => parseModelSpec(importHfConfig(config, {id: file.replace(/\.json$/, '')}), file)
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

// Qwen3VLVisionModel / Qwen3_5VisionModel (modeling_qwen3_vl.py, modeling_qwen3_5.py): Conv3d patch_embed (3 x 2 x 16 x 16
// -> 1152, bias), pos_embed 2304 x 1152, 27 blocks (two LayerNorms, qkv and proj with bias, fc1/fc2 1152 <-> 4304 with
// bias), the merger (LayerNorm(1152), fc1 4608 -> 4608, fc2 4608 -> out, biases); each deepstack merger normalises the
// 4608-wide shuffled input (use_postshuffle_norm) before the same two layers.
function visionTower(out: number, deepstack: number): number {
  const v = 1152
  const block = 4 * v + (v * 3 * v + 3 * v) + (v * v + v) + (v * 4304 + 4304) + (4304 * v + v)
  const merger = (normWidth: number) => 2 * normWidth + (4 * v * 4 * v + 4 * v) + (4 * v * out + out)
  return 3 * 2 * 16 * 16 * v + v + 2304 * v + 27 * block + merger(v) + deepstack * merger(4 * v)
}

describe('qwen3_5_moe sibling: Qwen3.5-35B-A3B (h 2048, 40 layers, 256 experts of 512, top-8)', () => {
  const h = 2048
  // Qwen3_5MoeGatedDeltaNet: in_proj_qkv (h, 2 x 16 x 128 + 32 x 128 = 8192), in_proj_z (h, 32 x 128), in_proj_b and
  // in_proj_a (h, 32 each), conv1d (8192 channels x 4, no bias), dt_bias + A_log (32 each), gated norm (128), out_proj
  const deltaNet = h * 8192 + h * 32 * 128 + 2 * h * 32 + 8192 * 4 + 2 * 32 + 128 + 32 * 128 * h
  // Qwen3_5MoeAttention: q_proj (h, 2 x 16 x 256: query and output gate), k/v (h, 2 x 256), o (16 x 256, h), q/k norms (256)
  const attention = h * 2 * 16 * 256 + 2 * h * 2 * 256 + 16 * 256 * h + 2 * 256
  const expert = 3 * h * 512 // gate, up, down (moe_intermediate_size 512)
  // router (256, h), shared_expert (512 wide, shared_expert_intermediate_size), shared_expert_gate (1, h)
  const moe = 256 * h + 256 * expert + expert + h
  const total = 2 * 248320 * h /* untied */ + 30 * deltaNet + 10 * attention + 40 * (moe + 2 * h) + h
  // Qwen3_5MoeMultiTokenPrediction: one full-attention MoE layer, fc (2h -> h) and pre_fc_norm_hidden/embedding + norm
  const mtp = attention + 2 * h + moe + 2 * h * h + 3 * h
  const vision = visionTower(2048, 0) // deepstack_visual_indexes []

  it('total, active, MTP and vision tower', () => {
    const p = paramCounts(spec('qwen3.5-35b-a3b.json'))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(34_660_610_688)
    expect(p.activeParams).toBe(total - 40 * (256 - 8) * expert)
    expect(p.mtpParams).toBe(mtp)
    expect(p.encoderParams).toBe(vision)
    // Exact match: the Hub's safetensors parameter count of Qwen/Qwen3.5-35B-A3B is 35,951,822,704 (a model catalogue's
    // parameters_raw, search-index file ids 52555998385, 55778153074), and Qwen/Qwen3.6-35B-A3B (same config layout)
    // publishes model.safetensors.index.json total_size 71,903,645,408 bytes = 2 x 35,951,822,704, every tensor bf16
    // (file ids 57767676087, 56114180122; Hub API safetensors.total 35951822704, file id 71127054961).
    expect(total + mtp + vision).toBe(35_951_822_704)
    expect(2 * (total + mtp + vision)).toBe(71_903_645_408)
  })
  it('KV: 10 full layers x K and V x 2 KV heads x 256 in bf16', () => {
    expect(kvBytesPerTokenAt(spec('qwen3.5-35b-a3b.json'), 1000, bf16)).toBe(10 * 2 * 2 * 256 * 2)
  })
  it('ModelOpt ignore entries in Qwen3.5 names (linear_attn*, shared_expert*) keep those modules bf16', () => {
    // As NVIDIA's Qwen3.5-122B-A10B-NVFP4 writes them: every DeltaNet projection (in_proj_qkv, in_proj_z, in_proj_b,
    // in_proj_a, out_proj), the shared expert and its gate, self_attn and lm_head stay bf16; only the routed experts
    // are NVFP4 (packed weight, fp8 scale per 16, fp32 weight_scale_2 and input_scale).
    const ignore = ['lm_head', 'model.language_model.layers.*.linear_attn*', 'model.language_model.layers.*.mlp.shared_expert*', 'model.language_model.layers.*.self_attn*']
    const quantized = {...load('qwen3.5-35b-a3b.json'), quantization_config: {quant_method: 'modelopt', quant_algo: 'NVFP4', group_size: 16, ignore}}
    const expertElements = 40 * 256 * expert
    const nvfp4 = expertElements / 2 + expertElements / 16 + 40 * 256 * 3 * (4 + 4)
    expect(quantizedCheckpointBytes(spec('x.json', quantized))!.totalBytes).toBe(nvfp4 + 2 * (total - expertElements))
  })
})

describe('qwen3_vl_moe sibling: Qwen3-VL-30B-A3B-Instruct (h 2048, 48 layers, 128 experts of 768, top-8)', () => {
  const h = 2048
  // Qwen3VLMoeTextAttention: q (h, 32 x 128), k/v (h, 4 x 128), o (32 x 128, h), no bias; q_norm + k_norm (128)
  const attention = h * 32 * 128 + 2 * h * 4 * 128 + 32 * 128 * h + 2 * 128
  const expert = 3 * h * 768 // Qwen3VLMoeTextExperts: gate_up_proj (h -> 2 x 768) and down_proj (768 -> h)
  const layer = attention + 2 * h + 128 * h /* router */ + 128 * expert
  const total = 2 * 151936 * h /* untied */ + 48 * layer + h
  const vision = visionTower(2048, 3) // deepstack_visual_indexes [8, 16, 24]

  it('total, active and the vision tower', () => {
    const p = paramCounts(spec('qwen3-vl-30b-a3b-instruct.json'))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(30_532_122_624)
    expect(p.activeParams).toBe(total - 48 * (128 - 8) * expert)
    expect(p.encoderParams).toBe(vision)
    expect(vision).toBe(538_631_408)
    // Exact match: a hosting provider's model list gives paramCount 31,070,754,032 for Qwen3-VL-30B-A3B (search-index
    // file id 66729435508), and an mlx census of the checkpoint counts total_params 31070754032 (file id 61938983991).
    expect(total + vision).toBe(31_070_754_032)
  })
})

describe('glm_moe_dsa siblings: GLM-5 and GLM-5-FP8 (78 layers, an indexer on every layer)', () => {
  const h = 6144
  // As tests/import/glm_moe_dsa.test.ts (GLM-5.2), but GLM-5's config has no IndexShare keys: GlmMoeDsaConfig's
  // index_topk_freq default 1 builds a DeepseekV32Indexer on all 78 layers.
  const attention = h * 2048 + 2048 * 64 * (192 + 64) + h * (512 + 64) + 512 * 64 * (192 + 256) + 64 * 256 * h
  const indexer = 2048 * 32 * 128 + h * 128 + h * 32 + 2 * 128 // wq_b, wk, weights_proj, k_norm (weight + bias)
  const norms = 2 * h + 2048 + 512
  const expert = 3 * h * 2048
  const denseLayer = attention + indexer + norms + 3 * h * 12288
  const moeLayer = attention + indexer + norms + 256 * expert + expert /* shared */ + 256 * h + 256 /* router + bias */
  const total = 2 * 154880 * h + 3 * denseLayer + 75 * moeLayer + h
  const mtp = moeLayer + 3 * h + 2 * h * h // model.layers.78: enorm, hnorm, shared_head.norm, eh_proj (2h, h)

  it('GLM-5: total, active and the MTP layer', () => {
    const p = paramCounts(spec('glm-5.json'))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(743_911_218_432)
    expect(p.activeParams).toBe(total - 75 * (256 - 8) * expert)
    expect(p.mtpParams).toBe(mtp)
    // Exact match: the Hub counts 753,864,139,008 parameters for zai-org/GLM-5 and for GLM-5.1 (whose config differs
    // only in transformers_version), MTP layer included (a model table of Hub figures, search-index file id 69468411049).
    expect(total + mtp).toBe(753_864_139_008)
  })
  it('GLM-5-FP8: the same weights; the block-FP8 scales are the Hub count\'s 45,885,024 extra elements', () => {
    const s = spec('glm-5-fp8.json')
    expect(paramCounts(s).totalParams).toBe(total)
    // FineGrainedFP8 (weight_block_size [128, 128]): weight_scale_inv of ceil(out / 128) x ceil(in / 128) fp32 per
    // quantized Linear; modules_to_not_convert keeps the norms, routers, indexers' weights_proj, embeddings and head.
    const blocks = (inF: number, outF: number) => Math.ceil(outF / 128) * Math.ceil(inF / 128)
    const attnScales = blocks(h, 2048) + blocks(2048, 64 * 256) + blocks(h, 576) + blocks(512, 64 * 448) + blocks(64 * 256, h)
    const indexerScales = blocks(2048, 32 * 128) + blocks(h, 128) // wq_b, wk
    const expertScales = 2 * blocks(h, 2048) + blocks(2048, h)
    const denseScales = 2 * blocks(h, 12288) + blocks(12288, h)
    const scales = 3 * (attnScales + indexerScales + denseScales) + 75 * (attnScales + indexerScales + 257 * expertScales)
    expect(scales).toBe(45_282_240)
    const q = quantizedCheckpointBytes(s)!
    const scaleElements = q.tensors.flatMap((t) => t.stored.filter((x) => x.suffix === 'weight_scale_inv').map((x) => t.copies * x.shape.reduce((a, b) => a * b, 1)))
    expect(scaleElements.reduce((a, b) => a + b, 0)).toBe(scales)
    // Exact match: the Hub counts 753,910,024,032 elements for zai-org/GLM-5-FP8 (and GLM-5.1-FP8), which is the bf16
    // model's 753,864,139,008 plus these scales and those of the MTP layer (a MoE layer's; its eh_proj is not converted).
    const mtpScales = attnScales + indexerScales + 257 * expertScales
    expect(total + mtp + scales + mtpScales).toBe(753_910_024_032)
  })
  it('KV: the MLA latent and the index key, (512 + 64 + 128) x 78 layers in bf16 (an indexer on every layer)', () => {
    expect(kvBytesPerTokenAt(spec('glm-5.json'), 1, bf16)).toBe((512 + 64 + 128) * 78 * 2)
  })
})

describe('nemotron_h sibling: NVIDIA-Nemotron-3.5-Lightning-30B-A3B-NVFP4 (layers_block_type, an MTP module)', () => {
  const h = 2688
  const di = 64 * 64
  // As Nemotron 3 Nano (tests/import/nemotron_h.test.ts): Mamba-2 mixer (in_proj, conv1d with bias, dt_bias/A_log/D,
  // out_proj), GQA attention 32/2 x 128, MoE of 128 relu2 experts of 1856 + a shared MLP of 3712 + router and bias.
  const mamba = h * (2 * di + 2 * 8 * 128 + 64) + (di + 2 * 8 * 128) * 5 + 3 * 64 + di * h
  const attention = 2 * h * 32 * 128 + 2 * h * 2 * 128
  const expert = 2 * h * 1856
  const moe = 128 * expert + 2 * h * 3712 + 128 * h + 128
  const total = 2 * 131072 * h + h + 23 * (mamba + di) + 6 * attention + 23 * moe + 52 * h // 23 M, 6 *, 23 E blocks
  // mtp_layers_block_type ["attention", "moe"] (vLLM nemotron_h_mtp.py): two blocks with their norms, enorm, hnorm,
  // eh_proj (2h -> h) and the final norm.
  const mtp = (h + attention) + (h + moe) + 3 * h + 2 * h * h

  it('total, active and MTP', () => {
    const s = spec('nvidia-nemotron-3.5-lightning-30b-a3b-nvfp4.json')
    const p = paramCounts(s)
    expect(p.totalParams).toBe(total)
    expect(total).toBe(31_577_940_288) // the Nano's count: the same blocks, now listed in layers_block_type
    expect(p.activeParams).toBe(total - 23 * (128 - 6) * expert)
    expect(p.mtpParams).toBe(mtp)
    // Exact match: llama.cpp reports n_params 32,913,266,240 for NVIDIA-Nemotron-3.5-Lightning-30B-A3B-Q8_0.gguf, its
    // MTP tensors included (search-index file id 59317774154).
    expect(total + mtp).toBe(32_913_266_240)
  })
  it('KV: 6 attention blocks x K and V x 2 heads x 128 in bf16', () => {
    expect(kvBytesPerTokenAt(spec('nvidia-nemotron-3.5-lightning-30b-a3b-nvfp4.json'), 100, bf16)).toBe(6 * 2 * 2 * 128 * 2)
  })
})

describe('minimax_m2 sibling: MiniMax-M2.7-NVFP4 (NVIDIA ModelOpt re-export, "sliding_window": null)', () => {
  const h = 3072
  const attention = h * 48 * 128 + 2 * h * 8 * 128 + 48 * 128 * h + 48 * 128 + 8 * 128 // no biases; q/k norms over all heads
  const expert = 3 * h * 1536
  const total = 2 * 200064 * h + 62 * (attention + 2 * h + 256 * expert + 256 * h + 256) + h

  it('imports without a warning, to MiniMax-M2.7\'s count', () => {
    expect(importHfConfigReport(load('minimax-m2.7-nvfp4.json'), {id: 'minimax-m2.7-nvfp4'}, true).warnings).toEqual([]) // strict: no unknown key
    const p = paramCounts(spec('minimax-m2.7-nvfp4.json'))
    expect(p.totalParams).toBe(total)
    // Exact match: MiniMax-M2.7's 228,689,764,864 (Hub safetensors total and llama-server over its GGUFs; see
    // tests/import/minimax_m2.test.ts).
    expect(total).toBe(228_689_764_864)
    expect(p.activeParams).toBe(total - 62 * (256 - 8) * expert)
  })
  it('stored bytes, by hand: NVFP4 experts, the rest bf16 (ignore lists every self_attn, the gates and lm_head)', () => {
    const s = spec('minimax-m2.7-nvfp4.json')
    const expertElements = 62 * 256 * expert
    // ModelOpt NVFP4 per Linear: weight U8 (2 values a byte), weight_scale F8 (one per 16 inputs), weight_scale_2 and
    // input_scale F32 scalars; every other tensor bf16; k_scale and v_scale F32 per attention layer.
    const nvfp4 = expertElements / 2 + expertElements / 16 + 62 * 256 * 3 * (4 + 4)
    const plain = 2 * (total - expertElements)
    expect(quantizedCheckpointBytes(s)!.totalBytes).toBe(nvfp4 + plain + 62 * 2 * 4)
    // no published total_size was found for nvidia/MiniMax-M2.7-NVFP4: this is the hand-derived figure
    expect(nvfp4 + plain + 62 * 2 * 4).toBe(134_401_725_936)
  })
  it('a sliding window MiniMax-M2 does not have is refused', () => {
    const raw = load('minimax-m2.7-nvfp4.json')
    expect(() => spec('x.json', {...raw, sliding_window: 4096})).toThrow(/"sliding_window" 4096 is not part of MiniMax-M2/)
  })
})

describe('kimi_k25 sibling: NVIDIA Kimi-K2.6-NVFP4 (deepseek_v3 text_config, quantization_config on the wrapper)', () => {
  const h = 7168
  const attention = h * 1536 + 1536 * 64 * 192 + h * 576 + 512 * 64 * 256 + 64 * 128 * h
  const norms = 2 * h + 1536 + 512
  const expert = 3 * h * 2048
  const total = 2 * 163840 * h + (attention + norms + 3 * h * 18432) + 60 * (attention + norms + 385 * expert + 384 * h + 384) + h

  it('the text model counts as Kimi K2', () => {
    const p = paramCounts(spec('kimi-k2.6-nvfp4.json'))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(1_026_408_232_448)
    expect(p.activeParams).toBe(total - 60 * (384 - 8) * expert)
    // Off by the vision tower: a safetensors-header audit of moonshotai/Kimi-K2.5, K2.6 and K2.7-Code finds
    // 1,026,879,376,368 logical parameters each (search-index file id 68577105039); the 471,143,920 more than the text
    // model are MoonViT and its projector, which archcost does not count for kimi_k25 (the spec notes it).
    expect(1_026_879_376_368 - total).toBe(471_143_920)
  })
  it('the wrapper-level NVFP4 quantization_config is read: experts NVFP4; layer 0, attention and shared experts bf16', () => {
    const s = spec('kimi-k2.6-nvfp4.json')
    expect(s.checkpointWeights).toEqual({embeddings: 'bf16', linear: 'nvfp4', experts: 'nvfp4', unquantized: 'bf16'})
    const expertElements = 60 * 384 * expert
    const q = quantizedCheckpointBytes(s)!
    expect(q.bytes.experts).toBe(expertElements / 2 + expertElements / 16 + 60 * 384 * 3 * (4 + 4))
  })
})

// ModelOpt MIXED_PRECISION (vLLM modelopt.py ModelOptMixedPrecisionConfig): quantized_layers names each quantized module
// with its quant_algo. FP8 stores an fp8 weight + fp32 weight_scale and input_scale; W4A16_NVFP4 the packed weight (two
// values a byte), fp8 weight_scale per 16 inputs and an fp32 weight_scale_2, no input_scale (16-bit activations).
const fp8Bytes = (inF: number, outF: number) => inF * outF + 4 + 4
const w4a16Bytes = (inF: number, outF: number) => (inF * outF) / 2 + (inF / 16) * outF + 4

describe('qwen3_5 sibling: NVIDIA Qwen3.6-27B-NVFP4 (MIXED_PRECISION: FP8 attention, W4A16 NVFP4 MLPs)', () => {
  const h = 5120
  // As tests/import/qwen3_5.test.ts (Qwen3.5-27B; Qwen3.6-27B has the same config): 48 DeltaNet + 16 gated attention
  // layers, dense MLP 17408, untied vocab 248320.
  const deltaNet = h * 10240 + h * 48 * 128 + 2 * h * 48 + 10240 * 4 + 2 * 48 + 128 + 48 * 128 * h
  const attention = h * 2 * 24 * 256 + 2 * h * 4 * 256 + 24 * 256 * h + 2 * 256
  const mlp = 3 * h * 17408
  const total = 2 * 248320 * h + h + 48 * deltaNet + 16 * attention + 64 * (2 * h + mlp)
  const mtp = attention + 2 * h + mlp + 2 * h * h + 3 * h
  const vision = visionTower(h, 0)

  it('imports (strict) to Qwen3.6-27B\'s published count', () => {
    expect(importHfConfigReport(load('qwen3.6-27b-nvfp4.json'), {id: 'q'}, true).warnings).toEqual([])
    const p = paramCounts(spec('qwen3.6-27b-nvfp4.json'))
    expect(p.totalParams).toBe(total)
    expect(p.mtpParams).toBe(mtp)
    expect(p.encoderParams).toBe(vision)
    // Exact match: the Hub counts 27,781,427,952 parameters for Qwen/Qwen3.6-27B (a model-licence table of Hub figures,
    // search-index file id 71142266638), the bf16 original of this checkpoint.
    expect(total + mtp + vision).toBe(27_781_427_952)
  })
  it('stored bytes of the text model, tensor by tensor', () => {
    const s = spec('qwen3.6-27b-nvfp4.json')
    // FP8: each DeltaNet layer's in_proj_qkv, in_proj_z, out_proj; each attention layer's q, k, v, o
    const fp8 = 48 * (fp8Bytes(h, 10240) + fp8Bytes(h, 48 * 128) + fp8Bytes(48 * 128, h)) + 16 * (fp8Bytes(h, 2 * 24 * 256) + 2 * fp8Bytes(h, 4 * 256) + fp8Bytes(24 * 256, h))
    const nvfp4 = 64 * (2 * w4a16Bytes(h, 17408) + w4a16Bytes(17408, h)) // gate, up, down
    const fp8Elements = 48 * (h * 10240 + h * 48 * 128 + 48 * 128 * h) + 16 * (h * 2 * 24 * 256 + 2 * h * 4 * 256 + 24 * 256 * h)
    const plain = 2 * (total - fp8Elements - 64 * mlp) // embeddings, head, norms, in_proj_b/a, conv1d, dt_bias, A_log: bf16
    const kvScales = 16 * 2 * 4 // kv_cache_quant_algo FP8: k_scale and v_scale per attention layer
    expect(quantizedCheckpointBytes(s)!.totalBytes).toBe(fp8 + nvfp4 + plain + kvScales)
    expect(s.checkpointWeights).toEqual({embeddings: 'bf16', linear: 'fp8', experts: 'fp8', unquantized: 'bf16'})
  })
})

describe('qwen3_5_moe sibling: NVIDIA Qwen3.6-35B-A3B-NVFP4 (MIXED_PRECISION: FP8 attention, W4A16 NVFP4 experts)', () => {
  const h = 2048
  const deltaNet = h * 8192 + h * 32 * 128 + 2 * h * 32 + 8192 * 4 + 2 * 32 + 128 + 32 * 128 * h
  const attention = h * 2 * 16 * 256 + 2 * h * 2 * 256 + 16 * 256 * h + 2 * 256
  const expert = 3 * h * 512
  const moe = 256 * h + 256 * expert + expert + h
  const total = 2 * 248320 * h + 30 * deltaNet + 10 * attention + 40 * (moe + 2 * h) + h

  it('imports to the Qwen3.5-35B-A3B count (same config), the published Qwen3.6-35B-A3B figure', () => {
    const p = paramCounts(spec('qwen3.6-35b-a3b-nvfp4.json'))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(total - 40 * (256 - 8) * expert)
    // Exact match: Qwen/Qwen3.6-35B-A3B total_size 71,903,645,408 bytes = 2 x 35,951,822,704 (see Qwen3.5-35B-A3B above)
    expect(2 * (total + p.mtpParams + p.encoderParams)).toBe(71_903_645_408)
  })
  it('stored bytes of the text model, tensor by tensor', () => {
    const s = spec('qwen3.6-35b-a3b-nvfp4.json')
    const fp8 = 30 * (fp8Bytes(h, 8192) + fp8Bytes(h, 32 * 128) + fp8Bytes(32 * 128, h)) + 10 * (fp8Bytes(h, 2 * 16 * 256) + 2 * fp8Bytes(h, 2 * 256) + fp8Bytes(16 * 256, h))
    // mlp.experts (all 256 experts' gate, up, down) and the shared expert's three projections
    const nvfp4 = 40 * 257 * (2 * w4a16Bytes(h, 512) + w4a16Bytes(512, h))
    const fp8Elements = 30 * (h * 8192 + h * 32 * 128 + 32 * 128 * h) + 10 * (h * 2 * 16 * 256 + 2 * h * 2 * 256 + 16 * 256 * h)
    const plain = 2 * (total - fp8Elements - 40 * 257 * expert) // no kv_cache_quant_algo: no k/v scales
    expect(quantizedCheckpointBytes(s)!.totalBytes).toBe(fp8 + nvfp4 + plain)
    expect(s.checkpointWeights).toEqual({embeddings: 'bf16', linear: 'fp8', experts: 'nvfp4', unquantized: 'bf16'})
  })
  it('a quant_algo MIXED_PRECISION does not know is one clear line', () => {
    const raw = load('qwen3.6-35b-a3b-nvfp4.json') as {quantization_config: {quantized_layers: Record<string, unknown>}}
    raw.quantization_config.quantized_layers['model.language_model.layers.0.mlp.experts'] = {quant_algo: 'W4A8_AWQ'}
    expect(() => spec('x.json', raw)).toThrow(/quant_algo "W4A8_AWQ" is not modelled in MIXED_PRECISION/)
  })
})

describe('every sibling costs each parameter once', () => {
  const files = ['qwen3.5-35b-a3b.json', 'qwen3-vl-30b-a3b-instruct.json', 'glm-5.json', 'glm-5-fp8.json', 'nvidia-nemotron-3.5-lightning-30b-a3b-nvfp4.json', 'minimax-m2.7-nvfp4.json', 'kimi-k2.6-nvfp4.json', 'qwen3.6-27b-nvfp4.json', 'qwen3.6-35b-a3b-nvfp4.json']
  it.each(files)('%s: the GGUF tensors of every class add up to the parameter breakdown', (file) => {
    const s = spec(file)
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'q4_k_m').params).toEqual({embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x})
  })
})
