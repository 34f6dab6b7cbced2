// The choices of a training run, as lists and types: the flags read them at start-up, so this module imports nothing
// (the calculators that cost each choice load only when a training figure is asked for).

export const trainPrecisions = ['bf16', 'fp8', 'fp32'] as const
export type TrainPrecision = (typeof trainPrecisions)[number]

export const optimizers = ['adamw', 'adamw-8bit', 'adafactor', 'muon', 'sgd'] as const
export type Optimizer = (typeof optimizers)[number]

export const gradientDtypes = ['bf16', 'fp32'] as const
/** Gradients of mixed precision: 16-bit as ZeRO and DeepSpeed count them, or fp32 as Megatron-LM keeps them. */
export type GradientDtype = (typeof gradientDtypes)[number]

/**
 * none; selective (Korthikanti §5: the attention core recomputed, with flash attention nothing more); op (torchtitan's
 * selective op policy: the outputs of every other matmul and the attention kept, the rest recomputed; dense GQA layers
 * only (plain softmax attention, gated MLP), other layers as selective); full (each layer's input kept, the layer rebuilt in the backward).
 */
export const recomputeModes = ['none', 'selective', 'op', 'full'] as const
export type Recompute = (typeof recomputeModes)[number]

/**
 * The cross-entropy loss, by how much of the logits it holds at its peak:
 * - vocab-parallel: Megatron-LM's default (gpt_model.py vocab_parallel_cross_entropy(output.float()) unless
 *   --fp16-lm-cross-entropy; tensor_parallel/cross_entropy.py _VocabParallelCrossEntropy turns the fp32 copy into
 *   the softmax in place, saves it, and writes the gradient into it): 16-bit logits + one fp32 copy;
 * - eager: F.cross_entropy on logits.float(), as torchtitan (components/loss.py cross_entropy_loss, train.py frees
 *   pred before the backward), transformers (loss_utils.py ForCausalLMLoss) and torchtune's nn.CrossEntropyLoss
 *   run it: log_softmax saves its fp32 output, and its backward holds that, the fp32 gradient from nll_loss and the
 *   fp32 gradient it returns;
 * - chunked: torchtune CEWithChunkedOutputLoss (ce_chunked_output_loss.py) as torchtune runs it with compile
 *   (apply_compile_strategy compiles compute_cross_entropy, which then saves each chunk's 16-bit logits, not its
 *   fp32 log-softmax): the 16-bit logits of every token, the fp32 work of one of 8 chunks at a time (counted as the
 *   eager loss's three copies); in eager mode every chunk's fp32 log-softmax output is saved and most of the
 *   saving is lost;
 * - fused: torchtune LinearCrossEntropyLoss, Liger FusedLinearCrossEntropy: the head projects, upcasts and takes the
 *   loss one chunk of tokens at a time.
 */
export const lossKinds = ['vocab-parallel', 'eager', 'chunked', 'fused'] as const
export type LossKind = (typeof lossKinds)[number]

/** Chunks of the chunked and fused losses: torchtune CEWithChunkedOutputLoss and LinearCrossEntropyLoss num_output_chunks = 8. */
export const lossChunks = 8

export const pipelineSchedules = ['1f1b', 'interleaved'] as const
export type PipelineSchedule = (typeof pipelineSchedules)[number]

/** The adapters' dtype: fp32 as PEFT keeps them (autocast_adapter_dtype), or bf16 as torchtune builds the whole model in its dtype. */
export const adapterPrecisions = ['fp32', 'bf16'] as const
export type AdapterPrecision = (typeof adapterPrecisions)[number]
