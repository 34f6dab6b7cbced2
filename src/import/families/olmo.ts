// OLMo 2 (Olmo2Config, configuration_olmo2.py).
import {core, decoderIgnored, type Family} from '../family.js'
import {rmsNorms} from '../pieces.js'
import {llamaLike} from './llama.js'

export const olmo: Family = {
  olmo2: {
    keys: {used: [...core, 'attention_bias'], ignored: [...decoderIgnored]},
    // Olmo2Config: post-norms inside the residual, QK-norm across all heads, tie False.
    build: (cfg, o) => llamaLike(cfg, o, 'olmo2', {modelType: 'olmo2', tiedDefault: false, thetaDefault: 10000, attention: {qkNorm: 'across-heads'}, norms: rmsNorms('post', 2)}),
  },
}
