import {extname} from 'node:path'
import {perfOptionsOf, speedScenarioFor} from '../calc/deployment.js'
import {defaultMaxDevices, plan, planDeviceCounts, type PlanHardware, type PlanLoad, type PlanTargets} from '../calc/plan.js'
import {defineCommand} from '../cli/definition.js'
import {withDraftModel} from '../cli/models.js'
import {forceFlag, possibleInputs} from '../cli/output.js'
import {UserError} from '../errors.js'
import {writeOutputFile} from '../files.js'
import {parseHardwareFlag} from '../flags/hardware.js'
import {parseDuration, parsePositiveInteger, parsePositiveNumber} from '../flags/quantity.js'
import {listHardwareIds, loadHardware, loadModel} from '../presets/load.js'
import {htmlPage, svgChart, textChart} from '../render/chart.js'
import {formatInteger, formatRate, formatTokens, formatUsd} from '../render/format.js'
import {terminal} from '../render/terminal.js'
import {chartProfiles, frontierChart, frontierView, optionsView, planResult, targetsText, type PlanContext, type PlanResult} from '../report/plan.js'
import {pick, scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

const outKinds: Record<string, 'svg' | 'html'> = {'.svg': 'svg', '.html': 'html', '.htm': 'html'}
const maxDevicesTried = planDeviceCounts[planDeviceCounts.length - 1]!

export default defineCommand({
  id: 'plan',
  summary: 'The cheapest hardware that meets a latency target at a load: devices, layout, replicas, users per replica, $/hour and $/1M tokens',
  description: [
    'Tries every hardware profile (default: every one with a price) x devices per replica (1, 2, 4 ... up to --max-devices) x every layout the engines accept x users per replica (1, 2, 4 ... up to what the KV cache and max_num_seqs allow).',
    'For each replica shape, the most users that meet --ttft and --tpot set its capacity; the load (--throughput, --users or --rps) sets the replicas; the price is replicas x devices x the hourly price of one device.',
    'When nothing meets the targets, one line says what binds (memory, ttft or tpot), and --json gives it under `binding`; the exit code is 0.',
  ].join('\n'),
  examples: [
    '<%= config.bin %> plan qwen3-30b-a3b --isl 2k --osl 512 --ttft 2s --tpot 50ms --throughput 5000',
    '<%= config.bin %> plan llama-3.1-70b --ttft 1s --tpot 30ms --users 200 --hardware h100,h200,mi300x,l40s',
    '<%= config.bin %> plan deepseek-v3 --tpot 50ms --rps 10 --hardware 8xh200,8xmi300x --engine vllm',
    '<%= config.bin %> plan llama-3.1-8b --tpot 20ms --throughput 20000 --out frontier.svg',
  ],
  usage: 'plan MODEL --ttft 2s --tpot 50ms (--throughput TOK/S | --users N | --rps R) [--isl 2k] [--osl 512] [--hardware h100,h200]',
  args: [{name: 'model', description: 'preset id or preset file', required: true}],
  flags: {
    ttft: {kind: 'option', description: 'Time to first token at most, with its unit: 2s, 500ms [default: no limit]'},
    tpot: {kind: 'option', description: 'Time per output token at most, with its unit: 50ms, 20ms [default: no limit]'},
    throughput: {kind: 'option', description: 'Load: output tokens per second to serve, all replicas together'},
    users: {kind: 'option', description: 'Load: users at once, each sending its next request when the last one ends'},
    rps: {kind: 'option', description: 'Load: requests per second to complete'},
    top: {kind: 'option', description: 'Options to show, cheapest first', default: '10'},
    'max-devices': {kind: 'option', description: `Most devices per replica to try (powers of two, at most ${maxDevicesTried})`, default: String(defaultMaxDevices)},
    out: {kind: 'option', description: 'Also write the frontier chart to this file: .svg, or .html (the chart and a table of the values) (an existing file needs --force)'},
    force: forceFlag,
    linear: {kind: 'boolean', description: 'Linear y axis (tokens/s per device) in the chart [default: logarithmic, as it spans decades]'},
    ...pick('isl', 'osl', 'prompt', 'output', 'weights', 'kv-dtype'),
    hardware: {...scenarioFlags.hardware, description: 'Hardware profiles to try: h100,h200,mi300x; a count (8xh100) fixes the devices per replica [default: every profile with a price]'},
    engine: {...scenarioFlags.engine, description: "Engine whose memory accounting (KV capacity) and step timing apply [default: archcost's default timing, vLLM's limits]"},
    ...pick('max-num-batched-tokens', 'max-num-seqs', 'memory-utilization', 'mfu', 'mbu', 'price-per-hour', 'speculative', 'draft-tokens', 'draft-model', 'acceptance-rate', 'acceptance-length', 'prefix-hit-rate'),
  },
  input: (raw) => {
    const f = raw.flags
    const spec = loadModel(raw.args.model!)
    const targets: PlanTargets = {
      ttftSeconds: f.ttft === undefined ? null : parseDuration(f.ttft, 'ttft'),
      tpotSeconds: f.tpot === undefined ? null : parseDuration(f.tpot, 'tpot'),
    }
    const given = (['throughput', 'users', 'rps'] as const).filter((k) => f[k] !== undefined)
    if (given.length === 0) throw new UserError('plan needs the load: --throughput 5000 (output tokens/s), --users 200 (at once) or --rps 10 (requests/s)')
    if (given.length > 1) throw new UserError(`${given.map((k) => `--${k}`).join(given.length === 2 ? ' and ' : ', ').replace(/, (--\w+)$/, ' and $1')} ${given.length === 2 ? 'both' : 'all'} give the load; give one of them`)
    const load: PlanLoad =
      f.throughput !== undefined
        ? {kind: 'throughput', outputTokensPerSecond: parsePositiveNumber(f.throughput, 'throughput')}
        : f.users !== undefined
          ? {kind: 'users', users: parsePositiveInteger(f.users, 'users')}
          : {kind: 'rps', requestsPerSecond: parsePositiveNumber(f.rps!, 'rps')}
    const top = parsePositiveInteger(f.top, 'top')
    const maxDevices = parsePositiveInteger(f['max-devices'], 'max-devices')
    if (maxDevices > maxDevicesTried) throw new UserError(`--max-devices ${maxDevices}: at most ${maxDevicesTried} devices per replica are tried`)
    const outKind = f.out === undefined ? null : outKinds[extname(f.out).toLowerCase()]
    if (outKind === undefined) throw new UserError(`--out "${f.out}": write the chart as .svg or .html, e.g. --out frontier.svg`)
    const scenario = withDraftModel(scenarioInput(f))
    const choices = f.hardware !== undefined ? parseHardwareFlag(f.hardware) : listHardwareIds().map((id) => ({hardware: loadHardware(id), devices: null})).filter((c) => c.hardware.pricePerHourUsd !== null)
    const seen = new Set<string>()
    const hardware: PlanHardware[] = []
    for (const choice of choices) {
      const key = `${choice.devices ?? ''}x${choice.hardware.id}`
      if (seen.has(key)) continue
      seen.add(key)
      const price = scenario.pricePerHourUsd ?? choice.hardware.pricePerHourUsd
      if (price === null) throw new UserError(`--hardware ${choice.hardware.id}: no hourly price in its profile; give one with --price-per-hour, e.g. --price-per-hour 2.50, or leave it out`)
      if (choice.devices !== null && choice.devices > maxDevicesTried) throw new UserError(`--hardware ${choice.devices}x${choice.hardware.id}: at most ${maxDevicesTried} devices per replica`)
      hardware.push({hardware: choice.hardware, devices: choice.devices, pricePerHourUsd: price})
    }
    const costed = speedScenarioFor(spec, scenario)
    const options = perfOptionsOf(scenario)
    const fixed = [...new Set(hardware.map((h) => h.devices))]
    const context: PlanContext = {
      id: spec.id,
      promptTokens: costed.scenario.promptTokens,
      outputTokens: costed.scenario.outputTokens,
      engine: options.engineTiming?.engine ?? 'default',
      targets,
      load,
      hardware: hardware.map((h) => h.hardware.id),
      devicesText: fixed.length === 1 && fixed[0] !== null ? `${fixed[0]} devices per replica` : `up to ${maxDevices} devices per replica`,
      top,
    }
    if (f.force && f.out === undefined) throw new UserError('--force goes with --out FILE')
    const inputs = possibleInputs(raw.argv, f)
    return {spec, scenario, costed, options, hardware, targets, load, maxDevices, context, outKind, out: f.out ?? null, force: f.force, inputs, log: !f.linear}
  },
  run: ({spec, costed, options, hardware, targets, load, maxDevices, context, outKind, out, force, inputs, log}): PlanResult & {warnings: string[]} => {
    const p = plan({spec, scenario: costed.scenario, options, memoryUtilization: costed.memoryUtilization, hardware, targets, load, maxDevices})
    const result = planResult(p, context)
    if (out !== null && outKind) {
      const chart = frontierChart(result, {logY: log, notes: chartNotes(result)})
      writeOutputFile(out, outKind === 'svg' ? svgChart(chart) : htmlPage(chart), {flag: '--out', force, inputs})
    }
    return {...result, warnings: costed.warnings}
  },
  present: (result, format, {scenario, hardware, log, maxDevices, context}) => {
    const views = [optionsView(result, optionNotes(result, scenario.pricePerHourUsd !== null, hardware, maxDevices), context)]
    if (result.frontier.some((f) => f.overall)) views.push(frontierView(result, frontierNotes()))
    let chart: string | undefined
    if (result.frontier.length > 0 && format === 'table') {
      const profiles = chartProfiles(result)
      const all = new Set(result.frontier.map((f) => f.hardware)).size
      const notes = profiles.length < all ? [`the profiles of the options above and of the frontier table (${profiles.length} of ${all}); --out draws every one`] : []
      chart = textChart(frontierChart(result, {logY: log, profiles, notes}), {width: terminal.width ?? 80})
    }
    return {views, after: chart}
  },
  messages: (_result, {out}) => (out !== null ? [`wrote ${out}`] : []),
})

function replicasRule(r: PlanResult): string {
  switch (r.load.kind) {
    case 'throughput':
      return `replicas = ceil(${formatInteger(r.load.value)} output tok/s / one replica's output tok/s at its users)`
    case 'users':
      return `replicas = ceil(${formatInteger(r.load.value)} users / the most users one replica serves within the targets); the users then spread evenly over the replicas`
    case 'rps':
      return `replicas = ceil(${formatRate(r.load.value)} req/s / one replica's completed req/s at its users); a closed loop's completions: Poisson arrivals at that rate would also queue`
  }
}

function optionNotes(r: PlanResult, priceGiven: boolean, hardware: PlanHardware[], maxDevices: number): string[] {
  const notes = [
    `each replica: ${hardware.every((h) => h.devices !== null) ? 'the devices given' : `1, 2, 4 ... up to ${maxDevices} devices`} of one profile, in every layout the engines accept (tp within a node of 8, pipeline stages past it; MoE experts split over tp, or not; MoE also as data-parallel attention with the experts over every device), holding ${formatTokens(r.promptTokens)} + ${formatTokens(r.outputTokens)} tokens per sequence`,
    `users per replica: 1, 2, 4 ... up to what its KV cache and max_num_seqs allow ("of N"), and N itself, then bisected to the user; the most ${r.targets.ttftSeconds === null && r.targets.tpotSeconds === null ? 'it holds (no latency target)' : `that meet ${targetsText(r.targets)}`} is the replica's load, timed as \`archcost perf --concurrency N\` (closed loop, continuous batching, ${r.engine === 'default' ? "archcost's default engine timing" : `${r.engine}'s timing`})`,
    replicasRule(r),
    `$/hour = replicas x devices x the hourly price of one device (${priceGiven ? '--price-per-hour' : "the profile's"}); $/1M out = one replica's $/hour over its output tokens per hour`,
  ]
  const noLink = [...new Set(r.options.filter((o) => o.layout.tp > 1 && hardware.find((h) => h.hardware.id === o.hardware)?.hardware.interconnectBytesPerSecond === null).map((o) => o.hardware))]
  if (noLink.length) notes.push(`no interconnect figure for ${noLink.join(', ')}: its all-reduce bytes are not timed (latency is, over PCIe)`)
  if (!r.binding && r.options.length > 0) notes.push(`cheapest: ${r.options[0]!.replicas} x ${r.options[0]!.devices} ${r.options[0]!.hardware} at ${formatUsd(r.options[0]!.pricePerHourUsd)}/hour`)
  return notes
}

function frontierNotes(): string[] {
  return [
    'points no replica of any profile beats on both tokens/s per device (one replica\'s output tok/s over its devices) and tokens/s per user (1 / TPOT); the chart draws each profile\'s own frontier, and --json lists them all under `frontier`',
    'tokens/s per device leaves the price out: $/1M out weighs it',
  ]
}

function chartNotes(r: PlanResult): string[] {
  const perUser = r.targets.tpotSeconds !== null ? ` (at least ${formatRate(1 / r.targets.tpotSeconds)} tok/s per user)` : ''
  return [`each profile's frontier over every devices per replica, layout and users per replica; ${formatTokens(r.promptTokens)} prompt + ${formatTokens(r.outputTokens)} output tokens per request; ${targetsText(r.targets)}${perUser}; engine timing: ${r.engine}`]
}
