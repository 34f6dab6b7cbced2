// LG EXAONE 3.0/3.5 (remote code: ExaoneConfig, configuration_exaone.py and modeling_exaone.py shipped in
// LGAI-EXAONE/EXAONE-3.5-*-Instruct) and EXAONE 4.0 (Exaone4Config, configuration_exaone4.py @ 008e5743).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions, type Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {layerTypesOf, mixerOf} from '../layers.js'
import {gatedFfn, rmsNorms} from '../pieces.js'
import {llamaLike} from './llama.js'

// ExaoneConfig: vocab 102400, h 2048, 32 layers, 32 heads, KV heads = heads, intermediate_size None -> 4 h,
// 2048 positions; tie_word_embeddings is PretrainedConfig's (True) unless the file says otherwise.
const exaoneDefaults: Json = {vocab_size: 102400, hidden_size: 2048, num_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048}

// ExaoneModel (modeling_exaone.py): wte; per block ln_1, attn.attention.{q,k,v,out}_proj (no bias), ln_2,
// mlp.{c_fc_0, c_fc_1, c_proj} (gated, no bias), RMSNorm; ln_f; lm_head. The Llama shape under other names:
// the ExaoneConfig keys are read under the names llamaLike reads (num_layers as num_hidden_layers, ...).
function exaoneSpec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(exaoneDefaults)
  // The ExaoneConfig names as the defaults of the names llamaLike reads (a file never states the latter).
  const aliases: Json = {num_hidden_layers: cfg.int('num_layers'), intermediate_size: 4 * cfg.int('hidden_size'), hidden_act: cfg.str('activation_function', 'silu')}
  const aliased = new Config(raw.raw, raw.where, {...exaoneDefaults, ...aliases})
  return llamaLike(aliased, o, 'exaone', {modelType: 'exaone', tiedDefault: true, thetaDefault: 10000, attention: {biasKey: undefined}})
}

// Exaone4Config: vocab 102400, h 4096, ffn 16384, 32 layers, 32/32 heads, 2048 positions, window 4096 on three
// of every four layers (sliding_window_pattern 4).
const exaone4Defaults: Json = {vocab_size: 102400, hidden_size: 4096, intermediate_size: 16384, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, max_position_embeddings: 2048}

/** Exaone4Config.__post_init__: layer_types from sliding_window_pattern, an int period or an "LLLG" string. */
function exaone4Types(cfg: Config, layers: number, window: number | null): string[] {
  const pattern = cfg.raw.sliding_window_pattern ?? 4
  return layerTypesOf(cfg, layers, (i) => {
    if (window === null) return 'full_attention'
    if (typeof pattern === 'number' && Number.isSafeInteger(pattern) && pattern > 0) return (i + 1) % pattern !== 0 ? 'sliding_attention' : 'full_attention'
    if (typeof pattern === 'string' && /^[LG]+$/.test(pattern)) return i === layers - 1 || pattern[i % pattern.length] === 'G' ? 'full_attention' : 'sliding_attention'
    throw new UserError(`${cfg.where}: "sliding_window_pattern" must be a positive integer or a string of L and G, found ${JSON.stringify(pattern)}`)
  })
}

// Exaone4Attention (modular_exaone4.py): q/k/v/o without bias, q_norm/k_norm RMSNorm(head_dim); with a sliding
// window, RoPE only on the sliding layers ("global NoPE"). Exaone4DecoderLayer is Olmo2's: post-norms.
function exaone4Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(exaone4Defaults)
  const layers = cfg.int('num_hidden_layers')
  const window = cfg.intOrNull('sliding_window', 4096)
  const mixers = exaone4Types(cfg, layers, window).map((t) => mixerOf(t, cfg.where))
  if (mixers.some((m) => m !== 'full' && m !== 'sliding')) throw new UserError(`${cfg.where}: layer_types may hold only full_attention and sliding_attention for exaone4`)
  if (window === null && mixers.includes('sliding')) throw new UserError(`${cfg.where}: sliding_attention layers need a "sliding_window"`)
  return llamaLike(cfg, o, 'exaone4', {
    modelType: 'exaone4',
    tiedDefault: false,
    thetaDefault: 10000,
    attention: {biasKey: undefined, qkNorm: 'per-head'},
    norms: rmsNorms('post', 2),
    ffn: gatedFfn(cfg),
    rope: (i) => window === null || mixers[i] === 'sliding',
    // A window no shorter than the context never slides (the class default 4096 over 2048 positions).
    sliding: (i) => (mixers[i] === 'sliding' && window! < cfg.int('max_position_embeddings') ? window! : undefined),
  })
}

export const exaone: Family = {
  // ExaoneConfig (remote code)
  exaone: {
    keys: {
      used: ['vocab_size', 'max_position_embeddings', 'hidden_size', 'num_layers', 'num_attention_heads', 'num_key_value_heads', 'intermediate_size', 'activation_function', 'tie_word_embeddings', 'rope_theta', 'rope_scaling'],
      ignored: ['embed_dropout', 'attention_dropout', 'layer_norm_epsilon', 'initializer_range', 'use_cache'],
    },
    build: exaoneSpec,
  },
  // Exaone4Config
  exaone4: {keys: {used: [...core, 'sliding_window', 'sliding_window_pattern', 'layer_types'], ignored: [...decoderIgnored]}, build: exaone4Spec},
}
