// DBRX (DbrxConfig with its DbrxAttentionConfig and DbrxFFNConfig sub-configs, configuration_dbrx.py; modeling_dbrx.py).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions} from '../config.js'
import type {Family, KeyTable} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, moeBlock, standardAttention} from '../pieces.js'

function dbrxSpec(cfg: Config, o: ImportOptions): ModelSpec {
  // DbrxModel (modeling_dbrx.py): wte, blocks of norm_1 / norm_2 LayerNorm(d_model, bias=False), DbrxAttention with a
  // fused Wqkv Linear(d, d + 2 * kv_n_heads * head_dim, bias=False) and out_proj Linear(d, d, bias=False), DbrxFFN:
  // router Linear(d, moe_num_experts, bias=False) and DbrxExpertGLU w1, v1, w2 each (moe_num_experts *
  // ffn_hidden_size, d) stored fused over the experts (gate, up, down of every expert); norm_f LayerNorm without
  // bias; untied lm_head (DbrxConfig refuses tie_word_embeddings). Defaults: DbrxConfig d_model 2048, n_heads 16,
  // n_layers 24, max_seq_len 2048, vocab 32000; DbrxAttentionConfig kv_n_heads 1, rope_theta 10000;
  // DbrxFFNConfig ffn_hidden_size 3584, moe_num_experts 4, moe_top_k 1, ffn_act_fn {name: silu}.
  if (cfg.bool('tie_word_embeddings', false)) throw new UserError(`${cfg.where}: "tie_word_embeddings": true is not supported by DBRX (DbrxConfig refuses it); set it to false`)
  const attn = cfg.sub('attn_config')
  const ffn = cfg.sub('ffn_config')
  const hidden = cfg.int('d_model', 2048)
  const layers = cfg.int('n_layers', 24)
  // The attention dimensions under the names standardAttention reads (DbrxConfig.attribute_map).
  const dims = new Config({hidden_size: hidden, num_attention_heads: cfg.int('n_heads', 16), num_key_value_heads: attn.int('kv_n_heads', 1)}, cfg.where)
  const act = ffn.raw.ffn_act_fn
  if (act !== undefined && act !== null && (typeof act !== 'object' || Array.isArray(act) || typeof (act as {name?: unknown}).name !== 'string'))
    throw new UserError(`${ffn.where}: "ffn_act_fn" must be an object with a "name", such as {"name": "silu"}`)
  const activation = act ? ((act as {name: string}).name) : 'silu'
  const width = ffn.int('ffn_hidden_size', 3584)
  return {
    ...base(cfg, o, 'dbrx', 'dbrx', undefined, {hidden, layers}),
    maxContextTokens: cfg.int('max_seq_len', 2048),
    embeddings: {vocabSize: cfg.int('vocab_size', 32000), tied: false, learnedPositions: 0, perLayer: null},
    attention: standardAttention(dims),
    ffn: {gated: true, activation, intermediateSize: width, bias: false},
    moe: moeBlock(ffn.int('moe_num_experts', 4), ffn.int('moe_top_k', 1), width),
    norms: {kind: 'layernorm', bias: false, placement: 'pre', perLayer: 2, final: true},
    rope: {theta: attn.num('rope_theta', 10000), scaling: null, partialRotaryFactor: 1},
    layerGroups: groupLayers(Array.from({length: layers}, () => ({mixer: 'full', rope: true, ffn: 'moe'}))),
  }
}

// The sub-configs are PretrainedConfigs: older transformers wrote their default attributes (return_dict,
// tie_word_embeddings, temperature, ...) into them; none is read from a sub-config.
const subConfigIgnored = ['tie_word_embeddings'] as const

const dbrxKeys: KeyTable = {
  used: ['d_model', 'n_heads', 'n_layers', 'max_seq_len', 'vocab_size', 'tie_word_embeddings', 'attn_config', 'ffn_config'],
  ignored: ['initializer_range', 'use_cache', 'resid_pdrop', 'emb_pdrop', 'output_router_logits', 'router_aux_loss_coef'],
  sections: {
    attn_config: {used: ['kv_n_heads', 'rope_theta'], ignored: [...subConfigIgnored, 'attn_pdrop', 'clip_qkv']}, // clip_qkv clamps q, k, v elementwise
    ffn_config: {
      used: ['ffn_hidden_size', 'moe_num_experts', 'moe_top_k', 'ffn_act_fn'],
      // jitter, loss weight and weight normalisation change routing, not which or how many experts run
      ignored: [...subConfigIgnored, 'moe_jitter_eps', 'moe_loss_weight', 'moe_normalize_expert_weights', 'uniform_expert_assignment'],
    },
  },
}

export const dbrx: Family = {
  // DbrxConfig
  dbrx: {keys: dbrxKeys, build: dbrxSpec},
}
