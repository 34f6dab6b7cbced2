// DeepSeek-V4: DeepseekV4Config (transformers configuration_deepseek_v4.py) and DeepseekV4ForCausalLM
// (modeling_deepseek_v4.py); the MTP block, which transformers does not build, from DeepSeek's inference/model.py MTPBlock.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers} from '../layers.js'
import {base, rmsNorms, ropeOf, sharedExpertsMoe, tokenEmbeddings} from '../pieces.js'

// DeepseekV4Config class defaults (V4-Flash's dimensions).
const classDefaults: Json = {
  vocab_size: 129280,
  hidden_size: 4096,
  moe_intermediate_size: 2048,
  num_hidden_layers: 43,
  num_attention_heads: 64,
  num_key_value_heads: 1,
  head_dim: 512,
  q_lora_rank: 1024,
  num_experts_per_tok: 6,
  n_routed_experts: 256,
  n_shared_experts: 1,
  max_position_embeddings: 1048576,
  rope_theta: 10000,
  hc_mult: 4,
  sliding_window: 128,
  o_groups: 8,
  o_lora_rank: 1024,
  index_n_heads: 64,
  index_head_dim: 128,
  index_topk: 512,
  num_nextn_predict_layers: 1,
  hidden_act: 'silu',
  tie_word_embeddings: false,
}

type Compressor = 'csa' | 'hca' | 'none'
// configuration_deepseek_v4.py DEEPSEEK_V4_LAYER_TYPES and _COMPRESS_RATIO_TO_LAYER_TYPE (legacy compress_ratios).
const layerTypes: Record<string, Compressor> = {sliding_attention: 'none', compressed_sparse_attention: 'csa', heavily_compressed_attention: 'hca'}
const ratioTypes: Record<number, Compressor> = {0: 'none', 4: 'csa', 128: 'hca'}

/**
 * DeepseekV4Config.__post_init__: layer_types, else the legacy per-layer compress_ratios (0 / 4 / 128, one more entry
 * than layers in the vendor files: the MTP block's), else 2 HCA layers then CSA and HCA alternating. The MTP block's
 * compressor is compress_ratios[num_hidden_layers] when the file has it (inference/model.py MTPBlock(n_layers)), else none.
 */
function compressors(cfg: Config, layers: number): {layers: Compressor[]; mtp: Compressor} {
  const types = cfg.strList('layer_types')
  const ratios = cfg.has('compress_ratios') ? cfg.intList('compress_ratios', []) : null
  const fromRatio = (r: number) => {
    const t = ratioTypes[r]
    if (t === undefined) throw new UserError(`${cfg.where}: compress_ratios may hold only 0, 4 and 128 (DeepseekV4Config maps them to sliding, CSA and HCA layers), found ${r}`)
    return t
  }
  let list: Compressor[]
  if (types) {
    list = types.map((t) => {
      const c = layerTypes[t]
      if (c === undefined) throw new UserError(`${cfg.where}: layer_types may hold only ${Object.keys(layerTypes).join(', ')}, found "${t}"`)
      return c
    })
  } else if (ratios) list = ratios.slice(0, layers).map(fromRatio)
  else list = [...Array<Compressor>(Math.min(layers, 2)).fill('hca'), ...Array.from({length: Math.max(layers - 2, 0)}, (_, i): Compressor => (i % 2 ? 'csa' : 'hca'))]
  if (list.length < layers) throw new UserError(`${cfg.where}: ${types ? 'layer_types' : 'compress_ratios'} has ${list.length} entries for ${layers} layers`)
  const mtp = ratios && ratios.length > layers ? fromRatio(ratios[layers]!) : 'none'
  return {layers: list.slice(0, layers), mtp}
}

/** mlp_layer_types ("hash_moe" / "moe"), else the first num_hash_layers (3) layers hash-routed. */
function hashRouted(cfg: Config, layers: number): boolean[] {
  const types = cfg.strList('mlp_layer_types')
  if (types) {
    if (types.length < layers) throw new UserError(`${cfg.where}: mlp_layer_types has ${types.length} entries for ${layers} layers`)
    if (types.some((t) => t !== 'hash_moe' && t !== 'moe')) throw new UserError(`${cfg.where}: mlp_layer_types may hold only "hash_moe" and "moe"`)
    return types.slice(0, layers).map((t) => t === 'hash_moe')
  }
  const n = cfg.int('num_hash_layers', 3)
  return Array.from({length: layers}, (_, i) => i < n)
}

/** compress_rates (dict), or the legacy compress_rate_csa / compress_rate_hca; defaults 4 and 128. */
function compressRates(cfg: Config): {csa: number; hca: number} {
  const rates = cfg.has('compress_rates') && cfg.raw.compress_rates !== null ? cfg.sub('compress_rates') : null
  const csa = cfg.has('compress_rate_csa') ? cfg.int('compress_rate_csa') : (rates?.int('compressed_sparse_attention', 4) ?? 4)
  const hca = cfg.has('compress_rate_hca') ? cfg.int('compress_rate_hca') : (rates?.int('heavily_compressed_attention', 128) ?? 128)
  if (csa < 1 || hca < 1) throw new UserError(`${cfg.where}: compression rates must be positive, found CSA ${csa} and HCA ${hca}`)
  return {csa, hca}
}

function deepseekV4Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(classDefaults)
  const layers = cfg.int('num_hidden_layers')
  const heads = cfg.int('num_attention_heads')
  const headDim = cfg.int('head_dim')
  // DeepseekV4Attention: one KV head (kv_proj to head_dim), broadcast to every query head.
  if (cfg.int('num_key_value_heads') !== 1) throw new UserError(`${cfg.where}: DeepSeek-V4 attention has one shared key/value head; num_key_value_heads must be 1`)
  if (cfg.bool('attention_bias', false)) throw new UserError(`${cfg.where}: "attention_bias": true is not modelled for deepseek_v4 (DeepseekV4Attention builds no biases)`)
  if (cfg.bool('mlp_bias', false)) throw new UserError(`${cfg.where}: "mlp_bias": true is not modelled for deepseek_v4`)
  // partial_rotary_factor, else the legacy qk_rope_head_dim / head_dim, else 64 / 512.
  const partial = cfg.has('partial_rotary_factor') && cfg.raw.partial_rotary_factor !== null ? cfg.num('partial_rotary_factor') : cfg.int('qk_rope_head_dim', 64) / headDim
  const ropeHeadDim = Math.trunc(headDim * partial)
  if (ropeHeadDim < 1) throw new UserError(`${cfg.where}: the rotated slice of the head (head_dim x partial_rotary_factor) must be at least 1`)
  const window = cfg.int('sliding_window')
  const {layers: kinds, mtp} = compressors(cfg, layers)
  const hash = hashRouted(cfg, layers)
  const rates = compressRates(cfg)
  const routed = cfg.int('n_routed_experts')
  const width = cfg.int('moe_intermediate_size')
  const oGroups = cfg.int('o_groups')
  if ((heads * headDim) % oGroups !== 0) throw new UserError(`${cfg.where}: num_attention_heads x head_dim (${heads * headDim}) must divide into o_groups (${oGroups})`)
  const spec: ModelSpec = {
    ...base(cfg, o, 'deepseek', 'deepseek_v4'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg),
    attention: {
      kind: heads === 1 ? 'mha' : 'mqa',
      heads,
      kvHeads: 1,
      headDim,
      valueHeadDim: headDim,
      qkvBias: false,
      outputBias: false,
      qkNorm: 'none',
      sinks: true,
      outputGate: false,
      indexer: {heads: cfg.int('index_n_heads'), headDim: cfg.int('index_head_dim'), topK: cfg.int('index_topk')},
    },
    // The shared expert is DeepseekV4MLP at moe_intermediate_size (attribute_map intermediate_size); no dense layers.
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: width, bias: false},
    // DeepseekV4TopKRouter always registers e_score_correction_bias; the hash router has none (counted apart).
    moe: sharedExpertsMoe(routed, cfg.int('num_experts_per_tok'), width, cfg.int('n_shared_experts'), true),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000, undefined, partial),
    layerGroups: groupLayers(
      Array.from({length: layers}, (_, i) => ({mixer: 'sliding', windowTokens: window, rope: true, ffn: 'moe', compressor: kinds[i] === 'none' ? undefined : kinds[i], hashRouting: hash[i] ? true : undefined})),
    ),
    deepseekV4: {qLoraRank: cfg.int('q_lora_rank'), oLoraRank: cfg.int('o_lora_rank'), oGroups, ropeHeadDim, csaRatio: rates.csa, hcaRatio: rates.hca, hcMult: cfg.int('hc_mult'), mtpCompressor: mtp},
    mtpLayers: cfg.int('num_nextn_predict_layers'),
  }
  // The vendor checkpoint stores the routed experts in FP4 (e2m1, one ue8m0 scale per 32: inference/model.py Linear with
  // torch.float4_e2m1fn_x2, fp4_block_size 32), the other quantized matrices in FP8 blocks.
  const expertDtype = cfg.has('expert_dtype') && cfg.raw.expert_dtype !== null ? cfg.str('expert_dtype', '') : null
  if (expertDtype !== null && expertDtype !== 'fp4' && expertDtype !== 'fp8') throw new UserError(`${cfg.where}: expert_dtype "${expertDtype}" is not modelled (fp4 or fp8)`)
  if (expertDtype === 'fp4' && spec.checkpointQuantization) {
    spec.checkpointWeights = {...spec.checkpointWeights, experts: 'mxfp4'}
    spec.checkpointQuantization = {...spec.checkpointQuantization, expertLayout: 'mxfp4'}
  }
  spec.notes = [
    'DeepSeek-V4 hybrid attention: every layer keeps a sliding window of K=V entries; CSA layers add one compressed entry per ' +
      `${rates.csa} tokens (read through the indexer's top-${cfg.int('index_topk')}) and the indexer's compressed keys, HCA layers one entry per ${rates.hca} tokens (all read). ` +
      'The compressors\' partial-window buffers (fewer than one ratio of tokens per layer) are not counted in the KV cache.',
  ]
  return spec
}

export const deepseekV4: Family = {
  deepseek_v4: {
    keys: {
      used: [
        ...['vocab_size', 'hidden_size', 'moe_intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'hidden_act'],
        ...['max_position_embeddings', 'tie_word_embeddings', 'rope_theta', 'rope_scaling', 'rope_parameters', 'partial_rotary_factor', 'qk_rope_head_dim'],
        ...['q_lora_rank', 'o_lora_rank', 'o_groups', 'sliding_window', 'layer_types', 'compress_ratios', 'compress_rates', 'compress_rate_csa', 'compress_rate_hca'],
        ...['index_n_heads', 'index_head_dim', 'index_topk', 'hc_mult', 'mlp_layer_types', 'num_hash_layers'],
        ...['n_routed_experts', 'n_shared_experts', 'num_experts_per_tok', 'num_nextn_predict_layers', 'attention_bias', 'mlp_bias', 'expert_dtype'],
      ],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'scoring_func', // sqrtsoftplus / sigmoid / softmax: how scores are computed, not how many experts run
        'routed_scaling_factor',
        'topk_method', // the learned router always holds e_score_correction_bias (DeepseekV4TopKRouter)
        'swiglu_limit', // a clamp on the expert pre-activations
        'compress_rope_theta', // RoPE base of the compressed branches: no parameters
        'hc_sinkhorn_iters', // Sinkhorn-Knopp iterations on an hc_mult x hc_mult matrix: no parameters, negligible FLOPs
        'hc_eps',
      ],
    },
    build: (cfg, o) => deepseekV4Spec(cfg, o),
  },
}
