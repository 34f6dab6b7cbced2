// Swiss AI Apertus (ApertusConfig, modular_apertus.py @ 008e5743).
import {Config, type Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {ropeOf} from '../pieces.js'
import {llamaLike} from './llama.js'

// ApertusConfig: Apertus-8B-like defaults; rope_parameters None -> llama3 scaling x8 on theta 12e6.
const apertusDefaults: Json = {vocab_size: 131072, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 65536}
const apertusRope: Json = {rope_type: 'llama3', rope_theta: 12000000, factor: 8, original_max_position_embeddings: 8192, low_freq_factor: 1, high_freq_factor: 4}

// XIELUActivation (transformers activations.py): alpha_p and alpha_n nn.Parameter of shape (1,), beta and eps
// registered buffers (persistent, so in the checkpoint; convert_hf_to_gguf.py ApertusModel reads all four).
const xieluScalars = 4

export const apertus: Family = {
  apertus: {
    keys: {
      used: [...core, 'attention_bias'],
      ignored: [
        ...decoderIgnored,
        'hidden_dropout',
        // Flags of Swiss AI's released files that ApertusConfig does not define: ApertusAttention always builds
        // q_norm/k_norm, ApertusDecoderLayer always pre-norms, ApertusMLP always has bias-free up/down_proj.
        'qk_norm',
        'post_norm',
        'mlp_bias',
      ],
    },
    // ApertusAttention: LlamaAttention (bias = attention_bias) + q_norm/k_norm RMSNorm(head_dim); ApertusMLP:
    // up_proj and down_proj without bias around xIELU; attention_layernorm and feedforward_layernorm (pre-norm).
    build: (raw, o) => {
      const cfg = raw.withDefaults(apertusDefaults)
      const activation = cfg.str('hidden_act', 'xielu')
      const ffn = {gated: false, activation, intermediateSize: cfg.int('intermediate_size'), bias: false, ...(activation === 'xielu' ? {activationParams: xieluScalars} : {})}
      const spec = llamaLike(cfg, o, 'apertus', {modelType: 'apertus', tiedDefault: false, thetaDefault: 12000000, attention: {qkNorm: 'per-head'}, ffn})
      const ropeGiven = raw.has('rope_parameters') || raw.has('rope_scaling') || raw.has('rope_theta')
      if (!ropeGiven) spec.rope = ropeOf(new Config({rope_parameters: apertusRope}, `${raw.where} (ApertusConfig default rope_parameters)`), 12000000)
      return spec
    },
  },
}
