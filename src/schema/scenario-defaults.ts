// Every default of the scenario, once. A leaf module (no imports), so that calculators, the scenario's fields
// and flags (scenario-fields.ts) and its zod schema (scenario.ts) all read the same numbers without a cycle.
export const scenarioDefaults = {
  /** Context of the sizing commands (memory, kv, fit, compare, check, sweep), capped at the model's maximum. */
  contextTokens: 32768,
  /** Context of `flops` and `diff`: a typical prefill, where attention is not yet dominant. */
  flopsContextTokens: 8192,
  /** Prompt of every speed figure (perf, compare, check, sweep, explain) when neither --prompt nor --context is given. */
  promptTokens: 2048,
  outputTokens: 512,
  batch: 1,
  int4GroupSize: 128,
  mlaCache: 'latent',
  /** vLLM's max_num_batched_tokens for chunked prefill (V1 LLM class), for activation memory. */
  prefillChunkTokens: 2048,
  /** CUDA context, NCCL buffers and allocator reserve per device (vLLM reports 0.5-1.5 GiB of non-torch memory). */
  overheadBytesPerDevice: 2 ** 30,
  /** vLLM's gpu_memory_utilization default; other engines (and no engine) use the whole device or their own fraction. */
  engineMemoryUtilization: 0.9,
  memoryUtilization: 1,
  /**
   * Prefill MFU 0.5: PaLM reached 46.2% MFU in training (Chowdhery et al. 2022, Table 3), and large-batch prefill
   * reaches up to 76% (Pope et al. 2022, Efficiently Scaling Transformer Inference).
   */
  prefillMfu: 0.5,
  /**
   * Decode MBU 0.7: the middle of the 56-81% of peak bandwidth that llama.cpp reaches for batch-1 decode on
   * RTX 3090/4090 in the published measurements of docs/calibration.json.
   */
  bandwidthEfficiency: 0.7,
  /** vLLM's engine: V1 since 0.10 (V0 was removed); `--engine-version v0` reproduces older start-up logs. */
  vllmEngineVersion: 'v1',
  /** vLLM's top-k/top-p sampler: the Triton kernel, the default since 0.17 (vllm/v1/sample/ops/topk_topp_sampler.py apply_top_k_top_p, PR #33538). */
  vllmSampler: 'triton',
  /** TensorRT-LLM KvCacheConfig.free_gpu_memory_fraction default (tensorrt_llm/llmapi/llm_args.py). */
  kvCacheFreeFraction: 0.9,
  /** SGLang ServerArgs.swa_full_tokens_ratio: tokens of the sliding-window pool per token of the full pool. */
  swaFullTokensRatio: 0.8,
  /** SGLang ServerArgs.mamba_full_memory_ratio: memory of the linear/SSM state pool per byte of the full-attention KV pool. */
  mambaFullMemoryRatio: 0.9,
  /** Draft tokens per speculative step: DeepSeek-V3 ships one MTP module, so one draft token (vLLM num_speculative_tokens). */
  draftTokens: 1,
  /** llama.cpp's default physical batch (n_ubatch, common/common.h). */
  ubatch: 512,
} as const
