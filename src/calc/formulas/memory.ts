// Memory: weight bytes by storage class, the activations of one prefill chunk, and the sum of the memory leaves.
import type {ModelSpec} from '../../schema/model.js'
import {bit, formula} from './formula.js'

// Parameters of one storage class times the bytes per element of its format (block scales included, dtype.ts).
export const classWeightBytes = formula({
  id: 'weights.bytes.class',
  label: 'weights of one storage class',
  expression: 'x * bpe',
  symbols: {x: 'parameters stored in this format (params)', bpe: 'bytes per element of the format (bytes/element)'},
  unit: 'bytes',
  integer: false,
  source: 'checkpoint formats: safetensors dtypes, OCP MX v1.0, ggml-common.h block sizes (src/calc/dtype.ts)',
  evaluate: (v) => v.x * v.bpe,
})

// What the accelerator holds: every class, less the per-layer embeddings when they are kept in host memory (Gemma 3n).
export const deviceWeightBytes = formula({
  id: 'weights.bytes.device',
  label: 'weights the accelerators hold',
  expression: 'embeddings + linear + experts + unquantized - offloaded',
  symbols: {
    embeddings: 'embedding, per-layer embedding and LM head weights (bytes)',
    linear: 'attention, dense MLP, shared-expert and other matrices (bytes)',
    experts: 'routed experts (bytes)',
    unquantized: 'norms and routers, kept at full precision (bytes)',
    offloaded: 'per-layer embeddings kept in host memory, 0 unless offloaded (bytes)',
  },
  unit: 'bytes',
  integer: false,
  source: 'Gemma 3n per-layer embeddings offload (Google AI Edge, "PLE caching"); src/calc/weights.ts classes',
  evaluate: (v) => v.embeddings + v.linear + v.experts + v.unquantized - v.offloaded,
  read: (byClass: {embeddings: number; linear: number; experts: number; unquantized: number}, offloadedBytes: number) => ({
    embeddings: byClass.embeddings,
    linear: byClass.linear,
    experts: byClass.experts,
    unquantized: byClass.unquantized,
    offloaded: offloadedBytes,
  }),
})

// Widest attention activation of one token: q (doubled with an output gate), k and v, and the attention output.
export const attentionActivationWidth = formula({
  id: 'memory.activations.attentionWidth',
  label: 'attention activations of one token (q, k, v and the attention output)',
  expression: 'H * d * (1 + g) + 2 * Hkv * d + H * dv',
  symbols: {H: 'query heads', d: 'query/key head width (elements)', g: '1 if q_proj also computes an output gate, else 0', Hkv: 'key/value heads', dv: 'value head width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'vLLM profile_run (gpu_model_runner.py) peak of LlamaAttention.forward: qkv and attn_output',
  evaluate: (v) => v.H * v.d * (1 + v.g) + 2 * v.Hkv * v.d + v.H * v.dv,
  read: (spec: ModelSpec) => {
    const att = spec.attention
    return {H: att.heads, d: att.headDim, g: bit(att.outputGate), Hkv: att.kvHeads, dv: att.valueHeadDim}
  },
})

// Widest MLP activation of one token: gate and up outputs of the widest dense MLP, or of the top-k and shared experts.
export const ffnActivationWidth = formula({
  id: 'memory.activations.ffnWidth',
  label: 'MLP activations of one token (gate and up outputs)',
  expression: 'max(2 * (k * Ie + Is), 2 * I)',
  symbols: {k: 'experts per token, 0 for a dense model', Ie: 'expert intermediate width, 0 for a dense model (elements)', Is: 'shared-expert intermediate width (elements)', I: 'widest dense intermediate width (elements)'},
  unit: 'elements',
  integer: true,
  source: 'vLLM profile_run peak of LlamaMLP.forward (gate_up_proj output); fused MoE intermediate cache (fused_moe.py)',
  evaluate: (v) => Math.max(2 * (v.k * v.Ie + v.Is), 2 * v.I),
  read: (spec: ModelSpec) => ({
    k: spec.moe?.topK ?? 0,
    Ie: spec.moe?.expertIntermediateSize ?? 0,
    Is: spec.moe?.sharedIntermediateSize ?? 0,
    I: Math.max(spec.ffn.intermediateSize, ...spec.layerGroups.map((g) => g.ffnIntermediateSize ?? 0)),
  }),
})

// Peak live activations of one prefill chunk per device: residual stream and its normed copy (2h) plus the wider of
// attention and MLP, 16-bit, split over tensor-parallel ranks; plus fp32 logits of the last position of each sequence.
export const activationBytes = formula({
  id: 'memory.activations',
  label: 'activations of one prefill chunk of C tokens, per device, plus fp32 logits of the batch',
  expression: 'ceil(C * (2 * h + max(aw, fw)) * ab / tp + B * V * 4)',
  symbols: {
    C: 'prefill chunk, max_num_batched_tokens (tokens)',
    h: 'hidden size (elements)',
    aw: 'attention activations of one token (elements)',
    fw: 'MLP activations of one token (elements)',
    ab: 'bytes per activation (bytes/element)',
    tp: 'tensor-parallel ranks',
    B: 'sequences (batch)',
    V: 'vocabulary size (logits per sequence)',
  },
  unit: 'bytes',
  integer: true,
  source: 'vLLM gpu_model_runner.py profile_run (dummy batch of max_num_batched_tokens) and compute_logits',
  evaluate: (v) => Math.ceil((v.C * (2 * v.h + Math.max(v.aw, v.fw)) * v.ab) / v.tp + v.B * v.V * 4),
  read: (spec: ModelSpec, s: ActivationScenario, attentionWidth: number, ffnWidth: number) => ({
    C: s.prefillChunkTokens,
    h: spec.hiddenSize,
    aw: attentionWidth,
    fw: ffnWidth,
    ab: 2, // activations in the 16-bit compute dtype
    tp: s.layout.tp,
    B: s.batch,
    V: spec.embeddings.vocabSize,
  }),
})

/** What the activation formula reads from a scenario. */
export interface ActivationScenario {
  prefillChunkTokens: number
  batch: number
  layout: {tp: number}
}

/** The leaves of a memory estimate, for the deployment or for one device. */
export interface MemoryLeaves {
  weightsBytes: number
  kvBytes: number
  /** The engine's reservation, which is the KV leaf when an engine is named (absent per device: kvBytes is its share). */
  engineKvBytes?: number | null
  activationBytes: number
  overheadBytes: number
}

// A memory total is the sum of its leaves, for the whole deployment or for one device.
export const memoryTotal = formula({
  id: 'memory.total',
  label: 'memory: weights + KV cache + activations + overhead',
  expression: 'weights + kv + activations + overhead',
  symbols: {
    weights: 'weights held (bytes)',
    kv: 'KV cache, the engine\'s reservation when an engine is named (bytes)',
    activations: 'activations (bytes)',
    overhead: 'CUDA context, NCCL buffers and allocator reserve (bytes)',
  },
  unit: 'bytes',
  integer: true,
  source: 'vLLM determine_available_memory (worker/gpu_worker.py): weights + KV + peak activations + non-torch memory',
  evaluate: (v) => v.weights + v.kv + v.activations + v.overhead,
  read: (m: MemoryLeaves) => ({weights: m.weightsBytes, kv: m.engineKvBytes ?? m.kvBytes, activations: m.activationBytes, overhead: m.overheadBytes}),
})

export const memoryFormulas = [classWeightBytes, deviceWeightBytes, attentionActivationWidth, ffnActivationWidth, activationBytes, memoryTotal] as const
