// Published serving measurements against archcost's predictions (docs/calibration.json -> docs/CALIBRATION.md):
// batch-1 decode, TTFT, fixed batches, high concurrency, speculative decoding, disaggregated pools. Each case states
// its engine, layout, weights and workload as the source does; archcost predicts it with its defaults.
import {z} from 'zod'
import {defaultScenario, memoryEstimate} from '../calc/memory.js'
import {defaultPerfOptions, perfEstimate, type PerfScenario} from '../calc/perf.js'
import {weightFormatNames, type WeightFormat} from '../calc/dtype.js'
import {devicesOf, makeLayout} from '../calc/parallel.js'
import {engineTimingOf, timingForEngineLabel} from '../calc/serving/latency.js'
import {acceptanceRateForLength, defaultAcceptanceRate, type Speculation} from '../calc/serving/speculative.js'
import type {ServingRequest} from '../calc/serving/workload.js'
import {engineNames, type EngineName} from '../calc/engines.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {loadModel} from '../presets/load.js'
import {kvCaseSchema} from './kv-calibration.js'
import {trainCaseSchema} from './train-calibration.js'

const format = z.enum(weightFormatNames as [WeightFormat, ...WeightFormat[]])
const count = z.number().int().positive()
export const servingMetrics = [
  'outputTokensPerSecondPerUser',
  'decodeTokensPerSecond',
  'tpotSeconds',
  'itlSeconds',
  'ttftSeconds',
  'outputTokensPerSecond',
  'totalTokensPerSecond',
  'requestsPerSecond',
  'e2eLatencySeconds',
  'outputTokensPerSecondPerDevice',
] as const
export type ServingMetric = (typeof servingMetrics)[number]

const caseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/),
    model: z.string(),
    modelAsMeasured: z.string(),
    hardware: z.string(),
    devices: count,
    layout: z.object({tp: count, pp: count, dp: count, ep: count, dpAttention: z.boolean()}).strict(),
    engine: z.string(),
    engineVersion: z.string().nullable(),
    weights: z.union([z.object({linear: format, experts: format, embeddings: format, unquantized: format}).partial().strict(), z.object({gguf: z.string()}).strict()]),
    kvFormat: z.enum(['bf16', 'fp16', 'fp8', 'int8', 'int4']),
    workload: z
      .object({
        kind: z.enum(['batch', 'concurrency', 'rate']),
        batch: count.nullable(),
        concurrency: count.nullable(),
        requestsPerSecond: z.number().positive().nullable(),
        inputTokens: z.number().int().nonnegative().nullable(),
        outputTokens: z.number().int().nonnegative().nullable(),
        inputTokensDistribution: z.string(),
        /** Prompts the benchmark ran (closed loops and offline runs start them at once). */
        numPrompts: count.optional(),
      })
      .strict(),
    speculative: z
      .object({method: z.enum(['mtp', 'eagle', 'eagle3', 'draft', 'ngram']), draftTokens: count.nullable(), acceptanceLength: z.number().positive().nullable(), draftModel: z.string().nullable()})
      .strict()
      .nullable(),
    disaggregation: z.object({prefillDevices: count.nullable(), decodeDevices: count.nullable(), note: z.string()}).strict().nullable(),
    prefixCacheHitRate: z.number().min(0).max(1).nullable(),
    metric: z.enum(servingMetrics),
    statistic: z.string(),
    published: z.number().positive(),
    source: z.string().regex(/^https?:\/\//),
    quote: z.string(),
    settings: z.string(),
    caveat: z.string(),
    /** The constant this case was used to set (src/calc/serving/latency.ts); absent: independent. */
    setsConstant: z.string().optional(),
  })
  .strict()
export type ServingCase = z.infer<typeof caseSchema>

export const calibrationSchema = z.object({note: z.string(), serving: z.array(caseSchema), kvCapacity: z.array(kvCaseSchema), training: z.array(trainCaseSchema)}).strict()

export interface CalibrationRow extends ServingCase {
  /** null when archcost cannot predict the case (what it lacks is in `skipped`). */
  predicted: number | null
  /** predicted / published: above 1, archcost is optimistic (faster than measured for rates, slower for times). */
  ratio: number | null
  skipped: string | null
  bound: string | null
}

const seconds = new Set<ServingMetric>(['tpotSeconds', 'itlSeconds', 'ttftSeconds', 'e2eLatencySeconds'])

/** Why archcost cannot predict a case, or null. */
function unpredictable(c: ServingCase): string | null {
  if (c.workload.inputTokens === null || c.workload.outputTokens === null) return 'prompt or output lengths not published (ShareGPT mix)'
  if (c.workload.kind === 'batch' && c.workload.batch === null) return 'batch size not published'
  if ('gguf' in c.weights && !['q4_k_m', 'q8_0', 'q4_0'].includes(c.weights.gguf)) return `GGUF mix ${c.weights.gguf} not modelled`
  if (c.speculative && !['mtp', 'eagle', 'eagle3'].includes(c.speculative.method)) return `${c.speculative.method} speculation not modelled`
  if (c.speculative && c.speculative.draftTokens === null) return 'draft tokens not published'
  if (c.speculative && c.speculative.acceptanceLength === null && c.speculative.method !== 'mtp') return 'acceptance length not published'
  return null
}

/** GGUF file types as archcost names their per-tensor mixes (src/calc/gguf-mix.ts, llama-quantize's rules). */
const ggufFormats: Record<string, WeightFormat> = {q4_k_m: 'q4_k_m', q8_0: 'gguf-q8_0', q4_0: 'gguf-q4_0'}

function weightFormatsOf(c: ServingCase): Partial<Record<'linear' | 'experts' | 'embeddings' | 'unquantized', WeightFormat>> {
  if ('gguf' in c.weights) {
    return {linear: ggufFormats[c.weights.gguf]!}
  }
  return {...c.weights, ...(c.weights.linear && !c.weights.experts ? {experts: c.weights.linear} : {})}
}

function speculationOf(c: ServingCase): Speculation | null {
  const sp = c.speculative
  if (!sp) return null
  const method = sp.method === 'mtp' ? 'mtp' : 'eagle'
  const draftTokens = sp.draftTokens!
  const acceptanceRate =
    sp.acceptanceLength !== null ? (sp.acceptanceLength >= draftTokens + 1 ? 1 : acceptanceRateForLength(sp.acceptanceLength, draftTokens)) : defaultAcceptanceRate.mtp!
  return {method, draftTokens, acceptanceRate}
}

/** Predicts one case with archcost's defaults and the settings the source states. */
export function calibrate(c: ServingCase): CalibrationRow {
  const skipped = unpredictable(c)
  if (skipped) return {...c, predicted: null, ratio: null, skipped, bound: null}
  const spec = loadModel(c.model)
  const [choice] = parseHardwareFlag(c.hardware)
  const hw = choice!.hardware
  const w = c.workload
  const inputTokens = Math.max(1, w.inputTokens!) // llama-bench tg: generation from an empty prompt
  const outputTokens = w.outputTokens!
  // Data-parallel attention (SGLang --enable-dp-attention, TensorRT-LLM enable_attention_dp): every rank runs its own
  // attention over its own sequences and the experts span all ranks: tp 1, one replica per rank, ep over them.
  const {pp} = c.layout
  const ranks = Math.max(c.layout.tp, c.layout.dp)
  const [tp, dp] = c.layout.dpAttention ? [1, ranks] : [c.layout.tp, c.layout.dp]
  // TensorRT-LLM's mixed expert parallelism (moe_tp x moe_ep = tp, "TP8 EP4") still spreads the experts over all
  // tp ranks, as archcost's ep = tp does.
  const ep = !c.layout.dpAttention && c.layout.ep > 1 && c.layout.ep < c.layout.tp ? c.layout.tp : c.layout.ep
  const layout = makeLayout(tp, pp, dp, ep)
  // Batch sizes of data-parallel-attention deployments are per DP rank, as their sources state them; concurrency is all users.
  const perRank = c.layout.dpAttention ? dp : 1
  const users = w.kind === 'batch' ? w.batch! * perRank : w.kind === 'concurrency' ? w.concurrency! : 1
  const engine = (engineNames as readonly string[]).includes(c.engine) ? (c.engine as EngineName) : c.engine === 'trtllm' ? 'tensorrt-llm' : null
  const phase = c.disaggregation ? (outputTokens === 0 ? 'prefill' : 'decode') : 'both'
  // An open loop with no rate is an offline run: every request submitted at once, so as many run as fit.
  const mode: ServingRequest['mode'] = w.kind === 'rate' && w.requestsPerSecond === null ? 'concurrency' : w.kind
  const serving: ServingRequest = {
    mode,
    users: mode === 'concurrency' && w.kind === 'rate' ? 1_000_000 : users,
    requestsPerSecond: w.requestsPerSecond,
    prefixHitRate: c.prefixCacheHitRate ?? 0,
    speculation: speculationOf(c),
    phase,
    numPrompts: w.numPrompts ?? null,
  }
  const s: PerfScenario = {
    ...defaultScenario(spec),
    weightFormats: weightFormatsOf(c),
    kvFormat: c.kvFormat,
    batch: w.kind === 'batch' ? users : 1,
    contextTokens: inputTokens + Math.max(1, outputTokens),
    engine,
    layout,
    promptTokens: inputTokens,
    outputTokens: Math.max(1, outputTokens),
    serving,
  }
  // A case whose weights cannot fit the stated devices was transcribed wrong or ran something else: say so, do not predict it.
  if (memoryEstimate(spec, {...s, engine: null, batch: 1, contextTokens: 1}).perDevice.weightsBytes > hw.memoryBytes) return {...c, predicted: null, ratio: null, skipped: 'the stated weights do not fit the stated devices', bound: null}
  const timing = timingForEngineLabel(c.engine) ?? engineTimingOf(engine)
  const p = perfEstimate(spec, s, hw, {...defaultPerfOptions, engineTiming: timing, memoryUtilization: engine === 'vllm' ? 0.9 : 1})
  const e = p.serving
  // A case counting fewer devices than its layout (a per-node figure) gets that share of the aggregate.
  const share = Math.min(1, c.devices / devicesOf(layout))
  const predicted = predict(c.metric, e, inputTokens, outputTokens, share, c.devices)
  return {...c, predicted, ratio: predicted / c.published, skipped: null, bound: e.step.bound}
}

function predict(metric: ServingMetric, e: ReturnType<typeof perfEstimate>['serving'], input: number, output: number, share: number, devices: number): number {
  switch (metric) {
    case 'outputTokensPerSecondPerUser':
      return e.tokensPerSecondPerUser
    case 'decodeTokensPerSecond':
      return (e.runningSequences * share) / e.tpotSeconds
    case 'tpotSeconds':
    case 'itlSeconds':
      return e.tpotSeconds
    case 'ttftSeconds':
      return e.ttftSeconds
    case 'e2eLatencySeconds':
      return e.e2eSeconds
    case 'outputTokensPerSecond':
      return e.aggregateOutputTokensPerSecond * share
    case 'outputTokensPerSecondPerDevice':
      return (e.aggregateOutputTokensPerSecond * share) / devices
    case 'requestsPerSecond':
      return e.requestsPerSecond * share
    case 'totalTokensPerSecond':
      // A prefill-only figure (no output) counts the prompt tokens; else prompt and output tokens together.
      return output === 0 ? (e.mode === 'batch' ? (e.runningSequences * input) / e.ttftSeconds : e.requestsPerSecond * input * share) : e.requestsPerSecond * (input + output) * share
  }
}

/** How far predictions are from the measurements, over the rows given. */
export function servingSummary(rows: CalibrationRow[]) {
  const ratios = rows.map((r) => speedRatio(r)).filter((x): x is number => x !== null)
  const sorted = [...ratios].sort((a, b) => a - b)
  const median = sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2
  const typical = Math.exp(ratios.reduce((sum, x) => sum + Math.abs(Math.log(x)), 0) / Math.max(1, ratios.length))
  const within = (f: number) => ratios.filter((x) => Math.abs(Math.log(x)) <= Math.log(1 + f) + 1e-12).length
  return {cases: ratios.length, median, typical, within10: within(0.1), within25: within(0.25), within50: within(0.5)}
}

/**
 * Speed ratio: predicted speed over measured speed (rates as they are, times inverted), so that above 1 always means
 * archcost is optimistic.
 */
export function speedRatio(r: CalibrationRow): number | null {
  if (r.predicted === null) return null
  return seconds.has(r.metric) ? r.published / r.predicted : r.predicted / r.published
}

const metricText: Record<ServingMetric, string> = {
  outputTokensPerSecondPerUser: 'tok/s per user',
  decodeTokensPerSecond: 'decode tok/s, all sequences',
  tpotSeconds: 'TPOT s',
  itlSeconds: 'ITL s',
  ttftSeconds: 'TTFT s',
  outputTokensPerSecond: 'output tok/s',
  totalTokensPerSecond: 'in+out tok/s',
  requestsPerSecond: 'req/s',
  e2eLatencySeconds: 'latency s',
  outputTokensPerSecondPerDevice: 'output tok/s per GPU',
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3))

function workloadText(c: ServingCase): string {
  const w = c.workload
  const load = w.kind === 'batch' ? `batch ${w.batch}` : w.kind === 'concurrency' ? `${w.concurrency} users` : w.requestsPerSecond === null ? 'offline' : `${w.requestsPerSecond} req/s`
  const spec = c.speculative ? `, ${c.speculative.method} ${c.speculative.draftTokens}` : ''
  return `${load}, ${w.inputTokens ?? '?'} / ${w.outputTokens ?? '?'}${spec}`
}

function layoutOf(c: ServingCase): string {
  const l = c.layout
  return `tp${l.tp}${l.pp > 1 ? ` pp${l.pp}` : ''}${l.dp > 1 ? ` dp${l.dp}` : ''}${l.ep > 1 ? ` ep${l.ep}` : ''}${l.dpAttention ? ' dp-attn' : ''}`
}

export function calibrationMarkdown(rows: CalibrationRow[]): string {
  const predicted = rows.filter((r) => r.predicted !== null)
  const independent = predicted.filter((r) => !r.setsConstant)
  const all = servingSummary(predicted)
  const ind = servingSummary(independent)
  const multiBatch1 = servingSummary(independent.filter((r) => r.devices > 1 && r.workload.kind === 'batch' && r.workload.batch === 1 && r.layout.pp === 1))
  const line = (name: string, s: ReturnType<typeof servingSummary>) =>
    `| ${name} | ${s.cases} | ${s.median.toFixed(2)} | ${s.typical.toFixed(2)}x | ${s.within10} | ${s.within25} | ${s.within50} |`
  const lines = [
    '# Calibration',
    '',
    '## Speed: serving measurements',
    '',
    'Published measurements that nobody in this project wrote, against what `archcost perf` predicts with its defaults',
    `(prefill MFU ${defaultPerfOptions.prefillMfu}, decode MBU ${defaultPerfOptions.bandwidthEfficiency}, the latency constants of src/calc/serving/latency.ts) for the engine,`,
    'layout, weights and workload each source states. **Speed ratio** = predicted speed / measured speed (for times,',
    'measured / predicted): above 1, archcost is optimistic. Generated by `npm run calibrate` from `docs/calibration.json`;',
    'a test requires this file to match the code. Cases marked "sets" informed a constant; the independent ones carry the claim.',
    '',
    '| cases | count | median ratio | typical error (geo-mean \\|log\\|) | within 10% | within 25% | within 50% |',
    '|---|--:|--:|--:|--:|--:|--:|',
    line('independent', ind),
    line('all predicted', all),
    line('independent, multi-GPU batch-1 decode', multiBatch1),
    '',
    `${rows.length - predicted.length} more cases are listed but not predicted (the reason is in the row).`,
    '',
    '| case | model | hardware | layout | engine | workload (in / out) | metric | published | predicted | speed ratio | role | source |',
    '|---|---|---|---|---|---|---|--:|--:|--:|---|---|',
    ...rows.map((r) => {
      const ratio = speedRatio(r)
      const pred = r.predicted === null ? `— (${r.skipped})` : fmt(r.predicted)
      return `| ${r.id} | ${r.model} | ${r.devices}x ${r.hardware} | ${layoutOf(r)} | ${r.engine}${r.engineVersion ? ` ${r.engineVersion}` : ''} | ${workloadText(r)} | ${metricText[r.metric]} | ${fmt(r.published)} | ${pred} | ${ratio === null ? '—' : ratio.toFixed(2)} | ${r.setsConstant ? `sets ${r.setsConstant}` : 'independent'} | [source](${r.source}) |`
    }),
    '',
    '### Quotes and caveats',
    '',
    ...rows.map((r) => `- **${r.id}**: "${r.quote.replace(/\s+/g, ' ')}"${r.caveat ? ` — ${r.caveat.replace(/\s+/g, ' ')}` : ''}`),
    '',
  ]
  return lines.join('\n')
}
