// Published engine start-up logs against archcost's engine accounting (docs/calibration.json kvCapacity ->
// docs/CALIBRATION.md): the KV cache size each engine logged, and what engineBudget predicts for the same settings.
import {z} from 'zod'
import {caseProvenanceFields} from './case-provenance.js'
import {engineBudget} from '../calc/engine-budget.js'
import {memoryScenarioFor} from '../calc/deployment.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {loadModel} from '../presets/load.js'
import {scenarioInput} from '../schema/scenario-fields.js'

export const kvCaseSchema = z
  .object({
    id: z.string(),
    model: z.string().describe('Preset id or config file'),
    hardware: z.string().describe('Hardware profile id'),
    devices: z.number().int().positive(),
    flags: z.record(z.string(), z.string()).describe('archcost flags that state the logged settings'),
    measuredTokens: z.number().int().positive().optional().describe('KV cache tokens the engine logged'),
    measuredKvBytes: z.number().int().positive().optional().describe('KV cache bytes the engine logged (llama.cpp: its KV buffer), where that is the figure'),
    engineVersion: z.string().nullable(),
    ...caseProvenanceFields,
  })
  .strict()
  .refine((c) => (c.measuredTokens === undefined) !== (c.measuredKvBytes === undefined), 'a case logs either tokens or KV bytes')
export type KvCase = z.infer<typeof kvCaseSchema>

export interface KvCalibrationRow extends KvCase {
  /** What the case logs: KV tokens, or KV bytes (llama.cpp's buffer). */
  measure: 'tokens' | 'bytes'
  measured: number
  predicted: number
  /** measured / predicted. */
  ratio: number
}

/** The engine's logged KV size as archcost predicts it, with the case's layout and settings. */
export function calibrateKv(c: KvCase): KvCalibrationRow {
  const spec = loadModel(c.model)
  const [choice] = parseHardwareFlag(c.hardware)
  const input = scenarioInput(c.flags)
  const costed = memoryScenarioFor(spec, input, c.devices, input.contextTokens ?? spec.maxContextTokens)
  const tp = input.parallel.tp ?? 1
  const pp = input.parallel.pp ?? 1
  // The logs' own layouts; experts split over the tensor-parallel group as vLLM does without --enable-expert-parallel.
  const scenario = {...costed.scenario, layout: {tp, ep: 1, pp, dp: 1}}
  const budget = engineBudget(spec, scenario, choice!.hardware, input.engineSettings, costed.memoryUtilization)
  const [measure, measured, predicted] =
    c.measuredKvBytes !== undefined ? (['bytes', c.measuredKvBytes, budget.kvCachePoolBytesPerDevice] as const) : (['tokens', c.measuredTokens!, budget.engineReportedKvTokens] as const)
  return {...c, measure, measured, predicted, ratio: measured / predicted}
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`
const figure = (r: KvCalibrationRow, value: number) => (r.measure === 'tokens' ? `${value.toLocaleString('en-US')} tokens` : `${(value / 2 ** 20).toFixed(2)} MiB KV`)

/** The cases more than 5% off, with what the source says about each. */
function outliers(rows: KvCalibrationRow[]): string[] {
  const off = rows.filter((r) => Math.abs(r.ratio - 1) > 0.05)
  if (off.length === 0) return []
  return ['More than 5% off:', '', ...off.map((r) => `- ${r.id} (${r.ratio.toFixed(3)}): ${r.caveat ?? 'no known reason'}`), '']
}

/** Mean absolute relative error of the predictions, |predicted - measured| / measured. */
export const meanAbsoluteError = (rows: KvCalibrationRow[]) =>
  rows.reduce((sum, r) => sum + Math.abs(r.predicted - r.measured) / r.measured, 0) / Math.max(1, rows.length)

export function kvCalibrationMarkdown(rows: KvCalibrationRow[]): string {
  const independent = rows.filter((r) => r.role === 'independent')
  const vllm = independent.filter((r) => r.flags.engine === 'vllm')
  const lines = [
    '## KV-cache capacity at engine start-up',
    '',
    `Each row is a published start-up log (docs/engine-logs.json has every setting the source states): the KV cache size the engine logged against what \`archcost fit --engine\` predicts with the same model, GPU, layout and settings. ${rows.length} cases; ${rows.length - independent.length} informed a constant (marked, with the constant), the other ${independent.length} are independent and carry the claim.`,
    '',
    `Mean absolute error on the independent cases: **${percent(meanAbsoluteError(independent))}** (${independent.length} cases); vLLM alone ${percent(meanAbsoluteError(vllm))} (${vllm.length} cases). Goal: 3% on vLLM, 5% across engines.`,
    '',
    ...outliers(rows),
    '| case | engine | model | hardware | settings | logged | predicted | logged / predicted | role | source |',
    '|---|---|---|---|---|--:|--:|--:|---|---|',
  ]
  for (const r of rows) {
    const settings = Object.entries(r.flags)
      .filter(([k]) => k !== 'engine')
      .map(([k, v]) => `--${k} ${v}`)
      .join(' ')
    const engine = `${r.flags.engine}${r.engineVersion ? ` ${r.engineVersion}` : ''}${r.flags['engine-version'] ? ` (${r.flags['engine-version'].toUpperCase()})` : ''}`
    const role = r.role === 'independent' ? 'independent' : `sets: ${r.constant}`
    lines.push(`| ${r.id} | ${engine} | ${r.model} | ${r.devices}x ${r.hardware} | ${settings} | ${figure(r, r.measured)} | ${figure(r, r.predicted)} | ${r.ratio.toFixed(3)} | ${role} | [source](${r.source}) |`)
  }
  return `${lines.join('\n')}\n`
}
