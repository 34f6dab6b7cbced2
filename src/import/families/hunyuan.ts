// Hunyuan MoE: Tencent's remote-code HunYuanConfig (model_type "hunyuan", configuration_hunyuan.py, with hunyuan.py
// and modeling_hunyuan.py, as shipped with Hunyuan-A13B), and transformers' HunYuanMoEV1Config
// (configuration_hunyuan_v1_moe.py; modular_hunyuan_v1_moe.py), and the dense HunYuanDenseV1Config
// (configuration_hunyuan_v1_dense.py; modular_hunyuan_v1_dense.py).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions, type Json} from '../config.js'
import {coreWithout, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, type LayerSpec} from '../layers.js'
import {base, gatedFfn, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// HunYuanConfig (remote, @ df832ebc) and HunYuanMoEV1Config: vocab 290943, h 4096, ffn 11008, 32 layers, 32 heads,
// 2048 positions, one expert (a dense model), top-1, untied.
const hunyuanDefaults: Json = {vocab_size: 290943, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

/** A scalar or per-layer list key that must hold one value for every layer (the modeling code reads one). */
function uniform(cfg: Config, key: string, fallback: number, layers: number): number {
  const value = cfg.raw[key]
  if (!Array.isArray(value)) return cfg.int(key, fallback)
  const list = cfg.intList(key, [])
  if (list.length !== layers) throw new UserError(`${cfg.where}: "${key}" has ${list.length} entries for ${layers} layers`)
  if (list.some((v) => v !== list[0])) throw new UserError(`${cfg.where}: "${key}" varies by layer, which this model type does not build (it reads one value for every layer)`)
  return list[0]!
}

function hunyuanSpec(raw: Config, o: ImportOptions, modelType: 'hunyuan' | 'hunyuan_v1_moe'): ModelSpec {
  // hunyuan (modeling_hunyuan.py HunYuanAttention, HunYuanDecoderLayer, HunYuanMoE, HunYuanMLP; hunyuan.py
  // HunYuanModel, HunYuanMoEV1ForCausalLM): q/k/v/o bias = attention_bias, head_dim = hidden_size / num_attention_heads,
  // query_layernorm / key_layernorm of head_dim when use_qk_norm; every layer is HunYuanMoE when num_experts > 1
  // (gate wg Linear(h, num_experts) without bias, experts of intermediate_size, a shared MLP of intermediate_size x
  // num_shared_expert[0] when use_mixed_mlp_moe), else a dense MLP; no MLP has a bias; lm_head without bias.
  // hunyuan_v1_moe (modular_hunyuan_v1_moe.py): the same with head_dim from the config, QK-norm always, the shared
  // MLP (of intermediate_size) always.
  const cfg = raw.withDefaults(hunyuanDefaults)
  const layers = cfg.int('num_hidden_layers')
  const hidden = cfg.int('hidden_size')
  const heads = cfg.int('num_attention_heads')
  const width = cfg.int('intermediate_size')
  const remote = modelType === 'hunyuan'
  // Cross-layer attention (HunYuanAttention attention_type "cross", HunYuanModel.forward): with use_cla, a layer i with
  // i % cla_share_factor != 0 builds no k_proj / v_proj and attends over the keys and values of layer
  // i - i % cla_share_factor, so it caches none of its own.
  const cla = remote && cfg.bool('use_cla', false) ? cfg.int('cla_share_factor', 1) : 1
  if (cla === 0) throw new UserError(`${cfg.where}: "cla_share_factor" must be at least 1`)
  if (remote && cfg.bool('add_classification_head', false)) throw new UserError(`${cfg.where}: "add_classification_head": true builds a classification model, not the causal LM archcost costs`)
  // Keys the modeling code does not read but the checkpoint's shapes follow: refused when they disagree with what it builds.
  if (cfg.has('moe_intermediate_size') && uniform(cfg, 'moe_intermediate_size', width, layers) !== width)
    throw new UserError(`${cfg.where}: "moe_intermediate_size" differs from intermediate_size ${width}; the modeling code builds every expert at intermediate_size`)
  if (remote && cfg.has('attention_head_dim') && cfg.int('attention_head_dim') * heads !== hidden)
    throw new UserError(`${cfg.where}: "attention_head_dim" ${cfg.int('attention_head_dim')} is not hidden_size / num_attention_heads; HunYuanAttention uses the latter`)
  const shared = remote ? (cfg.bool('use_mixed_mlp_moe', false) ? uniform(cfg, 'num_shared_expert', 1, layers) : 0) : 1
  if (!remote && cfg.has('num_shared_expert') && uniform(cfg, 'num_shared_expert', 1, layers) !== 1)
    throw new UserError(`${cfg.where}: "num_shared_expert" other than 1 is not built by HunYuanMoEV1Config's model (one shared MLP of intermediate_size)`)
  if (Array.isArray(cfg.raw.num_experts)) throw new UserError(`${cfg.where}: a per-layer "num_experts" list is not supported; give one number`)
  const experts = cfg.int('num_experts', 1)
  const qkNorm = !remote || cfg.bool('use_qk_norm', false)
  const dims: Json = {hidden_size: hidden, num_attention_heads: heads}
  if (cfg.has('num_key_value_heads')) dims.num_key_value_heads = cfg.int('num_key_value_heads')
  if (!remote && cfg.has('head_dim')) dims.head_dim = cfg.int('head_dim')
  const attention = standardAttention(new Config(dims, cfg.where), {qkNorm: qkNorm ? 'per-head' : 'none'})
  const bias = cfg.bool('attention_bias', false)
  attention.qkvBias = bias
  attention.outputBias = bias
  const moe = experts > 1
  return {
    ...base(cfg, o, 'hunyuan', modelType),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention,
    ffn: gatedFfn(cfg),
    ...(moe ? {moe: moeBlock(experts, uniform(cfg, 'moe_topk', 1, layers), width, {sharedExperts: shared, sharedIntermediateSize: shared * width})} : {}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(
      Array.from({length: layers}, (_, i) => {
        const layer: LayerSpec = {mixer: 'full', rope: true, ffn: moe ? 'moe' : 'dense'}
        if (i % cla !== 0) Object.assign(layer, {kvSourceLayer: i - (i % cla), kvProjections: false})
        return layer
      }),
    ),
  }
}

function hunyuanDenseSpec(raw: Config, o: ImportOptions): ModelSpec {
  // HunYuanDenseV1ForCausalLM (modular_hunyuan_v1_dense.py): a LlamaForCausalLM whose HunYuanDenseV1Attention adds
  // query_layernorm / key_layernorm of head_dim always (applied after RoPE), q/k/v/o bias = attention_bias
  // (LlamaAttention), HunYuanDenseV1MLP gate/up/down without bias whatever mlp_bias says; head_dim from the config,
  // else hidden_size / num_attention_heads (the class default is None).
  const cfg = raw.withDefaults(hunyuanDefaults)
  // The published files carry the remote HunYuanConfig's switches; the transformers class builds none of them, so
  // a file that asks for what it cannot build is refused rather than costed as something else.
  if (cfg.bool('use_cla', false)) throw new UserError(`${cfg.where}: "use_cla": true (cross-layer attention) is not built by HunYuanDenseV1Config's model; use model_type "hunyuan"`)
  if (!cfg.bool('use_qk_norm', true)) throw new UserError(`${cfg.where}: "use_qk_norm": false is not built by HunYuanDenseV1Config's model (QK-norm always); use model_type "hunyuan"`)
  if (cfg.int('num_experts', 1) > 1) throw new UserError(`${cfg.where}: "num_experts" > 1 makes a MoE model; use model_type "hunyuan_v1_moe"`)
  if (cfg.bool('add_classification_head', false)) throw new UserError(`${cfg.where}: "add_classification_head": true builds a classification model, not the causal LM archcost costs`)
  const layers = cfg.int('num_hidden_layers')
  const attention = standardAttention(cfg, {qkNorm: 'per-head'})
  if (cfg.has('attention_head_dim') && cfg.int('attention_head_dim') !== attention.headDim)
    throw new UserError(`${cfg.where}: "attention_head_dim" ${cfg.int('attention_head_dim')} differs from the head dimension ${attention.headDim} the model builds`)
  const bias = cfg.bool('attention_bias', false)
  return {
    ...base(cfg, o, 'hunyuan', 'hunyuan_v1_dense'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: {...attention, qkvBias: bias, outputBias: bias},
    ffn: gatedFfn(cfg),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(Array.from({length: layers}, (): LayerSpec => ({mixer: 'full', rope: true, ffn: 'dense'}))),
  }
}

const hunyuanUsed = [
  ...coreWithout('head_dim', 'rope_parameters', 'partial_rotary_factor'),
  'moe_intermediate_size', // checked against intermediate_size
  'attention_bias',
  'num_experts',
  'moe_topk',
  'num_shared_expert',
] as const
const hunyuanIgnored = [
  ...decoderIgnored,
  ...routerIgnored,
  'moe_drop_tokens', // capacity-based token dropping in training routing
  'moe_random_routing_dropped_token',
  'eod_token_id',
] as const

export const hunyuan: Family = {
  // HunYuanConfig (remote code of Hunyuan-A13B)
  hunyuan: {
    keys: {
      used: [
        ...hunyuanUsed,
        'attention_head_dim', // checked: HunYuanAttention uses hidden_size / num_attention_heads
        'use_qk_norm',
        'use_mixed_mlp_moe',
        'use_cla', // cross-layer attention
        'cla_share_factor',
        'add_classification_head', // refused when true
        'class_num',
      ],
      ignored: [
        ...hunyuanIgnored,
        // Keys hunyuan.py / modeling_hunyuan.py never read (HunYuanMLP builds no bias whatever mlp_bias says; every
        // layer is MoE whatever moe_layer_num_skipped says; the norm is HunYuanRMSNorm whatever norm_type says;
        // RoPE is applied whatever use_rotary_pos_emb / position_embedding_xdrope say; the MLA keys need use_mla,
        // which nothing reads).
        'mlp_bias',
        'moe_layer_num_skipped',
        'norm_type',
        'use_rotary_pos_emb',
        'position_embedding_xdrope',
        'xdrope_section',
        'use_mla',
        'kv_lora_rank',
        'q_lora_rank',
        'qk_nope_head_dim',
        'qk_rope_head_dim',
        'v_head_dim',
        'routed_scaling_factor',
        'group_limited_greedy',
        'n_group',
        'topk_group',
        'org_vocab_size', // the tokenizer's vocabulary before padding; the embedding has vocab_size rows
        'dense_list', // the classification head's widths (add_classification_head)
        'pool_type',
        'pad_id',
        // Token ids of the multimodal prompt format.
        'im_start_id',
        'im_end_id',
        'im_newline_id',
        'text_start_id',
        'text_end_id',
        'image_token_id',
        'video_start_id',
        'video_end_id',
        'mask_init_id',
        // The vision settings of MultimodelHunYuanForCausalLM; HunYuanMoEV1ForCausalLM builds no vision tower.
        'vit_path',
        'vit_type',
        'vit_input_resolution',
        'vit_token',
        'vit_patch',
        'vit_mapping_type',
        'vit_norm_type',
        'vit_used_rms_norm',
        'vit_remove_prenorm',
        'vit_add_patchemb_bias',
        'num_media_embeds',
        'anyres_vit_max_image_size',
        'anyres_pooling_size',
        'anyres_vit_two_views',
        'skip_cls_token',
      ],
    },
    build: (cfg, o) => hunyuanSpec(cfg, o, 'hunyuan'),
  },
  // HunYuanMoEV1Config (transformers)
  hunyuan_v1_moe: {
    keys: {
      used: [...hunyuanUsed, 'head_dim'],
      ignored: [...hunyuanIgnored, 'use_mixed_mlp_moe', 'sliding_window'], // the model builds the shared MLP always and no sliding window
    },
    build: (cfg, o) => hunyuanSpec(cfg, o, 'hunyuan_v1_moe'),
  },
  // HunYuanDenseV1Config (transformers); its published files (Hunyuan-7B, Hy-MT) keep the remote config's keys.
  hunyuan_v1_dense: {
    keys: {
      used: [
        ...coreWithout('partial_rotary_factor'),
        'attention_bias',
        // Remote-config switches the class does not read, checked against what it builds (refused otherwise).
        'attention_head_dim',
        'use_qk_norm',
        'use_cla',
        'num_experts',
        'add_classification_head',
      ],
      ignored: [
        ...decoderIgnored,
        'eod_token_id',
        // Remote-config keys HunYuanDenseV1's modeling code never reads (see the hunyuan table above for each).
        'mlp_bias', // HunYuanDenseV1MLP builds gate/up/down without bias whatever it says
        'cla_share_factor', // only with use_cla, checked false
        'class_num',
        'dense_list',
        'pool_type',
        'pad_id',
        'norm_type',
        'use_rotary_pos_emb',
        'org_vocab_size',
        'moe_topk',
        'num_shared_expert',
        'use_mixed_mlp_moe',
        'im_start_id',
        'im_end_id',
        'im_newline_id',
        'text_start_id',
        'text_end_id',
        'mask_init_id',
      ],
    },
    build: hunyuanDenseSpec,
  },
}
