import {pastMaximum} from '../calc/deployment.js'
import {defaultMfuBands} from '../calc/training/time.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {parseTokenCount} from '../flags/quantity.js'
import {trainRecipeFlags, trainScenarioBase, trainScenarioFor} from '../flags/train.js'
import {trainNotes, trainResult, trainView, type TrainResult} from '../report/train.js'

export default defineCommand({
  id: 'train',
  summary: 'Training and fine-tuning: memory per device by term (fits or not), tokens/s, wall-clock days, GPU-hours and cost of a run',
  examples: [
    '<%= config.bin %> train llama-3.1-405b --tokens 15.6T --gpus 16384xh100 --mfu 0.4',
    '<%= config.bin %> train qwen3-32b --lora-rank 16 --quantize-base 4bit --gpus 1xl40s --seq 2k --micro-batch 1',
    '<%= config.bin %> train deepseek-v3 --tokens 14.8T --gpus 2048xh800 --seq 4k --tp 1 --pp 16 --ep 64 --precision fp8 --json',
  ],
  usage: 'train [MODEL...] --gpus 16384xh100 [--tokens 15T] [--seq 8k] [--global-batch 16M] [--zero 1] [--recompute selective] [--lora-rank 16]',
  args: [],
  variadic: true,
  flags: {
    gpus: {kind: 'option', description: 'Devices and hardware profile, e.g. 16384xh100, 8xh100, 1xl40s (required)'},
    tokens: {kind: 'option', description: 'Training tokens of the run, decimal: 15.6T, 300B, 2e12 (without it: memory and tokens/s only)'},
    tp: {kind: 'option', description: 'Tensor-parallel degree (sequence parallelism on when above 1) [default: the smallest split that fits, up to 8]'},
    pp: {kind: 'option', description: 'Pipeline stages [default: the fewest that fit]'},
    dp: {kind: 'option', description: 'Data-parallel replicas [default: devices / (tp x pp)]'},
    ep: {kind: 'option', description: 'Expert-parallel degree (MoE), dividing the experts and tp x dp [default: the largest such up to 64]'},
    'global-batch': {kind: 'option', description: 'Tokens per optimizer step over all replicas, e.g. 16M (= 16 x 2^20); sets the micro-batches per step'},
    'micro-batch': {kind: 'option', description: 'Sequences per micro-batch', default: '1'},
    ...trainRecipeFlags,
    mfu: {
      kind: 'option',
      description: `Model-FLOPs utilisation (0-1] [default by model and device: ${defaultMfuBands.moeBf16} for mixture-of-experts models (${defaultMfuBands.moeFp8} of the FP8 peak in FP8); dense models ${defaultMfuBands.ampereDense} on devices under 500 BF16 TFLOP/s (A100 class, torchtitan on 64 A100s), ${defaultMfuBands.hopperDense} on Hopper and later (the Llama 3 paper's 38-43% on 8K-16K H100s); the notes say which applied]`,
    },
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
