// ERNIE 4.5 MoE (Ernie4_5_MoeConfig, configuration_ernie4_5_moe.py; modular_ernie4_5_moe.py).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, gatedFfn, rmsNorms, ropeOf, sharedExpertsMoe, standardAttention, tokenEmbeddings} from '../pieces.js'

// Ernie4_5_MoeConfig (@ 001f85b3): the ERNIE-4.5-21B-A3B shape, tied embeddings, rope_theta 500000 (default_theta).
const ernieMoeDefaults: Json = {vocab_size: 103424, hidden_size: 2560, intermediate_size: 12288, num_hidden_layers: 28, num_attention_heads: 20, num_key_value_heads: 4, max_position_embeddings: 131072}

function ernieMoeSpec(raw: Config, o: ImportOptions): ModelSpec {
  // Ernie4_5_MoeDecoderLayer (modular_ernie4_5_moe.py): q/k/v/o, every MLP (dense, experts, shared) and the LM head
  // carry a bias when use_bias. Layer i is MoE when (i + 1) % moe_layer_interval == 0 and moe_layer_start_index <= i
  // <= moe_layer_end_index (-1 = the last layer), else a dense MLP of intermediate_size. An MoE layer has gate
  // Linear(h, moe_num_experts) without bias, moe_statics.e_score_correction_bias (1, moe_num_experts), the experts of
  // moe_intermediate_size and one shared MLP of moe_intermediate_size * moe_num_shared_experts.
  const cfg = raw.withDefaults(ernieMoeDefaults)
  // Keys of Baidu's published files that Ernie4_5_MoeConfig does not define: refused when they ask for another model.
  if (!cfg.bool('use_rmsnorm', true)) throw new UserError(`${cfg.where}: "use_rmsnorm": false (LayerNorm) is not what Ernie4_5_MoeModel builds (RMSNorm)`)
  if (cfg.bool('is_quantized', false)) throw new UserError(`${cfg.where}: "is_quantized": true is a Paddle quantized checkpoint; import the unquantized config`)
  const layers = cfg.int('num_hidden_layers')
  const bias = cfg.bool('use_bias', false)
  const interval = cfg.int('moe_layer_interval', 1)
  if (interval === 0) throw new UserError(`${cfg.where}: "moe_layer_interval" must be at least 1`)
  const start = cfg.int('moe_layer_start_index', 1)
  const endKey = cfg.raw.moe_layer_end_index
  const end = endKey === undefined || endKey === null || endKey === -1 ? layers - 1 : cfg.int('moe_layer_end_index')
  const experts = cfg.int(cfg.pick('moe_num_experts', 'num_experts'), 64)
  const isMoe = (i: number) => experts > 0 && (i + 1) % interval === 0 && i >= start && i <= end
  const width = cfg.int('moe_intermediate_size', 1536)
  const embeddings: ModelSpec['embeddings'] = tokenEmbeddings(cfg, true)
  if (bias) embeddings.lmHeadBias = true
  const moe = sharedExpertsMoe(Math.max(experts, 1), cfg.int(cfg.pick('moe_k', 'num_experts_per_tok'), 6), width, cfg.int('moe_num_shared_experts', 2), true)
  if (bias) {
    moe.expertBias = true
    moe.sharedExpertBias = true
  }
  const spec: ModelSpec = {
    ...base(cfg, o, 'ernie4.5-moe', 'ernie4_5_moe'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings,
    attention: standardAttention(cfg, {biasKey: 'use_bias'}),
    ffn: gatedFfn(cfg, 'hidden_act', 'silu', bias),
    ...(Array.from({length: layers}, (_, i) => i).some(isMoe) ? {moe} : {}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 500000),
    layerGroups: groupLayers(Array.from({length: layers}, (_, i) => ({mixer: 'full', rope: true, ffn: isMoe(i) ? 'moe' : 'dense'}))),
  }
  if (cfg.int('num_nextn_predict_layers', 0) > 0)
    spec.notes = ['the checkpoint ships multi-token-prediction weights (num_nextn_predict_layers) that transformers skips on load ("mtp"); they are not counted']
  return spec
}

export const ernieMoe: Family = {
  // Ernie4_5_MoeConfig; num_experts and num_experts_per_tok are its attribute_map aliases of moe_num_experts and moe_k.
  ernie4_5_moe: {
    keys: {
      used: [
        ...core,
        'use_bias',
        'moe_num_experts',
        'num_experts',
        'moe_k',
        'num_experts_per_tok',
        'moe_intermediate_size',
        'moe_num_shared_experts',
        'moe_layer_start_index',
        'moe_layer_end_index',
        'moe_layer_interval',
        'num_nextn_predict_layers', // MTP weights in the checkpoint, skipped on load: noted, not counted
        'use_rmsnorm', // Baidu's files: refused when false
        'is_quantized', // Baidu's files: refused when true
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'moe_norm_min',
        // Keys of Baidu's published files that Ernie4_5_MoeConfig does not define and the model never reads: the
        // capacity of Paddle's training dispatch, the gate algorithm's name, the aux-free balancing switch (the
        // moe_statics correction bias is built either way).
        'moe_capacity',
        'moe_gate',
        'moe_use_aux_free',
      ],
    },
    build: ernieMoeSpec,
  },
}
