// Exact bytes of quantized checkpoints: one Linear of each layout worked by hand, then whole models. Every figure is
// the stored tensors' shapes times their dtype widths, as the libraries allocate them (sources in src/calc/quantized.ts).
// No published checkpoint's byte total was found in the search corpora (model.safetensors.index.json total_size of
// TheBloke/Llama-2-7B-GPTQ, Qwen/Qwen1.5-MoE-A2.7B-Chat-GPTQ-Int4, ...), so the whole-model totals are hand-worked only.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {bnbQuantStateBytes, excluded, quantizedCheckpointBytes, quantizedLinear} from '../../src/calc/quantized.js'
import {readBytesPerElement, weightBytes, weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {UserError} from '../../src/errors.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {listModelIds, loadModel, parseModelSpec} from '../../src/presets/load.js'
import type {CheckpointQuantization} from '../../src/schema/model.js'

const fixture = (name: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${name}.json`, 'utf8'))
const specOf = (config: unknown, id = 'q') => parseModelSpec(importHfConfig(config, {id}), id)
const quantized = (name: string, quantization_config: unknown) => specOf({...fixture(name), quantization_config})
const sum = (list: {bytes: number}[]) => list.reduce((s, t) => s + t.bytes, 0)
const shapes = (list: {suffix: string; dtype: string; shape: number[]}[]) => list.map((t) => `${t.suffix} ${t.dtype} [${t.shape.join(', ')}]`)

const base: Omit<CheckpointQuantization, 'layout' | 'bits' | 'groupSize' | 'scaleDtype'> = {method: 'x', zeroPoints: false, inputScales: false, lmHead: false, exclude: [], excludeMatch: 'substring'}
const q = (o: Partial<CheckpointQuantization> & Pick<CheckpointQuantization, 'layout'>): CheckpointQuantization => ({...base, bits: 4, groupSize: 128, scaleDtype: 'fp16', ...o})

// One Linear of in 256 -> out 128 (32,768 weights) in every layout.
describe('one Linear, in 256 -> out 128', () => {
  it('GPTQ 4-bit g128: qweight int32 [256/32*4, 128], qzeros [2, 128/32*4], fp16 scales [2, 128], g_idx [256]', () => {
    const t = quantizedLinear(q({layout: 'gptq'}), 256, 128, 'fp16')
    expect(shapes(t)).toEqual(['qweight I32 [32, 128]', 'qzeros I32 [2, 16]', 'scales F16 [2, 128]', 'g_idx I32 [256]'])
    expect(sum(t)).toBe(32 * 128 * 4 + 2 * 16 * 4 + 2 * 128 * 2 + 256 * 4) // 16,384 + 128 + 512 + 1,024
    expect(sum(t)).toBe(18_048)
  })
  it('GPTQ per channel (group_size -1): one group over the whole input row', () => {
    expect(sum(quantizedLinear(q({layout: 'gptq', groupSize: null}), 256, 128, 'fp16'))).toBe(16_384 + 1 * 16 * 4 + 1 * 128 * 2 + 256 * 4)
  })
  it('GPTQ 8-bit: qweight [256/32*8, 128], qzeros [2, 128/32*8]', () => {
    expect(sum(quantizedLinear(q({layout: 'gptq', bits: 8}), 256, 128, 'fp16'))).toBe(64 * 128 * 4 + 2 * 32 * 4 + 2 * 128 * 2 + 256 * 4)
  })
  it('AWQ GEMM: qweight [256, 128/8], qzeros [2, 16], scales [2, 128], no g_idx', () => {
    const t = quantizedLinear(q({layout: 'awq-gemm', zeroPoints: true}), 256, 128, 'fp16')
    expect(shapes(t)).toEqual(['qweight I32 [256, 16]', 'qzeros I32 [2, 16]', 'scales F16 [2, 128]'])
    expect(sum(t)).toBe(256 * 16 * 4 + 2 * 16 * 4 + 2 * 128 * 2) // 17,024
  })
  it('AWQ GEMV: qweight [128, 256/8], zeros width ceil(ceil(2/8)/1)*1 = 1, scales [128, 1*8]', () => {
    const t = quantizedLinear(q({layout: 'awq-gemv', zeroPoints: true}), 256, 128, 'fp16')
    expect(shapes(t)).toEqual(['qweight I32 [128, 32]', 'qzeros I32 [128, 1]', 'scales F16 [128, 8]'])
    expect(sum(t)).toBe(128 * 32 * 4 + 128 * 1 * 4 + 128 * 8 * 2) // 18,944
  })
  it('bitsandbytes NF4 with double quant: packed bytes, uint8 absmax per 64, fp32 nested absmax per 256 blocks, two code maps, the JSON state', () => {
    const t = quantizedLinear(q({layout: 'bnb-4bit', groupSize: 64, scaleDtype: 'fp32', doubleQuant: true}), 256, 128, 'bf16')
    // json.dumps of the non-tensor items; the nested_offset stands at its assumed 20 characters.
    const json = '{"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16", "shape": [128, 256], "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.021993160247802734}'
    expect(bnbQuantStateBytes(128, 256, 'bf16', true)).toBe(json.length)
    expect(shapes(t)).toEqual([
      'weight U8 [16384, 1]',
      'weight.absmax U8 [512]', // 32,768 / 64 blocks
      'weight.nested_absmax F32 [2]', // 512 / 256
      'weight.nested_quant_map F32 [256]',
      'weight.quant_map F32 [16]',
      `weight.quant_state.bitsandbytes__nf4 U8 [${json.length}]`,
    ])
    expect(sum(t)).toBe(16_384 + 512 + 2 * 4 + 256 * 4 + 16 * 4 + json.length)
  })
  it('bitsandbytes NF4 without double quant: fp32 absmax per 64', () => {
    const json = '{"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [128, 256]}'
    expect(sum(quantizedLinear(q({layout: 'bnb-4bit', groupSize: 64, scaleDtype: 'fp32'}), 256, 128, 'fp16'))).toBe(16_384 + 512 * 4 + 16 * 4 + json.length)
  })
  it('bitsandbytes 8-bit: int8 weight, fp32 SCB per output row, one weight_format byte', () => {
    expect(sum(quantizedLinear(q({layout: 'bnb-8bit', bits: 8, groupSize: null, scaleDtype: 'fp32'}), 256, 128, 'fp16'))).toBe(32_768 + 128 * 4 + 1)
  })
  it('FP8 128x128 blocks: fp8 weight, fp32 scale_inv [ceil(128/128), ceil(256/128)]', () => {
    expect(sum(quantizedLinear(q({layout: 'fp8-block', bits: 8, blockSize: [128, 128], scaleDtype: 'fp32'}), 256, 128, 'bf16'))).toBe(32_768 + 1 * 2 * 4)
    // Blocks round up: out 200 -> 2 rows of blocks, in 300 -> 3 columns.
    expect(sum(quantizedLinear(q({layout: 'fp8-block', bits: 8, blockSize: [128, 128], scaleDtype: 'fp32'}), 300, 200, 'bf16'))).toBe(300 * 200 + 2 * 3 * 4)
  })
  it('FP8 per tensor, static activations: one fp32 weight_scale and one input_scale', () => {
    expect(sum(quantizedLinear(q({layout: 'fp8-tensor', bits: 8, groupSize: null, scaleDtype: 'fp32', inputScales: true}), 256, 128, 'bf16'))).toBe(32_768 + 4 + 4)
  })
  it('compressed-tensors W4A16 group 128 symmetric: int32 weight_packed [128, 256/8], int64 weight_shape [2], bf16 scales [128, 2]', () => {
    const t = quantizedLinear(q({layout: 'ct-pack', scaleDtype: 'bf16'}), 256, 128, 'bf16')
    expect(shapes(t)).toEqual(['weight_packed I32 [128, 32]', 'weight_shape I64 [2]', 'weight_scale BF16 [128, 2]'])
    expect(sum(t)).toBe(128 * 32 * 4 + 2 * 8 + 128 * 2 * 2) // 16,912
  })
  it('compressed-tensors asymmetric: zero points packed 8 per int32 along the output rows, [128/8, 2]', () => {
    expect(sum(quantizedLinear(q({layout: 'ct-pack', scaleDtype: 'bf16', zeroPoints: true}), 256, 128, 'bf16'))).toBe(16_912 + 16 * 2 * 4)
  })
  it('compressed-tensors FP8 per channel: fp8 weight, bf16 scale [128, 1]', () => {
    expect(sum(quantizedLinear(q({layout: 'ct-fp8', bits: 8, groupSize: null, scaleDtype: 'bf16'}), 256, 128, 'bf16'))).toBe(32_768 + 128 * 2)
  })
  it('compressed-tensors NVFP4: uint8 pairs [128, 128], fp8 scale [128, 256/16], fp32 weight and input global scales', () => {
    expect(sum(quantizedLinear(q({layout: 'ct-nvfp4', groupSize: 16, scaleDtype: 'fp8', inputScales: true}), 256, 128, 'bf16'))).toBe(16_384 + 128 * 16 + 4 + 4)
  })
  it('MXFP4: blocks uint8 [128, 256/32, 16], E8M0 scales [128, 8]', () => {
    expect(sum(quantizedLinear(q({layout: 'mxfp4', groupSize: 32, scaleDtype: 'e8m0'}), 256, 128, 'bf16'))).toBe(128 * 8 * 16 + 128 * 8)
  })
  it('ModelOpt NVFP4: uint8 pairs, fp8 weight_scale per 16, fp32 weight_scale_2 and input_scale', () => {
    expect(sum(quantizedLinear(q({layout: 'nvfp4', groupSize: 16, scaleDtype: 'fp8', inputScales: true}), 256, 128, 'bf16'))).toBe(16_384 + 2_048 + 4 + 4)
  })
})

describe('quantization_config parsed', () => {
  const llama = (c: unknown) => quantized('llama-2-7b-hf', c).checkpointQuantization
  it('GPTQ (TheBloke/Llama-2-7B-GPTQ quantize_config keys): 4-bit g128, the LM head kept', () => {
    expect(llama({bits: 4, group_size: 128, damp_percent: 0.01, desc_act: false, sym: true, true_sequential: true, quant_method: 'gptq'})).toMatchObject({layout: 'gptq', bits: 4, groupSize: 128, lmHead: false})
    expect(llama({bits: 4, group_size: -1, quant_method: 'gptq', lm_head: true})).toMatchObject({groupSize: null, lmHead: true})
    expect(() => llama({bits: 4, group_size: 128, quant_method: 'gptq', checkpoint_format: 'marlin'})).toThrow(/checkpoint_format "marlin" is not modelled/)
    expect(() => llama({bits: 4, group_size: 128, quant_method: 'gptq', dynamic: {'-:model.layers.0.*': {}}})).toThrow(/"dynamic" per-module overrides are not modelled/)
  })
  it('AWQ (AwqConfig): version gemm by default, gemv, modules_to_not_convert', () => {
    expect(llama({quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, version: 'gemm', modules_to_not_convert: null})).toMatchObject({layout: 'awq-gemm', zeroPoints: true, exclude: []})
    expect(llama({quant_method: 'awq', bits: 4, group_size: 64, version: 'GEMV'})).toMatchObject({layout: 'awq-gemv', groupSize: 64})
    expect(() => llama({quant_method: 'awq', bits: 4, group_size: 128, version: 'marlin'})).toThrow(/AWQ version "marlin" is not modelled/)
  })
  it('bitsandbytes: 4-bit with double quant and skip modules, 8-bit', () => {
    expect(llama({quant_method: 'bitsandbytes', _load_in_4bit: true, load_in_4bit: true, bnb_4bit_quant_type: 'nf4', bnb_4bit_use_double_quant: true, llm_int8_skip_modules: ['lm_head']}))
      .toMatchObject({layout: 'bnb-4bit', groupSize: 64, doubleQuant: true, exclude: ['lm_head']})
    expect(llama({quant_method: 'bitsandbytes', load_in_8bit: true})).toMatchObject({layout: 'bnb-8bit', bits: 8, lmHead: false})
    // a skip list replaces the default skip of the LM head: without lm_head in it, the head is 4-bit too
    expect(llama({quant_method: 'bitsandbytes', load_in_4bit: true, llm_int8_skip_modules: ['vision_tower']})).toMatchObject({lmHead: true, exclude: ['vision_tower']})
  })
  it('FP8: weight_block_size gives blocks, none gives per-tensor (AutoFP8), static activations an input_scale', () => {
    expect(llama({quant_method: 'fp8', activation_scheme: 'dynamic', weight_block_size: [128, 128]})).toMatchObject({layout: 'fp8-block', blockSize: [128, 128]})
    expect(llama({quant_method: 'fp8', activation_scheme: 'static', ignored_layers: ['lm_head']})).toMatchObject({layout: 'fp8-tensor', inputScales: true, exclude: ['lm_head']})
  })
  it('compressed-tensors: config_groups weights, ignore with re: entries, kv_cache_scheme', () => {
    const ct = llama({
      quant_method: 'compressed-tensors',
      format: 'pack-quantized',
      config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 4, type: 'int', symmetric: true, strategy: 'group', group_size: 128, dynamic: false}, input_activations: null}},
      ignore: ['lm_head', 're:.*mlp.gate$'],
      kv_cache_scheme: {num_bits: 8, type: 'float'},
    })
    expect(ct).toMatchObject({layout: 'ct-pack', bits: 4, groupSize: 128, scaleDtype: 'fp16', zeroPoints: false, inputScales: false, kvScales: true, lmHead: true, excludeMatch: 'name-or-regex'})
    const fp8 = llama({quant_method: 'compressed-tensors', format: 'float-quantized', config_groups: {g: {targets: ['Linear'], weights: {num_bits: 8, type: 'float', strategy: 'channel', symmetric: true}, input_activations: {num_bits: 8, type: 'float', strategy: 'token', dynamic: true}}}, ignore: ['lm_head']})
    expect(fp8).toMatchObject({layout: 'ct-fp8', groupSize: null, inputScales: false})
    expect(() => llama({quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: {a: {targets: ['re:.*experts.*'], weights: {num_bits: 4}}}})).toThrow(UserError)
  })
  it('compressed-tensors 2:4 sparse checkpoints (sparsity_config) are refused, one line', () => {
    expect(() => llama({quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: {g: {targets: ['Linear'], weights: {num_bits: 4}}}, sparsity_config: {format: 'sparse-24-bitmask'}})).toThrow(/sparsity format "sparse-24-bitmask" is not modelled/)
  })
  it('ModelOpt NVFP4 from hf_quant_config.json\'s "quantization" block: group 16, globbed exclude_modules, FP8 KV scales', () => {
    expect(llama({quant_method: 'modelopt', quantization: {quant_algo: 'NVFP4', group_size: 16, exclude_modules: ['lm_head'], kv_cache_quant_algo: 'FP8'}}))
      .toMatchObject({layout: 'nvfp4', groupSize: 16, scaleDtype: 'fp8', inputScales: true, kvScales: true, exclude: ['lm_head'], excludeMatch: 'glob'})
  })
  it('an unknown or unmodelled method is one UserError naming it', () => {
    expect(() => llama({quant_method: 'hqq'})).toThrow(/quant_method "hqq" is not supported/)
  })
  it('bad values are one UserError naming the key, never a NaN or Infinity byte count', () => {
    expect(() => llama({quant_method: 'gptq', bits: 4, group_size: 0})).toThrow(/"group_size" must be a positive group size or -1/)
    expect(() => llama({quant_method: 'gptq', bits: '4'})).toThrow(UserError)
    expect(() => llama({quant_method: 'gptq', bits: 0})).toThrow(/quantization_config: 0 bits per weight is not modelled/)
    expect(() => llama({quant_method: 'fp8', weight_block_size: [128, -1]})).toThrow(/"weight_block_size" must be \[rows, columns\] of positive integers/)
    expect(() => llama({quant_method: 'compressed-tensors', config_groups: {g: null}})).toThrow(/every entry of "config_groups" must be an object/)
    expect(() => llama({quant_method: 'compressed-tensors', config_groups: {g: {targets: ['Linear'], weights: {num_bits: 4, strategy: 'group', group_size: 0}}}})).toThrow(/"group_size" must be positive/)
  })
})

describe('exclusions', () => {
  const x = (excludeMatch: CheckpointQuantization['excludeMatch'], exclude: string[]) => q({layout: 'gptq', exclude, excludeMatch})
  it('compressed-tensors: exact module names and re: patterns anchored at the start', () => {
    const ct = x('name-or-regex', ['lm_head', 're:.*mlp.gate$', 'model.layers.0.self_attn.q_proj'])
    expect(excluded(ct, 'model.layers.3.mlp.gate')).toBe(true)
    expect(excluded(ct, 'model.layers.3.mlp.gate_proj')).toBe(false)
    expect(excluded(ct, 'model.layers.0.self_attn.q_proj')).toBe(true)
    expect(excluded(ct, 'model.layers.10.self_attn.q_proj')).toBe(false)
  })
  it('transformers: a substring of the module name, or a gpt-oss style * pattern', () => {
    const t = x('substring', ['model.layers.*.self_attn', 'lm_head'])
    expect(excluded(t, 'model.layers.7.self_attn.q_proj')).toBe(true)
    expect(excluded(t, 'model.layers.7.mlp.experts.0.up_proj')).toBe(false)
  })
  it('ModelOpt: fnmatch globs over the whole name', () => {
    const m = x('glob', ['model.layers.0.*', 'lm_head'])
    expect(excluded(m, 'model.layers.0.mlp.down_proj')).toBe(true)
    expect(excluded(m, 'model.layers.10.mlp.down_proj')).toBe(false)
  })
})

// Llama-2-7B (tests/fixtures/hf/llama-2-7b-hf.json): h 4096, 32 layers, 32 heads, ffn 11008, vocab 32000, untied, fp16.
describe('Llama-2-7B, whole model', () => {
  const fp16Rest = 2 * 32000 * 4096 * 2 /* embed + untied head, fp16 */ + 32 * 2 * 4096 * 2 /* two norms a layer */ + 4096 * 2 /* final norm */
  it('GPTQ 4-bit g128 (TheBloke/Llama-2-7B-GPTQ settings): 3,893,862,400 bytes', () => {
    const spec = quantized('llama-2-7b-hf', {bits: 4, group_size: 128, desc_act: false, sym: true, quant_method: 'gptq'})
    // qweight in*out/2, qzeros in/128 x out/8 x 4, scales in/128 x out x 2, g_idx in x 4
    const gptq = (inF: number, outF: number) => (inF * outF) / 2 + (inF / 128) * (outF / 8) * 4 + (inF / 128) * outF * 2 + inF * 4
    expect(gptq(4096, 4096)).toBe(8_388_608 + 65_536 + 262_144 + 16_384)
    const layer = 4 * gptq(4096, 4096) + 2 * gptq(4096, 11008) + gptq(11008, 4096)
    expect(layer).toBe(105_282_560)
    const total = 32 * layer + fp16Rest
    expect(total).toBe(3_893_862_400)
    const bytes = quantizedCheckpointBytes(spec)!
    expect(bytes.totalBytes).toBe(total)
    expect(bytes.bytes.linear).toBe(32 * layer)
    // memory and fit read the same exact bytes: weights as published, no --weights override
    const w = weightBytes(paramCounts(spec).breakdown, weightFormatsFor(spec))
    expect(w.deviceBytes).toBe(total)
    expect(w.byClass.linear).toBe(32 * layer)
  })
  it('AWQ GEMM 4-bit g128: 3,889,307,648 bytes (no g_idx)', () => {
    const spec = quantized('llama-2-7b-hf', {quant_method: 'awq', bits: 4, group_size: 128, zero_point: true, version: 'gemm'})
    const awq = (inF: number, outF: number) => (inF * outF) / 2 + Math.trunc(inF / 128) * (outF / 8) * 4 + Math.trunc(inF / 128) * outF * 2
    const layer = 4 * awq(4096, 4096) + 2 * awq(4096, 11008) + awq(11008, 4096)
    expect(layer).toBe(4 * 8_716_288 + 2 * 23_425_024 + 23_425_024)
    expect(quantizedCheckpointBytes(spec)!.totalBytes).toBe(32 * layer + fp16Rest)
    expect(32 * layer + fp16Rest).toBe(3_889_307_648)
  })
  it('bitsandbytes NF4 with double quant: per matrix packed n/2, n/64 absmax bytes, fp32 per 256 blocks, maps and state', () => {
    const spec = quantized('llama-2-7b-hf', {quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_use_double_quant: true, bnb_4bit_quant_type: 'nf4'})
    const state = (outF: number, inF: number) => `{"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [${outF}, ${inF}], "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.021993160247802734}`.length
    const nf4 = (inF: number, outF: number) => {
      const n = inF * outF
      return n / 2 + n / 64 + Math.ceil(n / 64 / 256) * 4 + 256 * 4 + 16 * 4 + state(outF, inF)
    }
    const layer = 4 * nf4(4096, 4096) + 2 * nf4(4096, 11008) + nf4(11008, 4096)
    expect(quantizedCheckpointBytes(spec)!.totalBytes).toBe(32 * layer + fp16Rest)
  })
  // The seven matrices of a layer: q, k, v, o 4096 -> 4096; gate, up 4096 -> 11008; down 11008 -> 4096.
  const layerOf = (matrix: (inF: number, outF: number) => number) => 4 * matrix(4096, 4096) + 2 * matrix(4096, 11008) + matrix(11008, 4096)
  it.each([
    ['bitsandbytes 8-bit: int8 weight, fp32 SCB per output row, one weight_format byte', {quant_method: 'bitsandbytes', load_in_8bit: true}, (i: number, o: number) => i * o + o * 4 + 1],
    ['FP8 per tensor (AutoFP8, static): fp32 weight_scale and input_scale', {quant_method: 'fp8', activation_scheme: 'static', ignored_layers: ['lm_head']}, (i: number, o: number) => i * o + 4 + 4],
    [
      'compressed-tensors W4A16 g128 symmetric: int32 packs of 8, int64 weight_shape, fp16 scales per group',
      {quant_method: 'compressed-tensors', format: 'pack-quantized', config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 4, type: 'int', strategy: 'group', group_size: 128, symmetric: true}}}, ignore: ['lm_head']},
      (i: number, o: number) => (o * i) / 8 * 4 + 16 + o * Math.ceil(i / 128) * 2,
    ],
    [
      'ModelOpt NVFP4: 2 values a byte, fp8 scale per 16, fp32 weight_scale_2 and input_scale',
      {quant_method: 'modelopt', quant_algo: 'NVFP4', group_size: 16, exclude_modules: ['lm_head']},
      (i: number, o: number) => (i * o) / 2 + (i * o) / 16 + 4 + 4,
    ],
    [
      'compressed-tensors NVFP4: the same bytes under other names (weight_packed, weight_global_scale, input_global_scale)',
      {quant_method: 'compressed-tensors', format: 'nvfp4-pack-quantized', config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16}, input_activations: {num_bits: 4, type: 'float', strategy: 'tensor_group', group_size: 16, dynamic: 'local'}}}, ignore: ['lm_head']},
      (i: number, o: number) => (i * o) / 2 + (i * o) / 16 + 4 + 4,
    ],
  ] as const)('%s', (_label, config, matrix) => {
    const spec = quantized('llama-2-7b-hf', config)
    expect(quantizedCheckpointBytes(spec)!.totalBytes).toBe(32 * layerOf(matrix) + fp16Rest)
  })
  it('an override of one class (--weights linear fp8) keeps the exact bytes of the others', () => {
    const spec = quantized('llama-2-7b-hf', {bits: 4, group_size: 128, quant_method: 'gptq'})
    const b = paramCounts(spec).breakdown
    const w = weightBytes(b, weightFormatsFor(spec, {linear: 'fp8'}))
    expect(w.byClass.linear).toBe(b.attention + b.denseFfn) // 1 byte each
    expect(w.byClass.embeddings).toBe(2 * 32000 * 4096 * 2)
    // a step reads the head at fp16 and the GPTQ matrices at their exact bytes per weight
    const read = readBytesPerElement(spec, {})
    expect(read.head).toBe(2)
    expect(read.linear).toBe(quantizedCheckpointBytes(spec)!.bytes.linear / (b.attention + b.denseFfn))
  })
})

describe('other models', () => {
  it('Qwen2.5-Coder-0.5B, compressed-tensors FP8 per channel, bf16 scales, lm_head ignored (tied): 630,847,232 bytes', () => {
    const spec = quantized('qwen2.5-coder-0.5b-instruct', {
      quant_method: 'compressed-tensors',
      format: 'float-quantized',
      config_groups: {group_0: {targets: ['Linear'], weights: {num_bits: 8, type: 'float', strategy: 'channel', symmetric: true, dynamic: false}, input_activations: {num_bits: 8, type: 'float', strategy: 'token', dynamic: true}}},
      ignore: ['lm_head'],
    })
    // h 896, 14 heads of 64, 2 KV heads, ffn 4864, 24 layers, vocab 151936, tied, bf16.
    const matrices = 896 * 896 + 2 * 896 * 128 + 896 * 896 + 3 * 896 * 4864 // q, k, v, o, gate, up, down: fp8, 1 byte each
    const scaleRows = 896 + 128 + 128 + 896 + 4864 + 4864 + 896 // one bf16 scale per output row
    const layer = matrices + scaleRows * 2 + (896 + 128 + 128) * 2 /* q/k/v biases */ + 2 * 896 * 2 /* norms */
    expect(layer).toBe(14_940_672)
    const total = 24 * layer + 151936 * 896 * 2 /* tied embeddings */ + 896 * 2 /* final norm */
    expect(quantizedCheckpointBytes(spec)!.totalBytes).toBe(total)
    expect(total).toBe(630_847_232)
  })
  it('Qwen1.5-MoE-A2.7B GPTQ: each of 60 experts in 24 layers is three GPTQ matrices; router and shared-expert gate stay bf16', () => {
    const spec = quantized('qwen1.5-moe-a2.7b', {bits: 4, group_size: 128, quant_method: 'gptq', desc_act: false, sym: true})
    // expert: gate, up 2048 -> 1408 and down 1408 -> 2048
    const gateUp = (2048 / 32) * 4 * 1408 * 4 + 16 * (1408 / 32) * 4 * 4 + 16 * 1408 * 2 + 2048 * 4
    const down = (1408 / 32) * 4 * 2048 * 4 + Math.ceil(1408 / 128) * (2048 / 32) * 4 * 4 + 11 * 2048 * 2 + 1408 * 4
    expect([gateUp, down]).toEqual([1_506_304, 1_503_744])
    const bytes = quantizedCheckpointBytes(spec)!
    expect(bytes.bytes.experts).toBe(24 * 60 * (2 * gateUp + down))
    expect(bytes.bytes.experts).toBe(6_503_546_880)
    expect(bytes.bytes.unquantized).toBe(24 * (2 * 2048 + 2048 * 60) * 2 + 2048 * 2) // norms and router [2048, 60] at bf16
  })
  it('MiniMax-M2.5 (tests/fixtures/hf/minimax-m2.5.json), FP8 in 128x128 blocks: one fp32 scale_inv per block, both dimensions rounded up', () => {
    const spec = specOf(fixture('minimax-m2.5'), 'minimax-m2.5')
    const h = 3072
    const blocks = (inF: number, outF: number) => Math.ceil(outF / 128) * Math.ceil(inF / 128)
    const attentionBlocks = blocks(h, 6144) + 2 * blocks(h, 1024) + blocks(6144, h) // q, k, v, o
    expect(attentionBlocks).toBe(48 * 24 + 2 * 8 * 24 + 24 * 48) // 2,688
    const expertBlocks = 2 * blocks(h, 1536) + blocks(1536, h) // gate, up, down: 288 each
    const fp8 = h * 6144 + 2 * h * 1024 + 6144 * h + 256 * 3 * h * 1536 // the matrices, 1 byte a weight
    const bf16 = 48 * 128 + 8 * 128 + 2 * h + 256 * h + 256 // q/k norms, two norms, router and its bias
    const layer = fp8 + (attentionBlocks + 256 * expertBlocks) * 4 + bf16 * 2
    const total = 62 * layer + (2 * 200064 * h + h) * 2 // embeddings, untied head, final norm in bf16
    const bytes = quantizedCheckpointBytes(spec)!
    expect(bytes.totalBytes).toBe(total)
    expect(bytes.bytes.experts).toBe(62 * 256 * (3 * h * 1536 + expertBlocks * 4))
  })
  it('Llama-4-Scout FP8-dynamic (RedHatAI, fixture): ignore names attention and routers under language_model., so only experts and the shared expert are FP8', () => {
    const spec = specOf(fixture('llama-4-scout-17b-16e-instruct-fp8-dynamic'), 'scout-fp8')
    expect(spec.checkpointQuantization).toMatchObject({layout: 'ct-fp8', groupSize: null, scaleDtype: 'bf16', inputScales: false, excludeMatch: 'name-or-regex'})
    const bytes = quantizedCheckpointBytes(spec)!
    const byName = (name: string) => bytes.tensors.find((t) => t.name === name)!
    expect(byName('blk.0.attn_q.weight').quantized).toBe(false) // language_model.model.layers.0.self_attn.q_proj
    expect(byName('blk.47.attn_output.weight').quantized).toBe(false)
    expect(byName('output.weight').quantized).toBe(false) // language_model.lm_head
    expect(byName('blk.0.ffn_up_exps.weight').quantized).toBe(true)
    expect(byName('blk.0.ffn_down_shexp.weight').quantized).toBe(true)
    // h 5120, 48 layers, 40 heads and 8 KV heads of 128, 16 experts and one shared expert of 8192, vocab 202048, untied, bf16
    const attention = (2 * 5120 * 5120 + 2 * 5120 * 1024) * 2 // q, o and k, v at bf16
    const router = 5120 * 16 * 2
    const expertFp8 = 3 * 5120 * 8192 // gate, up, down: 1 byte a weight
    const expertScales = (8192 + 8192 + 5120) * 2 // one bf16 scale per output row
    const layer = attention + router + 17 * (expertFp8 + expertScales) /* 16 routed + the shared one */ + 2 * 5120 * 2 /* norms */
    expect(layer).toBe(2_265_839_616)
    const total = 48 * layer + 2 * 202048 * 5120 * 2 + 5120 * 2
    expect(bytes.totalBytes).toBe(total)
    expect(total).toBe(112_898_254_848)
  })
  it('DeepSeek-V3.2 (fixture), FP8 128x128 blocks: a dense layer\'s MLA, indexer and MLP; the indexer weights_proj stays bf16', () => {
    const spec = specOf(fixture('deepseek-v3.2'), 'deepseek-v3.2')
    const layer0 = quantizedCheckpointBytes(spec)!.tensors.filter((t) => t.name.startsWith('blk.0.'))
    const blocks = (inF: number, outF: number) => Math.ceil(outF / 128) * Math.ceil(inF / 128)
    const fp8 = (inF: number, outF: number) => inF * outF + blocks(inF, outF) * 4
    // q_a 7168 -> 1536, q_b 1536 -> 128 x 192, kv_a 7168 -> 512 + 64, kv_b 512 -> 128 x 256, o 128 x 128 -> 7168
    const mla = fp8(7168, 1536) + fp8(1536, 24576) + fp8(7168, 576) + fp8(512, 32768) + fp8(16384, 7168)
    expect([blocks(7168, 1536), blocks(1536, 24576), blocks(7168, 576), blocks(512, 32768), blocks(16384, 7168)]).toEqual([672, 2304, 280, 1024, 7168])
    const indexer = fp8(1536, 64 * 128) /* wq_b */ + fp8(7168, 128) /* wk */ + 7168 * 64 * 2 /* weights_proj, bf16 */ + (128 + 128) * 2 /* k_norm LayerNorm */
    const mlp = 2 * fp8(7168, 18432) + fp8(18432, 7168)
    const norms = (7168 + 7168 + 1536 + 512) * 2 // input, post-attention, q_a and kv_a norms
    expect(layer0.reduce((s, t) => s + t.bytes, 0)).toBe(mla + indexer + mlp + norms)
    expect(layer0.find((t) => t.name === 'blk.0.indexer.proj.weight')!.quantized).toBe(false)
  })
  it('ModelOpt NVFP4 with FP8 KV cache: k_scale and v_scale, 8 bytes an attention layer, in the linear class', () => {
    const config = {quant_method: 'modelopt', quant_algo: 'NVFP4', group_size: 16, exclude_modules: ['lm_head'], kv_cache_quant_algo: 'FP8'}
    const withKv = quantizedCheckpointBytes(quantized('qwen2.5-coder-0.5b-instruct', config))!
    const without = quantizedCheckpointBytes(quantized('qwen2.5-coder-0.5b-instruct', {...config, kv_cache_quant_algo: null}))!
    expect(withKv.bytes.linear - without.bytes.linear).toBe(24 * 2 * 4)
  })
})

describe('every preset under every layout', () => {
  const layouts: CheckpointQuantization[] = [
    q({layout: 'gptq'}),
    q({layout: 'awq-gemm', zeroPoints: true}),
    q({layout: 'bnb-4bit', groupSize: 64, scaleDtype: 'fp32', doubleQuant: true}),
    q({layout: 'fp8-block', bits: 8, blockSize: [128, 128], scaleDtype: 'fp32'}),
    q({layout: 'ct-pack', scaleDtype: 'bf16', zeroPoints: true, lmHead: true, exclude: ['lm_head'], excludeMatch: 'name-or-regex'}),
    q({layout: 'nvfp4', groupSize: 16, scaleDtype: 'fp8', inputScales: true, kvScales: true, lmHead: true, exclude: ['lm_head'], excludeMatch: 'glob'}),
  ]
  it('classes hold the parameter breakdown; norms and routers stay at the checkpoint dtype; every byte count is a whole number', () => {
    for (const id of listModelIds()) {
      const plain = loadModel(id)
      const classes = weightClassValues(paramCounts(plain).breakdown, weightFormatsFor(plain))
      for (const layout of layouts) {
        const bytes = quantizedCheckpointBytes({...plain, checkpointQuantization: layout})!
        expect({id, layout: layout.layout, params: bytes.params}).toEqual({
          id,
          layout: layout.layout,
          params: {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x},
        })
        expect(bytes.bytes.unquantized).toBe(classes.unquantized.x * (plain.dtype === 'fp32' ? 4 : 2))
        for (const value of Object.values(bytes.bytes)) expect(Number.isSafeInteger(value) && value >= 0, `${id} ${layout.layout}`).toBe(true)
        // quantizing shrinks the linear layers below 16 bits a weight
        expect(bytes.bytes.linear).toBeLessThan(classes.linear.x * 2)
      }
    }
  })
})
