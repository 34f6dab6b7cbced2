// Multimodal encoders from a wrapper config's vision_config (and defaults of its config class).
import {UserError} from '../errors.js'
import type {EncoderSpec} from '../schema/model.js'

type Json = Record<string, unknown>

interface ConfigView {
  raw: Json
  where: string
}

function section(outer: ConfigView, key: string): Json | null {
  const value = outer.raw[key]
  if (value === undefined || value === null) return null
  if (typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${outer.where}: "${key}" must be an object`)
  return value as Json
}

function intOf(obj: Json, key: string, fallback: number | undefined, where: string): number {
  const value = obj[key] ?? fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new UserError(`${where}: "${key}" must be a positive integer, found ${JSON.stringify(value)}`)
  return value
}

function intList(obj: Json, key: string, fallback: number[], where: string): number[] {
  const value = obj[key] ?? fallback
  if (!Array.isArray(value) || value.length === 0 || !value.every((x) => Number.isSafeInteger(x) && x > 0))
    throw new UserError(`${where}: "${key}" must be a list of positive integers, found ${JSON.stringify(value)}`)
  return value as number[]
}

function pairList(obj: Json, key: string, fallback: [number, number][], where: string): [number, number][] {
  const value = obj[key] ?? fallback
  if (!Array.isArray(value) || value.length === 0 || !value.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => Number.isSafeInteger(x) && x > 0)))
    throw new UserError(`${where}: "${key}" must be a list of [height, width] pairs of positive integers, found ${JSON.stringify(value)}`)
  return value as [number, number][]
}

/** Llama4VisionConfig defaults (configuration_llama4.py), used when a config has no vision_config. */
const llama4VisionDefaults = {hidden_size: 768, num_hidden_layers: 34, intermediate_size: 5632, vision_output_dim: 7680, image_size: 448, patch_size: 14, num_channels: 3, projector_input_dim: 4096, projector_output_dim: 4096}

function boolOf(obj: Json, key: string, fallback: boolean, where: string): boolean {
  const value = obj[key] ?? fallback
  if (typeof value !== 'boolean') throw new UserError(`${where}: "${key}" must be true or false, found ${JSON.stringify(value)}`)
  return value
}

function strOf(obj: Json, key: string, fallback: string, where: string): string {
  const value = obj[key] ?? fallback
  if (typeof value !== 'string') throw new UserError(`${where}: "${key}" must be a string, found ${JSON.stringify(value)}`)
  return value
}

// The MoonViT3d variants Moonshot's modeling code builds; another value of these keys raises NotImplementedError there.
const moonVitBuilt: Record<string, string> = {pos_emb_type: 'divided_fixed', mlp_type: 'mlp2', merge_type: 'sd2_tpool'}

/** Kimi K2.5 / K3 vision_config: the MoonViT3d tower and its patch-merger projector (Moonshot modeling_kimi_k3.py). */
function moonVit(v: Json, where: string, textHidden: number): ImportedEncoders {
  for (const [key, built] of Object.entries(moonVitBuilt)) {
    const value = strOf(v, key, built, where)
    if (value !== built) return {encoders: [], notes: [`vision_config ${key} "${value}" is not a MoonViT3d variant archcost counts (only "${built}"): the vision tower and its projector are not counted`]}
  }
  const norm = strOf(v, 'norm_type', 'layernorm', where)
  if (norm !== 'layernorm' && norm !== 'rmsnorm') throw new UserError(`${where}: "norm_type" must be "layernorm" or "rmsnorm" (MoonViTEncoderLayer), found "${norm}"`)
  const projector = strOf(v, 'mm_projector_type', 'patchmerger', where)
  const hidden = intOf(v, 'vt_hidden_size', undefined, where)
  const [kh, kw] = intList(v, 'merge_kernel_size', [2, 2], where)
  if (kw === undefined) throw new UserError(`${where}: "merge_kernel_size" must be [height, width]`)
  const tower: EncoderSpec = {
    kind: 'moonvit3d',
    name: 'vision',
    hiddenSize: hidden,
    intermediateSize: intOf(v, 'vt_intermediate_size', undefined, where),
    layers: intOf(v, 'vt_num_hidden_layers', undefined, where),
    patchSize: intOf(v, 'patch_size', 14, where),
    channels: 3, // MoonVision3dPatchEmbed in_dim
    qkvHiddenSize: v.qkv_hidden_size === undefined || v.qkv_hidden_size === null ? hidden : intOf(v, 'qkv_hidden_size', undefined, where),
    norm,
    attnBias: boolOf(v, 'attn_bias', true, where),
    linearBias: boolOf(v, 'linear_bias', true, where),
    patchEmbedBias: boolOf(v, 'patch_embed_proj_bias', true, where),
    posEmbHeight: intOf(v, 'init_pos_emb_height', undefined, where),
    posEmbWidth: intOf(v, 'init_pos_emb_width', undefined, where),
  }
  if (projector !== 'patchmerger' && projector !== 'patchmergerv2')
    return {encoders: [tower], notes: [`vision_config mm_projector_type "${projector}" is not counted (only patchmerger and patchmergerv2)`]}
  const mm = intOf(v, 'mm_hidden_size', hidden, where)
  const text = intOf(v, 'text_hidden_size', textHidden, where)
  return {encoders: [tower, {kind: 'moonvit-projector', name: 'projector', type: projector, mmHiddenSize: mm, mergedTokens: kh! * kw, textHiddenSize: text}], notes: []}
}

export interface ImportedEncoders {
  encoders: EncoderSpec[]
  notes: string[]
}

export function encodersFromHfConfig(outer: ConfigView, modelType: string): ImportedEncoders {
  const text = section(outer, 'text_config') ?? {}
  const where = `${outer.where}.vision_config`
  switch (modelType) {
    case 'gemma3': {
      // Gemma3Config: vision_config is a SiglipVisionConfig; vision_use_head absent means True (SiglipVisionTransformer).
      const v = section(outer, 'vision_config')
      if (!v) return {encoders: [], notes: ['the config has no vision_config: encoders not counted']}
      const hidden = intOf(v, 'hidden_size', 1152, where)
      return {
        encoders: [
          {
            kind: 'siglip',
            name: 'vision',
            hiddenSize: hidden,
            intermediateSize: intOf(v, 'intermediate_size', 4304, where),
            layers: intOf(v, 'num_hidden_layers', 27, where),
            patchSize: intOf(v, 'patch_size', 14, where),
            channels: intOf(v, 'num_channels', 3, where),
            imageSize: intOf(v, 'image_size', 896, where),
            poolingHead: v.vision_use_head === undefined ? true : Boolean(v.vision_use_head),
          },
          {kind: 'gemma3-projector', name: 'projector', visionHiddenSize: hidden, textHiddenSize: intOf(text, 'hidden_size', 2304, `${outer.where}.text_config`)},
        ],
        notes: [],
      }
    }
    case 'mistral3': {
      // Mistral3Config: vision_config is a PixtralVisionConfig; vision_feature_layer an int (one layer) or a list.
      const v = section(outer, 'vision_config')
      if (!v) return {encoders: [], notes: ['the config has no vision_config: encoders not counted']}
      const hidden = intOf(v, 'hidden_size', 1024, where)
      const featureLayer = outer.raw.vision_feature_layer ?? -1
      return {
        encoders: [
          {
            kind: 'pixtral',
            name: 'vision',
            hiddenSize: hidden,
            intermediateSize: intOf(v, 'intermediate_size', 4096, where),
            layers: intOf(v, 'num_hidden_layers', 24, where),
            patchSize: intOf(v, 'patch_size', 16, where),
            channels: intOf(v, 'num_channels', 3, where),
          },
          {
            kind: 'mistral3-projector',
            name: 'projector',
            visionHiddenSize: hidden,
            textHiddenSize: intOf(text, 'hidden_size', 4096, `${outer.where}.text_config`),
            spatialMergeSize: intOf(outer.raw, 'spatial_merge_size', 2, outer.where),
            featureLayers: Array.isArray(featureLayer) ? featureLayer.length : 1,
            bias: outer.raw.multimodal_projector_bias === undefined ? true : Boolean(outer.raw.multimodal_projector_bias),
          },
        ],
        notes: [],
      }
    }
    case 'llama4': {
      // Llama4Config: a missing vision_config becomes Llama4VisionConfig() with its class defaults.
      const given = section(outer, 'vision_config')
      const v: Json = {...llama4VisionDefaults, ...(given ?? {})}
      const notes = given
        ? []
        : [
            'this config has no vision_config, so the vision encoder is counted with Llama4VisionConfig class defaults (hidden 768, image 448, output 7680), as transformers would build it; the published checkpoint has a larger tower (hidden 1408, image 336), so encoderParams is only indicative',
          ]
      return {
        encoders: [
          {
            kind: 'llama4-vision',
            name: 'vision',
            hiddenSize: intOf(v, 'hidden_size', undefined, where),
            intermediateSize: intOf(v, 'intermediate_size', undefined, where),
            layers: intOf(v, 'num_hidden_layers', undefined, where),
            patchSize: intOf(v, 'patch_size', undefined, where),
            channels: intOf(v, 'num_channels', undefined, where),
            imageSize: intOf(v, 'image_size', undefined, where),
            projectorInputDim: intOf(v, 'projector_input_dim', undefined, where),
            projectorOutputDim: intOf(v, 'projector_output_dim', undefined, where),
          },
          {kind: 'llama4-projector', name: 'projector', visionOutputDim: intOf(v, 'vision_output_dim', undefined, where), textHiddenSize: intOf(text, 'hidden_size', 5120, `${outer.where}.text_config`)},
        ],
        notes,
      }
    }
    case 'qwen2_5_vl': {
      // Qwen2_5_VLConfig: vision_config is a Qwen2_5_VLVisionConfig (depth 32, hidden 3584, intermediate 3420, 16 heads,
      // 3 channels, patch 14, temporal 2, merge 2, out_hidden_size 3584 by default); the in_chans of older files is not
      // one of its keys (in_channels is).
      const v = section(outer, 'vision_config')
      if (!v) return {encoders: [], notes: ['the config has no vision_config: encoders not counted']}
      return {
        encoders: [
          {
            kind: 'qwen2_5_vl-vision',
            name: 'vision',
            hiddenSize: intOf(v, 'hidden_size', 3584, where),
            intermediateSize: intOf(v, 'intermediate_size', 3420, where),
            layers: intOf(v, 'depth', 32, where),
            patchSize: intOf(v, 'patch_size', 14, where),
            channels: intOf(v, 'in_channels', 3, where),
            temporalPatchSize: intOf(v, 'temporal_patch_size', 2, where),
            spatialMergeSize: intOf(v, 'spatial_merge_size', 2, where),
            outHiddenSize: intOf(v, 'out_hidden_size', 3584, where),
          },
        ],
        notes: [],
      }
    }
    case 'qwen3_5':
    case 'qwen3_5_moe':
      // Qwen3_5Config / Qwen3_5MoeConfig: a missing vision_config becomes Qwen3_5VisionConfig(); no deepstack mergers.
      return {encoders: [qwen3VisionTower(section(outer, 'vision_config') ?? {}, where, 0)], notes: []}
    case 'qwen3_vl_moe': {
      // Qwen3VLMoeConfig: the same tower (Qwen3VLMoeVisionConfig) plus one merger per deepstack_visual_indexes entry ([8, 16, 24] by default).
      const v = section(outer, 'vision_config') ?? {}
      const deepstack = Array.isArray(v.deepstack_visual_indexes) ? v.deepstack_visual_indexes.length : v.deepstack_visual_indexes === undefined ? 3 : -1
      if (deepstack < 0) throw new UserError(`${where}: deepstack_visual_indexes must be a list of layer indexes`)
      return {encoders: [qwen3VisionTower(v, where, deepstack)], notes: []}
    }
    case 'kimi_k3':
    case 'kimi_k25': {
      // KimiK25Config / KimiK3Config (remote code): vision_config describes the MoonViT3d tower and its patch-merger
      // projector (Moonshot modeling_kimi_k3.py MoonViT3dPretrainedModel and PatchMergerMLP / PatchMergerMLPV2, whose
      // getattr defaults are what modeling_kimi_k25.py hard-codes: LayerNorm, biases everywhere, q width = hidden).
      const v = section(outer, 'vision_config')
      if (!v) return {encoders: [], notes: ['the config has no vision_config: encoders not counted']}
      return moonVit(v, where, intOf(text, 'hidden_size', undefined, `${outer.where}.text_config`))
    }
    case 'gemma4': {
      // Gemma4Config: vision_config is a Gemma4VisionConfig (class defaults: hidden 768, 16 layers, 12 heads of 64,
      // intermediate 3072, patch 16, 10240 positions); None builds no vision tower and no embed_vision.
      const v = section(outer, 'vision_config')
      const a = section(outer, 'audio_config')
      const textHidden = intOf(text, 'hidden_size', 2304, `${outer.where}.text_config`)
      // Gemma4AudioConfig (class defaults: hidden 1024, 12 layers, 8 heads, conv kernel 5, subsampling channels
      // [128, 32], output_proj_dims 1536, use_clipped_linears True); None builds no audio tower and no embed_audio.
      const aw = `${outer.where}.audio_config`
      const audio: EncoderSpec[] = []
      if (a) {
        const channels = intList(a, 'subsampling_conv_channels', [128, 32], aw)
        if (channels.length !== 2) throw new UserError(`${aw}: subsampling_conv_channels needs two entries (Gemma4AudioSubSampleConvProjection builds two convolutions), not ${channels.length}`)
        audio.push({
          kind: 'gemma4-audio',
          name: 'audio',
          hiddenSize: intOf(a, 'hidden_size', 1024, aw),
          layers: intOf(a, 'num_hidden_layers', 12, aw),
          heads: intOf(a, 'num_attention_heads', 8, aw),
          convKernel: intOf(a, 'conv_kernel_size', 5, aw),
          subsampleChannels: [channels[0]!, channels[1]!],
          outputDims: intOf(a, 'output_proj_dims', 1536, aw),
          clippedLinears: a.use_clipped_linears !== false,
          outHiddenSize: textHidden,
        })
      }
      if (!v) return {encoders: audio, notes: ['the config has no vision_config: no vision tower is built']}
      return {
        encoders: [
          {
            kind: 'gemma4-vision',
            name: 'vision',
            hiddenSize: intOf(v, 'hidden_size', 768, where),
            intermediateSize: intOf(v, 'intermediate_size', 3072, where),
            layers: intOf(v, 'num_hidden_layers', 16, where),
            patchSize: intOf(v, 'patch_size', 16, where),
            channels: 3, // Gemma4VisionPatchEmbedder: Linear(3 * patch_size**2, hidden)
            heads: intOf(v, 'num_attention_heads', 12, where),
            kvHeads: intOf(v, 'num_key_value_heads', 12, where),
            headDim: intOf(v, 'head_dim', 64, where),
            positionEmbeddings: intOf(v, 'position_embedding_size', 10240, where),
            standardize: v.standardize === true,
            clippedLinears: v.use_clipped_linears === true,
            outHiddenSize: textHidden,
          },
          ...audio,
        ],
        notes: [],
      }
    }
    case 'gemma3n': {
      // Gemma3nConfig: audio_config is a Gemma3nAudioConfig (countable from its keys); vision_config names a timm
      // MobileNetV5 whose block layout lives in timm, not in the config, so the vision tower cannot be counted here.
      const a = section(outer, 'audio_config')
      const v = section(outer, 'vision_config')
      const textHidden = intOf(text, 'hidden_size', 2048, `${outer.where}.text_config`)
      const aw = `${outer.where}.audio_config`
      const encoders: EncoderSpec[] = []
      const notes: string[] = []
      if (a) {
        const audioHidden = intOf(a, 'hidden_size', 1536, aw)
        const convs = intList(a, 'sscp_conv_channel_size', [128, 32], aw).length
        for (const key of ['sscp_conv_kernel_size', 'sscp_conv_stride_size'])
          if (pairList(a, key, [[3, 3], [3, 3]], aw).length !== convs) throw new UserError(`${aw}: ${key} needs one entry per subsampling conv (sscp_conv_channel_size has ${convs})`)
        encoders.push(
          {
            kind: 'gemma3n-audio',
            name: 'audio',
            hiddenSize: audioHidden,
            layers: intOf(a, 'conf_num_hidden_layers', 12, aw),
            heads: intOf(a, 'conf_num_attention_heads', 8, aw),
            convKernel: intOf(a, 'conf_conv_kernel_size', 5, aw),
            inputFeatures: intOf(a, 'input_feat_size', 128, aw),
            subsampleChannels: intList(a, 'sscp_conv_channel_size', [128, 32], aw),
            subsampleKernels: pairList(a, 'sscp_conv_kernel_size', [[3, 3], [3, 3]], aw),
            subsampleStrides: pairList(a, 'sscp_conv_stride_size', [[2, 2], [2, 2]], aw),
          },
          {kind: 'gemma3n-embedder', name: 'audio embedder', multimodalHiddenSize: audioHidden, vocabSize: intOf(a, 'vocab_size', 128, aw), textHiddenSize: textHidden},
        )
      }
      if (v) {
        encoders.push({kind: 'gemma3n-embedder', name: 'vision embedder', multimodalHiddenSize: intOf(v, 'hidden_size', 2048, where), vocabSize: intOf(v, 'vocab_size', 128, where), textHiddenSize: textHidden})
        notes.push(`the vision tower (timm ${String(v.architecture ?? 'mobilenetv5_300m_enc')}) is defined in timm, not by this config, so it is not counted in encoderParams`)
      }
      return {encoders, notes}
    }
    default:
      return {encoders: [], notes: []}
  }
}

/**
 * The Qwen3.5 / Qwen3-VL vision tower (Qwen3_5VisionConfig, Qwen3VLMoeVisionConfig defaults: depth 27, hidden 1152,
 * intermediate 4304, 3 channels, patch 16, temporal 2, merge 2, out_hidden_size 3584, 2304 positions).
 */
function qwen3VisionTower(v: Json, where: string, deepstackMergers: number): EncoderSpec {
  return {
    kind: 'qwen3_5-vision',
    name: 'vision',
    hiddenSize: intOf(v, 'hidden_size', 1152, where),
    intermediateSize: intOf(v, 'intermediate_size', 4304, where),
    layers: intOf(v, 'depth', 27, where),
    patchSize: intOf(v, 'patch_size', 16, where),
    channels: intOf(v, 'in_channels', 3, where),
    temporalPatchSize: intOf(v, 'temporal_patch_size', 2, where),
    spatialMergeSize: intOf(v, 'spatial_merge_size', 2, where),
    outHiddenSize: intOf(v, 'out_hidden_size', 3584, where),
    positionEmbeddings: intOf(v, 'num_position_embeddings', 2304, where),
    ...(deepstackMergers > 0 ? {deepstackMergers} : {}),
  }
}
