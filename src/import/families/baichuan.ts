// Baichuan 2 (remote code: BaichuanConfig, configuration_baichuan.py and modeling_baichuan.py shipped in
// baichuan-inc/Baichuan2-7B-Chat and Baichuan2-13B-Chat).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions, Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {llamaLike} from './llama.js'

// BaichuanConfig: vocab 125696, h 4096, ffn 11008, 32 layers, 32 heads (MHA), 4096 positions, untied.
const baichuanDefaults: Json = {vocab_size: 125696, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 4096}

// Each size ships its own modeling file: the 7B one rotates (RotaryEmbedding), the 13B one adds ALiBi biases.
// The config does not name it; vLLM (models/baichuan.py BaichuanForCausalLM) and llama.cpp tell them apart by
// hidden_size == 4096 (7B: RoPE; 13B, h 5120: ALiBi), as done here; Habana's port asks whether the config has
// max_position_embeddings (the 7B file does, the 13B file has model_max_length), which agrees on both releases.
function baichuanSpec(raw: Config, o: ImportOptions): ModelSpec {
  const alibi = raw.withDefaults(baichuanDefaults).int('hidden_size') !== 4096
  // The 13B file states its context as model_max_length (BaichuanConfig has no max_position_embeddings there).
  const context = raw.has('model_max_length') && !raw.has('max_position_embeddings') ? {max_position_embeddings: raw.int('model_max_length')} : {}
  const cfg = raw.withDefaults({...baichuanDefaults, ...context})
  // BaichuanAttention: W_pack (h, 3 h) and o_proj, no bias; MLP gate/up/down no bias; NormHead (vocab, h) is the
  // LM head (normalised at run time, the same weights). MHA: no num_key_value_heads.
  const spec = llamaLike(cfg, o, 'baichuan', {modelType: 'baichuan', tiedDefault: false, thetaDefault: 10000, attention: {biasKey: undefined}, rope: () => !alibi})
  if (alibi) spec.notes = ['ALiBi attention biases instead of RoPE (Baichuan2-13B modeling_baichuan.py): no weights, no cache']
  return spec
}

export const baichuan: Family = {
  baichuan: {
    keys: {
      used: [...core, 'model_max_length'],
      ignored: [...decoderIgnored, 'z_loss_weight', '_from_model_config'], // z_loss_weight: a training loss term
    },
    build: baichuanSpec,
  },
}
