// verify on checkpoints with real tensor names: a published module list (Mamba-2 2.7B), and small safetensors files
// written with every tensor name the modeling class saves (hf-names.ts) for scaled-down configs of the types whose
// names the mapper used to misplace (ChatGLM, DBRX, GPT-NeoX with its saved buffers, Granite-4.0-H, Jamba, Mamba),
// and a tiny Zamba2 file written tensor by tensor from modeling_zamba2.py.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {mapComponents, placeGgufTensor, placeHfTensor} from '../../src/checkpoint/components.js'
import {readCheckpoint} from '../../src/checkpoint/read.js'
import {parseJsonText} from '../../src/import/config.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {verifyResult} from '../../src/report/verify.js'
import {hfTensors} from './hf-names.js'
import {tempDir, writeSafetensors} from './writers.js'

describe('a published tensor list: Mamba-2 2.7B', () => {
  // Mamba2ForCausalLM.named_parameters() of AntonV/mamba2-2.7b-hf (the HF port of state-spaces/mamba2-2.7b), as a
  // conversion script prints it for layer 63; every layer has the same tensors. Tied head.
  const perLayer: [string, number[]][] = [
    ['norm.weight', [2560]],
    ['mixer.dt_bias', [80]],
    ['mixer.A_log', [80]],
    ['mixer.D', [80]],
    ['mixer.conv1d.weight', [5376, 1, 4]],
    ['mixer.conv1d.bias', [5376]],
    ['mixer.in_proj.weight', [10576, 2560]],
    ['mixer.norm.weight', [5120]],
    ['mixer.out_proj.weight', [2560, 5120]],
  ]
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1)
  const tensors = [
    {name: 'backbone.embeddings.weight', params: 50288 * 2560},
    ...Array.from({length: 64}, (_, i) => perLayer.map(([n, shape]) => ({name: `backbone.layers.${i}.${n}`, params: size(shape)}))).flat(),
    {name: 'backbone.norm_f.weight', params: 2560},
  ]
  // Its config.json (mamba2 defaults for the keys left out): 80 heads of 64 = d_inner 5120, 1 group of state 128,
  // conv over x, B, C = 5120 + 2 x 128 = 5376, in_proj z, x, B, C, dt = 2 x 5120 + 2 x 128 + 80 = 10576.
  const spec = parseModelSpec(
    importHfConfig(
      {model_type: 'mamba2', hidden_size: 2560, num_hidden_layers: 64, num_heads: 80, head_dim: 64, expand: 2, state_size: 128, n_groups: 1, conv_kernel: 4, vocab_size: 50288, tie_word_embeddings: true, use_bias: false, use_conv_bias: true},
      {id: 'mamba2-2.7b'},
    ),
    'mamba2-2.7b',
  )
  it('maps to the breakdown, component by component', () => {
    const mapping = mapComponents('hf', tensors, {textLayers: 64, mtpLayers: 0})
    const layerMixer = 10576 * 2560 + 5376 * 4 + 5376 + 3 * 80 + 2560 * 5120 // in_proj, conv w + b, dt_bias/A_log/D, out_proj
    const expected = {embedding: 50288 * 2560, attention: 64 * layerMixer, norms: 64 * (2560 + 5120) + 2560}
    expect(mapping.breakdown).toEqual(expected)
    expect(mapping.unmapped.tensors).toEqual([])
    expect(paramCounts(spec).breakdown).toMatchObject({...expected, denseFfn: 0, lmHead: 0})
    // 2,702,599,680: the count a third-party checker states for this checkpoint.
    expect(mapping.textParams).toBe(2_702_599_680)
  })
})

/** A fixture with its dimensions scaled down (keys of the config, merged one level deep). */
function scaled(file: string, patch: Record<string, unknown>) {
  const raw = parseJsonText(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8')) as Record<string, unknown>
  for (const [k, v] of Object.entries(patch)) raw[k] = v && typeof v === 'object' && !Array.isArray(v) ? {...(raw[k] as object), ...v} : v
  return parseModelSpec(importHfConfig(raw, {id: 'tiny'}), file)
}

const small: [string, Record<string, unknown>][] = [
  ['chatglm3-6b', {hidden_size: 64, ffn_hidden_size: 96, kv_channels: 16, num_attention_heads: 4, multi_query_group_num: 2, num_layers: 2, padded_vocab_size: 256, vocab_size: 256}],
  ['dbrx-instruct', {d_model: 64, n_heads: 4, n_layers: 2, vocab_size: 256, attn_config: {kv_n_heads: 2}, ffn_config: {ffn_hidden_size: 32, moe_num_experts: 4, moe_top_k: 2}}],
  ['pythia-1b', {hidden_size: 64, intermediate_size: 256, num_attention_heads: 4, num_hidden_layers: 2, vocab_size: 256}],
  ['mamba-2.8b-hf', {hidden_size: 64, intermediate_size: 128, n_layer: 2, num_hidden_layers: 2, state_size: 4, time_step_rank: 8, vocab_size: 256}],
  ['granite-4.0-h-1b', {hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 96, shared_intermediate_size: 96, vocab_size: 256, mamba_d_state: 8, mamba_n_heads: 4, mamba_d_head: 32, layer_types: ['mamba', 'attention']}],
  ['granite-4.0-h-tiny', {hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 32, shared_intermediate_size: 48, num_local_experts: 4, num_experts_per_tok: 2, vocab_size: 256, mamba_d_state: 8, mamba_n_heads: 4, mamba_d_head: 32, layer_types: ['mamba', 'attention']}],
  ['ai21-jamba-1.5-mini', {hidden_size: 64, intermediate_size: 96, num_attention_heads: 4, num_key_value_heads: 2, num_hidden_layers: 8, num_experts: 4, mamba_d_state: 4, mamba_dt_rank: 8, vocab_size: 256}],
]

describe('verify on small safetensors checkpoints with the real module names', () => {
  it.each(small)('%s: every component matches', (file, patch) => {
    const spec = scaled(file, patch)
    const tensors = hfTensors(spec)
    // GPT-NeoX checkpoints converted from the .bin carry the causal-mask and rotary buffers: never parameters.
    const buffers = spec.source.modelType === 'gpt_neox' ? ['attention.bias', 'attention.masked_bias', 'attention.rotary_emb.inv_freq'].map((n) => ({name: `gpt_neox.layers.0.${n}`, params: 4})) : []
    const {dir, remove} = tempDir()
    try {
      const path = join(dir, 'model.safetensors')
      writeSafetensors(path, [...tensors, ...buffers].map((t) => ({name: t.name, dtype: 'BF16', shape: [t.params]})))
      const result = verifyResult(spec, readCheckpoint(path), path, 'config')
      expect(result.components.filter((c) => !c.matches)).toEqual([])
      expect(result.components.length).toBeGreaterThanOrEqual(3)
      expect(result.apart.unmapped.tensors).toEqual([])
    } finally {
      remove()
    }
  })
})

describe('Zamba2: a hybrid checkpoint whose shared blocks are saved once, under the first layer that runs them', () => {
  // modeling_zamba2.py Zamba2Model keeps the num_mem_blocks Zamba2AttentionDecoderLayer only as the shared_transformer
  // of each Zamba2HybridLayer, so the file names each tied tensor once, under the first hybrid layer running its block
  // (vLLM zamba2.py load_weights looks names up in named_parameters(), which keeps that path; Zamba2-1.2B holds
  // model.layers.5.shared_transformer.self_attn.linear_q_adapter_list.1.1.weight, layer 5 its first hybrid layer).
  // The adapters sit in the block, listed by invocation k (block k mod num_mem_blocks); each hybrid layer has its own
  // linear, and its Mamba layer under mamba_decoder. Tiny config: h 32, 5 layers, hybrid at 1, 2, 4, 2 blocks (block 0
  // at layers 1 and 4, block 1 at layer 2), 4 heads of 2h / 4 = 16, MLP 48, adapter rank 4 with attention adapters,
  // Mamba-2 of 4 heads, d_inner 2 x 32 = 64, 1 group of state 8; vocab 64, tied.
  const spec = parseModelSpec(
    importHfConfig(
      {
        model_type: 'zamba2',
        hidden_size: 32,
        num_hidden_layers: 5,
        layers_block_type: ['mamba', 'hybrid', 'hybrid', 'mamba', 'hybrid'],
        num_mem_blocks: 2,
        num_attention_heads: 4,
        intermediate_size: 48,
        use_shared_attention_adapter: true,
        adapter_rank: 4,
        n_mamba_heads: 4,
        mamba_d_state: 8,
        vocab_size: 64,
      },
      {id: 'tiny-zamba2'},
    ),
    'tiny-zamba2',
  )
  // Zamba2MambaMixer: conv over d_inner + 2 x state = 80 channels; in_proj to d_inner + conv + heads = 64 + 80 + 4 = 148.
  const mamba: [string, number[]][] = [
    ['input_layernorm.weight', [32]],
    ['mamba.in_proj.weight', [148, 32]],
    ['mamba.conv1d.weight', [80, 1, 4]],
    ['mamba.conv1d.bias', [80]],
    ['mamba.dt_bias', [4]],
    ['mamba.A_log', [4]],
    ['mamba.D', [4]],
    ['mamba.norm.weight', [64]],
    ['mamba.out_proj.weight', [32, 64]],
  ]
  // Zamba2AttentionDecoderLayer: input_layernorm over 2h = 64, q/k/v 64 -> 64, o 64 -> 32, gate_up_proj 32 -> 2 x 48.
  const block: [string, number[]][] = [
    ['input_layernorm.weight', [64]],
    ['self_attn.q_proj.weight', [64, 64]],
    ['self_attn.k_proj.weight', [64, 64]],
    ['self_attn.v_proj.weight', [64, 64]],
    ['self_attn.o_proj.weight', [32, 64]],
    ['pre_ff_layernorm.weight', [32]],
    ['feed_forward.gate_up_proj.weight', [96, 32]],
    ['feed_forward.down_proj.weight', [32, 48]],
  ]
  const adapters = (k: number): [string, number[]][] => [
    [`feed_forward.gate_up_proj_adapter_list.${k}.0.weight`, [4, 32]],
    [`feed_forward.gate_up_proj_adapter_list.${k}.1.weight`, [96, 4]],
    ...['q', 'k', 'v'].flatMap((p): [string, number[]][] => [
      [`self_attn.linear_${p}_adapter_list.${k}.0.weight`, [4, 64]],
      [`self_attn.linear_${p}_adapter_list.${k}.1.weight`, [64, 4]],
    ]),
  ]
  const at = (prefix: string, list: [string, number[]][]) => list.map(([n, shape]) => ({name: `${prefix}${n}`, dtype: 'BF16', shape}))
  const tensors = [
    ...at('model.', [['embed_tokens.weight', [64, 32]], ['final_layernorm.weight', [32]]]),
    ...at('model.layers.0.', mamba),
    ...at('model.layers.3.', mamba),
    ...[1, 2, 4].flatMap((layer) => [...at(`model.layers.${layer}.mamba_decoder.`, mamba), ...at(`model.layers.${layer}.`, [['linear.weight', [32, 32]]])]),
    ...at('model.layers.1.shared_transformer.', [...block, ...adapters(0), ...adapters(2)]), // block 0: invocations 0 and 2
    ...at('model.layers.2.shared_transformer.', [...block, ...adapters(1)]), // block 1: invocation 1
  ]
  const mixer = 148 * 32 + 80 * 4 + 80 + 3 * 4 + 32 * 64 // in_proj, conv weight + bias, dt_bias/A_log/D, out_proj
  const expected = {
    embedding: 64 * 32,
    attention: 5 * mixer + 2 * (3 * 64 * 64 + 64 * 32), // 5 Mamba mixers, 2 blocks' q/k/v/o
    denseFfn: 2 * (96 * 32 + 32 * 48), // 2 blocks' gate_up_proj and down_proj
    norms: 5 * (32 + 64) + 2 * (64 + 32) + 32, // each layer's norm and gated norm, each block's two, final
    other: 3 * (32 * 4 + 4 * 96 + 3 * (4 * 64 + 64 * 4) + 32 * 32), // per invocation: MLP and q/k/v adapters, linear
  }
  it('maps to the breakdown params counts', () => {
    const mapping = mapComponents('hf', tensors.map((t) => ({name: t.name, params: t.shape.reduce((a, b) => a * b, 1)})), {textLayers: 5, mtpLayers: 0})
    expect(mapping.unmapped.tensors).toEqual([])
    expect(mapping.breakdown).toEqual(expected)
    expect(paramCounts(spec).breakdown).toMatchObject({...expected, lmHead: 0})
  })
  it('verify: every component of the file matches', () => {
    const {dir, remove} = tempDir()
    try {
      const path = join(dir, 'model.safetensors')
      writeSafetensors(path, tensors)
      const result = verifyResult(spec, readCheckpoint(path), path, 'config')
      expect(result.components.filter((c) => !c.matches)).toEqual([])
      expect(result.components.map((c) => c.component)).toEqual(expect.arrayContaining(['embedding', 'attention', 'denseFfn', 'norms', 'other']))
      expect(result.apart.unmapped.tensors).toEqual([])
      expect(result.matches).toBe(true)
    } finally {
      remove()
    }
  })
})

describe('names from the brief land where params counts them', () => {
  const opts = {textLayers: 4, mtpLayers: 0}
  it.each([
    ['transformer.encoder.layers.1.self_attention.query_key_value.weight', 'attention'], // ChatGLM
    ['transformer.rotary_pos_emb.inv_freq', 'other'],
    ['transformer.embedding.word_embeddings.weight', 'embedding'],
    ['transformer.output_layer.weight', 'lmHead'],
    ['transformer.h.1.mlp.c_fc_0.weight', 'denseFfn'], // EXAONE
    ['model.layers.1.mlp.act_fn.alpha_p', 'denseFfn'], // Apertus
    ['transformer.blocks.1.norm_attn_norm.attn.Wqkv.weight', 'attention'], // DBRX
    ['transformer.blocks.1.norm_attn_norm.norm_2.weight', 'norms'],
    ['transformer.blocks.1.ffn.router.layer.weight', 'router'],
    ['transformer.blocks.1.ffn.experts.mlp.v1', 'routedExperts'],
    ['transformer.norm_f.weight', 'norms'],
    ['model.layers.1.block_sparse_moe.input_linear.weight', 'routedExperts'], // Granite MoE
    ['model.layers.1.block_sparse_moe.router.layer.weight', 'router'],
    ['model.layers.1.mlp.moe_statics.e_score_correction_bias', 'router'], // ERNIE-4.5-MoE
    ['model.layers.1.mlp.gate.wg.weight', 'router'], // Hunyuan
    ['model.layers.1.mlp.shared_mlp.down_proj.weight', 'sharedExperts'],
    ['lm_head.bias', 'lmHead'], // Phi-3.5-MoE
    ['backbone.embeddings.weight', 'embedding'], // Mamba
    ['backbone.layers.1.mixer.x_proj.weight', 'attention'],
    ['backbone.layers.1.mixer.norm.weight', 'norms'], // Mamba-2 gated norm
    ['model.layers.1.mamba.dt_layernorm.weight', 'norms'], // Jamba
    ['model.layers.1.feed_forward.experts.3.down_proj.weight', 'routedExperts'],
    ['model.layers.1.conv.in_proj.weight', 'attention'], // LFM2
    ['model.layers.1.operator_norm.weight', 'norms'],
    ['model.embedding_norm.weight', 'norms'],
    ['backbone.layers.1.mixer.experts.0.up_proj.weight', 'routedExperts'], // Nemotron-H MoE
    ['backbone.layers.1.mixer.gate.e_score_correction_bias', 'router'],
    ['backbone.layers.1.mixer.up_proj.weight', 'denseFfn'],
    ['gpt_neox.layers.1.attention.query_key_value.weight', 'attention'], // GPT-NeoX
    ['embed_out.weight', 'lmHead'],
    ['model.decoder.embed_positions.weight', 'embedding'], // OPT
    ['h.1.self_attention.query_key_value.bias', 'attention'], // BLOOM, unprefixed
    ['transformer.h.1.ln_mlp.bias', 'norms'], // Falcon-40B
    ['model.tok_embeddings.weight', 'embedding'], // InternLM2
    ['output.weight', 'lmHead'],
    ['model.word_embeddings.weight', 'embedding'], // Bailing
    ['model.layers.6.shared_transformer.self_attn.o_proj.weight', 'attention'], // Zamba2
    ['model.layers.6.shared_transformer.feed_forward.gate_up_proj.weight', 'denseFfn'],
    ['model.layers.6.shared_transformer.input_layernorm.weight', 'norms'],
    ['model.layers.6.shared_transformer.feed_forward.gate_up_proj_adapter_list.2.1.weight', 'other'],
    ['model.layers.6.shared_transformer.self_attn.linear_v_adapter_list.2.0.weight', 'other'],
    ['model.layers.6.linear.weight', 'other'],
    ['model.layers.6.mamba_decoder.mamba.dt_bias', 'attention'],
    ['model.layers.6.mamba_decoder.mamba.norm.weight', 'norms'],
    ['model.layers.6.mamba_decoder.input_layernorm.weight', 'norms'],
    ['model.final_layernorm.weight', 'norms'],
  ] as const)('%s -> %s', (name, component) => expect(placeHfTensor(name, opts)).toEqual({kind: 'component', component}))
  it('buffers are no component and count nowhere', () => {
    for (const name of ['gpt_neox.layers.0.attention.masked_bias', 'transformer.h.0.attn.bias', 'model.layers.0.self_attn.rotary_emb.inv_freq'])
      expect(placeHfTensor(name, opts)).toEqual({kind: 'buffer'})
    expect(placeHfTensor('model.visual.blocks.0.attn.qkv.weight', opts)).toEqual({kind: 'encoder'}) // Qwen2.5-VL
  })
})

describe('llama.cpp names (llama-arch.cpp LLM_TENSOR_NAMES) beyond the ones gguf-mix.ts enumerates', () => {
  const opts = {textLayers: 4, mtpLayers: 0}
  it.each([
    ['position_embd.weight', 'embedding'], // GPT-2, StarCoder, OPT learned positions
    ['token_embd_norm.weight', 'norms'], // BLOOM, and LFM2's final norm (LLM_TENSOR_OUTPUT_NORM_LFM2)
    ['output.bias', 'lmHead'],
    ['rope_freqs.weight', 'other'], // ChatGLM's inv_freq as gguf-mix.ts names it
    ['blk.1.ffn_gate.5.weight', 'routedExperts'], // LLM_TENSOR_FFN_GATE_EXP, one tensor per expert
    ['blk.1.ffn_gate_up_exps.weight', 'routedExperts'],
    ['blk.1.ssm_x.weight', 'attention'], // Mamba
    ['blk.1.ssm_dt.bias', 'attention'],
    ['blk.1.ssm_a', 'attention'],
    ['blk.1.ssm_d', 'attention'],
    ['blk.1.ssm_dt_norm.weight', 'norms'], // Jamba
    ['blk.1.ssm_norm.weight', 'norms'], // Mamba-2 gated norm
    ['blk.1.shortconv.conv.weight', 'attention'], // LFM2
    ['blk.1.shortconv.in_proj.weight', 'attention'],
    ['blk.1.attn_qkv.bias', 'attention'],
    ['blk.1.attn_norm_2.weight', 'norms'], // Falcon-40B ln_mlp
    ['blk.1.ffn_act_xielu', 'denseFfn'], // Apertus scalars, as gguf-mix.ts enumerates them
    ['shared.1.attn_norm.weight', 'norms'], // Zamba2 shared blocks and adapters, as gguf-mix.ts names them
    ['shared.1.attn_k.weight', 'attention'],
    ['shared.1.ffn_up.weight', 'denseFfn'],
    ['blk.1.shared_q_adapter_b.weight', 'other'],
    ['blk.1.shared_out.weight', 'other'],
  ] as const)('%s -> %s', (name, component) => expect(placeGgufTensor(name, opts)).toEqual({kind: 'component', component}))
})

describe('a shared MLP in a layer without routed experts is the dense MLP (Granite-4.0-H dense models)', () => {
  const opts = {textLayers: 2, mtpLayers: 0}
  it('HF shared_mlp and GGUF *_shexp, with and without experts beside them', () => {
    const hf = mapComponents('hf', [
      {name: 'model.layers.0.shared_mlp.input_linear.weight', params: 2 * 96 * 64}, // dense layer: gate and up, fused
      {name: 'model.layers.0.shared_mlp.output_linear.weight', params: 64 * 96},
      {name: 'model.layers.1.shared_mlp.output_linear.weight', params: 64 * 48}, // MoE layer
      {name: 'model.layers.1.block_sparse_moe.output_linear.weight', params: 4 * 64 * 32},
      {name: 'model.layers.1.block_sparse_moe.router.layer.weight', params: 4 * 64},
    ], opts)
    expect(hf.breakdown).toEqual({denseFfn: 3 * 96 * 64, routedExperts: 4 * 64 * 32, sharedExperts: 64 * 48, router: 4 * 64})
    const gguf = mapComponents('gguf', [{name: 'blk.0.ffn_up_shexp.weight', params: 96 * 64}, {name: 'blk.0.ffn_down_shexp.weight', params: 64 * 96}], opts)
    expect(gguf.breakdown).toEqual({denseFfn: 2 * 96 * 64})
  })
})
