// Shared flags of the sizing commands (oclif definitions); their translation into a scenario is in scenario.ts.
import {Flags} from '@oclif/core'
import {kvFormatNames, weightFormatNames} from '../calc/dtype.js'
import {engineNames} from '../calc/engines.js'

export * from './scenario.js'

export const scenarioFlags = {
  context: Flags.string({char: 'c', description: 'Context length per sequence in tokens (k = 1024: 32k = 32768) [default: 32k or the model maximum]'}),
  batch: Flags.string({char: 'b', description: 'Concurrent sequences', default: '1'}),
  weights: Flags.string({description: `Weight format of the linear layers and experts (${weightFormatNames.join('|')}) [default: the checkpoint's]`}),
  'expert-weights': Flags.string({description: 'Weight format of the routed experts only (overrides --weights for them)'}),
  'embedding-weights': Flags.string({description: 'Weight format of the embeddings and LM head'}),
  'int4-group-size': Flags.string({description: 'Group size of int4 scales', default: '128'}),
  'kv-dtype': Flags.string({description: `KV-cache format (${kvFormatNames.join('|')}) [default: the model's dtype]`}),
  'mla-cache': Flags.string({description: 'How MLA is cached: latent (kv_lora_rank + rope dim) or expanded per-head K and V', options: ['latent', 'expanded'], default: 'latent'}),
  engine: Flags.string({description: 'Also show what this serving engine reserves', options: [...engineNames]}),
  'memory-utilization': Flags.string({description: "Share of device memory the engine may use (vLLM's gpu_memory_utilization) [default: 0.9 with --engine, else 1]"}),
  'prefill-chunk': Flags.string({description: 'Tokens per prefill chunk, for activation memory', default: '2048'}),
  overhead: Flags.string({description: 'Runtime overhead per device (CUDA context, NCCL, allocator)', default: '1GiB'}),
  'offload-per-layer-embeddings': Flags.boolean({description: 'Keep per-layer embeddings (Gemma 3n) in host memory'}),
  hardware: Flags.string({char: 'H', description: 'Hardware profile, with a device count: h100, 8xh100, or a list h100,h200,mi300x'}),
}
