// A GPTQ checkpoint of the tiny Llama, tensor by tensor as AutoGPTQ's QuantLinear stores it, next to its config.json:
// verify counts its packed weights as the model's parameters, and memory's weights are exactly its tensor bytes.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {tempDir, writeSafetensors, type StTensor} from '../checkpoint/writers.js'
import {runCli} from './run.js'

// The tiny Llama: h 64, 2 layers; q/o 64x64 and k/v 64->32 (2 KV heads of 16); SwiGLU 128; vocab 256, untied, fp16.
const total = 256 * 64 + 2 * (64 * 64 * 2 + 2 * 64 * 32) + 2 * (3 * 64 * 128) + 2 * 2 * 64 + 64 + 256 * 64 // 106,816
const config = {
  model_type: 'llama', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 256,
  max_position_embeddings: 2048, torch_dtype: 'float16', quantization_config: {quant_method: 'gptq', bits: 4, group_size: 128, desc_act: false, sym: true},
}

/** AutoGPTQ QuantLinear, 4-bit, group 128 (more than in, so one group): qweight [in/32*4, out], qzeros [1, out/32*4], scales [1, out], g_idx [in]. */
const gptq = (name: string, inF: number, outF: number): StTensor[] => [
  {name: `${name}.qweight`, dtype: 'I32', shape: [(inF / 32) * 4, outF]},
  {name: `${name}.qzeros`, dtype: 'I32', shape: [1, (outF / 32) * 4]},
  {name: `${name}.scales`, dtype: 'F16', shape: [1, outF]},
  {name: `${name}.g_idx`, dtype: 'I32', shape: [inF]},
]
const gptqBytes = (inF: number, outF: number) => (inF / 32) * 4 * outF * 4 + (outF / 32) * 4 * 4 + outF * 2 + inF * 4

function tensors(): StTensor[] {
  const out: StTensor[] = [{name: 'model.embed_tokens.weight', dtype: 'F16', shape: [256, 64]}, {name: 'lm_head.weight', dtype: 'F16', shape: [256, 64]}, {name: 'model.norm.weight', dtype: 'F16', shape: [64]}]
  for (let i = 0; i < 2; i++) {
    const p = `model.layers.${i}`
    out.push(...gptq(`${p}.self_attn.q_proj`, 64, 64), ...gptq(`${p}.self_attn.k_proj`, 64, 32), ...gptq(`${p}.self_attn.v_proj`, 64, 32), ...gptq(`${p}.self_attn.o_proj`, 64, 64))
    out.push(...gptq(`${p}.mlp.gate_proj`, 64, 128), ...gptq(`${p}.mlp.up_proj`, 64, 128), ...gptq(`${p}.mlp.down_proj`, 128, 64))
    out.push({name: `${p}.input_layernorm.weight`, dtype: 'F16', shape: [64]}, {name: `${p}.post_attention_layernorm.weight`, dtype: 'F16', shape: [64]})
  }
  return out
}

let dir: string
let remove: () => void
beforeEach(() => {
  ;({dir, remove} = tempDir())
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
  writeSafetensors(join(dir, 'model.safetensors'), tensors())
})
afterEach(() => remove())

describe('a GPTQ checkpoint', () => {
  it('verify: the packed qweights count as in x out, scales, zeros and g_idx as nothing; exit 0', () => {
    const r = runCli(['verify', join(dir, 'config.json'), '--checkpoint', dir, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({calculatedTotalParams: total, checkpointTotalParams: total, matches: true})
  })
  it('memory: the weights are the bytes of the stored tensors', () => {
    const layer = 2 * gptqBytes(64, 64) + 2 * gptqBytes(64, 32) + 2 * gptqBytes(64, 128) + gptqBytes(128, 64) + 2 * 64 * 2
    const bytes = 2 * (256 * 64 * 2) + 64 * 2 + 2 * layer
    expect(tensors().reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1) * (t.dtype === 'F16' ? 2 : 4), 0)).toBe(bytes)
    const r = runCli(['memory', join(dir, 'config.json'), '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).models[0].weightsBytes).toBe(bytes)
  })
})
