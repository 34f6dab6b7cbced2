// Kimi: Kimi K2 (remote code with DeepseekV3Config's keys) and Kimi Linear (KimiLinearConfig,
// configuration_kimi_linear.py, and Moonshot's remote-code names).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {coreWithout, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, mixerOf} from '../layers.js'
import {base, gatedFfn, rmsNorms, ropeOf, sharedExpertsMoe, tokenEmbeddings} from '../pieces.js'
import {untiedPerWrapper} from './qwen.js'
import {deepseekMoeLayers, deepseekV3Spec, deepseekV3Defaults, deepseekV3Keys, mla, mlaAttention} from './deepseek.js'

// KimiLinearConfig (configuration_kimi_linear.py): Kimi-Linear-48B-A3B shape.
const kimiLinearDefaults: Json = {vocab_size: 163840, hidden_size: 2304, intermediate_size: 9216, num_hidden_layers: 27, num_attention_heads: 32, max_position_embeddings: 1048576}

function kimiLinearSpec(raw: Config, o: ImportOptions, outer?: Config): ModelSpec {
  // Kimi Linear (vLLM kimi_linear.py; transformers kimi_linear): KDA layers and MLA full-attention layers
  // (q_proj without LoRA by default, RoPE off when mla_use_nope, the rope part of kv_a_proj still built and cached),
  // DeepSeek-V3 MoE (router with e_score_correction_bias, shared experts of num_shared_experts x
  // moe_intermediate_size) on layers >= first_k_dense_replace with layer % moe_layer_freq == 0.
  // linear_attn_config lists the KDA and full-attention layers 1-indexed.
  const cfg = raw.withDefaults(kimiLinearDefaults)
  const layers = cfg.int('num_hidden_layers')
  const lin = cfg.sub('linear_attn_config')
  let types = cfg.strList('layer_types')
  if (types && types.length !== layers) throw new UserError(`${cfg.where}: layer_types has ${types.length} entries for ${layers} layers`)
  if (!types) {
    if (!lin.has('kda_layers') || !lin.has('full_attn_layers'))
      throw new UserError(`${cfg.where}: give linear_attn_config.kda_layers and full_attn_layers (or layer_types): the default pattern differs between transformers versions`)
    const filled: (string | undefined)[] = Array.from({length: layers}, () => undefined)
    for (const [key, kind] of [['full_attn_layers', 'full_attention'], ['kda_layers', 'linear_attention']] as const)
      for (const n of lin.intList(key, [])) {
        if (n < 1 || n > layers) throw new UserError(`${lin.where}: ${key} holds layer ${n}, outside 1..${layers} (the lists are 1-indexed)`)
        if (filled[n - 1] !== undefined) throw new UserError(`${lin.where}: layer ${n} is in both kda_layers and full_attn_layers`)
        filled[n - 1] = kind
      }
    const missing = filled.findIndex((t) => t === undefined)
    if (missing >= 0) throw new UserError(`${lin.where}: layer ${missing + 1} is in neither kda_layers nor full_attn_layers`)
    types = filled as string[]
  }
  const mixers = types.map((t) => (t === 'kda_attention' ? 'linear' : mixerOf(t, cfg.where)))
  if (mixers.some((m) => m !== 'full' && m !== 'linear')) throw new UserError(`${cfg.where}: Kimi Linear layers are full_attention or linear (KDA) attention only`)
  const ropeDim = cfg.int('qk_rope_head_dim', 64)
  const nope = cfg.bool('mla_use_nope', false) || ropeDim === 0
  const routed = cfg.intOrNull(cfg.pick('num_experts', 'n_routed_experts', 'num_local_experts'), 256)
  const firstDense = cfg.int('first_k_dense_replace', 1)
  const freq = cfg.int('moe_layer_freq', 1)
  const isMoe = deepseekMoeLayers(cfg, layers, routed, firstDense, freq)
  const heads = cfg.int('num_attention_heads')
  const nopeDim = cfg.int('qk_nope_head_dim', 128)
  const vDim = cfg.int('v_head_dim', 128)
  const kdaHeads = lin.has('num_heads') ? lin.int('num_heads') : cfg.int('linear_num_heads', 32)
  const kdaDim = lin.has('head_dim') ? lin.int('head_dim') : cfg.int('linear_head_dim', 128)
  const kernel = lin.has('short_conv_kernel_size') ? lin.int('short_conv_kernel_size') : cfg.int('linear_conv_kernel_dim', 4)
  const shared = cfg.int(cfg.pick('num_shared_experts', 'n_shared_experts'), 1)
  const moeWidth = cfg.int('moe_intermediate_size', 1024)
  // Kimi K3 (Moonshot's modeling_kimi_linear.py of Kimi-K3; SGLang models/kimi_k3.py): gated MLA, a full-rank KDA
  // output gate, a latent MoE (routed experts at routed_expert_hidden_size between routed_expert_down_proj and
  // routed_expert_up_proj, routed_expert_norm when latent_moe_use_norm) and block attention residuals. Each is off
  // when its key is absent, as in Kimi-Linear-48B's config.
  const attention = mlaAttention(heads, nopeDim, ropeDim, vDim, false, cfg.intOrNull('q_lora_rank', null), cfg.int('kv_lora_rank', 512))
  if (cfg.bool('mla_use_output_gate', false)) attention.mla = {...attention.mla!, outputGate: true}
  const fullRankGate = lin.bool('use_full_rank_gate', false)
  const latent = cfg.intOrNull('routed_expert_hidden_size', null)
  const attnResBlock = cfg.intOrNull('attn_res_block_size', null)
  if (attnResBlock !== null && attnResBlock < 1) throw new UserError(`${cfg.where}: "attn_res_block_size" must be a positive layer count, found ${attnResBlock}`)
  const moe = routed === null ? null : sharedExpertsMoe(routed, cfg.int(cfg.pick('num_experts_per_token', 'num_experts_per_tok'), 8), moeWidth, shared, true)
  if (moe && latent !== null) {
    moe.latentSize = latent
    if (cfg.bool('latent_moe_use_norm', false)) moe.latentNorm = true
  }
  return {
    ...base(cfg, o, 'kimi-linear', 'kimi_linear', outer),
    mtpLayers: cfg.int(cfg.pick('num_nextn_predict_layers', 'num_mtp_layers'), 0),
    maxContextTokens: cfg.int(cfg.pick('max_position_embeddings', 'model_max_length')),
    embeddings: tokenEmbeddings(cfg),
    attention,
    linearAttention: {kind: 'kda', keyHeads: kdaHeads, valueHeads: kdaHeads, keyHeadDim: kdaDim, valueHeadDim: kdaDim, convKernel: kernel, ...(fullRankGate ? {fullRankGate} : {})},
    ffn: gatedFfn(cfg),
    ...(moe === null ? {} : {moe}),
    // Attention residuals add self_attention_res_norm and mlp_res_norm to input_layernorm and post_attention_layernorm.
    norms: rmsNorms('pre', attnResBlock === null ? 2 : 4),
    ...(attnResBlock === null ? {} : {attnResiduals: {blockSize: attnResBlock}}),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(mixers.map((mixer, i) => ({mixer, rope: mixer === 'full' && !nope, ffn: isMoe(i) ? 'moe' : 'dense'}))),
  }
}

export const kimi: Family = {
  // Kimi K2: remote code with DeepseekV3Config's keys.
  // In Kimi K2.5 (kimi_k25 below) the wrapper's tie_word_embeddings decides the LM head's tie, and a wrapper-level
  // quantization_config (NVIDIA's Kimi-K2.5/K2.6-NVFP4 write it there, Moonshot's INT4 files inside text_config)
  // describes the checkpoint.
  kimi_k2: {keys: deepseekV3Keys, build: (cfg, o, outer) => untiedPerWrapper(deepseekV3Spec(cfg, o, 'kimi-k2', 'kimi_k2', deepseekV3Defaults, outer), cfg, outer)},
  // KimiK25Config (Moonshot's remote code, configuration_kimi_k25.py): a Kimi K2 (DeepseekV3) language model in
  // text_config and a MoonViT vision tower with its patch-merger projector in vision_config, not counted (see
  // ../encoders.ts).
  kimi_k25: {
    keys: {
      used: ['text_config', 'vision_config', 'tie_word_embeddings'],
      // Token ids and the prompt format of images and video; use_unified_vision_chunk chooses how the vision
      // tower chunks video, without weights.
      ignored: ['ignore_index', 'media_placeholder_token_id', 'video_placeholder', 'use_unified_vision_chunk', 'bos_token_id', 'eos_token_id', 'pad_token_id', 'dtype'],
    },
    textType: 'kimi_k2',
  },
  // KimiK3Config (Moonshot's remote code, configuration_kimi_k3.py): a Kimi Linear language model with K3's additions
  // in text_config (KimiLinearConfig of the same file) and a MoonViT-V2 vision tower with its projector in
  // vision_config, not counted (see ../encoders.ts).
  kimi_k3: {
    keys: {
      used: ['text_config', 'vision_config', 'tie_word_embeddings'],
      // Token ids and the prompt format of images.
      ignored: ['ignore_index', 'media_placeholder_token_id', 'image_placeholder', 'bos_token_id', 'eos_token_id', 'pad_token_id', 'dtype'],
    },
    textType: 'kimi_linear',
  },
  // KimiLinearConfig (transformers) and Moonshot's remote-code names, which its attribute_map aliases.
  kimi_linear: {
    keys: {
      used: [
        ...coreWithout('num_key_value_heads', 'head_dim'),
        'model_max_length',
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
        // Kimi K3
        'mla_use_output_gate',
        'routed_expert_hidden_size',
        'latent_moe_use_norm',
        'attn_res_block_size',
      ],
      ignored: [
        ...decoderIgnored,
        // Kimi K3's SiTU-GLU (hidden_act "situ"): beta * tanh(x / beta) soft caps on its two branches; fixed scalars, no weights.
        'activation_situ_beta',
        'activation_situ_linear_beta',
        'topk_method', // noaux_tc: how the top-k is picked, not how many experts run
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
      sections: {
        linear_attn_config: {
          used: ['kda_layers', 'full_attn_layers', 'num_heads', 'head_dim', 'short_conv_kernel_size', 'use_full_rank_gate'],
          ignored: ['gate_lower_bound'], // Kimi K3's lower bound on the decay gate: a constant in the kernel, no weights
        },
      },
    },
    // In Kimi K3 (kimi_k3 above) the wrapper's tie_word_embeddings decides the LM head's tie.
    build: (cfg, o, outer) => untiedPerWrapper(kimiLinearSpec(cfg, o, outer), cfg, outer),
  },
}
