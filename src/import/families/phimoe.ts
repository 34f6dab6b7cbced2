// Phi-3.5-MoE (PhimoeConfig, configuration_phimoe.py; modular_phimoe.py).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, layerOf} from '../layers.js'
import {base, gatedFfn, moeBlock, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// PhimoeConfig (@ 040e1a7e): Phi-3.5-MoE shape, 4096*32 positions, rope_theta 1e6.
const phimoeDefaults: Json = {vocab_size: 32064, hidden_size: 4096, intermediate_size: 6400, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, max_position_embeddings: 131072}

function phimoeSpec(raw: Config, o: ImportOptions): ModelSpec {
  // PhimoeDecoderLayer (modular_phimoe.py): LlamaAttention (q/k/v/o bias = attention_bias), nn.LayerNorm with
  // weight and bias for input/post-attention and the final norm, PhimoeSparseMoeBlock in every layer (router
  // Linear(h, num_local_experts) without bias, Mixtral experts w1/w2/w3 without bias); PhimoeForCausalLM.lm_head
  // Linear(h, vocab, bias=lm_head_bias). MixtralAttention's sliding_window masks each layer; a window as long as
  // the context never binds (Phi-3.5-MoE states sliding_window = max_position_embeddings = 131072), so it is full.
  const cfg = raw.withDefaults(phimoeDefaults)
  const layers = cfg.int('num_hidden_layers')
  const maxContext = cfg.int('max_position_embeddings')
  const window = cfg.intOrNull('sliding_window', null)
  const sliding = window !== null && window < maxContext ? window : undefined
  const embeddings: ModelSpec['embeddings'] = tokenEmbeddings(cfg)
  if (cfg.bool('lm_head_bias', false)) embeddings.lmHeadBias = true
  return {
    ...base(cfg, o, 'phimoe', 'phimoe'),
    maxContextTokens: maxContext,
    embeddings,
    attention: standardAttention(cfg, {biasKey: 'attention_bias'}),
    ffn: gatedFfn(cfg),
    moe: moeBlock(cfg.int('num_local_experts', 16), cfg.int('num_experts_per_tok', 2), cfg.int('intermediate_size')),
    norms: {kind: 'layernorm', bias: true, placement: 'pre', perLayer: 2, final: true},
    rope: ropeOf(cfg, 1e6),
    layerGroups: groupLayers(Array.from({length: layers}, () => layerOf(sliding === undefined ? 'full' : 'sliding', true, 'moe', sliding))),
  }
}

export const phimoe: Family = {
  // PhimoeConfig
  phimoe: {
    keys: {
      used: [...core, 'attention_bias', 'lm_head_bias', 'sliding_window', 'num_local_experts', 'num_experts_per_tok'],
      ignored: [
        ...decoderIgnored,
        ...routerIgnored,
        'input_jitter_noise', // training-time noise on the router input
        'original_max_position_embeddings', // the pre-extension length of LongRoPE, also inside rope_scaling
      ],
    },
    build: phimoeSpec,
  },
}
