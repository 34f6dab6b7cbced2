// GLM dense decoders: GLM-4-9B in transformers (GlmConfig, "glm"), GLM-4-0414 (Glm4Config, "glm4"), both
// configuration_glm*.py @ 008e5743, and the remote-code ChatGLM2/3 and GLM-4-9B-Chat (ChatGLMConfig, "chatglm",
// configuration_chatglm.py and modeling_chatglm.py shipped in THUDM/chatglm3-6b and THUDM/glm-4-9b-chat).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions, type Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {groupLayers, layerOf} from '../layers.js'
import {base, ropeOf, rmsNorms} from '../pieces.js'
import {llamaLike} from './llama.js'
import {attentionKindOf} from '../../schema/attention-kind.js'

// GlmConfig / Glm4Config: glm-4-9b shape; partial_rotary_factor 0.5 (set in __post_init__), attention_bias True.
const glmDefaults: Json = {vocab_size: 151552, hidden_size: 4096, intermediate_size: 13696, num_hidden_layers: 40, num_attention_heads: 32, num_key_value_heads: 2, head_dim: 128, max_position_embeddings: 131072, partial_rotary_factor: 0.5}

// GlmAttention / Glm4Attention: q/k/v bias = attention_bias, o_proj without; GlmMLP fused gate_up_proj (h, 2 I)
// and down_proj without bias (the same counts as gate, up, down). Glm4DecoderLayer adds post_self_attn_layernorm and
// post_mlp_layernorm to input_layernorm and post_attention_layernorm: 4 norms per layer (modeling_glm4.py).
function glmSpec(raw: Config, o: ImportOptions, modelType: 'glm' | 'glm4'): ModelSpec {
  const cfg = raw.withDefaults(glmDefaults)
  return llamaLike(cfg, o, modelType, {
    modelType,
    tiedDefault: false,
    thetaDefault: 10000,
    attention: {biasKey: 'attention_bias', biasDefault: true, outputBias: false},
    norms: rmsNorms(modelType === 'glm4' ? 'sandwich' : 'pre', modelType === 'glm4' ? 4 : 2),
  })
}

// ChatGLMConfig (chatglm3-6b): 28 layers, padded vocab 65024, h 4096, ffn 13696, 128-wide heads, MHA unless
// multi_query_attention, RMSNorm, final norm, qkv bias off, 2048 positions.
const chatglmDefaults: Json = {
  num_layers: 28,
  padded_vocab_size: 65024,
  hidden_size: 4096,
  ffn_hidden_size: 13696,
  kv_channels: 128,
  num_attention_heads: 32,
  seq_length: 2048,
  rmsnorm: true,
  post_layer_norm: true,
  add_bias_linear: false,
  add_qkv_bias: false,
  multi_query_attention: false,
  multi_query_group_num: 1,
  rope_ratio: 1,
}

function chatglmSpec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(chatglmDefaults)
  // Weights these switches would add (P-tuning v2 prefix encoder) or replace (int4/int8 weights quantized at load).
  if (cfg.raw.pre_seq_len !== undefined && cfg.raw.pre_seq_len !== null)
    throw new UserError(`${cfg.where}: "pre_seq_len" adds a P-tuning prefix encoder, which archcost does not model; set it to null`)
  if (cfg.int('quantization_bit', 0) !== 0) throw new UserError(`${cfg.where}: "quantization_bit" quantizes the weights at load, which archcost does not model; set it to 0`)
  const layers = cfg.int('num_layers')
  const heads = cfg.int('num_attention_heads')
  const hidden = cfg.int('hidden_size')
  const headDim = cfg.has('kv_channels') ? cfg.int('kv_channels') : hidden / heads
  if (!Number.isInteger(headDim)) throw new UserError(`${cfg.where}: no kv_channels, and hidden_size ${hidden} is not a multiple of num_attention_heads ${heads}`)
  const kvHeads = cfg.bool('multi_query_attention', false) ? cfg.int('multi_query_group_num') : heads
  const linearBias = cfg.bool('add_bias_linear', false)
  // SelfAttention.query_key_value bias = add_bias_linear or add_qkv_bias; dense (o) bias = add_bias_linear.
  const qkvBias = linearBias || cfg.bool('add_qkv_bias', false)
  const rope = ropeOf(new Config({}, cfg.where), 10000 * cfg.num('rope_ratio'), undefined, 0.5)
  // RotaryEmbedding(kv_channels // 2) rotates half of each head; its inv_freq (kv_channels / 4 values) is a
  // persistent buffer, saved in the checkpoint as transformer.rotary_pos_emb.inv_freq.
  rope.storedInvFreq = headDim / 4
  return {
    ...base(cfg, o, 'chatglm', 'chatglm', undefined, {hidden, layers}),
    maxContextTokens: cfg.int('seq_length'),
    // Embedding.word_embeddings (padded_vocab_size, h); ChatGLMModel.output_layer Linear(h, padded_vocab_size, bias=False), never tied.
    embeddings: {vocabSize: cfg.int('padded_vocab_size'), tied: false, learnedPositions: 0, perLayer: null},
    attention: {
      kind: attentionKindOf(heads, kvHeads),
      heads,
      kvHeads,
      headDim,
      valueHeadDim: headDim,
      qkvBias,
      outputBias: linearBias,
      qkNorm: 'none',
      sinks: false,
      outputGate: false,
    },
    // MLP: dense_h_to_4h (h, 2 ffn) swiglu, dense_4h_to_h (ffn, h), bias = add_bias_linear.
    ffn: {gated: true, activation: 'swiglu', intermediateSize: cfg.int('ffn_hidden_size'), bias: linearBias},
    // input_layernorm, post_attention_layernorm and final_layernorm (post_layer_norm): RMSNorm, or LayerNorm with bias.
    norms: {kind: cfg.bool('rmsnorm', true) ? 'rmsnorm' : 'layernorm', bias: !cfg.bool('rmsnorm', true), placement: 'pre', perLayer: 2, final: cfg.bool('post_layer_norm', true)},
    rope,
    layerGroups: groupLayers(Array.from({length: layers}, () => layerOf('full', true, 'dense'))),
  }
}

export const glmDense: Family = {
  // GlmConfig (THUDM/glm-4-9b-hf, glm-4-9b-chat-hf)
  glm: {keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored]}, build: (cfg, o) => glmSpec(cfg, o, 'glm')},
  // Glm4Config (THUDM/GLM-4-9B-0414, GLM-4-32B-0414)
  glm4: {keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored]}, build: (cfg, o) => glmSpec(cfg, o, 'glm4')},
  // ChatGLMConfig (remote code)
  chatglm: {
    keys: {
      used: [
        'num_layers',
        'padded_vocab_size',
        'hidden_size',
        'ffn_hidden_size',
        'kv_channels',
        'num_attention_heads',
        'seq_length',
        'rmsnorm',
        'post_layer_norm',
        'add_bias_linear',
        'add_qkv_bias',
        'multi_query_attention',
        'multi_query_group_num',
        'rope_ratio',
        'pre_seq_len',
        'quantization_bit',
      ],
      ignored: [
        'vocab_size', // the class stores padded_vocab_size as vocab_size; the modules are built from padded_vocab_size
        'tie_word_embeddings', // output_layer is its own Linear whatever this says
        'hidden_dropout',
        'classifier_dropout',
        'attention_dropout',
        'layernorm_epsilon',
        'apply_residual_connection_post_layernorm', // which tensor the residual adds: no weight
        'bias_dropout_fusion',
        'apply_query_key_layer_scaling', // a scale on the scores
        'attention_softmax_in_fp32',
        'fp32_residual_connection',
        'prefix_projection', // only with pre_seq_len, which is refused
        'original_rope', // ChatGLM2/3 flag; the rotary layout is the same
        'interleaved_qkv',
        'use_cache',
        'initializer_range',
      ],
    },
    build: chatglmSpec,
  },
}
