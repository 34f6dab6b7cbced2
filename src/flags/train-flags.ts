// The training recipe's flags, read at start-up by `train`, `fit` and `explain`: definitions only, so that a command
// that is not asked about training loads none of the training calculators (flags/train.ts turns the text into a scenario).
import {lossChunks, lossKinds, adapterPrecisions, gradientDtypes, optimizers, recomputeModes, trainPrecisions} from '../calc/training/options.js'
import type {OptionFlag} from '../cli/definition.js'

/** Training sequence length when --seq is not given: 8k, or the model maximum when shorter. */
export const defaultSequenceTokens = 8192

const option = (description: string, extra: Partial<OptionFlag> = {}): OptionFlag => ({kind: 'option', description, ...extra})

/**
 * The training recipe's flags, shared by `train` and `fit --train`. Their defaults are applied in trainSetup (and
 * said in the text), not declared, so that `fit` can tell a training flag given without --train.
 */
export const trainRecipeFlags = {
  seq: option(`Training sequence length [default: ${defaultSequenceTokens / 1024}k or the model maximum]`),
  cp: option('Context-parallel degree: each sequence split over cp ranks (Megatron-Core ring attention), which divides activations and joins the optimizer sharding; devices = tp x cp x pp x dp [default: 1]'),
  vpp: option('Model chunks per pipeline stage (interleaved 1F1B schedule); 1 = plain 1F1B [default: 1]'),
  zero: option('ZeRO stage: 0 none, 1 optimizer states, 2 + gradients, 3 + weights (sharded over the data-parallel group) [default: 1]', {options: ['0', '1', '2', '3']}),
  fsdp: option('PyTorch FSDP: full (= ZeRO-3 over data parallel) or hybrid (ZeRO-3 within a node of 8, replicated across nodes)', {options: ['full', 'hybrid']}),
  recompute: option('Activation recomputation: none, selective (Korthikanti: the attention core), op (torchtitan selective op checkpointing: every other matmul output kept), full [default: selective; full for LoRA and QLoRA, as gradient checkpointing]', {options: recomputeModes}),
  optimizer: option('Optimizer [default: adamw]', {options: optimizers}),
  precision: option('Precision recipe: bf16 mixed precision (fp32 master), fp8 (bf16 master copy + fp8 weight cache, fp8 peak), fp32 [default: bf16]', {options: trainPrecisions}),
  'lora-rank': option('Fine-tune with LoRA adapters of this rank (the base frozen)'),
  'lora-targets': option('Modules given adapters: comma list of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, experts, all-linear [default: all-linear]'),
  'quantize-base': option('Quantize the frozen LoRA base with bitsandbytes: 4bit (NF4 + double quantization, QLoRA) or 8bit (LLM.int8)', {options: ['4bit', '8bit']}),
  loss: option(
    `Cross-entropy: vocab-parallel (Megatron-LM: bf16 logits + one fp32 copy, softmax and gradient in place), eager (F.cross_entropy on fp32 logits, as torchtitan and transformers: 3 fp32 copies at its backward), chunked (bf16 logits, fp32 one of ${lossChunks} chunks at a time, torchtune CEWithChunkedOutputLoss) or fused (the head projects one chunk at a time, torchtune LinearCrossEntropyLoss, Liger) [default: vocab-parallel]`,
    {options: lossKinds},
  ),
  'grad-dtype': option("Gradients of mixed-precision training: bf16 (ZeRO's and DeepSpeed's count, FSDP's param dtype) or fp32 (Megatron-LM accumulates and all-reduces bf16 training's gradients in fp32) [default: bf16]", {options: gradientDtypes}),
  'adapter-precision': option('LoRA adapters, their gradients and optimizer states in fp32 (PEFT) or bf16 (torchtune) [default: fp32]', {options: adapterPrecisions}),
}

