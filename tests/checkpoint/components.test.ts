import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {mapComponents, placeGgufTensor, placeHfTensor} from '../../src/checkpoint/components.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {tinyLlamaPreset} from './writers.js'

/** A tiny DeepSeek-V3: MLA, one dense layer then two MoE layers (4 routed experts, 1 shared, score-correction bias), 1 MTP layer. */
const tinyDeepseek = parseModelSpec(
  tinyLlamaPreset({
    id: 'tiny-deepseek',
    family: 'deepseek',
    source: {hfRepo: 'test/tiny-deepseek', modelType: 'deepseek_v3', config: 'tests/checkpoint/components.test.ts'},
    layers: 3,
    attention: {
      kind: 'mla', heads: 4, kvHeads: 4, headDim: 24, valueHeadDim: 16, qkvBias: false, outputBias: false, qkNorm: 'none', sinks: false, outputGate: false,
      mla: {qLoraRank: 32, kvLoraRank: 16, qkNopeHeadDim: 16, qkRopeHeadDim: 8, vHeadDim: 16},
    },
    moe: {routedExperts: 4, topK: 2, expertIntermediateSize: 32, sharedExperts: 1, sharedIntermediateSize: 32, sharedExpertGate: false, routerBias: false, routerScoreCorrectionBias: true, expertBias: false},
    layerGroups: [
      {count: 1, mixer: 'full', rope: true, ffn: 'dense'},
      {count: 2, mixer: 'full', rope: true, ffn: 'moe'},
    ],
    mtpLayers: 1,
  }),
  'tiny deepseek',
)

/** DeepseekV3ForCausalLM's state dict for it ([out, in] shapes reduced to element counts), MTP layer 3 included. */
function deepseekTensors(): {name: string; params: number}[] {
  const t: {name: string; params: number}[] = [{name: 'model.embed_tokens.weight', params: 256 * 64}]
  const add = (name: string, ...shape: number[]) => t.push({name, params: shape.reduce((a, b) => a * b, 1)})
  for (let i = 0; i < 4; i++) {
    const p = `model.layers.${i}`
    add(`${p}.self_attn.q_a_proj.weight`, 32, 64)
    add(`${p}.self_attn.q_a_layernorm.weight`, 32)
    add(`${p}.self_attn.q_b_proj.weight`, 4 * 24, 32)
    add(`${p}.self_attn.kv_a_proj_with_mqa.weight`, 16 + 8, 64)
    add(`${p}.self_attn.kv_a_layernorm.weight`, 16)
    add(`${p}.self_attn.kv_b_proj.weight`, 4 * (16 + 16), 16)
    add(`${p}.self_attn.o_proj.weight`, 64, 4 * 16)
    add(`${p}.input_layernorm.weight`, 64)
    add(`${p}.post_attention_layernorm.weight`, 64)
    if (i === 0) {
      for (const proj of ['gate_proj', 'up_proj']) add(`${p}.mlp.${proj}.weight`, 128, 64)
      add(`${p}.mlp.down_proj.weight`, 64, 128)
      continue
    }
    add(`${p}.mlp.gate.weight`, 4, 64)
    add(`${p}.mlp.gate.e_score_correction_bias`, 4)
    for (const prefix of ['experts.0', 'experts.1', 'experts.2', 'experts.3', 'shared_experts']) {
      for (const proj of ['gate_proj', 'up_proj']) add(`${p}.mlp.${prefix}.${proj}.weight`, 32, 64)
      add(`${p}.mlp.${prefix}.down_proj.weight`, 64, 32)
    }
    if (i === 3) {
      add(`${p}.enorm.weight`, 64)
      add(`${p}.hnorm.weight`, 64)
      add(`${p}.eh_proj.weight`, 64, 128)
      add(`${p}.embed_tokens.weight`, 256, 64)
      add(`${p}.shared_head.norm.weight`, 64)
      add(`${p}.shared_head.head.weight`, 256, 64)
    }
  }
  add('model.norm.weight', 64)
  add('lm_head.weight', 256, 64)
  return t
}

describe('tensor names to components', () => {
  it('a DeepSeek-V3-style checkpoint maps to the same breakdown paramCounts computes, MTP apart', () => {
    const mapping = mapComponents('hf', deepseekTensors(), {textLayers: 3, mtpLayers: 1})
    const counts = paramCounts(tinyDeepseek)
    // By hand: MLA q_a 64x32, q_b 32x96, kv_a 64x24, kv_b 16x128, o 64x64; latent norms 32 + 16.
    const attention = 3 * (64 * 32 + 32 * 96 + 64 * 24 + 16 * 128 + 64 * 64)
    const norms = 3 * (2 * 64 + 32 + 16) + 64
    const denseFfn = 3 * 64 * 128
    const routedExperts = 2 * 4 * (3 * 64 * 32)
    const sharedExperts = 2 * (3 * 64 * 32)
    const router = 2 * (4 * 64 + 4)
    const expected = {embedding: 256 * 64, attention, denseFfn, routedExperts, sharedExperts, router, norms, lmHead: 256 * 64}
    expect(mapping.breakdown).toEqual(expected)
    for (const [key, value] of Object.entries(expected)) expect(counts.breakdown[key as keyof typeof expected]).toBe(value)
    expect(mapping.textParams).toBe(counts.totalParams)
    expect(mapping.unmapped.tensors).toEqual([])
    // The MTP layer: a full MoE layer + enorm, hnorm, eh_proj (2h x h), shared_head.norm, as mtpParams counts it,
    // plus the copies of the embedding and head the checkpoint carries.
    const mtpLayer = 64 * 32 + 32 * 96 + 64 * 24 + 16 * 128 + 64 * 64 + (2 * 64 + 32 + 16) + 4 * 3 * 64 * 32 + 3 * 64 * 32 + 4 * 64 + 4
    expect(counts.mtpParams).toBe(mtpLayer + 3 * 64 + 2 * 64 * 64)
    expect(mapping.mtp.params).toBe(counts.mtpParams + 2 * 256 * 64)
  })

  it('a layer past the text model is not taken for MTP when the preset has none', () => {
    expect(placeHfTensor('model.layers.3.mlp.up_proj.weight', {textLayers: 3, mtpLayers: 0})).toEqual({kind: 'component', component: 'denseFfn'})
    expect(placeHfTensor('model.layers.3.mlp.up_proj.weight', {textLayers: 3, mtpLayers: 1})).toEqual({kind: 'mtp'})
  })

  const opts = {textLayers: 48, mtpLayers: 0}
  const hf: [string, string][] = [
    ['model.layers.0.self_attn.sinks', 'attention'], // gpt-oss
    ['model.layers.0.mlp.router.bias', 'router'],
    ['model.layers.0.mlp.experts.gate_up_proj_blocks', 'routedExperts'],
    ['model.layers.0.mlp.shared_expert.down_proj.weight', 'sharedExperts'], // Qwen2-MoE
    ['model.layers.0.mlp.shared_expert_gate.weight', 'sharedExperts'],
    ['model.layers.0.self_attn.q_norm.weight', 'norms'], // Qwen3
    ['model.layers.0.self_attn.indexer.wq_b.weight', 'other'], // DeepSeek-V3.2 DSA indexer, as paramCounts files it
    ['model.layers.0.self_attn.indexer.k_norm.bias', 'norms'],
    ['model.layers.0.linear_attn.in_proj_qkvz.weight', 'attention'], // Qwen3-Next
    ['model.layers.0.linear_attn.norm.weight', 'norms'],
    ['model.layers.0.block_sparse_moe.experts.7.w2.weight', 'routedExperts'], // Mixtral
    ['model.layers.0.block_sparse_moe.gate.weight', 'router'],
    ['language_model.model.layers.3.feed_forward.router.weight', 'router'], // Llama 4
    ['language_model.model.layers.3.feed_forward.shared_expert.up_proj.weight', 'sharedExperts'],
    ['language_model.model.layers.0.pre_feedforward_layernorm.weight', 'norms'], // Gemma 3
    ['model.language_model.layers.0.altup.router_norm.weight', 'other'], // Gemma 3n
    ['model.language_model.layers.0.laurel.post_laurel_norm.weight', 'norms'],
    ['model.language_model.embed_tokens_per_layer.weight', 'perLayerEmbedding'],
    ['model.language_model.altup_projections.0.weight', 'other'],
    ['transformer.wpe.weight', 'embedding'], // GPT-2
    ['transformer.h.11.attn.c_attn.bias', 'attention'],
    ['transformer.h.11.mlp.c_proj.weight', 'denseFfn'],
    ['transformer.ln_f.bias', 'norms'],
  ]
  it.each(hf)('HF %s -> %s', (name, component) => expect(placeHfTensor(name, opts)).toEqual({kind: 'component', component}))

  it('HF encoders, MTP modules and unknown tensors', () => {
    expect(placeHfTensor('vision_tower.vision_model.encoder.layers.26.mlp.fc1.weight', opts)).toEqual({kind: 'encoder'})
    expect(placeHfTensor('multi_modal_projector.mm_input_projection_weight', opts)).toEqual({kind: 'encoder'})
    expect(placeHfTensor('model.audio_tower.conformer.0.attention.attn.q_proj.weight', opts)).toEqual({kind: 'encoder'})
    expect(placeHfTensor('mtp.layers.0.mlp.experts.0.up_proj.weight', opts)).toEqual({kind: 'mtp'})
    expect(placeHfTensor('model.something_new.weight', opts)).toEqual({kind: 'unmapped'})
  })

  const gguf: [string, string][] = [
    ['token_embd.weight', 'embedding'],
    ['output.weight', 'lmHead'],
    ['output_norm.weight', 'norms'],
    ['blk.3.attn_kv_a_mqa.weight', 'attention'],
    ['blk.3.attn_kv_a_norm.weight', 'norms'],
    ['blk.3.attn_k_b.weight', 'attention'],
    ['blk.3.attn_sinks.weight', 'attention'],
    ['blk.3.ffn_gate_inp.weight', 'router'],
    ['blk.3.exp_probs_b.bias', 'router'],
    ['blk.3.ffn_up_exps.weight', 'routedExperts'],
    ['blk.3.ffn_down_exps.bias', 'routedExperts'],
    ['blk.3.ffn_down_shexp.weight', 'sharedExperts'],
    ['blk.3.ffn_gate_inp_shexp.weight', 'sharedExperts'],
    ['blk.3.ffn_gate.weight', 'denseFfn'],
    ['blk.3.post_ffw_norm.weight', 'norms'],
    ['blk.3.ssm_conv1d.weight', 'attention'],
    ['blk.3.altup_router_norm.weight', 'other'],
    ['per_layer_token_embd.weight', 'perLayerEmbedding'],
  ]
  it.each(gguf)('GGUF %s -> %s', (name, component) => expect(placeGgufTensor(name, opts)).toEqual({kind: 'component', component}))

  it('GGUF mmproj tensors are encoders; nextn blocks are MTP', () => {
    expect(placeGgufTensor('v.blk.0.attn_q.weight', opts)).toEqual({kind: 'encoder'})
    expect(placeGgufTensor('mm.0.weight', opts)).toEqual({kind: 'encoder'})
    expect(placeGgufTensor('blk.46.nextn.eh_proj.weight', opts)).toEqual({kind: 'mtp'})
    expect(placeGgufTensor('blk.2.mystery.weight', opts)).toEqual({kind: 'unmapped'})
  })
})
