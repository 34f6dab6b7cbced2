// An engine's start-up memory accounting, term by term, as `fit --engine` and `memory --engine` report it.
import {z} from 'zod'
import {bytesInt, countInt, engineSchema, tokensInt} from './common.js'

export const engineBudgetSchema = z.strictObject({
  engine: engineSchema,
  engineVersion: z.enum(['v1', 'v0']).nullable().describe('vLLM engine (--engine-version); null for the other engines'),
  deviceMemoryVisibleBytes: bytesInt('Device memory as the runtime reports it (CUDA total_memory; Apple: the wired limit)'),
  memoryShare: z.number().gt(0).lte(1).describe('gpu_memory_utilization (vLLM, transformers), mem_fraction_static (SGLang), free_gpu_memory_fraction (TensorRT-LLM), 1 (llama.cpp)'),
  budgetBytes: bytesInt('The memory the engine budgets with'),
  weightsBytes: bytesInt('Weights on one device'),
  activationPeakBytes: bytesInt("Activation peak of the engine's profiling run, or its reserve for it (SGLang), or compute buffers (llama.cpp)"),
  samplerPeakBytes: bytesInt("Of which the sampler's logits (vLLM)"),
  nonTorchBytes: bytesInt('Memory outside the allocator: NCCL, cuBLAS, CUDA context where the engine counts it'),
  cudaGraphBytes: bytesInt('CUDA graph memory the engine reserves before sizing the pool (vLLM captures after sizing: 0)'),
  profileTokens: tokensInt('Tokens of the profiling run (vLLM max_num_batched_tokens, SGLang chunked_prefill_size, llama.cpp n_ubatch)'),
  profileSequences: countInt('Sequences of the profiling run (vLLM max_num_seqs), SGLang cuda_graph_max_bs', 'sequences'),
  kvCachePoolBytesPerDevice: bytesInt('Memory left for the KV cache on one device'),
  kvBytesPerTokenPerDevice: z.number().nonnegative().describe('KV bytes one token costs on one device over the layers one block covers [bytes]'),
  blockTokens: countInt('Tokens per KV block (page)', 'tokens'),
  blocks: countInt('KV blocks in the pool', 'blocks'),
  engineReportedKvTokens: tokensInt('KV cache size as the engine logs it (vLLM "GPU KV cache size", V0 GPU blocks x 16, SGLang #tokens, llama.cpp cells)'),
  capacityTokens: tokensInt('Longest single-sequence context the pool holds, windows as the engine keeps them'),
  maxConcurrency: z.number().nonnegative().describe('Sequences of the context at once, as the engine computes it [sequences]'),
  engineLog: z.array(z.string()).describe('The start-up lines the engine itself would log'),
})
