// Tensor names to archcost's parameter components, for the two naming schemes checkpoints use:
// Hugging Face transformers state dicts (model.layers.N.self_attn.q_proj.weight, ...) and llama.cpp GGUF
// (blk.N.attn_q.weight, ...; llama.cpp gguf-py/gguf/tensor_mapping.py). Vision/audio towers and projectors are
// encoders and multi-token-prediction layers are MTP: both are counted apart from the text model, as `params` does.
import {paramComponents, type ParamBreakdown, type ParamComponent} from '../calc/params.js'
import {addExact} from './common.js'

export type NamingScheme = 'hf' | 'gguf'

export type TensorPlace = {kind: 'component'; component: ParamComponent} | {kind: 'mtp'} | {kind: 'encoder'} | {kind: 'unmapped'}

export interface MappingOptions {
  /** Decoder layers of the text model: layer indexes from here on are MTP layers when mtpLayers > 0. */
  textLayers: number
  /** MTP layers the preset says the checkpoint ships after the text layers (DeepSeek-V3: 1, layer 61). */
  mtpLayers: number
}

const component = (c: ParamComponent): TensorPlace => ({kind: 'component', component: c})
const unmapped: TensorPlace = {kind: 'unmapped'}

const hfEncoder = /(^|\.)(vision_tower|vision_model|vision_encoder|visual|multi_modal_projector|mm_projector|audio_tower|audio_model|audio_encoder|embed_vision|embed_audio)\./
const hfLayer = /(?:^|\.)(?:layers|h|blocks)\.(\d+)\.(.+)$/

/** The module path inside one decoder layer (after "layers.N."). */
function hfLayerPart(rest: string): TensorPlace {
  const [first = ''] = rest.split('.')
  // Gemma 3n AltUp (its router_norm included) and the per-layer input gate/projection: `other`, as params counts them.
  if (first === 'altup' || first === 'per_layer_input_gate' || first === 'per_layer_projection') return component('other')
  if (first === 'laurel') return component(/norm/.test(rest) ? 'norms' : 'other')
  if (/^(self_attn|attention|attn|linear_attn|mixer|self_attention)$/.test(first)) {
    // QK-norm, MLA latent norms (q_a_layernorm, kv_a_layernorm), gated-DeltaNet/KDA output norms are norms;
    // the DeepSeek-V3.2 DSA indexer (self_attn.indexer.wq_b/wk/weights_proj) is `other`, its k_norm a norm.
    const inner = rest.split('.').slice(1, -1).join('.')
    if (/norm/.test(inner)) return component('norms')
    return component(/(^|\.)indexer(\.|$)/.test(inner) ? 'other' : 'attention')
  }
  if (/norm|^ln_/.test(first)) return component('norms')
  if (/^(fc1|fc2)$/.test(first)) return component('denseFfn') // OPTDecoderLayer.fc1, fc2 sit in the layer itself
  const ffn = /^(mlp|feed_forward|block_sparse_moe|ffn)\.(.+)$/.exec(rest)
  if (ffn) {
    const sub = ffn[2]!
    if (/^experts\./.test(sub)) return component('routedExperts')
    if (/^(shared_experts?|shared_mlp|shared_expert_gate)\./.test(sub)) return component('sharedExperts')
    if (/^(gate|router)\.(weight|bias|e_score_correction_bias)$/.test(sub)) return component('router')
    if (/^(gate_proj|up_proj|down_proj|gate_up_proj|fc1|fc2|fc_in|fc_out|c_fc|c_proj|w1|w2|w3|dense_h_to_4h|dense_4h_to_h)\./.test(sub)) return component('denseFfn')
    return unmapped
  }
  return unmapped
}

/** Where one Hugging Face tensor goes. */
export function placeHfTensor(name: string, options: MappingOptions): TensorPlace {
  if (hfEncoder.test(name)) return {kind: 'encoder'}
  if (/^(model\.)?mtp\./.test(name)) return {kind: 'mtp'} // Qwen3-Next mtp.*
  const layer = hfLayer.exec(name)
  if (layer) {
    const index = Number(layer[1])
    if (index >= options.textLayers && index < options.textLayers + options.mtpLayers) return {kind: 'mtp'} // DeepSeek-V3 model.layers.61
    return hfLayerPart(layer[2]!)
  }
  if (/(^|\.)embed_tokens_per_layer\.weight$/.test(name)) return component('perLayerEmbedding')
  if (/(^|\.)(embed_tokens|wte|word_embeddings|tok_embeddings|wpe|embed_positions|position_embeddings|embed_in)\.weight$/.test(name)) return component('embedding')
  if (/(^|\.)(lm_head|embed_out)\.(weight|bias)$/.test(name)) return component('lmHead') // GPT-J and Phi-2 heads have a bias
  if (/(^|\.)(project_in|project_out)\.weight$/.test(name)) return component('other') // OPT-350m embedding projections
  if (/(^|\.)word_embeddings_layernorm\.(weight|bias)$/.test(name)) return component('norms') // BLOOM
  if (/(^|\.)(per_layer_projection_norm)\.weight$/.test(name)) return component('norms')
  if (/(^|\.)(per_layer_model_projection|altup_projections\.\d+|altup_unembed_projections\.\d+)\.weight$/.test(name)) return component('other')
  if (/(^|\.)(norm|ln_f|final_layernorm|final_layer_norm|final_norm|norm_f)\.(weight|bias)$/.test(name)) return component('norms')
  return unmapped
}

/** The tensor name inside one GGUF block (after "blk.N."), without .weight/.bias. */
function ggufBlockPart(part: string): TensorPlace {
  if (/^nextn\./.test(part)) return {kind: 'mtp'}
  if (/^altup_|^laurel_(l|r)$|^inp_gate$|^proj$/.test(part)) return component('other')
  if (/^indexer\./.test(part)) return component(/norm/.test(part) ? 'norms' : 'other') // DeepSeek-V3.2 DSA indexer
  if (/norm/.test(part)) return component('norms')
  if (/^(attn_|ssm_|time_mix_)/.test(part)) return component('attention')
  if (/^ffn_(gate_inp_shexp|[a-z_]+_shexp)$/.test(part)) return component('sharedExperts')
  if (/^ffn_gate_inp$|^exp_probs_b$/.test(part)) return component('router')
  if (/^ffn_[a-z_]+_exps$/.test(part)) return component('routedExperts')
  if (/^ffn_(gate|up|down)$/.test(part)) return component('denseFfn')
  return unmapped
}

/** Where one GGUF tensor goes. mmproj files (v.*, mm.*, a.*) are encoders. */
export function placeGgufTensor(name: string, options: MappingOptions): TensorPlace {
  if (/^(v|mm|a)\./.test(name)) return {kind: 'encoder'}
  const stem = name.replace(/\.(weight|bias|scale)$/, '')
  const block = /^blk\.(\d+)\.(.+)$/.exec(stem)
  if (block) {
    const index = Number(block[1])
    if (index >= options.textLayers && index < options.textLayers + options.mtpLayers) return {kind: 'mtp'}
    return ggufBlockPart(block[2]!)
  }
  if (stem === 'token_embd' || stem === 'pos_embd') return component('embedding')
  if (stem === 'per_layer_token_embd') return component('perLayerEmbedding')
  if (stem === 'output') return component('lmHead')
  if (stem === 'per_layer_model_proj' || stem === 'altup_proj' || stem === 'altup_unembd_proj') return component('other')
  if (stem === 'proj_in' || stem === 'proj_out') return component('other') // OPT-350m embedding projections (gguf-mix.ts names)
  if (/norm/.test(stem)) return component('norms')
  return unmapped
}

export const placeTensor = (scheme: NamingScheme, name: string, options: MappingOptions): TensorPlace =>
  scheme === 'hf' ? placeHfTensor(name, options) : placeGgufTensor(name, options)

export interface Apart {
  params: number
  tensors: string[]
}

export interface ComponentMapping {
  /** Text-model parameters per component, from the tensors that map to one (zero components left out). */
  breakdown: Partial<ParamBreakdown>
  mtp: Apart
  encoders: Apart
  /** Tensors of no known component; still text-model tensors, so they count in textParams. */
  unmapped: Apart
  /** Every text-model tensor: the components plus the unmapped ones. */
  textParams: number
}

/** Sums the parameters of each place; tensors with no parameters (scales, buffers) are skipped. */
export function mapComponents(scheme: NamingScheme, tensors: readonly {name: string; params: number}[], options: MappingOptions): ComponentMapping {
  const breakdown: Partial<ParamBreakdown> = {}
  const mtp: Apart = {params: 0, tensors: []}
  const encoders: Apart = {params: 0, tensors: []}
  const unmappedApart: Apart = {params: 0, tensors: []}
  let textParams = 0
  for (const tensor of tensors) {
    if (tensor.params === 0) continue
    const place = placeTensor(scheme, tensor.name, options)
    const apart = place.kind === 'mtp' ? mtp : place.kind === 'encoder' ? encoders : place.kind === 'unmapped' ? unmappedApart : null
    if (apart) {
      apart.params = addExact(apart.params, tensor.params, tensor.name)
      apart.tensors.push(tensor.name)
    }
    if (place.kind === 'component') breakdown[place.component] = addExact(breakdown[place.component] ?? 0, tensor.params, tensor.name)
    if (place.kind === 'component' || place.kind === 'unmapped') textParams = addExact(textParams, tensor.params, tensor.name)
  }
  // Keep the breakdown in archcost's component order.
  const ordered: Partial<ParamBreakdown> = {}
  for (const key of paramComponents) if (breakdown[key] !== undefined) ordered[key] = breakdown[key]
  return {breakdown: ordered, mtp, encoders, unmapped: unmappedApart, textParams}
}
