// Which config.json keys the importer reads (used), which are known to change no cost archcost computes
// (ignored: token ids, dropout, initialisation, numerics such as norm epsilons, routing-score details, training
// losses, hub metadata), and which it has never seen (unknown). A key is classified by reading the
// transformers configuration class of its model_type (configuration_<type>.py) and the modeling file that
// consumes it: a key that can change the parameter count, the KV cache or the FLOPs is never "ignored".

type Json = Record<string, unknown>

export interface KeyAudit {
  used: string[]
  ignored: string[]
  unknown: string[]
}

interface KeyTable {
  used: readonly string[]
  ignored: readonly string[]
  /** Nested objects whose keys are audited too, reported as "<section>.<key>". */
  sections?: Record<string, KeyTable>
}

/** Multimodal wrappers whose language model lives in text_config, with the text model_type when text_config names none. */
export const wrapperTextTypes: Record<string, string> = {gemma3: 'gemma3_text', mistral3: 'mistral', llama4: 'llama4_text', gemma3n: 'gemma3n_text'}

// PretrainedConfig's own attributes and hub metadata: shared by every configuration class, none changes the
// architecture (generation defaults, label maps, output switches, export flags, file bookkeeping).
const pretrainedConfigIgnored = [
  '_provenance', // archcost's own note on where an assembled file came from
  '_name_or_path',
  '_commit_hash',
  '_attn_implementation',
  '_attn_implementation_autoset',
  '_attn_implementation_internal',
  'transformers_version',
  'architectures',
  'auto_map',
  'custom_pipelines',
  'return_dict',
  'output_hidden_states',
  'output_attentions',
  'torchscript',
  'use_bfloat16',
  'tf_legacy_loss',
  'chunk_size_feed_forward', // chunks the FFN over the sequence: same FLOPs, less activation memory
  'is_encoder_decoder',
  'is_decoder',
  'cross_attention_hidden_size',
  'tie_encoder_decoder',
  'finetuning_task',
  'id2label',
  'label2id',
  'num_labels',
  'task_specific_params',
  'problem_type',
  'tokenizer_class',
  'prefix',
  'bos_token_id',
  'pad_token_id',
  'eos_token_id',
  'sep_token_id',
  'decoder_start_token_id',
  'max_length',
  'min_length',
  'do_sample',
  'early_stopping',
  'num_beams',
  'num_beam_groups',
  'diversity_penalty',
  'temperature',
  'top_k',
  'top_p',
  'typical_p',
  'repetition_penalty',
  'length_penalty',
  'no_repeat_ngram_size',
  'encoder_no_repeat_ngram_size',
  'bad_words_ids',
  'num_return_sequences',
  'output_scores',
  'return_dict_in_generate',
  'forced_bos_token_id',
  'forced_eos_token_id',
  'remove_invalid_values',
  'exponential_decay_length_penalty',
  'suppress_tokens',
  'begin_suppress_tokens',
  'gradient_checkpointing',
] as const

/**
 * Read by every importer: the type, the checkpoint dtype and quantization, and two PretrainedConfig keys that
 * would add or remove weights (pruned_heads, add_cross_attention), which the importer refuses unless empty/false.
 */
const pretrainedConfigUsed = ['model_type', 'torch_dtype', 'dtype', 'quantization_config', 'pruned_heads', 'add_cross_attention'] as const

// Training-time or numerical settings of decoder configuration classes: no parameter, KV entry or FLOP depends on them.
const decoderIgnored = ['initializer_range', 'rms_norm_eps', 'use_cache', 'attention_dropout', 'pretraining_tp'] as const
// Router settings that change which experts are picked or how their outputs are weighted, not how many run.
const routerIgnored = ['output_router_logits', 'router_aux_loss_coef', 'router_jitter_noise', 'norm_topk_prob'] as const
// RoPE: the base and scaling are recorded; partial_rotary_factor changes the rotated width (FLOPs of the rotation).
const rope = ['rope_theta', 'rope_scaling', 'rope_parameters', 'partial_rotary_factor'] as const
// The dimensions every Llama-shaped decoder reads.
const core = ['vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'hidden_act', 'max_position_embeddings', 'tie_word_embeddings', ...rope] as const
// Sliding-window switches of the Qwen2/Qwen3/SmolLM3 classes (sliding on layers >= max_window_layers when use_sliding_window).
const qwenWindow = ['use_sliding_window', 'sliding_window', 'max_window_layers', 'layer_types'] as const
// DeepSeek-style MLA + MoE (DeepseekV2Config, DeepseekV3Config and the remote-code copies of them).
const mla = ['q_lora_rank', 'kv_lora_rank', 'qk_nope_head_dim', 'qk_rope_head_dim', 'v_head_dim'] as const
const deepseekUsed = [
  ...core,
  ...mla,
  'attention_bias',
  'first_k_dense_replace',
  'moe_layer_freq',
  'n_routed_experts',
  'n_shared_experts',
  'moe_intermediate_size',
  'num_experts_per_tok',
  'topk_method', // noaux_tc adds the e_score_correction_bias per expert
  'num_nextn_predict_layers', // MTP layers shipped in the checkpoint (counted apart)
] as const
const deepseekIgnored = [
  ...decoderIgnored,
  ...routerIgnored,
  'n_group', // grouped routing picks among groups; the number of experts that run is still num_experts_per_tok
  'topk_group',
  'routed_scaling_factor',
  'scoring_func',
  'aux_loss_alpha',
  'seq_aux',
  'ep_size', // expert-parallel degree of the remote code, a deployment choice
  'rope_interleave', // order of the rotated pairs
  'num_key_value_heads', // MLA: DeepseekV2/V3Attention build K and V for every head from the latent; this key is not read
] as const

const tables: Record<string, KeyTable> = {
  // LlamaConfig
  llama: {used: [...core, 'attention_bias', 'mlp_bias'], ignored: [...decoderIgnored]},
  // MistralConfig: no bias keys; sliding_window on every layer unless null.
  mistral: {used: [...core, 'sliding_window'], ignored: [...decoderIgnored]},
  // Qwen2Config: q/k/v biases are fixed (not config keys).
  qwen2: {used: [...core, ...qwenWindow], ignored: [...decoderIgnored]},
  // Qwen2MoeConfig
  qwen2_moe: {
    used: [...core, ...qwenWindow, 'qkv_bias', 'decoder_sparse_step', 'mlp_only_layers', 'num_experts', 'num_experts_per_tok', 'moe_intermediate_size', 'shared_expert_intermediate_size'],
    ignored: [...decoderIgnored, ...routerIgnored],
  },
  // Qwen3Config
  qwen3: {used: [...core, ...qwenWindow, 'attention_bias'], ignored: [...decoderIgnored]},
  // Qwen3MoeConfig
  qwen3_moe: {
    used: [...core, ...qwenWindow, 'attention_bias', 'decoder_sparse_step', 'mlp_only_layers', 'num_experts', 'num_experts_per_tok', 'moe_intermediate_size'],
    ignored: [...decoderIgnored, ...routerIgnored],
  },
  // Qwen3NextConfig
  qwen3_next: {
    used: [
      ...core,
      'attention_bias',
      'layer_types',
      'full_attention_interval',
      'use_sliding_window', // refused when true: not a Qwen3-Next pattern archcost models
      'sliding_window',
      'decoder_sparse_step',
      'mlp_only_layers',
      'num_experts',
      'num_experts_per_tok',
      'moe_intermediate_size',
      'shared_expert_intermediate_size',
      'linear_num_key_heads',
      'linear_num_value_heads',
      'linear_key_head_dim',
      'linear_value_head_dim',
      'linear_conv_kernel_dim',
      'num_nextn_predict_layers',
    ],
    ignored: [...decoderIgnored, ...routerIgnored],
  },
  // Olmo2Config
  olmo2: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored]},
  // SmolLM3Config
  smollm3: {used: [...core, ...qwenWindow, 'attention_bias', 'mlp_bias', 'no_rope_layers', 'no_rope_layer_interval'], ignored: [...decoderIgnored]},
  // Gemma2Config: the MLP reads hidden_activation; hidden_act is the legacy name it does not read.
  gemma2: {
    used: [...core, 'attention_bias', 'hidden_activation', 'sliding_window', 'layer_types'],
    ignored: [
      ...decoderIgnored,
      'query_pre_attn_scalar', // a scale on the scores
      'attn_logit_softcapping', // elementwise tanh on scores and logits: no weight, no cache, no matmul
      'final_logit_softcapping',
      'cache_implementation', // the transformers cache class to use (hybrid), not the model
      'sliding_window_size', // legacy duplicate of sliding_window; Gemma2Config and the modeling code never read it
    ],
  },
  // Gemma3TextConfig
  gemma3_text: {
    used: [...core, 'attention_bias', 'hidden_activation', 'sliding_window', 'sliding_window_pattern', 'layer_types', 'rope_local_base_freq'],
    ignored: [...decoderIgnored, 'query_pre_attn_scalar', 'attn_logit_softcapping', 'final_logit_softcapping', 'cache_implementation'],
  },
  // Gemma3Config (multimodal wrapper)
  gemma3: {
    used: ['text_config', 'vision_config'],
    ignored: ['initializer_range', 'mm_tokens_per_image', 'boi_token_index', 'eoi_token_index', 'image_token_index'], // mm_tokens_per_image: tokens an image takes (the context you size for), pooled without weights
  },
  // Gemma3nTextConfig
  gemma3n_text: {
    used: [
      ...core,
      'attention_bias',
      'hidden_activation',
      'sliding_window',
      'layer_types',
      'rope_local_base_freq',
      'num_kv_shared_layers',
      'vocab_size_per_layer_input',
      'hidden_size_per_layer_input',
      'altup_num_inputs',
      'laurel_rank',
    ],
    ignored: [
      ...decoderIgnored,
      'final_logit_softcapping',
      'query_pre_attn_scalar',
      'activation_sparsity_pattern', // Gaussian top-k on activations, applied elementwise to the dense matmul's input
      'altup_active_idx',
      'altup_coef_clip',
      'altup_correct_scale', // correct_output_scale is built either way; this only switches its use
    ],
  },
  // Gemma3nConfig (wrapper)
  gemma3n: {
    used: ['text_config', 'vision_config', 'audio_config'],
    ignored: ['initializer_range', 'audio_soft_tokens_per_image', 'vision_soft_tokens_per_image', 'audio_token_id', 'boa_token_id', 'boi_token_id', 'eoa_token_id', 'eoi_token_id', 'image_token_id'],
  },
  // GptOssConfig; experts_per_token is the original checkpoint's name, checked against num_experts_per_tok.
  gpt_oss: {
    used: [...core, 'attention_bias', 'sliding_window', 'layer_types', 'num_local_experts', 'num_experts_per_tok', 'experts_per_token'],
    ignored: [
      ...decoderIgnored,
      ...routerIgnored,
      'swiglu_limit', // clamp inside the activation
      'initial_context_length', // the pre-YaRN context, also given as rope_scaling.original_max_position_embeddings
    ],
  },
  // MixtralConfig
  mixtral: {used: [...core, 'sliding_window', 'num_local_experts', 'num_experts_per_tok'], ignored: [...decoderIgnored, ...routerIgnored]},
  // DeepseekV2Config; mlp_bias is refused when true; head_dim is overwritten with qk_rope_head_dim by the class.
  deepseek_v2: {used: [...deepseekUsed, 'mlp_bias'], ignored: [...deepseekIgnored, 'head_dim']},
  // DeepseekV3Config
  deepseek_v3: {used: [...deepseekUsed], ignored: [...deepseekIgnored]},
  // Kimi K2: remote code with DeepseekV3Config's keys.
  kimi_k2: {used: [...deepseekUsed], ignored: [...deepseekIgnored]},
  // DeepseekV32Config: DeepSeek-V3 + the DSA lightning indexer; head_dim is overwritten with qk_rope_head_dim.
  deepseek_v32: {
    used: [...deepseekUsed, 'index_n_heads', 'index_head_dim', 'index_topk', 'mlp_layer_types', 'layer_types', 'mlp_bias'],
    ignored: [...deepseekIgnored, 'head_dim'],
  },
  // Glm4MoeConfig (GLM-4.5 / 4.6 / 4.7)
  glm4_moe: {
    used: [
      ...core,
      'attention_bias',
      'use_qk_norm',
      'first_k_dense_replace',
      'n_routed_experts',
      'n_shared_experts',
      'moe_intermediate_size',
      'num_experts_per_tok',
      'num_nextn_predict_layers',
    ],
    ignored: [...decoderIgnored, ...routerIgnored, 'n_group', 'topk_group', 'routed_scaling_factor'],
  },
  // MiniMaxM2Config, plus the keys of MiniMax's published (remote-code) config.json that vLLM reads.
  minimax_m2: {
    used: [
      ...core,
      'num_local_experts',
      'num_experts', // attribute_map alias of num_local_experts
      'num_experts_per_tok',
      'rotary_dim', // rotated width per head (partial RoPE)
      'use_qk_norm',
      'qk_norm_type',
      'use_routing_bias', // e_score_correction_bias per expert
      'shared_intermediate_size', // refused when > 0
      'attn_type_list', // refused unless every layer is full attention (1)
      'use_mtp', // MTP modules: noted, not counted
      'num_mtp_modules',
      'mtp_transformer_layers',
    ],
    ignored: [...decoderIgnored, ...routerIgnored, 'scoring_func'],
  },
  // KimiLinearConfig (transformers) and Moonshot's remote-code names, which its attribute_map aliases.
  kimi_linear: {
    used: [
      'vocab_size',
      'hidden_size',
      'intermediate_size',
      'num_hidden_layers',
      'num_attention_heads',
      'max_position_embeddings',
      'model_max_length',
      'tie_word_embeddings',
      'hidden_act',
      ...rope,
      ...mla,
      'mla_use_nope',
      'linear_attn_config',
      'linear_num_heads',
      'linear_head_dim',
      'linear_conv_kernel_dim',
      'layer_types',
      'mlp_layer_types',
      'first_k_dense_replace',
      'moe_layer_freq',
      'moe_intermediate_size',
      'num_experts',
      'n_routed_experts',
      'num_local_experts',
      'num_experts_per_token',
      'num_experts_per_tok',
      'num_shared_experts',
      'n_shared_experts',
      'num_nextn_predict_layers',
      'num_mtp_layers',
    ],
    ignored: [
      ...decoderIgnored,
      ...routerIgnored,
      'head_dim', // hidden_size / num_attention_heads; neither the MLA nor the KDA layers read it
      'num_key_value_heads', // MLA: not read
      'attention_bias', // KimiLinearAttention forces it to False
      'moe_renormalize',
      'moe_router_activation_func',
      'use_grouped_topk',
      'num_expert_group',
      'n_group',
      'topk_group',
      'routed_scaling_factor',
    ],
    sections: {linear_attn_config: {used: ['kda_layers', 'full_attn_layers', 'num_heads', 'head_dim', 'short_conv_kernel_size'], ignored: []}},
  },
  // GPT2Config; the attribute_map aliases (hidden_size, ...) are accepted too.
  gpt2: {
    used: [
      'vocab_size',
      'n_positions',
      'n_embd',
      'n_layer',
      'n_head',
      'n_inner',
      'activation_function',
      'tie_word_embeddings',
      'hidden_size',
      'max_position_embeddings',
      'num_attention_heads',
      'num_hidden_layers',
    ],
    ignored: [
      'resid_pdrop',
      'embd_pdrop',
      'attn_pdrop',
      'layer_norm_epsilon',
      'initializer_range',
      'summary_type', // summary_* configure GPT2DoubleHeadsModel's classification head, not the LM
      'summary_use_proj',
      'summary_activation',
      'summary_proj_to_labels',
      'summary_first_dropout',
      'scale_attn_weights',
      'scale_attn_by_inverse_layer_idx',
      'reorder_and_upcast_attn',
      'use_cache',
      'n_ctx', // legacy key of the original checkpoints; GPT2Config reads n_positions
    ],
  },
  // Llama4TextConfig; use_qk_norm is an L2 norm without weights.
  llama4_text: {
    used: [...core, 'attention_bias', 'intermediate_size_mlp', 'num_local_experts', 'num_experts_per_tok', 'interleave_moe_layer_step', 'moe_layers', 'no_rope_layers', 'no_rope_layer_interval', 'attention_chunk_size'],
    ignored: [...decoderIgnored, ...routerIgnored, 'use_qk_norm', 'attn_temperature_tuning', 'floor_scale', 'attn_scale'],
  },
  // Llama4Config (wrapper)
  llama4: {used: ['text_config', 'vision_config'], ignored: ['boi_token_index', 'eoi_token_index', 'image_token_index']},
  // Mistral3Config (wrapper): the projector reads these.
  mistral3: {
    used: ['text_config', 'vision_config', 'vision_feature_layer', 'spatial_merge_size', 'multimodal_projector_bias'],
    ignored: ['image_token_index', 'projector_hidden_act'],
  },
}

/** model_types the key tables cover (every type the importer supports). */
export const auditedModelTypes = Object.keys(tables).sort()

function auditObject(raw: Json, table: KeyTable | undefined, prefix: string, out: KeyAudit): void {
  const used = new Set<string>([...pretrainedConfigUsed, ...(table?.used ?? [])])
  const ignored = new Set<string>([...pretrainedConfigIgnored, ...(table?.ignored ?? [])])
  for (const key of Object.keys(raw)) {
    const name = prefix + key
    if (used.has(key)) out.used.push(name)
    else if (ignored.has(key)) out.ignored.push(name)
    else out.unknown.push(name)
    const section = table?.sections?.[key]
    if (!section) continue
    const value = raw[key]
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) auditObject(value as Json, section, `${name}.`, out)
  }
}

/**
 * Classifies every top-level key of a Hugging Face config.json (and, for multimodal wrappers, every key of
 * text_config, reported as "text_config.<key>") as used by the importer, ignored as cost-free, or unknown.
 */
export function auditConfigKeys(raw: Json, modelType: string): KeyAudit {
  const out: KeyAudit = {used: [], ignored: [], unknown: []}
  auditObject(raw, tables[modelType], '', out)
  const textDefault = wrapperTextTypes[modelType]
  const text = raw.text_config
  if (textDefault && text !== null && typeof text === 'object' && !Array.isArray(text)) {
    const textType = typeof (text as Json).model_type === 'string' ? ((text as Json).model_type as string) : textDefault
    auditObject(text as Json, tables[textType], 'text_config.', out)
  }
  return out
}
