// Qwen2.5-VL (Qwen2_5_VLConfig, configuration_qwen2_5_vl.py; modeling_qwen2_5_vl.py): the language model, whose
// settings older files state at the top level and newer ones in text_config; the vision tower is imported by
// ../encoders.ts and counted apart.
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family, type KeyTable} from '../family.js'
import {llamaLike} from './llama.js'
import {qwenSliding, qwenWindow} from './qwen.js'

// Qwen2_5_VLTextConfig (@ 008e5743): the 72B shape, 32768 positions, rope_theta 1e6, untied.
const qwen25VlTextDefaults: Json = {vocab_size: 152064, hidden_size: 8192, intermediate_size: 29568, num_hidden_layers: 80, num_attention_heads: 64, num_key_value_heads: 8, max_position_embeddings: 32768, rope_theta: 1000000, max_window_layers: 80}

function qwen25VlSpec(outer: Config, o: ImportOptions): ModelSpec {
  // Qwen2_5_VLTextModel (modeling_qwen2_5_vl.py): Qwen2's decoder, Qwen2_5_VLAttention with q/k/v bias and o_proj
  // without, sliding on layers >= max_window_layers when use_sliding_window. M-RoPE (rope_scaling type "mrope", which
  // Qwen2_5_VLConfig rewrites to "default" with mrope_section) splits the rotated dimensions among time, height and
  // width: no scaling and no weights.
  const text = outer.has('text_config') ? outer.sub('text_config') : outer
  const cfg = text.withDefaults(qwen25VlTextDefaults)
  const spec = llamaLike(cfg, o, 'qwen2.5-vl', {modelType: 'qwen2_5_vl', tiedDefault: false, thetaDefault: 1000000, sliding: qwenSliding(cfg), outer})
  spec.attention = {...spec.attention, qkvBias: true, outputBias: false}
  if (spec.rope.scaling === 'mrope' || spec.rope.scaling === 'default') spec.rope = {...spec.rope, scaling: null}
  return spec
}

// Token ids of the vision prompt format and the vision tower's own section: no cost of the language model.
const visionTokens = ['vision_start_token_id', 'vision_end_token_id', 'vision_token_id', 'image_token_id', 'video_token_id'] as const
// Qwen2_5_VLTextConfig: q/k/v biases are fixed; the rope_scaling block carries mrope_section.
const textKeys: KeyTable = {used: [...core, ...qwenWindow], ignored: [...decoderIgnored, ...visionTokens]}

export const qwenVl: Family = {
  // Qwen2_5_VLConfig: the text settings at the top level (transformers < 4.53 files) or in text_config.
  qwen2_5_vl: {
    keys: {
      used: [...textKeys.used, 'text_config', 'vision_config'],
      ignored: [...textKeys.ignored],
      sections: {text_config: textKeys},
    },
    build: (cfg, o) => qwen25VlSpec(cfg, o),
  },
}
