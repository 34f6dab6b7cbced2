// Tensor names to archcost's parameter components, for the two naming schemes checkpoints use:
// Hugging Face transformers state dicts (model.layers.N.self_attn.q_proj.weight, ...) and llama.cpp GGUF
// (blk.N.attn_q.weight, ...; llama.cpp gguf-py/gguf/tensor_mapping.py). Vision/audio towers and projectors are
// encoders and multi-token-prediction layers are MTP: both are counted apart from the text model, as `params` does.
import {paramComponents, type ParamBreakdown, type ParamComponent} from '../calc/params.js'
import {addExact} from './common.js'

export type NamingScheme = 'hf' | 'gguf'

/** A buffer (causal mask, rotary inv_freq) some conversions save: computed by the model, never a parameter. */
export type TensorPlace = {kind: 'component'; component: ParamComponent} | {kind: 'mtp'} | {kind: 'encoder'} | {kind: 'buffer'} | {kind: 'unmapped'}

export interface MappingOptions {
  /** Decoder layers of the text model: layer indexes from here on are MTP layers when mtpLayers > 0. */
  textLayers: number
  /** MTP layers the preset says the checkpoint ships after the text layers (DeepSeek-V3: 1, layer 61). */
  mtpLayers: number
}

const component = (c: ParamComponent): TensorPlace => ({kind: 'component', component: c})
const unmapped: TensorPlace = {kind: 'unmapped'}
const buffer: TensorPlace = {kind: 'buffer'}

/** An ordered table: the first pattern that matches decides; a function place looks further into the name. */
type Rule = readonly [RegExp, TensorPlace | ((name: string) => TensorPlace)]
const firstMatch = (rules: readonly Rule[], name: string): TensorPlace => {
  for (const [pattern, place] of rules) if (pattern.test(name)) return typeof place === 'function' ? place(name) : place
  return unmapped
}

const hfEncoder = /(^|\.)(vision_tower|vision_model|vision_encoder|visual|multi_modal_projector|mm_projector|audio_tower|audio_model|audio_encoder|embed_vision|embed_audio)\./
const hfLayer = /(?:^|\.)(?:layers|h|blocks)\.(\d+)\.(.+)$/

/**
 * A token mixer's own tensors (after "self_attn.", "mixer.", "mamba.", ...): projections, convolutions, SSM A/D/dt
 * are `attention`; norms inside it (QK-norm, MLA latent norms, gated-DeltaNet/KDA/Mamba-2 output norms, Jamba's
 * dt/B/C norms) are norms, as params counts them; the DeepSeek-V3.2 DSA indexer and MiniMax-M3's MSA indexer are `other`,
 * their norms norms.
 */
function mixerPart(rest: string): TensorPlace {
  const inner = rest.split('.').slice(1, -1).join('.')
  if (/norm/.test(inner)) return component('norms')
  // DeepSeek-V4's KV compressor (and the indexer inside it) and MiniMax-M3's MSA indexer (self_attn.index_q_proj /
  // index_k_proj, SGLang minimax_m3.py) are `other` too, as params counts them.
  return component(/(^|\.)(indexer|compressor)(\.|$)/.test(inner) || /^index_[qk]_proj$/.test(inner) ? 'other' : 'attention')
}

/**
 * What sits inside an MLP/MoE container (after "mlp.", "feed_forward.", "block_sparse_moe.", "ffn.", or a
 * Nemotron-H MLP/MoE "mixer.").
 */
const hfFfnRules: readonly Rule[] = [
  // Routed experts: one module per expert (experts.N.gate_proj: Mixtral/Qwen-MoE/DeepSeek, experts.N.w1: PhiMoE,
  // Jamba), stacked (experts.gate_up_proj: Llama 4, gpt-oss; experts.mlp.w1/v1/w2: modeling_dbrx.py DbrxExperts),
  // or fused across experts (input_linear/output_linear: modeling_granitemoe.py GraniteMoeParallelExperts).
  [/^(experts\.|input_linear\.|output_linear\.)/, component('routedExperts')],
  // Kimi K3 latent MoE (KimiSparseMoeBlock): the projections into and out of the latent with the routed experts, its norm a norm.
  [/^routed_expert_(down|up)_proj\./, component('routedExperts')],
  [/^routed_expert_norm\./, component('norms')],
  // Shared experts: shared_expert(s) (Qwen2-MoE, DeepSeek, ERNIE-4.5-MoE, Bailing), shared_mlp (modeling_hunyuan.py).
  [/^(shared_experts?|shared_mlp|shared_expert_gate)\./, component('sharedExperts')],
  // Routers: gate (Mixtral, DeepSeek), gate.wg (modeling_hunyuan.py HunYuanTopKGate), router (Jamba, Llama 4),
  // router.layer (modeling_dbrx.py DbrxRouter, modeling_granitemoe.py GraniteMoeTopKGating); the expert score bias
  // (gate.e_score_correction_bias: DeepSeek-V3, dots1; gate.expert_bias: Bailing-V2; moe_statics.e_score_correction_bias:
  // modeling_ernie4_5_moe.py Ernie4_5_MoeStatics, gate.moe_statics.* under its newer Ernie4_5_MoeTopKRouter;
  // e_score_correction_bias beside the gate: MiniMax-M2).
  [/^(gate|router)\.(weight|bias|e_score_correction_bias|expert_bias)$|^(gate\.wg|router\.layer)\.weight$|^(gate\.)?(moe_statics\.)?e_score_correction_bias$|^gate\.tid2eid$/, component('router')],
  // Dense MLP projections: Llama gate/up/down, fused gate_up (Phi-3, GLM), GPT-2 c_fc/c_proj, EXAONE c_fc_0/c_fc_1
  // (modeling_exaone.py ExaoneGatedMLP), GPT-J fc_in/fc_out, BLOOM/Falcon/GPT-NeoX/ChatGLM dense_h_to_4h/dense_4h_to_h,
  // InternLM2/LFM2/Mixtral-style w1/w2/w3, MPT up/down, Phi fc1/fc2.
  [/^(gate_proj|up_proj|down_proj|gate_up_proj|fc1|fc2|fc_in|fc_out|c_fc|c_fc_0|c_fc_1|c_proj|w1|w2|w3|dense_h_to_4h|dense_4h_to_h)\./, component('denseFfn')],
  // Apertus XIELUActivation learnable scalars (modeling_apertus.py ApertusMLP.act_fn): counted with the dense MLP.
  [/^act_fn\.(alpha_p|alpha_n|beta|eps)$/, component('denseFfn')],
]

/** The module path inside one decoder layer (after "layers.N."), first match wins. */
const hfLayerRules: readonly Rule[] = [
  // Causal-mask and rotary buffers older conversions saved beside the weights (GPT-2/GPT-J attn.bias, GPT-NeoX
  // attention.bias/masked_bias, per-layer rotary_emb.inv_freq): computed by the model, not parameters.
  [/^(attn|attention|self_attn)\.(bias|masked_bias)$|(^|\.)rotary_emb\.inv_freq$/, buffer],
  // Gemma 3n AltUp (its router_norm included) and the per-layer input gate/projection: `other`, as params counts them.
  [/^(altup|per_layer_input_gate|per_layer_projection)\./, component('other')],
  [/^(attn_hc|ffn_hc)\./, component('other')], // DeepSeek-V4 hyper-connections (DeepseekV4HyperConnection)
  [/^laurel\..*norm/, component('norms')],
  [/^laurel\./, component('other')],
  // Zamba2 (modeling_zamba2.py Zamba2HybridLayer): linear (the per-invocation output projection), mamba_decoder (the
  // layer's own Zamba2MambaDecoderLayer) and shared_transformer, a shared Zamba2AttentionDecoderLayer. Its q/k/v and
  // gate_up_proj adapter lists are indexed by invocation (one adapter per hybrid layer, in the block it runs): `other`,
  // as params counts them; the rest of the block is an ordinary attention layer with an MLP.
  [/^shared_transformer\.(self_attn\.linear_[qkv]_adapter_list|feed_forward\.gate_up_proj_adapter_list)\./, component('other')],
  [/^(shared_transformer|mamba_decoder)\./, (rest) => firstMatch(hfLayerRules, rest.slice(rest.indexOf('.') + 1))],
  [/^linear\.weight$/, component('other')],
  // Kimi K3 attention residuals (KimiDecoderLayer): the pseudo-queries are `other`; their norms (*_res_norm) norms.
  [/^(self_attention|mlp)_res_proj\./, component('other')],
  // DBRX (modeling_dbrx.py DbrxBlock): norm_attn_norm.{norm_1, attn, norm_2}, ffn.{router, experts}.
  [/^norm_attn_norm\.attn\./, (rest) => mixerPart(rest.slice('norm_attn_norm.'.length))],
  [/^norm_attn_norm\.norm_\d\./, component('norms')],
  // Nemotron-H (modeling_nemotron_h.py NemotronHBlock): every block's module is "mixer", an attention, Mamba-2, MLP
  // (up_proj/down_proj) or MoE (experts, gate, shared_experts) one.
  [/^mixer\.(experts|shared_experts|gate|up_proj|down_proj)\./, (rest) => firstMatch(hfFfnRules, rest.slice('mixer.'.length))],
  [/^mixer\.fc[12]_latent_proj\./, component('routedExperts')], // latent MoE projections (Nemotron 3), as params counts them
  // Token mixers: attention (self_attn, attention: GPT-NeoX/InternLM2/Bailing, attn: GPT-2/GPT-J/MPT/EXAONE,
  // self_attention: BLOOM/Falcon/ChatGLM), linear attention (linear_attn), SSMs (mixer: Mamba/Mamba-2/Nemotron-H;
  // mamba: modeling_jamba.py, modeling_granitemoehybrid.py, modeling_falcon_h1.py), LFM2 short convolutions (conv).
  [/^(self_attn|attention|attn|linear_attn|mixer|self_attention|mamba|conv)\./, mixerPart],
  // Gemma 4 (modeling_gemma4.py Gemma4TextDecoderLayer): experts and router sit in the layer itself, beside mlp; the
  // router's scale and per_expert_scale are counted with it, the stored layer_scalar with the norms (as params counts them).
  [/^experts\./, component('routedExperts')],
  [/^router\.(proj\.weight|scale|per_expert_scale)$/, component('router')],
  [/^layer_scalar$/, component('norms')],
  // Layer norms, whatever their name: input_layernorm, ln_1, norm_1 (MPT), ln_attn/ln_mlp (Falcon-40B),
  // attention_norm/ffn_norm (InternLM2), operator_norm (LFM2), norm (Mamba), self_attn_layer_norm (OPT), ...
  [/^[^.]*norm[^.]*\.|^ln_/, component('norms')],
  // OPT (modeling_opt.py OPTDecoderLayer): fc1, fc2 sit in the layer itself.
  [/^(fc1|fc2)\./, component('denseFfn')],
  // Granite MoE shared / hybrid (modeling_granitemoeshared.py): shared_mlp beside block_sparse_moe. mapComponents
  // moves it to denseFfn in a layer without routed experts (Granite-4.0-H dense models).
  [/^shared_mlp\./, component('sharedExperts')],
  // Step 3.5 / 3.7 (modeling_step3p7.py Step3p7DecoderLayer; StepFun's checkpoints): moe.gate and moe.router_bias route,
  // moe.gate_proj/up_proj/down_proj are the routed experts packed [E, ...] (moe.experts.E.* one per expert), and
  // share_expert is the shared expert beside the MoE block.
  [/^moe\.(gate\.weight|router_bias)$/, component('router')],
  [/^moe\.(gate_proj|up_proj|down_proj|experts)\./, component('routedExperts')],
  [/^share_expert\./, component('sharedExperts')],
  [/^(mlp|feed_forward|block_sparse_moe|ffn)\./, (rest) => firstMatch(hfFfnRules, rest.slice(rest.indexOf('.') + 1))],
]

/** Tensors outside the decoder layers, matched on the whole name. */
const hfModelRules: readonly Rule[] = [
  [/(^|\.)rotary_emb\.inv_freq$/, buffer],
  // ChatGLM saves its rotary inv_freq (modeling_chatglm.py RotaryEmbedding, persistent buffer): `other`, as params.
  [/(^|\.)rotary_pos_emb\.inv_freq$/, component('other')],
  [/(^|\.)embed_tokens_per_layer\.weight$/, component('perLayerEmbedding')],
  // BLOOM word_embeddings_layernorm, LFM2 embedding_norm (modeling_lfm2.py Lfm2Model), Gemma 3n per_layer_projection_norm.
  [/(^|\.)(word_embeddings_layernorm|embedding_norm|per_layer_projection_norm)\.(weight|bias)$/, component('norms')],
  // Token and learned position embeddings: embed_tokens, wte/wpe (GPT-2, GPT-J, MPT, EXAONE, DBRX), word_embeddings
  // (BLOOM, Falcon, ChatGLM embedding.word_embeddings, Bailing), tok_embeddings (InternLM2), embed_in (GPT-NeoX),
  // embed_positions (OPT), embeddings (modeling_mamba.py / modeling_nemotron_h.py backbone.embeddings).
  [/(^|\.)(embed_tokens|wte|word_embeddings|tok_embeddings|wpe|embed_positions|position_embeddings|embed_in|embeddings)\.weight$/, component('embedding')],
  // LM heads: lm_head (with a bias: GPT-J, Phi-2, Phi-3.5-MoE), embed_out (GPT-NeoX), output_layer (ChatGLM),
  // output (modeling_internlm2.py InternLM2ForCausalLM).
  [/(^|\.)(lm_head|embed_out|output_layer)\.(weight|bias)$|^output\.weight$/, component('lmHead')],
  [/(^|\.)(project_in|project_out)\.weight$/, component('other')], // OPT-350m embedding projections
  // Kimi K3 (KimiLinearModel with attn_res_block_size): the output depth mix before the final norm.
  [/(^|\.)output_attn_res_norm\.weight$/, component('norms')],
  [/(^|\.)output_attn_res_proj\.weight$/, component('other')],
  [/(^|\.)hc_head\.(hc_fn|hc_base|hc_scale)$/, component('other')], // DeepSeek-V4 DeepseekV4HyperHead
  [/(^|\.)(per_layer_model_projection|altup_projections\.\d+|altup_unembed_projections\.\d+)\.weight$/, component('other')],
  // Final norms: norm, ln_f, final_layernorm (ChatGLM encoder.final_layernorm, Phi, Jamba, Falcon-H1),
  // final_layer_norm (OPT, GPT-NeoX), norm_f (MPT, DBRX, Mamba).
  [/(^|\.)(norm|ln_f|final_layernorm|final_layer_norm|final_norm|norm_f)\.(weight|bias)$/, component('norms')],
]

/** Where one Hugging Face tensor goes. */
export function placeHfTensor(name: string, options: MappingOptions): TensorPlace {
  if (hfEncoder.test(name)) return {kind: 'encoder'}
  if (/^(model\.)?mtp\./.test(name)) return {kind: 'mtp'} // Qwen3-Next mtp.*
  const layer = hfLayer.exec(name)
  if (layer) {
    const index = Number(layer[1])
    if (index >= options.textLayers && index < options.textLayers + options.mtpLayers) return {kind: 'mtp'} // DeepSeek-V3 model.layers.61
    return firstMatch(hfLayerRules, layer[2]!)
  }
  return firstMatch(hfModelRules, name)
}

/** The tensor name inside one GGUF block (after "blk.N.", without .weight/.bias), llama-arch.cpp LLM_TENSOR_NAMES. */
const ggufBlockRules: readonly Rule[] = [
  [/^nextn\./, {kind: 'mtp'}],
  [/^altup_|^laurel_(l|r)$|^inp_gate$|^proj$/, component('other')], // Gemma 3n
  [/^indexer\..*norm/, component('norms')], // DeepSeek-V3.2 DSA indexer
  [/^indexer\./, component('other')],
  [/norm/, component('norms')], // attn_norm, ffn_norm, attn_q_norm, ssm_norm, ssm_dt_norm, layer_out_norm, ...
  [/^(attn|ffn)_res_proj$/, component('other')], // Kimi K3 attention-residual pseudo-queries, `other` as params counts them
  [/^attn_compressor_|^hc_(attn|ffn)_/, component('other')], // DeepSeek-V4 KV compressor and hyper-connections (gguf-mix.ts names)
  // Attention, SSM (ssm_in, ssm_conv1d, ssm_x, ssm_dt, ssm_a, ssm_d, ssm_out), RWKV time mix, LFM2 shortconv.*.
  [/^(attn_|ssm_|time_mix_|shortconv\.)/, component('attention')],
  // Zamba2's per-invocation adapters and output projection (gguf-mix.ts names: shared_ffn_adapter_a, shared_q_adapter_b,
  // shared_out; llama.cpp has no zamba2 architecture): `other`, as params counts them.
  [/^shared_/, component('other')],
  [/^ffn_(gate_inp_shexp|[a-z_]+_shexp)$/, component('sharedExperts')],
  [/^ffn_gate_inp$|^exp_probs_b$|^ffn_gate_tid2eid$/, component('router')],
  // Stacked experts (ffn_gate_exps, ffn_gate_up_exps, ffn_*_chexps) and the old one-tensor-per-expert ffn_gate.E.
  [/^ffn_[a-z_]+_(exps|chexps)$|^ffn_(gate|up|down)\.\d+$/, component('routedExperts')],
  [/^ffn_latent_(down|up)$/, component('routedExperts')], // latent MoE projections (Nemotron 3), counted with the routed experts
  [/^ffn_(gate|up|down)$/, component('denseFfn')],
  [/^ffn_act_xielu$/, component('denseFfn')], // Apertus xIELU scalars, as gguf-mix.ts enumerates them
  [/^layer_output_scale$/, component('norms')], // Gemma 4 layer_scalar (LLM_TENSOR_LAYER_OUT_SCALE)
]

/** Model-level GGUF tensors (stem without .weight/.bias). */
const ggufModelRules: readonly Rule[] = [
  [/^(token_embd|pos_embd|position_embd)$/, component('embedding')],
  [/^per_layer_token_embd$/, component('perLayerEmbedding')],
  [/^output$/, component('lmHead')], // output.weight and output.bias (GPT-J, Phi-2, Phi-3.5-MoE)
  // ChatGLM's saved inv_freq is written as rope_freqs (gguf-py tensor_mapping.py ROPE_FREQS); params counts it `other`.
  [/^rope_freqs$/, component('other')],
  [/^output_res_proj$/, component('other')], // Kimi K3 attention-residual output pseudo-query
  [/^(per_layer_model_proj|altup_proj|altup_unembd_proj)$/, component('other')],
  [/^(proj_in|proj_out)$/, component('other')], // OPT-350m embedding projections (gguf-mix.ts names)
  [/^hc_head_/, component('other')], // DeepSeek-V4 hyper-connection head (gguf-mix.ts names)
  // Zamba2's weight-shared blocks, once each (gguf-mix.ts shared.<b>.attn_q, ...): named as a block's tensors are.
  [/^shared\.\d+\./, (stem) => firstMatch(ggufBlockRules, stem.replace(/^shared\.\d+\./, ''))],
  [/norm/, component('norms')], // output_norm, token_embd_norm (BLOOM), per_layer_proj_norm
]

/** Where one GGUF tensor goes. mmproj files (v.*, mm.*, a.*) are encoders. */
export function placeGgufTensor(name: string, options: MappingOptions): TensorPlace {
  if (/^(v|mm|a)\./.test(name)) return {kind: 'encoder'}
  // llama.cpp gemma4 writes Gemma4TextRouter.per_expert_scale as ffn_down_exps.scale: a router tensor, as params counts it.
  if (/^blk\.\d+\.ffn_down_exps\.scale$/.test(name) && !(Number(/^blk\.(\d+)\./.exec(name)![1]) >= options.textLayers)) return component('router')
  const stem = name.replace(/\.(weight|bias|scale)$/, '')
  const block = /^blk\.(\d+)\.(.+)$/.exec(stem)
  if (block) {
    const index = Number(block[1])
    if (index >= options.textLayers && index < options.textLayers + options.mtpLayers) return {kind: 'mtp'}
    return firstMatch(ggufBlockRules, block[2]!)
  }
  return firstMatch(ggufModelRules, stem)
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

/** The decoder layer a tensor belongs to ("h:3", "gguf:3"), or null for model-level tensors. */
const layerKey = (scheme: NamingScheme, name: string): string | null => {
  const m = scheme === 'hf' ? hfLayer.exec(name) : /^blk\.(\d+)\./.exec(name)
  return m ? m[1]! : null
}

/**
 * Sums the parameters of each place; tensors with no parameters (scales) and buffers are skipped. A shared MLP in a
 * layer without routed experts or a router is that layer's dense MLP (Granite-4.0-H dense models: shared_mlp with
 * num_local_experts 0, modeling_granitemoehybrid.py), and a dense MLP in a layer with them a shared expert (Gemma 4),
 * as params counts them.
 */
export function mapComponents(scheme: NamingScheme, tensors: readonly {name: string; params: number}[], options: MappingOptions): ComponentMapping {
  const breakdown: Partial<ParamBreakdown> = {}
  const mtp: Apart = {params: 0, tensors: []}
  const encoders: Apart = {params: 0, tensors: []}
  const unmappedApart: Apart = {params: 0, tensors: []}
  const routedLayers = new Set<string>()
  const sharedByLayer = new Map<string, number>()
  const denseByLayer = new Map<string, number>()
  let textParams = 0
  for (const tensor of tensors) {
    if (tensor.params === 0) continue
    const place = placeTensor(scheme, tensor.name, options)
    if (place.kind === 'buffer') continue
    const apart = place.kind === 'mtp' ? mtp : place.kind === 'encoder' ? encoders : place.kind === 'unmapped' ? unmappedApart : null
    if (apart) {
      apart.params = addExact(apart.params, tensor.params, tensor.name)
      apart.tensors.push(tensor.name)
    }
    if (place.kind === 'component') {
      breakdown[place.component] = addExact(breakdown[place.component] ?? 0, tensor.params, tensor.name)
      const layer = layerKey(scheme, tensor.name)
      if (layer !== null && (place.component === 'routedExperts' || place.component === 'router')) routedLayers.add(layer)
      if (layer !== null && place.component === 'sharedExperts') sharedByLayer.set(layer, addExact(sharedByLayer.get(layer) ?? 0, tensor.params, tensor.name))
      if (layer !== null && place.component === 'denseFfn') denseByLayer.set(layer, addExact(denseByLayer.get(layer) ?? 0, tensor.params, tensor.name))
    }
    if (place.kind === 'component' || place.kind === 'unmapped') textParams = addExact(textParams, tensor.params, tensor.name)
  }
  for (const [layer, params] of sharedByLayer) {
    if (routedLayers.has(layer)) continue
    breakdown.sharedExperts = breakdown.sharedExperts! - params
    breakdown.denseFfn = addExact(breakdown.denseFfn ?? 0, params, `layer ${layer} shared MLP`)
  }
  // A dense MLP beside routed experts in the same layer runs for every token (Gemma 4 mlp beside experts): params
  // counts it as an always-on shared expert.
  for (const [layer, params] of denseByLayer) {
    if (!routedLayers.has(layer)) continue
    breakdown.denseFfn = breakdown.denseFfn! - params
    breakdown.sharedExperts = addExact(breakdown.sharedExperts ?? 0, params, `layer ${layer} MLP beside the experts`)
  }
  if (breakdown.denseFfn === 0) delete breakdown.denseFfn
  if (breakdown.sharedExperts === 0) delete breakdown.sharedExperts
  // Keep the breakdown in archcost's component order.
  const ordered: Partial<ParamBreakdown> = {}
  for (const key of paramComponents) if (breakdown[key] !== undefined) ordered[key] = breakdown[key]
  return {breakdown: ordered, mtp, encoders, unmapped: unmappedApart, textParams}
}
