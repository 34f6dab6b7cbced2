// SmolLM3 (SmolLM3Config, configuration_smollm3.py): a Llama decoder with NoPE layers and Qwen2's sliding window.
import {core, decoderIgnored, type Family} from '../family.js'
import {ropeLayers} from '../layers.js'
import {llamaLike} from './llama.js'
import {qwenSliding, qwenWindow} from './qwen.js'

export const smollm3: Family = {
  smollm3: {
    keys: {used: [...core, ...qwenWindow, 'attention_bias', 'mlp_bias', 'no_rope_layers', 'no_rope_layer_interval'], ignored: [...decoderIgnored]},
    // SmolLM3Config: tie True, rope_theta 2e6; NoPE layers from no_rope_layers.
    build: (cfg, o) => {
      const rope = ropeLayers(cfg, cfg.int('num_hidden_layers'))
      return llamaLike(cfg, o, 'smollm3', {modelType: 'smollm3', tiedDefault: true, thetaDefault: 2000000, ffnBias: cfg.bool('mlp_bias', false), rope, sliding: qwenSliding(cfg)})
    },
  },
}
