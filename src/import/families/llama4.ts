// Llama 4 (Llama4TextConfig, and its multimodal wrapper Llama4Config; configuration_llama4.py).
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {core, decoderIgnored, type Family, routerIgnored} from '../family.js'
import {groupLayers, type LayerSpec, ropeLayers} from '../layers.js'
import {base, moeBlock, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

function llama4Spec(cfg: Config, o: ImportOptions, outer: Config): ModelSpec {
  // Llama4TextConfig: no_rope_layers default [(i+1) % 4 != 0] (1 = RoPE); RoPE layers use chunked attention
  // (attention_chunk_size 8192), NoPE layers global; moe_layers default every interleave_moe_layer_step-th layer;
  // dense layers use intermediate_size_mlp; one shared expert of intermediate_size; L2 QK-norm has no weights.
  const layers = cfg.int('num_hidden_layers')
  const useRope = ropeLayers(cfg, layers)
  const step = cfg.int('interleave_moe_layer_step', 1)
  const moeLayers = new Set(cfg.intList('moe_layers', Array.from({length: Math.ceil((layers - (step - 1)) / step)}, (_, k) => step - 1 + k * step)))
  const chunk = cfg.int('attention_chunk_size', 8192)
  const perLayer: LayerSpec[] = Array.from({length: layers}, (_, i) => {
    const rope = useRope(i)
    return rope ? {mixer: 'chunked', windowTokens: chunk, rope, ffn: moeLayers.has(i) ? 'moe' : 'dense'} : {mixer: 'full', rope, ffn: moeLayers.has(i) ? 'moe' : 'dense'}
  })
  const expertWidth = cfg.int('intermediate_size', 8192)
  return {
    ...base(cfg, o, 'llama4', 'llama4_text', outer),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, false, 202048),
    attention: standardAttention(cfg, {headDimDefault: 128, biasKey: 'attention_bias', kvHeadsDefault: 8}),
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: cfg.int('intermediate_size_mlp', 16384), bias: false},
    moe: moeBlock(cfg.int('num_local_experts', 16), cfg.int('num_experts_per_tok', 1), expertWidth, {sharedExperts: 1, sharedIntermediateSize: expertWidth}),
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 500000),
    layerGroups: groupLayers(perLayer),
  }
}

export const llama4: Family = {
  // Llama4TextConfig; use_qk_norm is an L2 norm without weights.
  llama4_text: {
    keys: {
      used: [...core, 'attention_bias', 'intermediate_size_mlp', 'num_local_experts', 'num_experts_per_tok', 'interleave_moe_layer_step', 'moe_layers', 'no_rope_layers', 'no_rope_layer_interval', 'attention_chunk_size'],
      // for_llm_compressor: per-expert nn.Linear modules in place of the fused expert tensors (same parameters; quantized checkpoints store them so)
      ignored: [...decoderIgnored, ...routerIgnored, 'use_qk_norm', 'attn_temperature_tuning', 'floor_scale', 'attn_scale', 'for_llm_compressor'],
    },
    build: llama4Spec,
  },
  // Llama4Config (wrapper)
  llama4: {keys: {used: ['text_config', 'vision_config'], ignored: ['boi_token_index', 'eoi_token_index', 'image_token_index']}, textType: 'llama4_text'},
}
