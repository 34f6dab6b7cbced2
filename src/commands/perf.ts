import {perfOptionsOf, speedScenarioFor, withLayoutFlags} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels, withDraftModel} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {perfResult, perfView, type PerfResult} from '../report/perf.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

export default defineCommand({
  id: 'perf',
  summary: 'Serving speed and cost: TTFT, time per output token, tokens/s per user and in total, at a batch, a concurrency or a request rate; $/1M tokens',
  examples: [
    '<%= config.bin %> perf llama-3.1-8b --hardware h100',
    '<%= config.bin %> perf deepseek-v3 --hardware 8xh200 --prompt 2k --output 512 --batch 32',
    '<%= config.bin %> perf qwen3-30b-a3b --hardware h100,mi300x,rtx4090 --batch 8 --json',
    '<%= config.bin %> perf llama-3.1-8b --hardware h100 --concurrency 64 --isl 2k --osl 512',
    '<%= config.bin %> perf deepseek-r1 --hardware 8xb200 --speculative mtp --draft-tokens 3 --engine sglang',
    '<%= config.bin %> perf llama-3.1-70b --hardware 8xh100 --request-rate 4 --disaggregate 1p3d',
  ],
  usage: 'perf [MODEL...] --hardware h100 [--isl 2k] [--osl 512] [--batch N | --concurrency N | --request-rate R]',
  args: [],
  variadic: true,
  flags: scenarioFlags,
  input: (raw) => {
    if (!raw.flags.hardware) throw new UserError('perf needs --hardware, e.g. --hardware h100 or --hardware 8xh200,8xmi300x')
    const choices = parseHardwareFlag(raw.flags.hardware)
    const scenario = withDraftModel(scenarioInput(raw.flags))
    const format = scenario.computeFormat
    for (const choice of choices)
      if (format && choice.hardware.peakFlopsPerSecond[format] === null) throw new UserError(`--compute-dtype ${format}: ${choice.hardware.id} has no ${format} peak in its profile`)
    return {choices: choices.map((choice) => withLayoutFlags(choice, scenario)), scenario, models: resolveModels(raw.argv).map((spec) => ({spec, ...speedScenarioFor(spec, scenario)}))}
  },
  run: ({choices, scenario, models}): {rows: PerfResult[]; warnings: string[]} => ({
    rows: models.flatMap((m) => choices.map((choice) => perfResult(m.spec, m.scenario, choice, m.memoryUtilization, perfOptionsOf(scenario), scenario.pricePerHourUsd))),
    warnings: models.flatMap((m) => m.warnings),
  }),
  present: ({rows}, _format, {scenario}) => {
    const first = rows[0]!
    const load =
      first.mode === 'batch'
        ? `a static batch of ${first.batch}: every prompt prefilled, then all decode together (TTFT waits for the whole batch's prefill)`
        : first.mode === 'concurrency'
          ? `${first.concurrency} users in a closed loop, continuous batching: each step runs every decode and fills the rest of its token budget (max_num_batched_tokens) with prompt chunks; users past the KV cache or max_num_seqs wait`
          : `${first.requestRate} requests/s arriving at random (Poisson): the engine runs as many as the rate keeps in flight; the prompt queue waits as M/D/1`
    const notes = [
      `prompt ${first.promptTokens} tokens, ${first.outputTokens} output tokens; load: ${load}`,
      `engine step = max(compute, memory) + collective bytes + collective latency + kernels x ${first.engine === 'transformers' ? 'launch time (eager)' : 'fixed kernel time'}; engine timing: ${first.engine} (src/calc/serving/latency.ts: NCCL's latency model, one-shot all-reduce, per-kernel time from published measurements)`,
      `compute = FLOPs / (peak x MFU ${scenario.prefillMfu}); memory = weights read (MoE: the experts the step's tokens hit) + KV, per device, / (bandwidth x MBU ${scenario.bandwidthEfficiency})`,
      'TTFT: waiting + the steps that prefill the prompt; TPOT: one step (with its draft passes) / tokens it yields per sequence; tok/s total: every request\'s output over the time it takes',
      'cost: all devices at the hourly price, serving this load continuously; J/token from board power; docs/CALIBRATION.md holds the model against published measurements',
    ]
    const speculation = scenario.serving.speculation
    if (speculation) notes.push(`speculative decoding (${speculation.method}): ${speculation.draftTokens} draft token(s) a step, each accepted with probability ${speculation.acceptanceRate.toFixed(3)}: ${(first.tokensPerStep ?? 1).toFixed(2)} tokens per step`)
    if (rows.some((r) => r.saturated)) notes.push('saturated: requests arrive faster than the engine completes them; the figures are the engine at capacity and waits grow without bound')
    if (rows.some((r) => r.limit !== null)) notes.push('some users wait for a slot: the KV cache (kv-cache) or the scheduler (max-num-seqs) holds fewer sequences than users; --json gives runningSequences and queuedSequences')
    if (rows.some((r) => !r.commIncluded && r.devices !== null && r.devices > 1)) notes.push('no interconnect figure for some hardware: its collective bytes are not included (their latency is)')
    return {views: [perfView(rows, notes)]}
  },
})
