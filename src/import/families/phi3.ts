// Phi-3 / Phi-3.5 / Phi-4-mini / Phi-4 (Phi3Config, configuration_phi3.py @ 008e5743).
import type {Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// Phi3Config: Phi-3-mini-4k shape; num_key_value_heads None -> num_attention_heads (MHA); sliding_window None.
const phi3Defaults: Json = {vocab_size: 32064, hidden_size: 3072, intermediate_size: 8192, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 4096}

export const phi3: Family = {
  phi3: {
    keys: {
      used: [...core, 'sliding_window'],
      ignored: [
        ...decoderIgnored,
        'resid_pdrop', // dropout
        'embd_pdrop',
        'original_max_position_embeddings', // the pre-extension context LongRoPE rescales from, no weight
        // Keys of Microsoft's own Phi-4-mini code that Phi3Config does not define and modeling_phi3.py never reads
        // (its projections are bias-free whatever they say; the released file sets them false / 1).
        'attention_bias',
        'mlp_bias',
        'lm_head_bias',
        'full_attn_mod',
        'interpolate_factor',
      ],
    },
    // Phi3Attention (modeling_phi3.py): fused qkv_proj (h, (H + 2 Hkv) d) and o_proj, no bias; Phi3MLP fused
    // gate_up_proj (h, 2 I) and down_proj, no bias: the same counts as separate q/k/v and gate/up. head_dim =
    // hidden/heads; partial_rotary_factor (Phi-4-mini 0.75) rotates part of each head. sliding_window applies to
    // every layer; a window no shorter than the context (Phi-3.5-mini 262144 > 131072) never slides.
    build: (raw, o) => {
      const cfg = raw.withDefaults(phi3Defaults)
      const window = cfg.intOrNull('sliding_window', null)
      const slides = window !== null && window < cfg.int('max_position_embeddings')
      return llamaLike(cfg, o, 'phi3', {modelType: 'phi3', tiedDefault: false, thetaDefault: 10000, attention: {biasKey: undefined}, sliding: slides ? () => window : undefined})
    },
  },
}
