import {pastMaximum} from '../calc/deployment.js'
import {lossChunks, lossKinds, recomputeModes} from '../calc/training/activations.js'
import {adapterPrecisions} from '../calc/training/lora.js'
import {optimizers, trainPrecisions} from '../calc/training/recipe.js'
import {defaultTrainMfu} from '../calc/training/time.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {parseTokenCount} from '../flags/quantity.js'
import {defaultSequenceTokens, trainScenarioBase, trainScenarioFor} from '../flags/train.js'
import {trainNotes, trainResult, trainView, type TrainResult} from '../report/train.js'

export default defineCommand({
  id: 'train',
  summary: 'Training and fine-tuning: memory per device by term (fits or not), tokens/s, wall-clock days, GPU-hours and cost of a run',
  examples: [
    '<%= config.bin %> train llama-3.1-405b --tokens 15.6T --gpus 16384xh100 --mfu 0.4',
    '<%= config.bin %> train qwen3-32b --lora-rank 16 --quantize-base 4bit --gpus 1xl40s --seq 2k --micro-batch 1',
    '<%= config.bin %> train deepseek-v3 --tokens 14.8T --gpus 2048xh800 --seq 4k --tp 1 --pp 16 --ep 64 --json',
  ],
  usage: 'train [MODEL...] --gpus 16384xh100 [--tokens 15T] [--seq 8k] [--global-batch 16M] [--zero 1] [--recompute selective] [--lora-rank 16]',
  args: [],
  variadic: true,
  flags: {
    gpus: {kind: 'option', description: 'Devices and hardware profile, e.g. 16384xh100, 8xh100, 1xl40s (required)'},
    tokens: {kind: 'option', description: 'Training tokens of the run, decimal: 15.6T, 300B, 2e12 (without it: memory and tokens/s only)'},
    seq: {kind: 'option', description: `Training sequence length [default: ${defaultSequenceTokens / 1024}k or the model maximum]`},
    'global-batch': {kind: 'option', description: 'Tokens per optimizer step over all replicas, e.g. 16M (= 16 x 2^20); sets the micro-batches per step'},
    'micro-batch': {kind: 'option', description: 'Sequences per micro-batch', default: '1'},
    tp: {kind: 'option', description: 'Tensor-parallel degree (sequence parallelism on when above 1) [default: the smallest split that fits, up to 8]'},
    pp: {kind: 'option', description: 'Pipeline stages [default: the fewest that fit]'},
    dp: {kind: 'option', description: 'Data-parallel replicas [default: devices / (tp x pp)]'},
    ep: {kind: 'option', description: 'Expert-parallel degree (MoE), dividing the experts and tp x dp [default: the largest such up to 64]'},
    vpp: {kind: 'option', description: 'Model chunks per pipeline stage (interleaved 1F1B schedule); 1 = plain 1F1B', default: '1'},
    zero: {kind: 'option', description: 'ZeRO stage: 0 none, 1 optimizer states, 2 + gradients, 3 + weights (sharded over the data-parallel group)', default: '1', options: ['0', '1', '2', '3']},
    fsdp: {kind: 'option', description: 'PyTorch FSDP: full (= ZeRO-3 over data parallel) or hybrid (ZeRO-3 within a node of 8, replicated across nodes)', options: ['full', 'hybrid']},
    recompute: {kind: 'option', description: 'Activation recomputation: none, selective (Korthikanti: the attention core), op (torchtitan selective op checkpointing: every other matmul output kept), full [default: selective; full for LoRA and QLoRA, as gradient checkpointing]', options: recomputeModes},
    optimizer: {kind: 'option', description: 'Optimizer', default: 'adamw', options: optimizers},
    precision: {kind: 'option', description: 'Precision recipe: bf16 mixed precision (fp32 master), fp8 (bf16 master copy + fp8 weight cache, fp8 peak), fp32', default: 'bf16', options: trainPrecisions},
    'lora-rank': {kind: 'option', description: 'Fine-tune with LoRA adapters of this rank (the base frozen)'},
    'lora-targets': {kind: 'option', description: 'Modules given adapters: comma list of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj, experts, all-linear [default: all-linear]'},
    'quantize-base': {kind: 'option', description: 'Quantize the frozen LoRA base with bitsandbytes: 4bit (NF4 + double quantization, QLoRA) or 8bit (LLM.int8)', options: ['4bit', '8bit']},
    loss: {
      kind: 'option',
      description: `Cross-entropy: vocab-parallel (Megatron-LM: bf16 logits + one fp32 copy, softmax and gradient in place), eager (F.cross_entropy on fp32 logits, as torchtitan and transformers: 3 fp32 copies at its backward), chunked (bf16 logits, fp32 one of ${lossChunks} chunks at a time, torchtune CEWithChunkedOutputLoss) or fused (the head projects one chunk at a time, torchtune LinearCrossEntropyLoss, Liger)`,
      default: 'vocab-parallel',
      options: lossKinds,
    },
    'adapter-precision': {kind: 'option', description: 'LoRA adapters, their gradients and optimizer states in fp32 (PEFT) or bf16 (torchtune) [default: fp32]', options: adapterPrecisions},
    mfu: {kind: 'option', description: `Model-FLOPs utilisation (0-1] [default: ${defaultTrainMfu}, the Llama 3 paper's 38-43% on 8K-16K H100s]`},
  },
  input: (raw) => {
    const base = trainScenarioBase(raw.flags)
    const seq = raw.flags.seq === undefined ? null : parseTokenCount(raw.flags.seq, 'seq')
    const models = resolveModels(raw.argv).map((spec) => {
      const scenario = trainScenarioFor(spec, base, seq)
      return {spec, scenario, warnings: scenario.sequenceTokens > spec.maxContextTokens ? [pastMaximum(spec, scenario.sequenceTokens)] : []}
    })
    return {models}
  },
  run: ({models}): {models: TrainResult[]; warnings: string[]} => ({
    models: models.map((m) => trainResult(m.spec, m.scenario)),
    warnings: models.flatMap((m) => m.warnings),
  }),
  present: ({models}) => ({views: [trainView(models, trainNotes(models[0]!))]}),
})
