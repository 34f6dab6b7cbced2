// Parameters of multimodal encoders and projectors, reported apart from the language model.
// Each formula follows the transformers module that builds it.
import type {EncoderSpec} from '../schema/model.js'

const linear = (inFeatures: number, outFeatures: number, bias: boolean) => inFeatures * outFeatures + (bias ? outFeatures : 0)

export function encoderParams(encoder: EncoderSpec): number {
  switch (encoder.kind) {
    case 'siglip': {
      // SiglipVisionTransformer (modeling_siglip.py): patch Conv2d with bias, learned positions for (image/patch)^2
      // patches, layers of LayerNorm x2 (weight+bias), q/k/v/out with bias, fc1/fc2 with bias; post_layernorm;
      // optional attention-pooling head (probe h, MultiheadAttention 4h^2+4h, LayerNorm 2h, MLP).
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c, imageSize} = encoder
      const embeddings = c * p * p * h + h + (imageSize / p) ** 2 * h
      const layer = 4 * linear(h, h, true) + linear(h, i, true) + linear(i, h, true) + 4 * h
      const head = encoder.poolingHead ? h + 4 * h * h + 4 * h + 2 * h + linear(h, i, true) + linear(i, h, true) : 0
      return embeddings + layers * layer + 2 * h + head
    }
    case 'pixtral': {
      // PixtralVisionModel (modeling_pixtral.py): patch_conv without bias, ln_pre RMSNorm, layers of attention_norm,
      // q/k/v/o without bias, gated feed_forward (gate, up, down) without bias, ffn_norm.
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c} = encoder
      return c * p * p * h + h + layers * (4 * h * h + 3 * h * i + 2 * h)
    }
    case 'qwen2_5_vl-vision': {
      // Qwen2_5_VisionTransformerPretrainedModel (modeling_qwen2_5_vl.py): patch_embed Conv3d(channels, h, (t, p, p))
      // without bias; blocks of norm1/norm2 RMSNorm(h), attn qkv Linear(h, 3h) and proj Linear(h, h) with bias, a gated
      // Qwen2_5_VLMLP (gate, up, down) with bias; merger Qwen2_5_VLPatchMerger: ln_q RMSNorm(h), Linear(h m^2, h m^2)
      // and Linear(h m^2, out_hidden_size), both with bias. Rotary embedding and window attention hold no weights.
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c, temporalPatchSize: t, spatialMergeSize: m, outHiddenSize: out} = encoder
      const block = 2 * h + linear(h, 3 * h, true) + linear(h, h, true) + 2 * linear(h, i, true) + linear(i, h, true)
      const merged = h * m * m
      return c * t * p * p * h + layers * block + h + linear(merged, merged, true) + linear(merged, out, true)
    }
    case 'qwen3_5-vision': {
      // Qwen3_5VisionModel (modeling_qwen3_5.py; Qwen3_5MoeVisionModel the same): patch_embed Conv3d(channels, h,
      // (t, p, p)) with bias; pos_embed Embedding(num_position_embeddings, h); blocks of norm1/norm2 LayerNorm(h)
      // (weight+bias), attn qkv Linear(h, 3h) and proj Linear(h, h) with bias, Qwen3_5VisionMLP linear_fc1 (h -> i)
      // and linear_fc2 (i -> h) with bias; merger Qwen3_5VisionPatchMerger (use_postshuffle_norm False): norm
      // LayerNorm(h), linear_fc1 (h m^2 -> h m^2) and linear_fc2 (h m^2 -> out_hidden_size) with bias. No deepstack
      // mergers; the rotary embedding holds no weights.
      // Qwen3VLVisionModel (modeling_qwen3_vl.py; Qwen3VLMoeVisionModel the same) adds deepstack_merger_list: one
      // Qwen3VLVisionPatchMerger(use_postshuffle_norm=True) per deepstack_visual_indexes entry, whose norm is
      // LayerNorm(h m^2) instead of LayerNorm(h).
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c, temporalPatchSize: t, spatialMergeSize: m, outHiddenSize: out, positionEmbeddings} = encoder
      const block = 4 * h + linear(h, 3 * h, true) + linear(h, h, true) + linear(h, i, true) + linear(i, h, true)
      const merged = h * m * m
      const deepstack = (encoder.deepstackMergers ?? 0) * (2 * merged + linear(merged, merged, true) + linear(merged, out, true))
      return c * t * p * p * h + h + positionEmbeddings * h + layers * block + 2 * h + linear(merged, merged, true) + linear(merged, out, true) + deepstack
    }
    case 'llama4-vision': {
      // Llama4VisionModel (modeling_llama4.py): unfold-conv linear without bias, class embedding, positions for
      // (image/patch)^2 + 1, layernorm_pre/post, layers with biased q/k/v/o and fc1/fc2 and two LayerNorms, and the
      // pixel-shuffle adapter MLP: fc1 (intermediate_size -> projector_input_dim), fc2 (out -> out), no bias.
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c, imageSize} = encoder
      const embeddings = c * p * p * h + h + ((imageSize / p) ** 2 + 1) * h
      const layer = 4 * linear(h, h, true) + linear(h, i, true) + linear(i, h, true) + 4 * h
      const adapter = i * encoder.projectorInputDim + encoder.projectorOutputDim ** 2
      return embeddings + 4 * h + layers * layer + adapter
    }
    case 'moonvit3d': {
      // MoonViT3dPretrainedModel (Moonshot modeling_kimi_k3.py; modeling_kimi_k25.py is its all-defaults case):
      // patch_embed.proj Conv2d(channels, h, p) (bias patch_embed_proj_bias), pos_emb.weight (height, width, h); blocks
      // of norm0/norm1 (LayerNorm weight+bias, or RMSNorm), wqkv Linear(h, 3q) and wo Linear(q, h) (bias attn_bias),
      // mlp fc0 Linear(h, i) and fc1 Linear(i, h) (bias linear_bias); encoder.final_layernorm. The time embedding and
      // the 2D rope are computed, not weights.
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c, qkvHiddenSize: q} = encoder
      const norm = encoder.norm === 'layernorm' ? 2 * h : h
      const block = 2 * norm + linear(h, 3 * q, encoder.attnBias) + linear(q, h, encoder.attnBias) + linear(h, i, encoder.linearBias) + linear(i, h, encoder.linearBias)
      return c * p * p * h + (encoder.patchEmbedBias ? h : 0) + encoder.posEmbHeight * encoder.posEmbWidth * h + layers * block + norm
    }
    case 'moonvit-projector': {
      // PatchMergerMLP: pre_norm LayerNorm(mm), Linear(m mm, m mm) and Linear(m mm, text) with biases.
      // PatchMergerMLPV2: the two Linears without bias, then post_norm RMSNorm(text).
      const merged = encoder.mmHiddenSize * encoder.mergedTokens
      const t = encoder.textHiddenSize
      return encoder.type === 'patchmerger'
        ? 2 * encoder.mmHiddenSize + linear(merged, merged, true) + linear(merged, t, true)
        : linear(merged, merged, false) + linear(merged, t, false) + t
    }
    case 'gemma4-vision': {
      // Gemma4VisionModel (modeling_gemma4.py): patch_embedder input_proj Linear(3 p^2, h) without bias and a
      // position_embedding_table (2, positions, h); layers of q/k/v/o without bias, q_norm and k_norm (head dim; v_norm
      // has no scale), a gated Gemma4VisionMLP and four RMSNorms (h); std_bias and std_scale buffers (h each) when
      // standardize; four clip scalars per Gemma4ClippableLinear when use_clipped_linears. The pooler holds no
      // weights. Gemma4MultimodalEmbedder (embed_vision): embedding_projection (h, text h), a norm without scale.
      const {hiddenSize: h, intermediateSize: i, layers, patchSize: p, channels: c, heads, kvHeads, headDim: d, positionEmbeddings, outHiddenSize} = encoder
      const clips = encoder.clippedLinears ? 4 * 7 : 0 // q, k, v, o, gate, up, down
      const layer = h * heads * d + 2 * h * kvHeads * d + heads * d * h + 2 * d + 3 * h * i + 4 * h + clips
      return c * p * p * h + 2 * positionEmbeddings * h + layers * layer + (encoder.standardize ? 2 * h : 0) + h * outHiddenSize
    }
    case 'gemma3-projector':
      // Gemma3MultiModalProjector: mm_input_projection_weight (vision_h, text_h) + mm_soft_emb_norm (vision_h).
      return encoder.visionHiddenSize * encoder.textHiddenSize + encoder.visionHiddenSize
    case 'mistral3-projector': {
      // Mistral3MultiModalProjector: norm (vision_h), patch_merger.merging_layer (vision_h * s^2 -> vision_h, no bias),
      // linear_1 (vision_h * feature layers -> text_h), linear_2 (text_h -> text_h), biases per multimodal_projector_bias.
      const {visionHiddenSize: v, textHiddenSize: t, spatialMergeSize: s, featureLayers, bias} = encoder
      return v + v * s * s * v + linear(v * featureLayers, t, bias) + linear(t, t, bias)
    }
    case 'llama4-projector':
      // Llama4MultiModalProjector: linear_1 (vision_output_dim -> text_h), bias hard-coded off.
      return encoder.visionOutputDim * encoder.textHiddenSize
    case 'gemma3n-audio': {
      // Gemma3nAudioEncoder (modeling_gemma3n.py @ 00aa0f5d): subsampling Conv2d stack without bias, each with a
      // CumulativeGroupNorm (channels), then input_proj_linear (channels x frequency bins left, D); per conformer block
      // two feed-forward modules (2 norms, D->4D, 4D->D), attention (2 norms, q/k/v/post and pos_proj D->D,
      // per_dim_scale of the head dim), light conv (2 norms, D->2D, depthwise D x kernel, D->D) and a final norm.
      const {hiddenSize: d, layers, heads, convKernel, subsampleChannels, subsampleKernels, subsampleStrides} = encoder
      if (subsampleKernels.length !== subsampleChannels.length || subsampleStrides.length !== subsampleChannels.length)
        throw new Error(`${encoder.name}: subsampling channels, kernels and strides must have one entry per conv`)
      let inChannels = 1
      let frequencyBins = encoder.inputFeatures
      let subsample = 0
      subsampleChannels.forEach((channels, i) => {
        const [kh, kw] = subsampleKernels[i]!
        subsample += inChannels * channels * kh * kw + channels
        frequencyBins = Math.floor((frequencyBins + 2 - kw) / subsampleStrides[i]![1]) + 1 // padded by 1 on each side
        inChannels = channels
      })
      subsample += inChannels * frequencyBins * d
      const feedForward = 2 * d + 2 * 4 * d * d
      const attention = 2 * d + 5 * d * d + d / heads
      const lightConv = 2 * d + 3 * d * d + d * convKernel
      return subsample + layers * (2 * feedForward + attention + lightConv + d)
    }
    case 'gemma4-audio': {
      // Gemma4AudioModel (modeling_gemma4.py @ c308a309), not Gemma 3n's encoder: subsample_conv_projection of two
      // Conv2d 3x3 stride 2 without bias, each with a LayerNorm without bias (channels), then input_proj_linear
      // ((c0 / 4) * c1 -> D) without bias; per Gemma4AudioLayer two Gemma4AudioFeedForward (pre/post norms, D->4D,
      // 4D->D), Gemma4AudioAttention (q/k/v/post D->D, relative_k_proj D->D, per_dim_scale of the head dim),
      // Gemma4AudioLightConv1d (pre/conv norms, linear_start D->2D, depthwise D x kernel without bias, linear_end
      // D->D) and norm_pre_attn, norm_post_attn, norm_out; output_proj (D -> output_proj_dims) with bias. The ten
      // Gemma4ClippableLinear of a layer store four 0-dim clip scalars each when use_clipped_linears (the softcap and
      // rel_pos_enc buffers are not persistent). Gemma4MultimodalEmbedder (embed_audio): embedding_projection
      // (output_proj_dims -> text h) without bias; its norm has no scale.
      const {hiddenSize: d, layers, heads, convKernel, outputDims, outHiddenSize} = encoder
      const [c0, c1] = encoder.subsampleChannels
      const clips = encoder.clippedLinears ? 4 * 10 : 0
      const subsample = 9 * c0 + c0 + c0 * c1 * 9 + c1 + Math.floor(c0 / 4) * c1 * d
      const feedForward = 2 * d + 2 * 4 * d * d
      const attention = 5 * d * d + Math.floor(d / heads) // head_dim = hidden_size // num_attention_heads
      const lightConv = 2 * d + 3 * d * d + d * convKernel
      return subsample + layers * (2 * feedForward + attention + lightConv + 3 * d + clips) + linear(d, outputDims, true) + outputDims * outHiddenSize
    }
    case 'gemma3n-embedder':
      // Gemma3nMultimodalEmbedder: embedding (vocab, Dm), hard/soft embedding norms (Dm each), embedding_projection
      // (Dm, text_h) without bias; the post-projection norm has no scale.
      return encoder.vocabSize * encoder.multimodalHiddenSize + 2 * encoder.multimodalHiddenSize + encoder.multimodalHiddenSize * encoder.textHiddenSize
  }
}

export const totalEncoderParams = (encoders: EncoderSpec[]) => encoders.reduce((sum, e) => sum + encoderParams(e), 0)
