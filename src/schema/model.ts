// The model preset: one zod schema gives the runtime check, the TypeScript type and the
// published JSON Schema (schemas/model.schema.json). Names are archcost's own vocabulary,
// not any vendor's config keys; every dimension is stored as the source states it.
import {z} from 'zod'
import {attentionKindOf, ownAttentionForm} from './attention-kind.js'

const positiveInt = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const nonNegativeInt = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)

export const dtypeSchema = z.enum(['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'mxfp4', 'nvfp4'])
export type Dtype = z.infer<typeof dtypeSchema>

/** One run of consecutive identical decoder layers. */
/**
 * A run's own attention shape: each field given replaces the spec's attention field of that name for the layers of
 * the run; absent fields are the spec's. One form for every model whose layers' attention differs.
 */
export const groupAttentionSchema = z
  .object({
    heads: positiveInt.optional().describe('Query heads of these layers (Step 3.5/3.7 attention_other_setting.num_attention_heads, MiMo-V2-Flash swa_num_attention_heads). Absent = attention.heads'),
    kvHeads: positiveInt
      .optional()
      .describe('Key/value heads of these layers: their k/v projections and their cache use them (Gemma 4 num_global_key_value_heads with attention_k_eq_v, MiMo-V2-Flash swa_num_key_value_heads, DeciLM / Nemotron-NAS num_attention_heads / n_heads_in_group of each block). Absent = attention.kvHeads'),
    headDim: positiveInt.optional().describe('Query/key head width of these layers (Gemma 4 global_head_dim, MiMo-V2-Flash swa_head_dim). Absent = attention.headDim'),
    valueHeadDim: positiveInt.optional().describe('Value head width of these layers (Gemma 4 global_head_dim, MiMo-V2-Flash swa_v_head_dim). Absent = attention.valueHeadDim'),
    valueFromKey: z
      .boolean()
      .optional()
      .describe('true: these layers have no v_proj, values are k_proj\'s output (Gemma 4 attention_k_eq_v); keys and values are still cached apart (values skip k_norm and RoPE). Absent = a v_proj of their own'),
    sinks: z.boolean().optional().describe('Learned attention-sink logit per head in these layers (MiMo-V2-Flash add_swa_attention_sink_bias). Absent = attention.sinks'),
  })
  .strict()
export type GroupAttention = z.infer<typeof groupAttentionSchema>

// How a run's own attention is costed (in attention-kind.ts: calculators read it without zod).
export {ownAttentionForm}

export const layerGroupSchema = z
  .object({
    count: positiveInt.describe('Number of consecutive layers in this run'),
    mixer: z
      .enum(['full', 'sliding', 'chunked', 'linear', 'none', 'parallel'])
      .describe(
        'Token mixer: full causal attention, sliding-window attention, chunked attention, linear attention or a state-space mixer (see linearAttention), none (an FFN-only block, Nemotron-H "-" and "E"), or parallel: full attention and the linearAttention mixer side by side on the same input (Falcon-H1)',
      ),
    windowTokens: positiveInt.optional().describe('Sliding-window size, or chunk size for chunked attention'),
    rope: z.boolean().describe('Rotary position embedding applied in this layer (false = NoPE)'),
    ffn: z.enum(['dense', 'moe', 'none']).describe('Feed-forward kind: dense MLP, mixture of experts, or none (a mixer-only block: Mamba, Nemotron-H "M" and "*")'),
    ffnIntermediateSize: positiveInt.optional().describe('Dense FFN width of this run when it differs from ffn.intermediateSize'),
    kvSourceLayer: nonNegativeInt
      .optional()
      .describe('0-based index of an earlier layer whose keys/values this layer reuses (Gemma 3n KV sharing); it stores no KV of its own'),
    kvProjections: z
      .boolean()
      .optional()
      .describe('false: a layer that reuses kvSourceLayer\'s keys/values has no k/v projections of its own (Hunyuan cross-layer attention, use_cla); absent = it has them (Gemma 3n)'),
    kNorm: z
      .boolean()
      .optional()
      .describe('false: a layer without k/v projections (kvProjections false) builds no k_norm either, only q_norm (Gemma 4 kv-shared layers); absent = its per-head QK-norm keeps both'),
    indexer: z
      .boolean()
      .optional()
      .describe('false: this attention layer builds no DSA indexer and reuses the previous indexer layer\'s top-k (GLM-5 indexer_types "shared", IndexShare); absent = it has one when attention.indexer is set'),
    attention: groupAttentionSchema
      .optional()
      .describe('This run\'s own attention shape where it differs from the spec\'s attention block (Gemma 4 global layers, MiMo-V2-Flash sliding layers, Step 3.5/3.7 sliding layers, DeciLM / Nemotron-NAS blocks); absent = attention'),
    linearMixer: z
      .boolean()
      .optional()
      .describe('true: the run\'s attention is replaced by one hidden x hidden linear without bias (DeciLM replace_with_linear, DeciLMLinearAttention): no heads, no KV, no rope; needs mixer "none". Absent = none'),
    norms: nonNegativeInt
      .optional()
      .describe('Hidden-size norms in each layer of this run when they differ from norms.perLayer (DeciLM / Nemotron-NAS: a no_op attention or FFN builds no input_layernorm / post_attention_layernorm); absent = norms.perLayer'),
    compressor: z
      .enum(['csa', 'hca'])
      .optional()
      .describe('DeepSeek-V4 KV compressor of this sliding-window layer: csa = Compressed Sparse Attention (every csaRatio tokens pooled into one entry with overlapping windows, read through the DSA indexer\'s top-k), hca = Heavily Compressed Attention (every hcaRatio tokens into one entry, all read); absent = the plain sliding window (needs a deepseekV4 block)'),
    hashRouting: z
      .boolean()
      .optional()
      .describe('DeepSeek-V4 hash-routed MoE layer (mlp_layer_types "hash_moe"): experts picked by a frozen token-id table tid2eid (vocab x topK) instead of the learned top-k; its gate has no score-correction bias. Absent = learned routing'),
  })
  .strict()
export type LayerGroup = z.infer<typeof layerGroupSchema>

export const mlaSchema = z
  .object({
    qLoraRank: positiveInt.nullable().describe('Rank of the query down-projection; null = full-rank q_proj (DeepSeek-V2-Lite)'),
    kvLoraRank: positiveInt.describe('Width of the compressed KV latent that is cached'),
    qkNopeHeadDim: positiveInt,
    qkRopeHeadDim: positiveInt.describe('Decoupled RoPE key width, shared by all heads and cached beside the latent'),
    vHeadDim: positiveInt,
    outputGate: z
      .boolean()
      .optional()
      .describe('Gated MLA (Kimi K3 mla_use_output_gate): g_proj Linear(hidden, heads*vHeadDim, no bias), its sigmoid multiplies the attention output before o_proj; absent = none'),
  })
  .strict()

// DeepSeek-V3.2 DSA lightning indexer, as DeepseekV32Indexer (transformers modular_deepseek_v32.py) and DeepSeek's inference/model.py Indexer build it.
export const indexerSchema = z
  .object({
    heads: positiveInt.describe('index_n_heads'),
    headDim: positiveInt.describe('index_head_dim: width of the indexer query heads and of its single key'),
    topK: positiveInt.describe('index_topk: keys each query attends to (MSA: top-k blocks x blockSize)'),
    kind: z
      .enum(['dsa', 'msa'])
      .optional()
      .describe('msa: MiniMax Sparse Attention (MiniMax-M3 sparse_attention_config): index_q_proj (hidden, heads*headDim), index_k_proj (hidden, headDim), index_q_norm and index_k_norm RMSNorms (headDim), no value/output projections (sparse_disable_index_value); its keys (headDim per token) are cached beside K and V; GQA attention, no MLA. Absent = dsa'),
    blockSize: positiveInt.optional().describe('msa: tokens per block the indexer scores and selects (sparse_block_size); absent for dsa'),
  })
  .strict()
  .describe('DeepSeek Sparse Attention indexer: wq_b (qLoraRank, heads*headDim), wk (hidden, headDim), k_norm LayerNorm (headDim, with bias), weights_proj (hidden, heads)')

// DeepSeek-V4 (transformers modeling_deepseek_v4.py DeepseekV4Attention, DeepseekV4HyperConnection; vendor inference/model.py).
export const deepseekV4Schema = z
  .object({
    qLoraRank: positiveInt.describe('Query down-projection rank (q_a_proj h x rq, q_b_proj rq x heads*headDim); the indexer reads the same latent'),
    oLoraRank: positiveInt.describe('Per-group rank of the grouped output projection (o_lora_rank)'),
    oGroups: positiveInt.describe('Head groups of the grouped output projection: o_a_proj (heads*headDim/g -> ro) per group, o_b_proj (g*ro -> h)'),
    ropeHeadDim: positiveInt.describe('Rotated slice of the 512-wide head (qk_rope_head_dim); no parameters'),
    csaRatio: positiveInt.describe('Tokens pooled into one compressed entry in a CSA layer (compress_rates compressed_sparse_attention, 4)'),
    hcaRatio: positiveInt.describe('Tokens pooled into one compressed entry in an HCA layer (compress_rates heavily_compressed_attention, 128)'),
    hcMult: positiveInt.describe('Residual streams of the manifold-constrained hyper-connections (hc_mult); each layer mixes them with attn_hc and ffn_hc, the model collapses them with hc_head'),
    mtpCompressor: z.enum(['none', 'csa', 'hca']).describe('Compressor of the MTP block\'s attention (compress_ratios[num_hidden_layers] in the vendor config; none = sliding window only)'),
  })
  .strict()

export const attentionSchema = z
  .object({
    kind: z.enum(['mha', 'gqa', 'mqa', 'mla']),
    heads: positiveInt,
    kvHeads: positiveInt.describe('Key/value heads (= heads for MHA and MLA, 1 for MQA)'),
    headDim: positiveInt.describe('Query/key head width (MLA: qkNopeHeadDim + qkRopeHeadDim)'),
    valueHeadDim: positiveInt.describe('Value head width (usually = headDim)'),
    qkvBias: z.boolean(),
    outputBias: z.boolean(),
    qkNorm: z
      .enum(['none', 'per-head', 'across-heads'])
      .describe('QK-norm: none; per-head (weights of headDim, Qwen3/Gemma 3); across-heads (weights over heads*headDim, OLMo 2)'),
    sinks: z.boolean().describe('Learned attention-sink logit per head (gpt-oss)'),
    outputGate: z.boolean().describe('Sigmoid output gate computed by a doubled q_proj (Qwen3-Next)'),
    qkNormBias: z
      .boolean()
      .optional()
      .describe('The per-head QK-norms are LayerNorms with a bias as well as a weight (Phi qk_layernorm). Absent = weight only'),
    headGate: z
      .boolean()
      .optional()
      .describe('A head-wise sigmoid gate on the attention output: g_proj (hidden x heads, no bias) gives one scalar per head (Step 3.5/3.7 use_head_wise_attn_gate). Absent = none'),
    alibi: z
      .boolean()
      .optional()
      .describe('ALiBi: fixed linear position biases on the attention scores (BLOOM, MPT, Falcon alibi), no parameters; its layers have rope false. Absent = no ALiBi'),
    mla: mlaSchema.optional(),
    indexer: indexerSchema.optional(),
  })
  .strict()

export const linearAttentionSchema = z
  .object({
    kind: z
      .enum(['gated-deltanet', 'kda', 'mamba', 'mamba2', 'short-conv'])
      .describe(
        'gated-deltanet: Qwen3-Next Gated DeltaNet; kda: Kimi Delta Attention (Kimi Linear), one head count and dim for q, k and v; ' +
          'mamba: Mamba-1 selective SSM (keyHeads 1, keyHeadDim d_state, valueHeads d_inner channels, valueHeadDim 1); ' +
          'mamba2: Mamba-2 SSD (keyHeads n_groups of B and C, keyHeadDim d_state, valueHeads n_heads, valueHeadDim head_dim); ' +
          'short-conv: LFM2 gated short convolution (keyHeads 1, keyHeadDim 1, valueHeads hidden size channels, valueHeadDim 1)',
      ),
    keyHeads: positiveInt,
    valueHeads: positiveInt,
    keyHeadDim: positiveInt,
    valueHeadDim: positiveInt,
    convKernel: positiveInt.describe('Causal depthwise convolution kernel size'),
    fullRankGate: z
      .boolean()
      .optional()
      .describe('kda: the output gate is one full-rank g_proj (hidden, heads*headDim) instead of the low-rank g_a_proj/g_b_proj pair (Kimi K3 linear_attn_config.use_full_rank_gate); absent = low rank'),
    dtRank: positiveInt.optional().describe('mamba: time_step_rank, the width of dt in x_proj and the input of dt_proj'),
    convBias: z.boolean().optional().describe('The depthwise conv has a bias (use_conv_bias); absent = no bias'),
    projectionBias: z.boolean().optional().describe('in_proj and out_proj of the mixer have biases (use_bias, mamba_proj_bias, conv_bias of LFM2); absent = none'),
    outputNorm: z.boolean().optional().describe('mamba2: gated RMSNorm over d_inner before out_proj (Falcon-H1 mamba_rms_norm); absent = present'),
    dtBcNorms: z.boolean().optional().describe('mamba: RMSNorms on dt (dtRank), B and C (d_state) inside the mixer (Jamba); absent = none'),
    recurrentStateDtype: z
      .enum(['fp32', 'bf16', 'fp16'])
      .optional()
      .describe('Dtype vLLM keeps the recurrent (SSM) state in for this model whatever the KV dtype (Nemotron-H: mamba_ssm_cache_dtype, float32 by default); absent = the model dtype'),
  })
  .strict()

export const ffnSchema = z
  .object({
    gated: z.boolean().describe('Gated (SwiGLU/GeGLU: gate, up, down) or plain two-matrix MLP'),
    activation: z.string().min(1),
    intermediateSize: positiveInt.describe('Dense-layer FFN width'),
    bias: z.boolean(),
    activationParams: positiveInt
      .optional()
      .describe(
        'Scalars of a learnable activation stored in each dense MLP (Apertus xIELU: alpha_p, alpha_n parameters and the persistent buffers beta, eps = 4); absent = none',
      ),
  })
  .strict()

export const moeSchema = z
  .object({
    routedExperts: positiveInt,
    topK: positiveInt,
    expertIntermediateSize: positiveInt,
    sharedExperts: nonNegativeInt,
    sharedIntermediateSize: nonNegativeInt.describe('Total width of the always-on shared expert MLP (all shared experts together)'),
    sharedExpertGate: z.boolean().describe('Scalar sigmoid gate on the shared expert (Qwen3-Next)'),
    routerBias: z.boolean().describe('Router linear layer has a bias (gpt-oss)'),
    routerScoreCorrectionBias: z.boolean().describe('Per-expert score-correction bias of aux-loss-free balancing (DeepSeek-V3 e_score_correction_bias)'),
    expertBias: z.boolean().describe('Expert matrices carry biases (gpt-oss)'),
    sharedExpertBias: z.boolean().optional().describe('The shared expert MLP carries biases (Ernie 4.5 use_bias); absent = no bias'),
    routerScales: z
      .boolean()
      .optional()
      .describe('The router holds a learned input scale (hiddenSize) and a per-expert output scale (routedExperts) beside its projection (Gemma 4 Gemma4TextRouter scale, per_expert_scale); absent = none'),
    latentSize: positiveInt
      .optional()
      .describe('Latent MoE (Nemotron 3 moe_latent_size): the routed experts run at this width, between fc1_latent_proj (hidden to latent) and fc2_latent_proj (latent to hidden), both counted with the routed experts and run by every token; absent = experts at the hidden size'),
    latentNorm: z
      .boolean()
      .optional()
      .describe('Latent MoE with an RMSNorm (latentSize weights) on the combined expert output before the up-projection (Kimi K3 latent_moe_use_norm, routed_expert_norm), counted with the norms; absent = none'),
  })
  .strict()

export const normsSchema = z
  .object({
    kind: z.enum(['rmsnorm', 'layernorm']),
    bias: z.boolean(),
    placement: z.enum(['pre', 'post', 'sandwich']).describe('pre-norm; post-norm inside the residual (OLMo 2); pre+post sandwich (Gemma 2/3)'),
    perLayer: positiveInt.describe('Hidden-size norms in each decoder layer'),
    final: z.boolean(),
    embedding: z
      .boolean()
      .optional()
      .describe('A norm (of this kind and bias) on the token embeddings before the first layer (BLOOM word_embeddings_layernorm). Absent = none'),
    parametric: z
      .boolean()
      .optional()
      .describe('false: the norms carry no weight or bias (OLMo 1 non-parametric LayerNorm), 0 parameters. Absent = true'),
    layerScalar: z
      .boolean()
      .optional()
      .describe('Each decoder layer stores a persistent one-element layer_scalar buffer that scales its output (Gemma 4), 1 parameter per layer in the checkpoint. Absent = none'),
  })
  .strict()

export const embeddingsSchema = z
  .object({
    vocabSize: positiveInt,
    tied: z.boolean().describe('LM head shares the input embedding matrix'),
    learnedPositions: nonNegativeInt.describe('Rows of a learned absolute position table (GPT-2); 0 = none'),
    lmHeadBias: z.boolean().optional().describe('The LM head Linear has a bias of vocabSize (GPT-J, Phi-1/2, Phi-3.5-MoE lm_head_bias, ERNIE 4.5 use_bias), even when its weight is tied. Absent = no bias'),
    projectionDim: positiveInt
      .optional()
      .describe('Width of the token embedding when it differs from hiddenSize (OPT-350m word_embed_proj_dim): embed_tokens and the tied head are vocabSize x projectionDim, project_in and project_out map it to and from the hidden size. Absent = hiddenSize'),
    perLayer: z
      .object({
        vocabSize: positiveInt,
        dim: positiveInt.describe('Per-layer embedding width for each decoder layer (Gemma 3n PLE; without a gemma3n block, Gemma 4 E2B/E4B PLE: per-layer input gate, projection and norm, no AltUp or LAuReL)'),
      })
      .strict()
      .nullable(),
  })
  .strict()

export const ropeSchema = z
  .object({
    theta: z.number().positive(),
    localTheta: z.number().positive().optional().describe('RoPE base of sliding-window layers when it differs'),
    scaling: z.string().nullable().describe('RoPE scaling type (linear, llama3, yarn, ...) or null'),
    scalingFactor: z.number().positive().optional(),
    partialRotaryFactor: z.number().gt(0).max(1),
    storedInvFreq: positiveInt
      .optional()
      .describe('Values of a persistent rotary inv_freq buffer the checkpoint saves (ChatGLM transformer.rotary_pos_emb.inv_freq, kv_channels / 4); absent = none'),
  })
  .strict()

/** Gemma 3n's extra per-layer machinery. */
export const gemma3nSchema = z
  .object({
    altupInputs: positiveInt.describe('AltUp parallel streams'),
    laurelRank: positiveInt.describe('LAuReL low-rank residual rank'),
  })
  .strict()

const towerFields = {
  name: z.string().min(1).describe('vision, audio, projector, ...'),
  hiddenSize: positiveInt,
  intermediateSize: positiveInt,
  layers: positiveInt,
  patchSize: positiveInt,
  channels: positiveInt,
}

/** Vision/audio encoders and projectors of multimodal checkpoints, counted apart from the language model. */
export const encoderSchema = z.discriminatedUnion('kind', [
  z.object({kind: z.literal('siglip'), ...towerFields, imageSize: positiveInt, poolingHead: z.boolean()}).strict(),
  z.object({kind: z.literal('pixtral'), ...towerFields}).strict(),
  z
    .object({
      kind: z.literal('qwen2_5_vl-vision'),
      ...towerFields,
      temporalPatchSize: positiveInt.describe('Frames one Conv3d patch spans (temporal_patch_size)'),
      spatialMergeSize: positiveInt.describe('Side of the square of patches the merger folds into one token (spatial_merge_size)'),
      outHiddenSize: positiveInt.describe('Width the merger projects to: the text model hidden size (out_hidden_size)'),
    })
    .strict()
    .describe('Qwen2.5-VL vision transformer with its patch merger (Qwen2_5_VisionTransformerPretrainedModel)'),
  z
    .object({
      kind: z.literal('qwen3_5-vision'),
      ...towerFields,
      temporalPatchSize: positiveInt.describe('Frames one Conv3d patch spans (temporal_patch_size)'),
      spatialMergeSize: positiveInt.describe('Side of the square of patches the merger folds into one token (spatial_merge_size)'),
      outHiddenSize: positiveInt.describe('Width the merger projects to: the text model hidden size (out_hidden_size)'),
      positionEmbeddings: positiveInt.describe('Rows of the learned position table (num_position_embeddings)'),
      deepstackMergers: positiveInt
        .optional()
        .describe('Qwen3-VL: deepstack patch mergers, one per deepstack_visual_indexes entry (Qwen3VLVisionModel.deepstack_merger_list); absent = none (Qwen3.5)'),
    })
    .strict()
    .describe('Qwen3.5 vision transformer with its patch merger (Qwen3_5VisionModel / Qwen3_5MoeVisionModel); with deepstackMergers, Qwen3-VL\'s (Qwen3VLVisionModel / Qwen3VLMoeVisionModel)'),
  z
    .object({
      kind: z.literal('llama4-vision'),
      ...towerFields,
      imageSize: positiveInt,
      projectorInputDim: positiveInt,
      projectorOutputDim: positiveInt,
    })
    .strict(),
  z
    .object({
      kind: z.literal('moonvit3d'),
      ...towerFields,
      qkvHiddenSize: positiveInt.describe('Width of q, k and v (qkv_hidden_size; vt_hidden_size when absent)'),
      norm: z.enum(['layernorm', 'rmsnorm']).describe('norm_type of norm0, norm1 and final_layernorm (LayerNorm with bias, or RMSNorm)'),
      attnBias: z.boolean().describe('wqkv and wo carry biases (attn_bias)'),
      linearBias: z.boolean().describe('The MLP fc0 and fc1 carry biases (linear_bias)'),
      patchEmbedBias: z.boolean().describe('The patch Conv2d carries a bias (patch_embed_proj_bias)'),
      posEmbHeight: positiveInt.describe('Rows of the learned 2D position grid (init_pos_emb_height)'),
      posEmbWidth: positiveInt.describe('Columns of the learned 2D position grid (init_pos_emb_width)'),
    })
    .strict()
    .describe('MoonViT3d vision tower (Moonshot modeling_kimi_k25.py / modeling_kimi_k3.py MoonViT3dPretrainedModel): patch Conv2d, learned 2D grid (the time embedding is fixed), blocks of norm0/norm1, wqkv, wo and an MLP2 fc0/fc1, final_layernorm'),
  z
    .object({
      kind: z.literal('moonvit-projector'),
      name: z.string().min(1),
      type: z.enum(['patchmerger', 'patchmergerv2']).describe('mm_projector_type: PatchMergerMLP (LayerNorm first, biased Linears) or PatchMergerMLPV2 (Linears without bias, RMSNorm after)'),
      mmHiddenSize: positiveInt.describe('Width of one vision token (mm_hidden_size)'),
      mergedTokens: positiveInt.describe('Patches merged into one text token: the product of merge_kernel_size'),
      textHiddenSize: positiveInt,
    })
    .strict()
    .describe('Kimi patch-merger projector (Moonshot modeling_kimi_k25.py PatchMergerMLP, modeling_kimi_k3.py PatchMergerMLPV2)'),
  z
    .object({
      kind: z.literal('gemma4-vision'),
      ...towerFields,
      heads: positiveInt,
      kvHeads: positiveInt,
      headDim: positiveInt,
      positionEmbeddings: positiveInt.describe('Rows of each of the two (x, y) learned position tables (position_embedding_size)'),
      standardize: z.boolean().describe('std_bias and std_scale buffers (hiddenSize each) applied to the pooled soft tokens (standardize)'),
      clippedLinears: z.boolean().describe('Every projection stores input_min/max and output_min/max scalars (use_clipped_linears)'),
      outHiddenSize: positiveInt.describe('Text hidden size the embed_vision projection maps to'),
    })
    .strict()
    .describe('Gemma 4 vision tower (Gemma4VisionModel) with its Gemma4MultimodalEmbedder (embed_vision)'),
  z.object({kind: z.literal('gemma3-projector'), name: z.string().min(1), visionHiddenSize: positiveInt, textHiddenSize: positiveInt}).strict(),
  z
    .object({
      kind: z.literal('mistral3-projector'),
      name: z.string().min(1),
      visionHiddenSize: positiveInt,
      textHiddenSize: positiveInt,
      spatialMergeSize: positiveInt,
      featureLayers: positiveInt,
      bias: z.boolean(),
    })
    .strict(),
  z.object({kind: z.literal('llama4-projector'), name: z.string().min(1), visionOutputDim: positiveInt, textHiddenSize: positiveInt}).strict(),
  z
    .object({
      kind: z.literal('gemma3n-audio'),
      name: z.string().min(1),
      hiddenSize: positiveInt,
      layers: positiveInt,
      heads: positiveInt,
      convKernel: positiveInt,
      inputFeatures: positiveInt,
      subsampleChannels: z.array(positiveInt).min(1),
      subsampleKernels: z.array(z.tuple([positiveInt, positiveInt])).min(1),
      subsampleStrides: z.array(z.tuple([positiveInt, positiveInt])).min(1),
    })
    .strict(),
  z
    .object({
      kind: z.literal('gemma4-audio'),
      name: z.string().min(1),
      hiddenSize: positiveInt,
      layers: positiveInt,
      heads: positiveInt,
      convKernel: positiveInt.describe('Depthwise light-conv kernel (conv_kernel_size)'),
      subsampleChannels: z.tuple([positiveInt, positiveInt]).describe('Output channels of the two 3x3 stride-2 subsampling convolutions (subsampling_conv_channels)'),
      outputDims: positiveInt.describe('Width of output_proj and of the embed_audio input (output_proj_dims)'),
      clippedLinears: z.boolean().describe('Every Gemma4ClippableLinear stores input_min/max and output_min/max scalars (use_clipped_linears)'),
      outHiddenSize: positiveInt.describe('Text hidden size the embed_audio projection maps to'),
    })
    .strict()
    .describe('Gemma 4 audio tower (Gemma4AudioModel) with its Gemma4MultimodalEmbedder (embed_audio)'),
  z
    .object({
      kind: z.literal('gemma3n-embedder'),
      name: z.string().min(1),
      multimodalHiddenSize: positiveInt,
      vocabSize: positiveInt,
      textHiddenSize: positiveInt,
    })
    .strict(),
])
export type EncoderSpec = z.infer<typeof encoderSchema>

/**
 * How a quantized checkpoint stores its Linear layers (quantization_config), enough to give every stored tensor's
 * exact bytes (src/calc/quantized.ts). Tensors of excluded modules, norms, routers and embeddings keep `dtype`.
 */
export const checkpointQuantizationSchema = z
  .object({
    method: z.string().min(1).describe('quant_method as the config writes it (gptq, awq, bitsandbytes, fp8, compressed-tensors, mxfp4, modelopt)'),
    layout: z
      .enum(['gptq', 'awq-gemm', 'awq-gemv', 'bnb-4bit', 'bnb-8bit', 'fp8-block', 'fp8-tensor', 'ct-pack', 'ct-int8', 'ct-fp8', 'ct-nvfp4', 'ct-mxfp4', 'mxfp4', 'nvfp4', 'modelopt-fp8'])
      .describe('Stored tensors of one quantized Linear: gptq qweight/qzeros/scales/g_idx; awq-gemm/-gemv qweight/qzeros/scales; bnb-4bit packed uint8 + absmax (+ nested); bnb-8bit int8 + SCB; fp8-block weight_scale_inv per block; fp8-tensor one weight_scale; ct-* compressed-tensors pack-quantized, naive-quantized (int8), float-quantized (fp8), nvfp4-pack-quantized, mxfp4-pack-quantized (ct-mxfp4: weight_packed + E8M0 weight_scale per 32); mxfp4 blocks + E8M0 scales; nvfp4/modelopt-fp8 ModelOpt exports'),
    bits: z.number().int().min(1).max(8).describe('Bits per quantized weight'),
    groupSize: positiveInt.nullable().describe('Weights (along the input dimension) sharing one scale; null = one scale per output channel, or per tensor for fp8-tensor'),
    blockSize: z.tuple([positiveInt, positiveInt]).optional().describe('fp8-block / compressed-tensors block strategy: [output rows, input columns] per scale'),
    tensorScale: z.boolean().optional().describe('compressed-tensors tensor strategy: one scale per tensor'),
    scaleDtype: z.enum(['fp32', 'bf16', 'fp16', 'fp8', 'e8m0']).describe('Dtype of the stored scales'),
    zeroPoints: z.boolean().describe('Asymmetric: zero points are stored beside the scales'),
    gIdx: z.boolean().optional().describe('compressed-tensors actorder "group": a weight_g_idx int32 [in] is stored per Linear'),
    doubleQuant: z.boolean().optional().describe('bitsandbytes 4-bit: bnb_4bit_use_double_quant (absmax itself quantized to 8 bits)'),
    inputScales: z.boolean().describe('A static activation scale (input_scale / input_global_scale) is stored per quantized Linear'),
    kvScales: z.boolean().optional().describe('k_scale and v_scale (fp32 scalars) are stored per attention layer (FP8 KV cache)'),
    expertLayout: z
      .enum(['mxfp4'])
      .optional()
      .describe('The routed experts are stored apart from `layout`: mxfp4 = e2m1 values with one E8M0 (ue8m0) scale per 32 (DeepSeek-V4 expert_dtype fp4); absent = as layout'),
    lmHead: z.boolean().describe('The LM head is quantized too'),
    exclude: z.array(z.string()).describe('Modules kept at dtype, as the config lists them (modules_to_not_convert, ignore, exclude_modules)'),
    excludeMatch: z
      .enum(['substring', 'name-or-regex', 'glob'])
      .describe('How an exclude entry matches a module name: substring (transformers), exact name or "re:" regex (compressed-tensors), fnmatch glob (ModelOpt)'),
    modules: z
      .array(
        z
          .object({
            name: z.string().min(1).describe('The module as quantized_layers names it (a Linear, or a MoE block\'s experts: every module under it)'),
            layout: z.enum(['nvfp4', 'modelopt-fp8']),
            bits: z.number().int().min(1).max(8),
            groupSize: positiveInt.nullable(),
            scaleDtype: z.enum(['fp32', 'fp8']),
            inputScales: z.boolean(),
          })
          .strict(),
      )
      .optional()
      .describe('ModelOpt MIXED_PRECISION (quantized_layers): each listed module stored in its own layout, overriding the fields above; a Linear not listed keeps dtype'),
  })
  .strict()
export type CheckpointQuantization = z.infer<typeof checkpointQuantizationSchema>

const publishedFigure = z
  .string()
  .regex(/^~?\d+(\.\d+)?[MBT]$|^\d{1,3}(,\d{3})+$/, 'a published figure such as "671B", "5.1B", "~109B" or an exact "2,024,517,888"')

/**
 * Block Attention Residuals (Kimi K3, KimiDecoderLayer with attn_res_block_size): before attention and before the MLP each
 * layer mixes the residual snapshots taken every blockSize layers with the running sum, softmax-weighted by a learned
 * pseudo-query: self_attention_res_proj / mlp_res_proj Linear(hidden, 1) with self_attention_res_norm / mlp_res_norm
 * RMSNorms (the two norms are two of norms.perLayer); the model mixes once more before its final norm
 * (output_attn_res_norm, output_attn_res_proj).
 */
export const attnResidualsSchema = z
  .object({
    blockSize: positiveInt.describe('Layers between residual snapshots (attn_res_block_size)'),
  })
  .strict()

/**
 * Transformer blocks whose weights are shared by several layers (Zamba2: num_mem_blocks Zamba2AttentionDecoderLayer
 * invoked, in turn, at hybrid_layer_ids). The attention dimensions (heads, kvHeads, headDim) are the spec's
 * `attention` block; this block holds the rest. Parameters count each shared tensor once, plus the per-invocation
 * adapters and output projections; KV and FLOPs count every invocation.
 */
export const sharedBlocksSchema = z
  .object({
    blocks: positiveInt.describe('Distinct shared blocks (Zamba2 num_mem_blocks); invocation i runs block i mod blocks'),
    invokedAt: z.array(nonNegativeInt).min(1).describe('0-based decoder layers that run a shared block before their own mixer (Zamba2 hybrid_layer_ids)'),
    inputWidth: positiveInt.describe('Width the shared attention reads: the hidden state concatenated with the input embeddings, 2 x hiddenSize in Zamba2 (attention_hidden_size); its input norm has this width'),
    intermediateSize: positiveInt.describe('Width of the shared block MLP (gated: a fused gate_up_proj of 2 x this width)'),
    ffnBias: z.boolean().describe('The shared MLP projections have biases (Zamba2 add_bias_linear)'),
    adapterRank: nonNegativeInt.describe('Rank of the per-invocation low-rank adapters (Zamba2 adapter_rank)'),
    mlpAdapters: z.boolean().describe('Each invocation has its own adapter on the MLP gate/up projection: (h x r) then (r x 2 intermediateSize)'),
    attentionAdapters: z.boolean().describe('Each invocation has its own adapters on q, k and v: (inputWidth x r) then (r x inputWidth) each (Zamba2 use_shared_attention_adapter)'),
    outputProjection: z.boolean().describe('Each invocation has its own hidden x hidden projection of the block output (Zamba2HybridLayer.linear)'),
    rope: z.boolean().describe('The shared attention rotates q and k with the spec\'s rope (Zamba2 use_mem_rope)'),
  })
  .strict()

export const reportedSchema = z
  .object({
    totalParams: publishedFigure.optional(),
    activeParams: publishedFigure.optional(),
    nonEmbeddingParams: publishedFigure.optional(),
    basis: z
      .enum(['headline', 'size-name', 'effective-size-name'])
      .describe('headline: a stated count; size-name: only the repository name; effective-size-name: Gemma 3n "E" sizes, compared with effectiveParams'),
    activeExcludesInputEmbedding: z.boolean().optional().describe('The vendor active count leaves out the input embedding table (a lookup, not a multiplication)'),
    nonEmbeddingExcludesLmHead: z.boolean().optional().describe('The vendor non-embedding count also leaves out an untied LM head'),
    source: z.string().regex(/^https?:\/\//, 'a source URL'),
    quote: z.string().optional(),
  })
  .strict()

export const modelSpecObject = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
    name: z.string().min(1),
    family: z.string().min(1),
    source: z
      .object({
        hfRepo: z.string().min(1),
        modelType: z.string().min(1),
        config: z.string().min(1).describe('Config file the preset was built from'),
      })
      .strict(),
    dtype: dtypeSchema.describe('Checkpoint compute dtype (torch_dtype)'),
    checkpointWeights: z
      .object({
        embeddings: dtypeSchema.describe('Input embedding, per-layer embeddings and LM head'),
        linear: dtypeSchema.describe('Attention, dense FFN, shared-expert and other matrices'),
        experts: dtypeSchema.describe('Routed experts'),
        unquantized: dtypeSchema.describe('Norms and routers, which quantized checkpoints keep at full precision'),
      })
      .strict()
      .describe('Storage format of each component class in the published checkpoint (from quantization_config)'),
    checkpointQuantization: checkpointQuantizationSchema.optional().describe('Exact storage of a quantized checkpoint (quantization_config); absent for a plain one'),
    hiddenSize: positiveInt,
    layers: positiveInt,
    maxContextTokens: positiveInt,
    embeddings: embeddingsSchema,
    attention: attentionSchema,
    linearAttention: linearAttentionSchema.optional(),
    ffn: ffnSchema,
    moe: moeSchema.optional(),
    norms: normsSchema,
    rope: ropeSchema,
    layerGroups: z.array(layerGroupSchema).min(1),
    gemma3n: gemma3nSchema.optional(),
    sharedBlocks: sharedBlocksSchema.optional().describe('Weight-shared transformer blocks run at chosen layers (Zamba2); absent = none'),
    attnResiduals: attnResidualsSchema.optional().describe('Block attention residuals (Kimi K3 attn_res_block_size); absent = the plain residual stream'),
    deepseekV4: deepseekV4Schema
      .optional()
      .describe('DeepSeek-V4 hybrid attention (sliding window + CSA/HCA compressed KV, shared-KV MQA with a low-rank query and grouped output projection) and hyper-connections; absent = none'),
    mtpLayers: nonNegativeInt.describe('Multi-token-prediction layers shipped in the checkpoint but not run by default (DeepSeek-V3)'),
    mtpOwnHead: z
      .boolean()
      .optional()
      .describe('Each multi-token-prediction module has an LM head of its own (Step 3.5/3.7 shared_head.head: vocabSize x hiddenSize); absent = it shares the main head'),
    mtpLayerGroups: z
      .array(layerGroupSchema)
      .min(1)
      .optional()
      .describe('The blocks of one multi-token-prediction module when it is not one decoder layer like the main model\'s MoE layer (Nemotron-H mtp_hybrid_override_pattern "*E": an attention block then a MoE block); absent = that one layer'),
    encoders: z.array(encoderSchema),
    reported: reportedSchema.optional(),
    notes: z.array(z.string()).optional(),
  })
  .strict()

/**
 * The runs' own attention shapes (layerGroups[].attention), checked in one place: the forms the calculators cost
 * (ownAttentionForm) and the combinations they model.
 */
function groupAttentionIssues(spec: z.infer<typeof modelSpecObject>, issue: (path: (string | number)[], message: string) => void): void {
  const att = spec.attention
  const forms = new Set<string>()
  const shapeOf: Partial<Record<'full' | 'sliding', string>> = {}
  spec.layerGroups.forEach((group, i) => {
    const form = ownAttentionForm(group)
    if (group.attention && form === null) issue(['layerGroups', i, 'attention'], 'an empty attention override changes nothing: remove it')
    if (form === null) return
    const o = group.attention!
    const path = ['layerGroups', i, 'attention']
    forms.add(form)
    const heads = o.heads ?? att.heads
    const kvHeads = o.kvHeads ?? att.kvHeads
    if (group.mixer === 'linear' || group.mixer === 'none' || group.mixer === 'parallel' || att.mla || spec.sharedBlocks)
      issue(path, 'a run\'s own attention is modelled for GQA/MHA attention layers only (not MLA, linear, parallel, FFN-only or shared-block models)')
    if (heads % kvHeads !== 0) issue(path, `heads (${heads}) must be a multiple of kvHeads (${kvHeads})`)
    if (form === 'heads' && group.kvProjections === false) issue(path, 'per-run query heads are modelled for layers with their own k/v only')
    if (form === 'kvHeads' && group.kvSourceLayer !== undefined) issue(path, 'per-run KV heads are modelled for layers with their own KV only (no kvSourceLayer)')
    if (form !== 'shape') return
    // Head widths of their own: every full-attention (Gemma 4) or every sliding (MiMo-V2-Flash) layer, the same shape.
    if (group.mixer === 'chunked') issue(path, 'an attention shape of its own is modelled for full or sliding layers')
    if (att.indexer) issue(path, 'an attention shape of its own is modelled without an indexer block')
    if (group.mixer === 'sliding' && (group.kvSourceLayer !== undefined || group.kvProjections === false))
      issue(path, 'sliding layers with their own attention shape cannot reuse another layer\'s KV')
    if (o.valueFromKey && (o.valueHeadDim ?? att.valueHeadDim) !== (o.headDim ?? att.headDim)) issue(path, 'valueFromKey: values are k_proj\'s output, so valueHeadDim must equal headDim')
    if (o.valueFromKey && group.mixer !== 'full') issue(path, 'valueFromKey is modelled for full-attention layers (Gemma 4 attention_k_eq_v)')
    if (group.mixer === 'full' || group.mixer === 'sliding') {
      const key = JSON.stringify(o, Object.keys(o).sort())
      if ((shapeOf[group.mixer] ??= key) !== key) issue(path, `every ${group.mixer} layer with an attention shape of its own must have the same one`)
    }
  })
  for (const mixer of ['full', 'sliding'] as const)
    if (shapeOf[mixer] !== undefined && spec.layerGroups.some((g) => g.mixer === mixer && ownAttentionForm(g) !== 'shape'))
      issue(['layerGroups'], `some ${mixer} layers have an attention shape of their own: give it to every ${mixer} layer`)
  if (forms.size > 1 || (shapeOf.full !== undefined && shapeOf.sliding !== undefined))
    issue(['layerGroups'], 'runs with their own attention mix several forms (query heads only, KV heads only, full-layer shape, sliding-layer shape): one form per model is modelled')
  if (forms.has('kvHeads') && spec.layerGroups.some((g) => g.kvSourceLayer !== undefined)) issue(['layerGroups'], 'per-run KV heads with kv-sharing layers are not modelled')
}

export const modelSpecSchema = modelSpecObject.superRefine((spec, ctx) => {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({code: 'custom', path, message})
  const layerSum = spec.layerGroups.reduce((sum, group) => sum + group.count, 0)
  if (layerSum !== spec.layers) issue(['layerGroups'], `layer counts add up to ${layerSum}, expected layers = ${spec.layers}`)
  const {attention: att} = spec
  if (att.heads % att.kvHeads !== 0) issue(['attention', 'kvHeads'], `heads (${att.heads}) must be a multiple of kvHeads (${att.kvHeads})`)
  const expectedKind = att.mla ? 'mla' : attentionKindOf(att.heads, att.kvHeads)
  if (att.kind !== expectedKind) issue(['attention', 'kind'], `"${att.kind}" does not match heads=${att.heads}, kvHeads=${att.kvHeads}${att.mla ? ' with an mla block' : ''}: expected "${expectedKind}"`)
  if (att.mla && att.headDim !== att.mla.qkNopeHeadDim + att.mla.qkRopeHeadDim)
    issue(['attention', 'headDim'], `MLA headDim must be qkNopeHeadDim + qkRopeHeadDim = ${att.mla.qkNopeHeadDim + att.mla.qkRopeHeadDim}`)
  const msa = att.indexer?.kind === 'msa'
  if (att.indexer && !msa && !att.mla?.qLoraRank && !spec.deepseekV4) issue(['attention', 'indexer'], 'the DSA indexer projects the MLA query latent: it needs an mla block with a qLoraRank')
  if (msa && (att.mla || att.qkNorm !== 'per-head' || att.indexer!.blockSize === undefined))
    issue(['attention', 'indexer'], 'the MSA indexer (kind msa) sits beside GQA attention with per-head QK-norm and needs a blockSize: no mla block')
  if (att.indexer?.blockSize !== undefined && !msa) issue(['attention', 'indexer', 'blockSize'], 'blockSize is an MSA indexer field (kind msa)')
  groupAttentionIssues(spec, issue)
  if (att.mla && att.valueHeadDim !== att.mla.vHeadDim) issue(['attention', 'valueHeadDim'], `MLA valueHeadDim must equal mla.vHeadDim (${att.mla.vHeadDim})`)
  const proj = spec.embeddings.projectionDim
  if (proj !== undefined && !spec.embeddings.tied) issue(['embeddings', 'projectionDim'], 'a projected embedding is modelled with a tied head only (OPT)')
  if (proj !== undefined && proj === spec.hiddenSize) issue(['embeddings', 'projectionDim'], `projectionDim equals hiddenSize (${proj}): remove it`)
  if (att.headGate && att.mla) issue(['attention', 'headGate'], 'a head-wise gate is modelled for GQA/MHA attention only')
  if (att.qkNormBias && att.qkNorm !== 'per-head') issue(['attention', 'qkNormBias'], 'a QK-norm bias is modelled for per-head QK-norm only (Phi)')
  if (att.alibi && spec.layerGroups.some((g) => g.rope)) issue(['attention', 'alibi'], 'ALiBi replaces rotary embeddings: its layers need rope false')
  const la = spec.linearAttention
  if (la?.kind === 'kda' && (la.keyHeads !== la.valueHeads || la.keyHeadDim !== la.valueHeadDim))
    issue(['linearAttention'], 'KDA uses one head count and head dim for keys and values: keyHeads = valueHeads and keyHeadDim = valueHeadDim')
  if (la?.kind === 'mamba' && (la.keyHeads !== 1 || la.valueHeadDim !== 1 || la.dtRank === undefined))
    issue(['linearAttention'], 'mamba: keyHeads 1, valueHeadDim 1 (valueHeads = d_inner channels, keyHeadDim = d_state) and a dtRank')
  if (la?.kind === 'short-conv' && (la.keyHeads !== 1 || la.keyHeadDim !== 1 || la.valueHeadDim !== 1))
    issue(['linearAttention'], 'short-conv: keyHeads, keyHeadDim and valueHeadDim 1 (valueHeads = conv channels)')
  if (la?.kind === 'mamba2' && la.valueHeads % la.keyHeads !== 0)
    issue(['linearAttention', 'keyHeads'], `mamba2: n_heads (valueHeads ${la.valueHeads}) must be a multiple of n_groups (keyHeads ${la.keyHeads})`)
  if (la && la.dtRank !== undefined && la.kind !== 'mamba') issue(['linearAttention', 'dtRank'], 'dtRank is a mamba (Mamba-1) field')
  if (la?.fullRankGate && la.kind !== 'kda') issue(['linearAttention', 'fullRankGate'], 'fullRankGate is a kda (Kimi Delta Attention) field')
  if (spec.moe?.latentNorm && !spec.moe.latentSize) issue(['moe', 'latentNorm'], 'latentNorm normalises the latent of a latent MoE: it needs a latentSize')
  if (spec.attnResiduals && spec.norms.perLayer < 4)
    issue(['norms', 'perLayer'], 'attention residuals add two norms to every layer (self_attention_res_norm, mlp_res_norm): perLayer must count them (4 with the input and post-attention norms)')
  if (spec.moe && spec.moe.topK > spec.moe.routedExperts)
    issue(['moe', 'topK'], `topK (${spec.moe.topK}) exceeds routedExperts (${spec.moe.routedExperts})`)
  let start = 0
  spec.layerGroups.forEach((group, i) => {
    if ((group.mixer === 'sliding' || group.mixer === 'chunked') && group.windowTokens === undefined)
      issue(['layerGroups', i, 'windowTokens'], `a ${group.mixer} layer needs windowTokens`)
    if ((group.mixer === 'full' || group.mixer === 'linear' || group.mixer === 'none' || group.mixer === 'parallel') && group.windowTokens !== undefined)
      issue(['layerGroups', i, 'windowTokens'], `a ${group.mixer} layer has no window; remove windowTokens`)
    if (group.windowTokens !== undefined && group.windowTokens >= spec.maxContextTokens)
      issue(['layerGroups', i, 'windowTokens'], `window ${group.windowTokens} is not smaller than maxContextTokens ${spec.maxContextTokens}`)
    if ((group.mixer === 'linear' || group.mixer === 'parallel') && !spec.linearAttention) issue(['layerGroups', i, 'mixer'], `${group.mixer} layers need a linearAttention block`)
    if (group.ffn === 'moe' && !spec.moe) issue(['layerGroups', i, 'ffn'], 'moe layers need a moe block')
    if (group.mixer === 'parallel' && spec.linearAttention && (spec.linearAttention.kind === 'gated-deltanet' || spec.linearAttention.kind === 'kda'))
      issue(['layerGroups', i, 'mixer'], 'a parallel layer pairs attention with a state-space mixer (mamba, mamba2 or short-conv)')
    // DeciLM / Nemotron-NAS: a block whose attention and FFN are both no_op is an identity layer without weights (norms 0).
    if (group.mixer === 'none' && group.ffn === 'none' && !group.linearMixer && group.norms !== 0) issue(['layerGroups', i], 'a layer needs a mixer or an FFN: mixer and ffn cannot both be "none" (an identity layer states norms 0)')
    if (group.linearMixer && (group.mixer !== 'none' || group.rope || spec.sharedBlocks)) issue(['layerGroups', i, 'linearMixer'], 'a linear mixer replaces attention: the layer needs mixer "none" and rope false')
    if (group.mixer === 'none' && group.kvSourceLayer !== undefined) issue(['layerGroups', i, 'kvSourceLayer'], 'a layer without a mixer has no KV to share')
    if (group.norms !== undefined && (group.mixer === 'linear' || group.mixer === 'parallel'))
      issue(['layerGroups', i, 'norms'], 'a per-run norm count is modelled for attention layers and FFN-only blocks only')
    if ((group.compressor !== undefined || group.hashRouting !== undefined) && !spec.deepseekV4) issue(['layerGroups', i], 'compressor and hashRouting are DeepSeek-V4 fields: they need a deepseekV4 block')
    if (group.compressor === 'csa' && !spec.attention.indexer) issue(['layerGroups', i, 'compressor'], 'a CSA layer selects its compressed entries with the DSA indexer: it needs attention.indexer')
    if (group.compressor !== undefined && group.mixer !== 'sliding') issue(['layerGroups', i, 'compressor'], 'a DeepSeek-V4 compressor sits beside a sliding window: the layer needs mixer "sliding"')
    if (group.hashRouting && group.ffn !== 'moe') issue(['layerGroups', i, 'hashRouting'], 'hash routing picks experts: the layer needs ffn "moe"')
    if (group.indexer === false && !spec.attention.indexer) issue(['layerGroups', i, 'indexer'], 'indexer: false marks a layer without its own DSA indexer: it needs attention.indexer')
    if (group.kvProjections === false && (group.kvSourceLayer === undefined || group.mixer === 'linear' || spec.attention.mla))
      issue(['layerGroups', i, 'kvProjections'], 'only a GQA/MHA attention layer that reuses another layer\'s KV (kvSourceLayer) can drop its k/v projections')
    if (group.kNorm === false && (group.kvProjections !== false || spec.attention.qkNorm !== 'per-head'))
      issue(['layerGroups', i, 'kNorm'], 'kNorm: false is for a layer without k/v projections (kvProjections false) whose attention has per-head QK-norm')
    if (group.kvSourceLayer !== undefined && group.kvSourceLayer >= start)
      issue(['layerGroups', i, 'kvSourceLayer'], `layer ${start} can only reuse the KV of an earlier layer, not ${group.kvSourceLayer}`)
    start += group.count
  })
  if (spec.linearAttention && !spec.layerGroups.some((g) => g.mixer === 'linear' || g.mixer === 'parallel'))
    issue(['linearAttention'], 'linearAttention is given but no layer group has mixer "linear" or "parallel"')
  if (spec.moe && !spec.layerGroups.some((g) => g.ffn === 'moe')) issue(['moe'], 'moe is given but no layer group has ffn "moe"')
  spec.encoders.forEach((e, i) => {
    if (e.kind === 'gemma3n-audio' && (e.subsampleKernels.length !== e.subsampleChannels.length || e.subsampleStrides.length !== e.subsampleChannels.length))
      issue(['encoders', i], 'subsampleChannels, subsampleKernels and subsampleStrides need one entry per convolution')
  })
  const sb = spec.sharedBlocks
  if (sb) {
    if (sb.invokedAt.some((l, i) => l >= spec.layers || (i > 0 && l <= sb.invokedAt[i - 1]!)))
      issue(['sharedBlocks', 'invokedAt'], `invokedAt must be increasing layer indices below layers (${spec.layers})`)
    if (sb.blocks > sb.invokedAt.length) issue(['sharedBlocks', 'blocks'], `${sb.blocks} shared blocks for ${sb.invokedAt.length} invocations: each block must run at least once`)
    if (spec.attention.mla) issue(['sharedBlocks'], 'shared blocks use GQA/MHA attention: remove the mla block')
    if (spec.layerGroups.some((g) => g.mixer !== 'linear' && g.mixer !== 'none'))
      issue(['sharedBlocks'], 'with shared blocks the `attention` block describes their attention: every layer group must be linear or none')
  }
})

export type ModelSpec = z.infer<typeof modelSpecObject>
