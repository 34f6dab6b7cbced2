// Published training runs against archcost's training model (docs/calibration.json training -> docs/CALIBRATION.md):
// the GPU-hours a run reports against what `archcost train` predicts for the same model, tokens, hardware and
// layout at the default MFU, and the MFU figures that set that default.
import {z} from 'zod'
import {caseProvenanceFields} from './case-provenance.js'
import {defaultTrainMfu} from '../calc/training/time.js'
import {trainScenarioBase, trainScenarioFor} from '../flags/train.js'
import {parseTokenCount} from '../flags/quantity.js'
import {loadModel} from '../presets/load.js'
import {trainResult} from './train.js'

export const trainCaseSchema = z
  .object({
    id: z.string(),
    model: z.string().describe('Preset id, or a repo-relative path to a config.json'),
    flags: z.record(z.string(), z.string()).describe('archcost train flags that state the run (gpus, tokens, seq, layout, precision)'),
    metric: z
      .enum(['gpuHours', 'mfu', 'peakMemoryBytes', 'peakAllocatedBytes'])
      .describe(
        "gpuHours: the run's device-hours; mfu: a model-FLOPs utilisation the source states; peakMemoryBytes: peak memory one device holds, as nvidia-smi or the allocator's reserved pool (torch.cuda.max_memory_reserved) reads it, against the total with its framework allowance; peakAllocatedBytes: the allocator's peak of live tensors (torch.cuda.max_memory_allocated), against the total less the framework allowance (no CUDA context, NCCL buffers or cached free blocks)",
      ),
    published: z.number().positive(),
    ...caseProvenanceFields,
  })
  .strict()
export type TrainCase = z.infer<typeof trainCaseSchema>

export interface TrainCalibrationRow extends TrainCase {
  predicted: number
  /** predicted / published. */
  ratio: number
}

/** What archcost predicts for the case: the run's GPU-hours at the default MFU, or the default MFU itself. */
export function calibrateTrain(c: TrainCase): TrainCalibrationRow {
  if (c.metric === 'mfu') return {...c, predicted: defaultTrainMfu, ratio: defaultTrainMfu / c.published}
  const spec = loadModel(c.model)
  const seq = c.flags.seq === undefined ? null : parseTokenCount(c.flags.seq, 'seq')
  const result = trainResult(spec, trainScenarioFor(spec, trainScenarioBase(c.flags), seq))
  const m = result.memoryPerDeviceBytes
  if (c.metric === 'peakMemoryBytes') return {...c, predicted: m.total, ratio: m.total / c.published}
  // max_memory_allocated counts tensors only: the allowance for the CUDA context, NCCL and the allocator's slack is not in it.
  if (c.metric === 'peakAllocatedBytes') return {...c, predicted: m.total - m.framework, ratio: (m.total - m.framework) / c.published}
  if (result.gpuHours === null) throw new Error(`training case ${c.id} states no --tokens`)
  return {...c, predicted: result.gpuHours, ratio: result.gpuHours / c.published}
}

/** Mean absolute relative error, |predicted - published| / published. */
export const trainMeanAbsoluteError = (rows: TrainCalibrationRow[]) => rows.reduce((sum, r) => sum + Math.abs(r.ratio - 1), 0) / Math.max(1, rows.length)

/** A peak-memory case, reserved or allocated. */
export const isMemory = (r: TrainCase) => r.metric === 'peakMemoryBytes' || r.metric === 'peakAllocatedBytes'

const percent = (x: number) => `${(x * 100).toFixed(1)}%`
const figure = (r: TrainCalibrationRow, value: number) =>
  r.metric === 'mfu' ? percent(value) : isMemory(r) ? `${(value / 2 ** 30).toFixed(1)} GiB` : `${(value / 1e6).toFixed(3)}M GPU-h`

export function trainCalibrationMarkdown(rows: TrainCalibrationRow[]): string {
  const hours = rows.filter((r) => r.metric === 'gpuHours')
  const independent = hours.filter((r) => r.role === 'independent')
  const within = independent.filter((r) => Math.abs(r.ratio - 1) <= 0.35).length
  const memory = rows.filter((r) => isMemory(r) && r.role === 'independent')
  const within15 = memory.filter((r) => Math.abs(r.ratio - 1) <= 0.15).length
  const lines = [
    '## Training: published runs',
    '',
    `Each row is a published training run: the device-hours it reports against what \`archcost train\` predicts with the same model, tokens, hardware, sequence length and layout at the default MFU (${defaultTrainMfu}), an MFU the source states against that default, or a peak memory per device against the predicted total. ${rows.length} cases; ${rows.length - rows.filter((r) => r.role === 'independent').length} informed the default MFU (marked), the other ${rows.filter((r) => r.role === 'independent').length} are independent.`,
    '',
    `GPU-hours, independent cases: mean absolute error **${percent(trainMeanAbsoluteError(independent))}** (${independent.length} cases), ${within} of ${independent.length} within 35% (issue #17's goal with the default MFU). Published hours include what the model leaves out: failures and restarts, evaluation, long-context and annealing stages where the source counts them (each caveat says).`,
    '',
    `Peak memory per device, independent cases: mean absolute error **${percent(trainMeanAbsoluteError(memory))}** (${memory.length} cases), ${within15} of ${memory.length} within 15% (issue #17's goal). A reading of device memory (nvidia-smi, or the allocator's reserved pool, \`torch.cuda.max_memory_reserved\`; metric peakMemoryBytes) is compared with \`memoryPerDeviceBytes.total\`, its 1 GiB framework allowance included; the allocator's peak of live tensors (\`torch.cuda.max_memory_allocated\`; peakAllocatedBytes) with the total less that allowance.`,
    '',
    '| case | model | settings | published | predicted | predicted / published | role | source |',
    '|---|---|---|--:|--:|--:|---|---|',
  ]
  for (const r of rows) {
    const settings = Object.entries(r.flags)
      .map(([k, v]) => `--${k} ${v}`)
      .join(' ')
    const role = r.role === 'independent' ? 'independent' : `sets: ${r.constant}`
    const id = r.metric === 'peakAllocatedBytes' ? `${r.id} (allocated)` : r.metric === 'peakMemoryBytes' ? `${r.id} (device)` : r.id
    lines.push(`| ${id} | ${r.model} | ${settings} | ${figure(r, r.published)} | ${figure(r, r.predicted)} | ${r.ratio.toFixed(3)} | ${role} | [source](${r.source}) |`)
  }
  const notes = rows.filter((r) => r.caveat)
  if (notes.length) lines.push('', 'Caveats:', '', ...notes.map((r) => `- ${r.id}: ${r.caveat}`))
  return `${lines.join('\n')}\n`
}
