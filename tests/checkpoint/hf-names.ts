// The Hugging Face state dict of a spec, for the mapping tests: every tensor name the transformers (or remote-code)
// modeling class saves, with its element count. Built from the spec's GGUF-named enumeration (gguf-mix.ts tensorsOf,
// which has every module of the spec with its shape) renamed module by module through one table per naming scheme;
// several GGUF tensors of one HF module (q/k/v of a fused W_pack, gate and up of a gate_up_proj) are summed into it,
// and a stacked expert tensor is split into one module per expert where the HF class keeps them apart.
import {tensorsOf} from '../../src/calc/gguf-mix.js'
import type {ModelSpec} from '../../src/schema/model.js'

export interface NamedTensor {
  name: string
  params: number
}

/** GGUF name (after "blk.N." for a block, stem or stem.suffix) -> HF module path; "{e}" repeats it per expert. */
type Table = Record<string, string | readonly string[]>

interface Scheme {
  /** Prefix of decoder layer N: "model.layers." -> model.layers.N.<module>. */
  layers: string
  model: Table
  block: Table
  /** Names of the spec's per-layer hidden-size norms (gguf-mix.ts norm_0, norm_1, ...), in order. */
  norms?: (spec: ModelSpec) => readonly string[]
  /** Module path of layer N's tensors after "<layers>N." when it depends on the layer (Zamba2 hybrid layers). */
  layerModule?: (spec: ModelSpec, layer: number, module: string) => string
  /** The whole HF name of a GGUF tensor no table can name (Zamba2 shared blocks and their adapters), else undefined. */
  special?: (spec: ModelSpec, gguf: string) => string | undefined
}

const experts = (container: string, gate: string, up: string, down: string): Table => ({
  ffn_gate_exps: `${container}.experts.{e}.${gate}`,
  ffn_up_exps: `${container}.experts.{e}.${up}`,
  ffn_down_exps: `${container}.experts.{e}.${down}`,
})
const mlp = (container: string, gate = 'gate_proj', up = 'up_proj', down = 'down_proj', suffix = ''): Table => ({
  [`ffn_gate${suffix}`]: `${container}.${gate}`,
  [`ffn_up${suffix}`]: `${container}.${up}`,
  [`ffn_down${suffix}`]: `${container}.${down}`,
})
const attn = (container: string, q = 'q_proj', k = 'k_proj', v = 'v_proj', o = 'o_proj'): Table => ({
  attn_q: `${container}.${q}`,
  attn_k: `${container}.${k}`,
  attn_v: `${container}.${v}`,
  attn_output: `${container}.${o}`,
  attn_q_norm: `${container}.q_norm`,
  attn_k_norm: `${container}.k_norm`,
  attn_sinks: `${container}.sinks`,
})
// modeling_mamba.py MambaMixer (x_proj, dt_proj) and modeling_mamba2.py Mamba2Mixer (dt_bias, norm), as the
// Jamba, Nemotron-H, Granite-4.0-H and Falcon-H1 classes reuse them under their own container name.
const ssm = (c: string, mamba2: boolean): Table => ({
  ssm_in: `${c}.in_proj`,
  ssm_conv1d: `${c}.conv1d`,
  ssm_x: `${c}.x_proj`,
  ssm_dt: `${c}.dt_proj`,
  ...(mamba2 ? {'ssm_dt.bias': `${c}.dt_bias`} : {}),
  ssm_a: `${c}.A_log`,
  ssm_d: `${c}.D`,
  ssm_norm: `${c}.norm`,
  ssm_dt_norm: `${c}.dt_layernorm`,
  ssm_b_norm: `${c}.b_layernorm`,
  ssm_c_norm: `${c}.c_layernorm`,
  ssm_out: `${c}.out_proj`,
})

// modeling_llama.py and every class that copies it (Mistral, Qwen2/3, Gemma, Granite, MiniCPM, Seed-OSS, ERNIE-4.5,
// Arcee, Nemotron, OLMoE, Qwen2-MoE, DeepSeek, dots1, ...).
const llamaModel: Table = {token_embd: 'model.embed_tokens', output: 'lm_head', output_norm: 'model.norm'}
const llamaBlock: Table = {
  ...attn('self_attn'),
  // modeling_deepseek_v3.py DeepseekV3Attention (MLA) and the V3.2 indexer.
  attn_q_a: 'self_attn.q_a_proj',
  attn_q_a_norm: 'self_attn.q_a_layernorm',
  attn_q_b: 'self_attn.q_b_proj',
  attn_kv_a_mqa: 'self_attn.kv_a_proj_with_mqa',
  attn_kv_a_norm: 'self_attn.kv_a_layernorm',
  attn_kv_b: 'self_attn.kv_b_proj',
  'indexer.attn_q_b': 'self_attn.indexer.wq_b',
  'indexer.attn_k': 'self_attn.indexer.wk',
  'indexer.proj': 'self_attn.indexer.weights_proj',
  'indexer.k_norm': 'self_attn.indexer.k_norm',
  ...mlp('mlp'),
  ...experts('mlp', 'gate_proj', 'up_proj', 'down_proj'),
  ...mlp('mlp.shared_experts', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
  ffn_gate_inp: 'mlp.gate',
  'exp_probs_b.bias': 'mlp.gate.e_score_correction_bias',
}
const llamaNorms = ['input_layernorm', 'post_attention_layernorm']
const gemmaNorms = ['input_layernorm', 'post_attention_layernorm', 'pre_feedforward_layernorm', 'post_feedforward_layernorm']
const llama: Scheme = {layers: 'model.layers.', model: llamaModel, block: llamaBlock}
const with_ = (base: Scheme, block: Table, rest: Partial<Scheme> = {}): Scheme => ({...base, ...rest, block: {...base.block, ...block}})

// modeling_gpt2.py GPT2Model (gpt_bigcode: modeling_gpt_bigcode.py, same module names).
const gpt2: Scheme = {
  layers: 'transformer.h.',
  model: {token_embd: 'transformer.wte', position_embd: 'transformer.wpe', output_norm: 'transformer.ln_f', output: 'lm_head'},
  block: {attn_qkv: 'attn.c_attn', attn_output: 'attn.c_proj', ...mlp('mlp', '-', 'c_fc', 'c_proj')},
  norms: () => ['ln_1', 'ln_2'],
}
// modeling_granitemoe.py GraniteMoeMoE: input_linear (gate and up of every expert, fused), output_linear, router.layer.
const graniteMoe: Table = {
  ffn_gate_exps: 'block_sparse_moe.input_linear',
  ffn_up_exps: 'block_sparse_moe.input_linear',
  ffn_down_exps: 'block_sparse_moe.output_linear',
  ffn_gate_inp: 'block_sparse_moe.router.layer',
  // modeling_granitemoeshared.py GraniteMoeSharedMLP; the Granite-4.0-H dense models' whole FFN.
  ffn_gate_shexp: 'shared_mlp.input_linear',
  ffn_up_shexp: 'shared_mlp.input_linear',
  ffn_down_shexp: 'shared_mlp.output_linear',
  ffn_gate: 'shared_mlp.input_linear',
  ffn_up: 'shared_mlp.input_linear',
  ffn_down: 'shared_mlp.output_linear',
}

// modeling_zamba2.py Zamba2Model: every layer is a Zamba2MambaDecoderLayer (mamba.*, input_layernorm); a hybrid layer
// is a Zamba2HybridLayer holding it as mamba_decoder, its own linear and a reference to shared block i mod
// num_mem_blocks as shared_transformer. The model keeps no other handle on the blocks (no model.blocks), so a tied
// tensor is saved once, under the first hybrid layer that runs its block: vLLM's zamba2.py load_weights looks every
// checkpoint name up in named_parameters(), which keeps that first path, and Zamba2-1.2B's file holds
// model.layers.5.shared_transformer.self_attn.linear_q_adapter_list.1.1.weight (layer 5: its first hybrid layer). The
// adapter lists live in the block, indexed by invocation: invocation k's adapter is list entry k of block k mod
// num_mem_blocks (nn.Identity, no tensors, at the other entries).
const zamba2Shared: Table = {
  attn_norm: 'input_layernorm',
  ffn_norm: 'pre_ff_layernorm',
  attn_q: 'self_attn.q_proj',
  attn_k: 'self_attn.k_proj',
  attn_v: 'self_attn.v_proj',
  attn_output: 'self_attn.o_proj',
  ffn_up: 'feed_forward.gate_up_proj',
  ffn_down: 'feed_forward.down_proj',
}
function zamba2Name(spec: ModelSpec, gguf: string): string | undefined {
  const sb = spec.sharedBlocks!
  const owner = (block: number) => `model.layers.${sb.invokedAt[block]}.shared_transformer.`
  const shared = /^shared\.(\d+)\.(.+)\.(weight|bias)$/.exec(gguf)
  if (shared) {
    const module = zamba2Shared[shared[2]!]
    if (module === undefined) throw new Error(`zamba2: no HF name for ${gguf}`)
    return `${owner(Number(shared[1]))}${module as string}.${shared[3]}`
  }
  const adapter = /^blk\.(\d+)\.shared_(ffn|q|k|v)_adapter_(a|b)\.weight$/.exec(gguf)
  if (adapter) {
    const k = sb.invokedAt.indexOf(Number(adapter[1]))
    const list = adapter[2] === 'ffn' ? 'feed_forward.gate_up_proj_adapter_list' : `self_attn.linear_${adapter[2]}_adapter_list`
    return `${owner(k % sb.blocks)}${list}.${k}.${adapter[3] === 'a' ? 0 : 1}.weight`
  }
  const out = /^blk\.(\d+)\.shared_out\.weight$/.exec(gguf)
  return out ? `model.layers.${out[1]}.linear.weight` : undefined
}

// moonshotai modeling_kimi.py KimiDeltaAttention (self_attn.*) and MLA layers; block_sparse_moe experts w1/w3/w2.
const kimiLinearBlock: Table = {
  ssm_q: 'self_attn.q_proj',
  ssm_k: 'self_attn.k_proj',
  ssm_v: 'self_attn.v_proj',
  ssm_out: 'self_attn.o_proj',
  ssm_f_a: 'self_attn.f_a_proj',
  ssm_f_b: 'self_attn.f_b_proj',
  ssm_g_a: 'self_attn.g_a_proj',
  ssm_g_b: 'self_attn.g_b_proj',
  ssm_beta: 'self_attn.b_proj',
  'ssm_dt.bias': 'self_attn.dt_bias',
  ssm_a: 'self_attn.A_log',
  ssm_conv1d_q: 'self_attn.q_conv1d',
  ssm_conv1d_k: 'self_attn.k_conv1d',
  ssm_conv1d_v: 'self_attn.v_conv1d',
  ssm_norm: 'self_attn.o_norm',
  ...experts('block_sparse_moe', 'w1', 'w3', 'w2'),
  ...mlp('block_sparse_moe.shared_experts', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
  ffn_gate_inp: 'block_sparse_moe.gate',
  'exp_probs_b.bias': 'block_sparse_moe.gate.e_score_correction_bias',
}

export const hfSchemes: Record<string, Scheme> = {
  llama,
  gpt2,
  gpt_bigcode: gpt2,
  // modeling_gpt_neox.py GPTNeoXModel (buffers attention.bias/masked_bias/rotary_emb.inv_freq as pythia saves them).
  gpt_neox: {
    layers: 'gpt_neox.layers.',
    model: {token_embd: 'gpt_neox.embed_in', output_norm: 'gpt_neox.final_layer_norm', output: 'embed_out'},
    block: {attn_qkv: 'attention.query_key_value', attn_output: 'attention.dense', ...mlp('mlp', '-', 'dense_h_to_4h', 'dense_4h_to_h')},
  },
  // modeling_gptj.py GPTJModel.
  gptj: {
    layers: 'transformer.h.',
    model: {token_embd: 'transformer.wte', output_norm: 'transformer.ln_f', output: 'lm_head'},
    block: {...attn('attn', 'q_proj', 'k_proj', 'v_proj', 'out_proj'), ...mlp('mlp', '-', 'fc_in', 'fc_out')},
    norms: () => ['ln_1'],
  },
  // modeling_opt.py OPTDecoder.
  opt: {
    layers: 'model.decoder.layers.',
    model: {
      token_embd: 'model.decoder.embed_tokens',
      position_embd: 'model.decoder.embed_positions',
      proj_in: 'model.decoder.project_in',
      proj_out: 'model.decoder.project_out',
      output_norm: 'model.decoder.final_layer_norm',
      output: 'lm_head',
    },
    block: {...attn('self_attn', 'q_proj', 'k_proj', 'v_proj', 'out_proj'), ffn_up: 'fc1', ffn_down: 'fc2'},
    norms: () => ['self_attn_layer_norm', 'final_layer_norm'],
  },
  // modeling_bloom.py BloomModel, as bigscience/bloom-560m saves it: no "transformer." prefix.
  bloom: {
    layers: 'h.',
    model: {token_embd: 'word_embeddings', token_embd_norm: 'word_embeddings_layernorm', output_norm: 'ln_f'},
    block: {attn_qkv: 'self_attention.query_key_value', attn_output: 'self_attention.dense', ...mlp('mlp', '-', 'dense_h_to_4h', 'dense_4h_to_h')},
  },
  // MosaicML modeling_mpt.py MPTModel.
  mpt: {
    layers: 'transformer.blocks.',
    model: {token_embd: 'transformer.wte', output_norm: 'transformer.norm_f'},
    block: {attn_qkv: 'attn.Wqkv', attn_output: 'attn.out_proj', ...mlp('ffn')},
    norms: () => ['norm_1', 'norm_2'],
  },
  // modeling_falcon.py FalconModel: ln_attn/ln_mlp with new_decoder_architecture (40B), else input_layernorm.
  falcon: {
    layers: 'transformer.h.',
    model: {token_embd: 'transformer.word_embeddings', output_norm: 'transformer.ln_f', output: 'lm_head'},
    block: {attn_qkv: 'self_attention.query_key_value', attn_output: 'self_attention.dense', ...mlp('mlp', '-', 'dense_h_to_4h', 'dense_4h_to_h')},
    norms: (spec) => (spec.norms.perLayer === 2 ? ['ln_attn', 'ln_mlp'] : ['input_layernorm']),
  },
  // modeling_phi.py PhiModel.
  phi: with_(llama, {attn_output: 'self_attn.dense', attn_q_norm: 'self_attn.q_layernorm', attn_k_norm: 'self_attn.k_layernorm', ...mlp('mlp', '-', 'fc1', 'fc2')}, {
    model: {...llamaModel, output_norm: 'model.final_layernorm'},
    norms: () => ['input_layernorm'],
  }),
  starcoder2: with_(llama, mlp('mlp', '-', 'c_fc', 'c_proj')), // modeling_starcoder2.py Starcoder2MLP
  cohere: with_(llama, {}, {norms: () => ['input_layernorm']}), // modeling_cohere.py: one norm, parallel block
  olmo2: with_(llama, {}, {norms: () => ['post_attention_layernorm', 'post_feedforward_layernorm']}), // modeling_olmo2.py
  glm: with_(llama, mlp('mlp', 'gate_up_proj', 'gate_up_proj')), // modeling_glm.py GlmMLP
  // modeling_glm4.py Glm4DecoderLayer: four norms.
  glm4: with_(llama, mlp('mlp', 'gate_up_proj', 'gate_up_proj'), {
    norms: () => ['input_layernorm', 'post_self_attn_layernorm', 'post_attention_layernorm', 'post_mlp_layernorm'],
  }),
  // THUDM modeling_chatglm.py ChatGLMModel.
  chatglm: {
    layers: 'transformer.encoder.layers.',
    model: {
      token_embd: 'transformer.embedding.word_embeddings',
      'rope_freqs.weight': 'transformer.rotary_pos_emb.inv_freq',
      output_norm: 'transformer.encoder.final_layernorm',
      output: 'transformer.output_layer',
    },
    block: {attn_qkv: 'self_attention.query_key_value', attn_output: 'self_attention.dense', ...mlp('mlp', 'dense_h_to_4h', 'dense_h_to_4h', 'dense_4h_to_h')},
  },
  phi3: with_(llama, {attn_qkv: 'self_attn.qkv_proj', ...mlp('mlp', 'gate_up_proj', 'gate_up_proj')}), // modeling_phi3.py
  // internlm modeling_internlm2.py InternLM2ForCausalLM.
  internlm2: {
    layers: 'model.layers.',
    model: {token_embd: 'model.tok_embeddings', output_norm: 'model.norm', output: 'output'},
    block: {...attn('attention', 'wqkv', 'wqkv', 'wqkv', 'wo'), ...mlp('feed_forward', 'w1', 'w3', 'w2')},
    norms: () => ['attention_norm', 'ffn_norm'],
  },
  baichuan: with_(llama, attn('self_attn', 'W_pack', 'W_pack', 'W_pack')), // baichuan-inc modeling_baichuan.py
  // LG AI modeling_exaone.py ExaoneModel.
  exaone: {
    layers: 'transformer.h.',
    model: {token_embd: 'transformer.wte', output_norm: 'transformer.ln_f', output: 'lm_head'},
    block: {...attn('attn.attention', 'q_proj', 'k_proj', 'v_proj', 'out_proj'), ...mlp('mlp', 'c_fc_0', 'c_fc_1', 'c_proj')},
    norms: () => ['ln_1', 'ln_2'],
  },
  // modeling_apertus.py ApertusDecoderLayer and ApertusMLP's XIELUActivation scalars.
  apertus: with_(llama, {ffn_act_xielu: ['mlp.act_fn.alpha_p', 'mlp.act_fn.alpha_n', 'mlp.act_fn.beta', 'mlp.act_fn.eps']}, {
    norms: () => ['attention_layernorm', 'feedforward_layernorm'],
  }),
  phimoe: with_(llama, {...experts('block_sparse_moe', 'w1', 'w3', 'w2'), ffn_gate_inp: 'block_sparse_moe.gate'}), // modeling_phimoe.py
  minimax_m2: with_(llama, {...experts('block_sparse_moe', 'w1', 'w3', 'w2'), ffn_gate_inp: 'block_sparse_moe.gate', 'exp_probs_b.bias': 'block_sparse_moe.e_score_correction_bias'}),
  // MiniMax-M3 (SGLang minimax_m3.py load_weights: block_sparse_moe.*, shared_experts.{gate,up,down}_proj, the MSA
  // indexer's index_q_proj / index_k_proj / index_q_norm / index_k_norm; the dense layers' MLP is mlp.*).
  minimax_m3: with_(llama, {
    ...experts('block_sparse_moe', 'w1', 'w3', 'w2'),
    ...mlp('block_sparse_moe.shared_experts', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
    ffn_gate_inp: 'block_sparse_moe.gate',
    'exp_probs_b.bias': 'block_sparse_moe.e_score_correction_bias',
    'indexer.attn_q': 'self_attn.index_q_proj',
    'indexer.attn_k': 'self_attn.index_k_proj',
    'indexer.q_norm': 'self_attn.index_q_norm',
    'indexer.k_norm': 'self_attn.index_k_norm',
  }),
  // modeling_dbrx.py DbrxBlock: norm_attn_norm (norm_1, attn, norm_2) and ffn (router.layer, experts.mlp.w1/v1/w2).
  dbrx: {
    layers: 'transformer.blocks.',
    model: {token_embd: 'transformer.wte', output_norm: 'transformer.norm_f', output: 'lm_head'},
    block: {
      attn_qkv: 'norm_attn_norm.attn.Wqkv',
      attn_output: 'norm_attn_norm.attn.out_proj',
      ffn_gate_exps: 'ffn.experts.mlp.w1',
      ffn_up_exps: 'ffn.experts.mlp.v1',
      ffn_down_exps: 'ffn.experts.mlp.w2',
      ffn_gate_inp: 'ffn.router.layer',
    },
    norms: () => ['norm_attn_norm.norm_1', 'norm_attn_norm.norm_2'],
  },
  granitemoe: with_(llama, graniteMoe),
  // modeling_ernie4_5_moe.py Ernie4_5_MoeSparseMoeBlock: gate, moe_statics, shared_experts.
  ernie4_5_moe: with_(llama, {'exp_probs_b.bias': 'mlp.moe_statics.e_score_correction_bias'}),
  // inclusionAI modeling_bailing_moe.py: word_embeddings, attention.query_key_value/dense.
  bailing_moe: with_(
    llama,
    {...attn('attention', 'query_key_value', 'query_key_value', 'query_key_value', 'dense'), attn_q_norm: 'attention.query_layernorm', attn_k_norm: 'attention.key_layernorm', 'exp_probs_b.bias': 'mlp.gate.expert_bias'},
    {model: {...llamaModel, token_embd: 'model.word_embeddings'}},
  ),
  // tencent modeling_hunyuan.py: query/key_layernorm, gate.wg, shared_mlp.
  hunyuan: with_(llama, {
    attn_q_norm: 'self_attn.query_layernorm',
    attn_k_norm: 'self_attn.key_layernorm',
    ffn_gate_inp: 'mlp.gate.wg',
    ...mlp('mlp.shared_mlp', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
  }),
  // modeling_qwen2_moe.py: shared_expert (singular) and shared_expert_gate.
  qwen2_moe: with_(llama, {...mlp('mlp.shared_expert', 'gate_proj', 'up_proj', 'down_proj', '_shexp'), ffn_gate_inp_shexp: 'mlp.shared_expert_gate'}),
  // modeling_qwen3_next.py Qwen3NextGatedDeltaNet (linear_attn.*) beside gated full attention; Qwen2-MoE experts.
  qwen3_next: with_(llama, {
    ...mlp('mlp.shared_expert', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
    ffn_gate_inp_shexp: 'mlp.shared_expert_gate',
    attn_qkv: 'linear_attn.in_proj_qkvz',
    attn_gate: 'linear_attn.in_proj_qkvz',
    ssm_ba: 'linear_attn.in_proj_ba',
    ssm_conv1d: 'linear_attn.conv1d',
    'ssm_dt.bias': 'linear_attn.dt_bias',
    ssm_a: 'linear_attn.A_log',
    ssm_norm: 'linear_attn.norm',
    ssm_out: 'linear_attn.out_proj',
  }),
  // modeling_qwen3_5.py Qwen3_5ForConditionalGeneration: the Qwen3-Next stack under model.language_model, with
  // Qwen3_5GatedDeltaNet's in_proj_qkvz split into in_proj_qkv + in_proj_z and in_proj_ba into in_proj_b + in_proj_a
  // (h x Hv each); visual.* is the encoder and mtp.* the MTP module, both counted apart.
  qwen3_5: with_(
    llama,
    {
      attn_qkv: 'linear_attn.in_proj_qkv',
      attn_gate: 'linear_attn.in_proj_z',
      ssm_ba: ['linear_attn.in_proj_b', 'linear_attn.in_proj_a'],
      ssm_conv1d: 'linear_attn.conv1d',
      'ssm_dt.bias': 'linear_attn.dt_bias',
      ssm_a: 'linear_attn.A_log',
      ssm_norm: 'linear_attn.norm',
      ssm_out: 'linear_attn.out_proj',
    },
    {layers: 'model.language_model.layers.', model: {token_embd: 'model.language_model.embed_tokens', output_norm: 'model.language_model.norm', output: 'lm_head'}},
  ),
  // modeling_qwen3_5_moe.py Qwen3_5MoeForConditionalGeneration: as qwen3_5, with Qwen3_5MoeSparseMoeBlock's stacked
  // experts (gate_up_proj, down_proj), router gate, shared_expert and shared_expert_gate.
  qwen3_5_moe: with_(
    llama,
    {
      attn_qkv: 'linear_attn.in_proj_qkv',
      attn_gate: 'linear_attn.in_proj_z',
      ssm_ba: ['linear_attn.in_proj_b', 'linear_attn.in_proj_a'],
      ssm_conv1d: 'linear_attn.conv1d',
      'ssm_dt.bias': 'linear_attn.dt_bias',
      ssm_a: 'linear_attn.A_log',
      ssm_norm: 'linear_attn.norm',
      ssm_out: 'linear_attn.out_proj',
      ffn_gate_exps: 'mlp.experts.gate_up_proj',
      ffn_up_exps: 'mlp.experts.gate_up_proj',
      ffn_down_exps: 'mlp.experts.down_proj',
      ...mlp('mlp.shared_expert', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
      ffn_gate_inp_shexp: 'mlp.shared_expert_gate',
    },
    {layers: 'model.language_model.layers.', model: {token_embd: 'model.language_model.embed_tokens', output_norm: 'model.language_model.norm', output: 'lm_head'}},
  ),
  // modeling_qwen2_5_vl.py Qwen2_5_VLForConditionalGeneration (transformers >= 4.52 layout); visual.* is the encoder.
  qwen2_5_vl: {...llama, layers: 'model.language_model.layers.', model: {token_embd: 'model.language_model.embed_tokens', output_norm: 'model.language_model.norm', output: 'lm_head'}},
  // modeling_llama4.py Llama4ForConditionalGeneration: experts stacked (gate_up_proj, down_proj), router, shared_expert.
  llama4: {
    layers: 'language_model.model.layers.',
    model: {token_embd: 'language_model.model.embed_tokens', output_norm: 'language_model.model.norm', output: 'language_model.lm_head'},
    block: {
      ...attn('self_attn'),
      ...mlp('feed_forward'),
      ffn_gate_exps: 'feed_forward.experts.gate_up_proj',
      ffn_up_exps: 'feed_forward.experts.gate_up_proj',
      ffn_down_exps: 'feed_forward.experts.down_proj',
      ...mlp('feed_forward.shared_expert', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
      ffn_gate_inp: 'feed_forward.router',
    },
  },
  kimi_linear: with_(llama, kimiLinearBlock),
  // Moonshot's modeling_kimi_k3.py KimiK3ForConditionalGeneration: Kimi-K3's KimiLinearForCausalLM as language_model
  // (modeling_kimi_linear.py; its names as SGLang kimi_k3.py and llama.cpp's tensor_mapping read them): gated MLA and
  // the full-rank KDA gate g_proj, the latent MoE's routed_expert_down/up_proj and routed_expert_norm, the attention
  // residuals' *_res_norm / *_res_proj. vision_tower.* and mm_projector.* are not counted.
  kimi_k3: {
    layers: 'language_model.model.layers.',
    model: {
      token_embd: 'language_model.model.embed_tokens',
      output_norm: 'language_model.model.norm',
      output: 'language_model.lm_head',
      output_res_norm: 'language_model.model.output_attn_res_norm',
      output_res_proj: 'language_model.model.output_attn_res_proj',
    },
    block: {
      ...llamaBlock,
      ...kimiLinearBlock,
      attn_gate: 'self_attn.g_proj',
      ffn_latent_down: 'block_sparse_moe.routed_expert_down_proj',
      ffn_latent_up: 'block_sparse_moe.routed_expert_up_proj',
      ffn_latent_norm: 'block_sparse_moe.routed_expert_norm',
      attn_res_proj: 'self_attention_res_proj',
      ffn_res_proj: 'mlp_res_proj',
    },
    norms: () => ['input_layernorm', 'post_attention_layernorm', 'self_attention_res_norm', 'mlp_res_norm'],
  },
  // modeling_mamba.py MambaForCausalLM.
  mamba: {
    layers: 'backbone.layers.',
    model: {token_embd: 'backbone.embeddings', output_norm: 'backbone.norm_f', output: 'lm_head'},
    block: ssm('mixer', false),
    norms: () => ['norm'],
  },
  // modeling_mixtral.py MixtralSparseMoeBlock: block_sparse_moe.gate, experts.N.w1/w3/w2.
  mixtral: with_(llama, {...experts('block_sparse_moe', 'w1', 'w3', 'w2'), ffn_gate_inp: 'block_sparse_moe.gate'}),
  // modeling_gpt_oss.py GptOssMLP: router (weight, bias), experts stacked with biases, attention sinks.
  gpt_oss: with_(llama, {
    ffn_gate_exps: 'mlp.experts.gate_up_proj',
    ffn_up_exps: 'mlp.experts.gate_up_proj',
    'ffn_gate_exps.bias': 'mlp.experts.gate_up_proj_bias',
    'ffn_up_exps.bias': 'mlp.experts.gate_up_proj_bias',
    ffn_down_exps: 'mlp.experts.down_proj',
    'ffn_down_exps.bias': 'mlp.experts.down_proj_bias',
    ffn_gate_inp: 'mlp.router',
  }),
  // modeling_qwen3_vl_moe.py Qwen3VLMoeForConditionalGeneration: Qwen3-MoE's modules under model.language_model, with
  // Qwen3VLMoeTextExperts' stacked experts (gate_up_proj, down_proj); model.visual.* is the encoder, counted apart.
  qwen3_vl_moe: with_(
    llama,
    {ffn_gate_exps: 'mlp.experts.gate_up_proj', ffn_up_exps: 'mlp.experts.gate_up_proj', ffn_down_exps: 'mlp.experts.down_proj'},
    {layers: 'model.language_model.layers.', model: {token_embd: 'model.language_model.embed_tokens', output_norm: 'model.language_model.norm', output: 'lm_head'}},
  ),
  // Moonshot's modeling_kimi_k25.py KimiK25ForConditionalGeneration: the DeepseekV3ForCausalLM as language_model
  // (language_model.model.*, language_model.lm_head); vision_tower.* and mm_projector.* are not counted.
  kimi_k25: {
    ...llama,
    layers: 'language_model.model.layers.',
    model: {token_embd: 'language_model.model.embed_tokens', output_norm: 'language_model.model.norm', output: 'language_model.lm_head'},
  },
  // modeling_mistral3.py Mistral3ForConditionalGeneration as Mistral-Small-3.1 ships it: language_model.model.*.
  mistral3: {
    ...llama,
    layers: 'language_model.model.layers.',
    model: {token_embd: 'language_model.model.embed_tokens', output_norm: 'language_model.model.norm', output: 'language_model.lm_head'},
  },
  // modeling_mamba2.py Mamba2ForCausalLM.
  mamba2: {
    layers: 'backbone.layers.',
    model: {token_embd: 'backbone.embeddings', output_norm: 'backbone.norm_f', output: 'lm_head'},
    block: ssm('mixer', true),
    norms: () => ['norm'],
  },
  // modeling_gemma2.py / modeling_gemma3.py Gemma3DecoderLayer: sandwich norms; Gemma 3 multimodal under language_model.
  gemma2: with_(llama, {}, {norms: () => gemmaNorms}),
  gemma3_text: with_(llama, {}, {norms: () => gemmaNorms}),
  gemma3: with_(llama, {}, {
    layers: 'language_model.model.layers.',
    model: {token_embd: 'language_model.model.embed_tokens', output_norm: 'language_model.model.norm', output: 'language_model.lm_head'},
    norms: () => gemmaNorms,
  }),
  // modeling_gemma3n.py Gemma3nTextModel / Gemma3nTextDecoderLayer (AltUp, LAuReL, per-layer inputs).
  gemma3n: with_(
    llama,
    {
      altup_correct_coef: 'altup.correction_coefs',
      altup_predict_coef: 'altup.prediction_coefs',
      altup_router: 'altup.modality_router',
      altup_router_norm: 'altup.router_norm',
      altup_correct_scale: 'altup.correct_output_scale',
      laurel_l: 'laurel.linear_left',
      laurel_r: 'laurel.linear_right',
      laurel_post_norm: 'laurel.post_laurel_norm',
      inp_gate: 'per_layer_input_gate',
      proj: 'per_layer_projection',
      post_norm: 'post_per_layer_input_norm',
    },
    {
      layers: 'model.language_model.layers.',
      model: {
        token_embd: 'model.language_model.embed_tokens',
        per_layer_token_embd: 'model.language_model.embed_tokens_per_layer',
        per_layer_model_proj: 'model.language_model.per_layer_model_projection',
        per_layer_proj_norm: 'model.language_model.per_layer_projection_norm',
        altup_proj: 'model.language_model.altup_projections.{e}',
        altup_unembd_proj: 'model.language_model.altup_unembed_projections.{e}',
        output_norm: 'model.language_model.norm',
        output: 'lm_head',
      },
      norms: () => gemmaNorms,
    },
  ),
  // modeling_gemma4.py Gemma4TextDecoderLayer: mlp beside experts (gate_up_proj, down_proj stacked) and router (proj,
  // scale, per_expert_scale) in the layer itself; layer_scalar; the MoE layers' three more norms.
  gemma4: with_(
    llama,
    {
      ...mlp('mlp', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
      ffn_gate_exps: 'experts.gate_up_proj',
      ffn_up_exps: 'experts.gate_up_proj',
      ffn_down_exps: 'experts.down_proj',
      ffn_gate_inp: 'router.proj',
      'ffn_gate_inp.scale': 'router.scale',
      'ffn_down_exps.scale': 'router.per_expert_scale',
      'layer_output_scale.weight': 'layer_scalar',
      // E2B/E4B per-layer inputs (Gemma4TextDecoderLayer).
      inp_gate: 'per_layer_input_gate',
      proj: 'per_layer_projection',
      post_norm: 'post_per_layer_input_norm',
    },
    {
      layers: 'model.language_model.layers.',
      model: {
        token_embd: 'model.language_model.embed_tokens',
        per_layer_token_embd: 'model.language_model.embed_tokens_per_layer',
        per_layer_model_proj: 'model.language_model.per_layer_model_projection',
        per_layer_proj_norm: 'model.language_model.per_layer_projection_norm',
        output_norm: 'model.language_model.norm',
        output: 'lm_head',
      },
      norms: (spec) => (spec.norms.perLayer === 7 ? [...gemmaNorms, 'post_feedforward_layernorm_1', 'post_feedforward_layernorm_2', 'pre_feedforward_layernorm_2'] : gemmaNorms),
    },
  ),
  // modeling_jamba.py JambaAttentionDecoderLayer / JambaMambaDecoderLayer.
  jamba: with_(llama, {...ssm('mamba', false), ...mlp('feed_forward'), ...experts('feed_forward', 'gate_proj', 'up_proj', 'down_proj'), ffn_gate_inp: 'feed_forward.router'}, {
    model: {...llamaModel, output_norm: 'model.final_layernorm'},
    norms: () => ['input_layernorm', 'pre_ff_layernorm'],
  }),
  // modeling_nemotron_h.py NemotronHBlock: one norm and one "mixer" (attention, Mamba-2, MLP or MoE) a block.
  nemotron_h: {
    layers: 'backbone.layers.',
    model: {token_embd: 'backbone.embeddings', output_norm: 'backbone.norm_f', output: 'lm_head'},
    block: {
      ...attn('mixer'),
      ...ssm('mixer', true),
      ...mlp('mixer'),
      ...experts('mixer', '-', 'up_proj', 'down_proj'),
      ...mlp('mixer.shared_experts', '-', 'up_proj', 'down_proj', '_shexp'),
      ffn_gate_inp: 'mixer.gate',
      'exp_probs_b.bias': 'mixer.gate.e_score_correction_bias',
      ffn_latent_down: 'mixer.fc1_latent_proj',
      ffn_latent_up: 'mixer.fc2_latent_proj',
    },
    norms: () => ['norm'],
  },
  granitemoehybrid: with_(llama, {...ssm('mamba', true), ...graniteMoe}), // modeling_granitemoehybrid.py
  // modeling_lfm2.py Lfm2DecoderLayer: operator_norm, ffn_norm, conv (Lfm2ShortConv), feed_forward w1/w3/w2;
  // Lfm2Model.embedding_norm is the final norm.
  lfm2: with_(
    llama,
    {
      'shortconv.in_proj': 'conv.in_proj',
      'shortconv.conv': 'conv.conv',
      'shortconv.out_proj': 'conv.out_proj',
      attn_output: 'self_attn.out_proj',
      attn_q_norm: 'self_attn.q_layernorm',
      attn_k_norm: 'self_attn.k_layernorm',
      ...mlp('feed_forward', 'w1', 'w3', 'w2'),
    },
    {model: {...llamaModel, output_norm: 'model.embedding_norm'}, norms: () => ['operator_norm', 'ffn_norm']},
  ),
  // modeling_falcon_h1.py FalconH1DecoderLayer: mamba beside self_attn, feed_forward.
  falcon_h1: with_(llama, {...ssm('mamba', true), ...mlp('feed_forward')}, {
    model: {...llamaModel, output_norm: 'model.final_layernorm'},
    norms: () => ['input_layernorm', 'pre_ff_layernorm'],
  }),
  // modeling_deepseek_v4.py DeepseekV4DecoderLayer: attention with its compressor and indexer, attn_hc / ffn_hc,
  // stacked experts (gate_up_proj, down_proj), the hash router's tid2eid; DeepseekV4Model.hc_head.
  deepseek_v4: {
    layers: 'model.layers.',
    model: {...llamaModel, 'hc_head_fn.weight': 'model.hc_head.hc_fn', 'hc_head_base.weight': 'model.hc_head.hc_base', 'hc_head_scale.weight': 'model.hc_head.hc_scale'},
    block: {
      attn_q_a: 'self_attn.q_a_proj',
      attn_q_a_norm: 'self_attn.q_a_norm',
      attn_q_b: 'self_attn.q_b_proj',
      attn_kv: 'self_attn.kv_proj',
      attn_kv_a_norm: 'self_attn.kv_norm',
      attn_out_a: 'self_attn.o_a_proj',
      attn_out_b: 'self_attn.o_b_proj',
      'attn_sinks.weight': 'self_attn.sinks',
      attn_compressor_kv: 'self_attn.compressor.kv_proj',
      attn_compressor_gate: 'self_attn.compressor.gate_proj',
      'attn_compressor_ape.weight': 'self_attn.compressor.position_bias',
      attn_compressor_norm: 'self_attn.compressor.kv_norm',
      'indexer.attn_q_b': 'self_attn.compressor.indexer.q_b_proj',
      'indexer.proj': 'self_attn.compressor.indexer.scorer.weights_proj',
      'indexer.compressor_kv': 'self_attn.compressor.indexer.kv_proj',
      'indexer.compressor_gate': 'self_attn.compressor.indexer.gate_proj',
      'indexer.compressor_ape.weight': 'self_attn.compressor.indexer.position_bias',
      'indexer.k_norm': 'self_attn.compressor.indexer.kv_norm',
      ...Object.fromEntries(['attn', 'ffn'].flatMap((site) => ['fn', 'base', 'scale'].map((p) => [`hc_${site}_${p}.weight`, `${site}_hc.${p}`]))),
      ffn_gate_exps: 'mlp.experts.gate_up_proj',
      ffn_up_exps: 'mlp.experts.gate_up_proj',
      ffn_down_exps: 'mlp.experts.down_proj',
      ...mlp('mlp.shared_experts', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
      ffn_gate_inp: 'mlp.gate',
      'exp_probs_b.bias': 'mlp.gate.e_score_correction_bias',
      ffn_gate_tid2eid: 'mlp.gate.tid2eid',
    },
  },
  zamba2: {
    layers: 'model.layers.',
    model: {token_embd: 'model.embed_tokens', output_norm: 'model.final_layernorm', output: 'lm_head'},
    block: ssm('mamba', true),
    norms: () => ['input_layernorm'],
    layerModule: (spec, layer, module) => (spec.sharedBlocks!.invokedAt.includes(layer) ? `mamba_decoder.${module}` : module),
    special: zamba2Name,
  },
}
// modeling_step3p7.py Step3p7DecoderLayer as StepFun's checkpoints save it: the routed experts packed per projection
// (moe.gate_proj [E, I, h], moe.up_proj, moe.down_proj), moe.gate and moe.router_bias, share_expert beside moe.
hfSchemes.step3p7 = with_(llama, {
  attn_gate: 'self_attn.g_proj',
  ffn_gate_exps: 'moe.gate_proj',
  ffn_up_exps: 'moe.up_proj',
  ffn_down_exps: 'moe.down_proj',
  ...mlp('share_expert', 'gate_proj', 'up_proj', 'down_proj', '_shexp'),
  ffn_gate_inp: 'moe.gate',
  'exp_probs_b.bias': 'moe.router_bias',
})
hfSchemes.step3p5 = hfSchemes.step3p7
// Same module names as another scheme.
for (const [type, base] of Object.entries({olmo3: 'olmo2', exaone4: 'olmo2', cohere2: 'cohere', hunyuan_v1_moe: 'hunyuan', hunyuan_v1_dense: 'hunyuan', granitemoeshared: 'granitemoe'}))
  hfSchemes[type] = hfSchemes[base]!

/** Types whose modeling files keep modeling_llama.py's module names (MLA attention and DeepSeek MoE included). */
const llamaNamed = new Set(['llama', 'mistral', 'qwen2', 'qwen3', 'qwen3_moe', 'gemma', 'granite', 'minicpm', 'seed_oss', 'arcee', 'nemotron', 'ernie4_5', 'olmo', 'olmoe', 'stablelm', 'smollm3', 'mimo_v2_flash', 'deepseek_v2', 'deepseek_v3', 'deepseek_v32', 'glm_moe_dsa', 'kimi_k2', 'glm4_moe', 'dots1', 'nemotron-nas'])

/** The HF state dict of the spec's text model: names and element counts. Throws on a GGUF tensor no table names. */
export function hfTensors(spec: ModelSpec, modelType = spec.source.modelType): NamedTensor[] {
  const scheme = hfSchemes[modelType] ?? (llamaNamed.has(modelType) ? llama : undefined)
  if (!scheme) throw new Error(`${modelType}: no HF naming scheme in hf-names.ts`)
  const norms = scheme.norms?.(spec) ?? llamaNorms
  const out = new Map<string, number>()
  const add = (name: string, params: number) => out.set(name, (out.get(name) ?? 0) + params)
  for (const t of tensorsOf(spec)) {
    const params = t.ne.reduce((a, b) => a * b, 1)
    const special = scheme.special?.(spec, t.name)
    if (special !== undefined) {
      add(special, params)
      continue
    }
    const block = /^blk\.(\d+)\.(.+)$/.exec(t.name)
    const local = block ? block[2]! : t.name
    const [, stem = local, suffix = ''] = /^(.+?)(\.weight|\.bias)?$/.exec(local) ?? []
    const normIndex = /^norm_(\d+)$/.exec(stem)
    const table = block ? scheme.block : scheme.model
    const target = table[stem + suffix] !== undefined ? table[stem + suffix]! : normIndex ? norms[Number(normIndex[1])] : table[stem]
    if (target === undefined || target.includes('-')) throw new Error(`${modelType}: no HF name for ${t.name}`)
    const inLayer = (module: string) => (block && scheme.layerModule ? scheme.layerModule(spec, Number(block[1]), module) : module)
    const full = (module: string) => `${block ? `${scheme.layers}${block[1]}.` : ''}${inLayer(module)}${table[stem + suffix] !== undefined ? '' : suffix}`
    if (Array.isArray(target)) {
      for (const module of target) add(full(module), params / target.length)
    } else if ((target as string).includes('{e}')) {
      const E = t.ne[t.ne.length - 1]!
      for (let e = 0; e < E; e++) add(full((target as string).replace('{e}', String(e))), params / E)
    } else add(full(target as string), params)
  }
  return [...out].map(([name, params]) => ({name, params}))
}
