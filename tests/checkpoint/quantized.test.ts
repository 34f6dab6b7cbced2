// Packed tensors in verify: a quantized Linear's stored pieces count as the weights they represent (the unpacked
// matrix) and its scales, zero points and indexes as none. Tiny checkpoints are written in each library's layout
// (src/calc/quantized.ts quantizedLinear), read back from their headers, and verified against the model they quantize.
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {quantizedCheckpointBytes, quantizedLinear} from '../../src/calc/quantized.js'
import {packedParams, type HeaderEntry} from '../../src/checkpoint/quantized.js'
import {readCheckpoint} from '../../src/checkpoint/read.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {verifyResult} from '../../src/report/verify.js'
import type {CheckpointQuantization} from '../../src/schema/model.js'
import {tempDir, writeSafetensors, type StTensor} from './writers.js'

const temp = tempDir()
afterAll(() => temp.remove())

/** The parameters each tensor of one Linear's layout is read as, by name. */
function readAs(q: CheckpointQuantization, inF: number, outF: number, file = join(temp.dir, 'none', 'model.safetensors')) {
  const layout = quantizedLinear(q, inF, outF, 'bf16')
  const byName = new Map<string, HeaderEntry>(layout.map((t) => [`m.${t.suffix}`, {dtype: t.dtype, shape: t.shape}]))
  return Object.fromEntries(layout.map((t) => [t.suffix, packedParams(`m.${t.suffix}`, byName.get(`m.${t.suffix}`)!, byName, file)?.params ?? 'plain']))
}

const q = (o: Partial<CheckpointQuantization> & Pick<CheckpointQuantization, 'layout'>): CheckpointQuantization => ({
  method: 'x', bits: 4, groupSize: 128, scaleDtype: 'fp16', zeroPoints: false, inputScales: false, lmHead: false, exclude: [], excludeMatch: 'substring', ...o,
})

// One Linear of in 256 -> out 128: 32,768 weights whatever the packing.
describe('one packed Linear counts 256 x 128 = 32,768 parameters', () => {
  it('GPTQ: qweight int32 [256*4/32, 128] is in (g_idx length 256) x out (its columns); qzeros, scales, g_idx none', () => {
    expect(readAs(q({layout: 'gptq'}), 256, 128)).toEqual({qweight: 256 * 128, qzeros: 0, scales: 0, g_idx: 0})
    expect(readAs(q({layout: 'gptq', bits: 8}), 256, 128)).toEqual({qweight: 256 * 128, qzeros: 0, scales: 0, g_idx: 0})
  })
  it('AWQ: qweight int32 [256, 128*4/32] is in (its rows) x out (the scales\' columns)', () => {
    expect(readAs(q({layout: 'awq-gemm'}), 256, 128)).toEqual({qweight: 256 * 128, qzeros: 0, scales: 0})
  })
  it('bitsandbytes NF4: uint8 [16384, 1] holds 2 codes a byte; absmax, nested statistics, maps and the JSON state none', () => {
    expect(readAs(q({layout: 'bnb-4bit', doubleQuant: true}), 256, 128)).toEqual({
      weight: 16_384 * 2,
      'weight.absmax': 0,
      'weight.nested_absmax': 0,
      'weight.nested_quant_map': 0,
      'weight.quant_map': 0,
      'weight.quant_state.bitsandbytes__nf4': 0,
    })
  })
  it('bitsandbytes 8-bit: the int8 weight as it is, SCB and weight_format none', () => {
    expect(readAs(q({layout: 'bnb-8bit', bits: 8}), 256, 128)).toEqual({weight: 'plain', SCB: 0, weight_format: 0})
  })
  it('compressed-tensors: int32 weight_packed [128, 32] x 8 (4-bit when no config.json says otherwise); NVFP4 uint8 pairs x 2', () => {
    expect(readAs(q({layout: 'ct-pack', zeroPoints: true, scaleDtype: 'bf16'}), 256, 128)).toEqual({weight_packed: 128 * 32 * 8, weight_shape: 0, weight_scale: 0, weight_zero_point: 0})
    expect(readAs(q({layout: 'ct-nvfp4', groupSize: 16, scaleDtype: 'fp8', inputScales: true}), 256, 128)).toEqual({weight_packed: 128 * 128 * 2, weight_scale: 0, weight_global_scale: 0, input_global_scale: 0})
  })
  it('compressed-tensors 8-bit packed: the bits come from the config.json beside the checkpoint', () => {
    const dir = join(temp.dir, 'w8a16')
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'config.json'), JSON.stringify({quantization_config: {config_groups: {group_0: {weights: {num_bits: 8}}}}}))
    expect(readAs(q({layout: 'ct-pack', bits: 8, scaleDtype: 'bf16'}), 256, 128, join(dir, 'model.safetensors')).weight_packed).toBe(128 * 64 * 4)
  })
  it('a module split over two shards: a qweight alone takes its bits from config.json (8-bit: 4 per int32); a bnb [n, 1] column alone is still 2 codes a byte', () => {
    const dir = join(temp.dir, 'gptq-8bit')
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'config.json'), JSON.stringify({quantization_config: {quant_method: 'gptq', bits: 8, group_size: 128}}))
    const qweight = {dtype: 'I32', shape: [256 / 32 * 8, 128]}
    expect(packedParams('m.qweight', qweight, new Map([['m.qweight', qweight]]), join(dir, 'model-00001-of-00002.safetensors'))?.params).toBe(256 * 128)
    const column = {dtype: 'U8', shape: [16_384, 1]}
    expect(packedParams('m.weight', column, new Map([['m.weight', column]]), join(temp.dir, 'none', 'x.safetensors'))?.params).toBe(32_768)
  })
  it('ModelOpt NVFP4: uint8 weight [128, 128] x 2 beside its weight_scale_2; the scales none', () => {
    expect(readAs(q({layout: 'nvfp4', groupSize: 16, scaleDtype: 'fp8', inputScales: true}), 256, 128)).toEqual({weight: 128 * 128 * 2, weight_scale: 0, weight_scale_2: 0, input_scale: 0})
  })
})

// A tiny Llama (h 256, 2 layers, 4 heads of 64, 2 KV heads, SwiGLU 512, vocabulary 1000, untied, bf16) and a tiny
// Qwen2-MoE (8 experts of 128, a shared expert of 256), written in each layout as one model.safetensors with its
// config.json, then verified: the packed checkpoint holds exactly the model's parameters, and its tensors exactly the
// bytes memory counts for it.
const llama = {model_type: 'llama', hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 1000, max_position_embeddings: 4096, torch_dtype: 'bfloat16'}
const moe = {
  model_type: 'qwen2_moe', hidden_size: 256, intermediate_size: 512, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 4, vocab_size: 1000, max_position_embeddings: 4096,
  num_experts: 8, num_experts_per_tok: 2, moe_intermediate_size: 128, shared_expert_intermediate_size: 256, decoder_sparse_step: 1, mlp_only_layers: [], torch_dtype: 'bfloat16',
}

/** The checkpoint's tensors under Hugging Face names: each expert of a fused GGUF tensor as its own module. */
function checkpointTensors(spec: ReturnType<typeof parseModelSpec>): StTensor[] {
  const out: StTensor[] = []
  for (const t of quantizedCheckpointBytes(spec)!.tensors)
    for (let e = 0; e < t.copies; e++) {
      const module = t.module.replace('.experts.0.', `.experts.${e}.`)
      for (const s of t.stored) out.push({name: `${module}.${s.suffix}`, dtype: s.dtype, shape: s.shape})
    }
  return out
}

const configs: [string, Record<string, unknown>, unknown][] = [
  ['GPTQ 4-bit g128', llama, {quant_method: 'gptq', bits: 4, group_size: 128, sym: true, desc_act: false}],
  ['GPTQ 8-bit per channel', llama, {quant_method: 'gptq', bits: 8, group_size: -1}],
  ['AWQ GEMM', llama, {quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, version: 'gemm'}],
  ['bitsandbytes NF4, double quant', llama, {quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_use_double_quant: true}],
  ['bitsandbytes 8-bit', llama, {quant_method: 'bitsandbytes', load_in_8bit: true}],
  ['FP8 128x128 blocks', llama, {quant_method: 'fp8', activation_scheme: 'dynamic', weight_block_size: [128, 128]}],
  ['FP8 per tensor, static', llama, {quant_method: 'fp8', activation_scheme: 'static'}],
  ['compressed-tensors W8A16 packed', llama, {quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 8, type: 'int', strategy: 'channel', symmetric: true}}}, ignore: ['lm_head']}],
  ['compressed-tensors NVFP4', llama, {quant_method: 'compressed-tensors', format: 'nvfp4-pack-quantized', config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16}, input_activations: {num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16, dynamic: 'local'}}}, ignore: ['lm_head']}],
  ['ModelOpt NVFP4', llama, {quant_method: 'modelopt', quant_algo: 'NVFP4', group_size: 16, exclude_modules: ['lm_head']}],
  ['GPTQ MoE', moe, {quant_method: 'gptq', bits: 4, group_size: 128}],
  ['compressed-tensors W4A16 MoE, gates ignored', moe, {quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 4, type: 'int', strategy: 'group', group_size: 128, symmetric: false}}}, ignore: ['lm_head', 're:.*mlp.gate$', 're:.*shared_expert_gate$']}],
]

describe('a whole quantized checkpoint verifies against its config', () => {
  it.each(configs)('%s', (label, config, quantization_config) => {
    const raw = {...config, quantization_config}
    const spec = parseModelSpec(importHfConfig(raw, {id: 'tiny'}), 'tiny')
    const dir = join(temp.dir, label.replace(/[^a-z0-9]+/gi, '-'))
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'config.json'), JSON.stringify(raw))
    const tensors = checkpointTensors(spec)
    writeSafetensors(join(dir, 'model.safetensors'), tensors)
    const checkpoint = readCheckpoint(dir)
    const result = verifyResult(spec, checkpoint, dir)
    expect(result.checkpointTotalParams).toBe(paramCounts(spec).totalParams)
    expect(result.matches).toBe(true)
    // what memory counts as published is what the file stores
    const width: Record<string, number> = {I64: 8, I32: 4, F32: 4, F16: 2, BF16: 2, U8: 1, I8: 1, F8_E4M3: 1}
    const storedBytes = tensors.reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1) * width[t.dtype]!, 0)
    expect(storedBytes).toBe(quantizedCheckpointBytes(spec)!.totalBytes)
  })
})
