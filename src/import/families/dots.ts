// dots.llm1 (Dots1Config, configuration_dots1.py; modular_dots1.py).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, layerOf, layerTypesOf, mixerOf} from '../layers.js'
import {base, gatedFfn, rmsNorms, ropeOf, sharedExpertsMoe, standardAttention, tokenEmbeddings} from '../pieces.js'

// Dots1Config (@ 008e5743): 62 layers, h 4608, 32/32 heads, 2048 positions; n_routed_experts, n_shared_experts and
// num_experts_per_tok default to None, which the modeling code cannot build, so a file must state them.
const dots1Defaults: Json = {vocab_size: 152064, hidden_size: 4608, intermediate_size: 10944, num_hidden_layers: 62, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 2048}

function dots1Spec(raw: Config, o: ImportOptions): ModelSpec {
  // Dots1 (modular_dots1.py): Qwen3Attention (q/k/v/o bias = attention_bias, q_norm/k_norm of head_dim)
  // in a DeepseekV3DecoderLayer: layers >= first_k_dense_replace are DeepseekV3MoE (router weight (E, h) plus
  // e_score_correction_bias (E), experts of moe_intermediate_size, one shared MLP of moe_intermediate_size *
  // n_shared_experts), the others a dense MLP of intermediate_size. layer_types default: sliding on layers >=
  // max_window_layers when sliding_window is set (Dots1Config.__post_init__).
  const cfg = raw.withDefaults(dots1Defaults)
  const layers = cfg.int('num_hidden_layers')
  for (const key of ['n_routed_experts', 'n_shared_experts', 'num_experts_per_tok'])
    if (cfg.raw[key] === undefined || cfg.raw[key] === null) throw new UserError(`${cfg.where}: "${key}" is required: Dots1Config defaults it to None, which the model cannot be built with`)
  const window = cfg.intOrNull('sliding_window', 4096)
  const maxWindowLayers = cfg.int('max_window_layers', 62)
  const types = layerTypesOf(cfg, layers, (i) => (window !== null && i >= maxWindowLayers ? 'sliding_attention' : 'full_attention'))
  const firstDense = cfg.int('first_k_dense_replace', 0)
  const perLayer = types.map((t, i) => {
    const mixer = mixerOf(t, cfg.where)
    if (mixer !== 'full' && mixer !== 'sliding') throw new UserError(`${cfg.where}: layer type "${t}" is not a dots1 layer type`)
    if (mixer === 'sliding' && window === null) throw new UserError(`${cfg.where}: layer_types has sliding_attention layers but sliding_window is null`)
    return layerOf(mixer, true, i >= firstDense ? 'moe' : 'dense', window ?? undefined)
  })
  return {
    ...base(cfg, o, 'dots1', 'dots1'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: standardAttention(cfg, {biasKey: 'attention_bias', qkNorm: 'per-head'}),
    ffn: gatedFfn(cfg),
    moe: sharedExpertsMoe(cfg.int(cfg.pick('n_routed_experts', 'num_local_experts')), cfg.int('num_experts_per_tok'), cfg.int('moe_intermediate_size', 1408), cfg.int('n_shared_experts'), true),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(perLayer),
  }
}

export const dots: Family = {
  // Dots1Config; num_local_experts is its attribute_map alias of n_routed_experts.
  dots1: {
    keys: {
      used: [
        ...core,
        'attention_bias',
        'n_routed_experts',
        'num_local_experts',
        'n_shared_experts',
        'num_experts_per_tok',
        'moe_intermediate_size',
        'first_k_dense_replace',
        'sliding_window',
        'max_window_layers',
        'layer_types',
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'n_group', // grouped routing picks among groups; num_experts_per_tok experts still run
        'topk_group',
        'routed_scaling_factor',
        'scoring_func', // sigmoid scores: a published key the class does not define, routing only
        'use_sliding_window', // not a Dots1Config key: layer_types follow sliding_window and max_window_layers
      ],
    },
    build: dots1Spec,
  },
}
