// OLMo 1 (OlmoConfig, configuration_olmo.py), OLMo 2 (Olmo2Config, configuration_olmo2.py) and OLMo 3 (Olmo3Config,
// configuration_olmo3.py @ 008e5743).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {layerTypesOf, mixerOf} from '../layers.js'
import {rmsNorms} from '../pieces.js'
import {llamaLike} from './llama.js'

// Olmo3Config: vocab 50304, h 4096, ffn 11008, 32 layers, KV heads = heads, 2048 positions, rope_theta 500000.
const olmo3Defaults: Json = {vocab_size: 50304, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

// Olmo3: Olmo2's decoder (post-norms, q_norm over H*d and k_norm over Hkv*d) with layer_types, by default three
// sliding layers of sliding_window (4096) then one full (Olmo3Config.__post_init__); RoPE on every layer.
function olmo3Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(olmo3Defaults)
  const types = layerTypesOf(cfg, cfg.int('num_hidden_layers'), (i) => ((i + 1) % 4 !== 0 ? 'sliding_attention' : 'full_attention'))
  const mixers = types.map((t) => mixerOf(t, cfg.where))
  if (mixers.some((m) => m !== 'full' && m !== 'sliding')) throw new UserError(`${cfg.where}: layer_types may hold only full_attention and sliding_attention for olmo3`)
  const window = cfg.intOrNull('sliding_window', 4096)
  if (window === null && mixers.includes('sliding')) throw new UserError(`${cfg.where}: sliding_attention layers need a "sliding_window"`)
  return llamaLike(cfg, o, 'olmo3', {
    modelType: 'olmo3',
    tiedDefault: false,
    thetaDefault: 500000,
    attention: {qkNorm: 'across-heads'},
    norms: rmsNorms('post', 2),
    // A window no shorter than the context never slides (the class default 4096 over 2048 positions).
    sliding: (i) => (mixers[i] === 'sliding' && window! < cfg.int('max_position_embeddings') ? window! : undefined),
  })
}

export const olmo: Family = {
  olmo: {
    // OlmoConfig (configuration_olmo.py): clip_qkv clamps q, k and v, no parameters.
    keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored, 'clip_qkv']},
    // OlmoConfig: vocab 50304, h 4096, ffn 11008, 32 layers, 32 heads (OLMo-7B), 2048 positions, tie False, rope_theta
    // 10000. OlmoDecoderLayer: Llama's layer with OlmoLayerNorm, a LayerNorm without weight or bias, for
    // input_layernorm, post_attention_layernorm and the final norm: 0 parameters.
    build: (cfg, o) =>
      llamaLike(cfg.withDefaults({vocab_size: 50304, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}), o, 'olmo', {modelType: 'olmo', tiedDefault: false, thetaDefault: 10000, norms: {kind: 'layernorm', bias: false, placement: 'pre', perLayer: 2, final: true, parametric: false}}),
  },
  olmo2: {
    keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored]},
    // Olmo2Config: post-norms inside the residual, QK-norm across all heads, tie False.
    build: (cfg, o) => llamaLike(cfg, o, 'olmo2', {modelType: 'olmo2', tiedDefault: false, thetaDefault: 10000, attention: {qkNorm: 'across-heads'}, norms: rmsNorms('post', 2)}),
  },
  olmo3: {keys: {used: [...core, 'attention_bias', 'sliding_window', 'layer_types'], ignored: [...decoderIgnored]}, build: olmo3Spec},
}
