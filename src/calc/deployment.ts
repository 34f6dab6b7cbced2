// Deployment policy, in one place: the scenario a model is costed under (context and memory share defaults),
// on how many devices and in which layout, and how much of each device may be used. Commands ask; none computes.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {perSpec} from './per-spec.js'
import {engineTimingOf} from './serving/latency.js'
import {paramCounts} from './params.js'
import {UserError} from '../errors.js'
import {scenarioDefaults} from '../schema/scenario-defaults.js'
import type {ScenarioInput} from '../schema/scenario-fields.js'
import {isMoe} from './layers.js'
import {legalLayout} from './layout-rules.js'
import {visibleMemoryBytes} from './device-memory.js'
import {engineBudget, engineFits} from './engine-budget.js'
import {defaultKvFormat, memoryEstimate, type MemoryScenario} from './memory.js'
import {makeLayout, replicaDevicesOf, type Layout} from './parallel.js'
import type {PerfOptions, PerfScenario} from './perf.js'
import {defaultFlopsOptions} from './flops.js'

/** --tp, --pp, --dp and --ep as given; null where archcost chooses. */
export type ParallelRequest = ScenarioInput['parallel']

/** Every degree left to archcost. */
export const anyLayout: ParallelRequest = {tp: null, pp: null, dp: null, ep: null}

export interface HardwareChoice {
  hardware: HardwareSpec
  /** Device count given on the command line (8xh100), or null when archcost should choose. */
  devices: number | null
  /** The layout flags (--tp, --pp, --dp, --ep); absent or null degrees are archcost's to choose. */
  parallel?: ParallelRequest
}

/** The hardware choice with the scenario's layout flags, for layoutOn. */
export const withLayoutFlags = (choice: HardwareChoice, input: Pick<ScenarioInput, 'parallel'>): HardwareChoice => ({...choice, parallel: input.parallel})

/** Share of each device the deployment may use: as given, else vLLM's 0.9 with an engine, else all of it. */
export const memoryUtilizationOf = (input: Pick<ScenarioInput, 'memoryUtilization' | 'engine'>) =>
  // vLLM's gpu_memory_utilization (0.9) caps what it may use; SGLang and TensorRT-LLM apply their own fractions in
  // engine-budget.ts, and llama.cpp and transformers have no cap.
  input.memoryUtilization ?? (input.engine === 'vllm' ? scenarioDefaults.engineMemoryUtilization : scenarioDefaults.memoryUtilization)

/**
 * Usable bytes of one device: what the runtime reports (CUDA total_memory; Apple: the wired limit), all of it or the
 * engine's share (vLLM's gpu_memory_utilization). A profile with no published runtime figure uses its nominal memory.
 */
export const usableBytes = (hw: HardwareSpec, memoryUtilization: number, wiredLimitBytes: number | null = null) =>
  Math.floor(visibleMemoryBytes(hw, wiredLimitBytes) * memoryUtilization)

/** The model's default context for sizing: 32k, or its maximum when shorter. */
export const defaultContextTokens = (spec: ModelSpec, preferred: number = scenarioDefaults.contextTokens) => Math.min(preferred, spec.maxContextTokens)

export const pastMaximum = (spec: ModelSpec, contextTokens: number) =>
  `${spec.id}: context ${contextTokens} is past the model's maximum of ${spec.maxContextTokens} tokens`

export interface CostedScenario {
  scenario: MemoryScenario
  memoryUtilization: number
  warnings: string[]
}

/**
 * The memory scenario of one model: the input with the model's defaults filled in. Its layout: on `devices`
 * devices (a count, or a hardware choice with one) the best legal layout there (with hardware, the first whose
 * replica holds the model, as layoutOn picks it); with no count, the smallest legal layout the layout flags
 * allow (one device when none is given). An illegal --tp/--pp/--dp/--ep throws a UserError naming the rule.
 */
export function memoryScenarioFor(
  spec: ModelSpec,
  input: ScenarioInput,
  devices: number | HardwareChoice | null = null,
  contextTokens = input.contextTokens ?? defaultContextTokens(spec),
  draftParams = 0,
): CostedScenario {
  const warnings = contextTokens > spec.maxContextTokens ? [pastMaximum(spec, contextTokens)] : []
  const memoryUtilization = memoryUtilizationOf(input)
  const base: Omit<MemoryScenario, 'layout'> = {
    contextTokens,
    batch: input.batch,
    kvFormat: input.kvFormat ?? defaultKvFormat(spec),
    mlaCache: input.mlaCache,
    weightFormats: input.weightFormats,
    int4GroupSize: input.int4GroupSize,
    offloadPerLayerEmbeddings: input.offloadPerLayerEmbeddings,
    prefillChunkTokens: input.prefillChunkTokens,
    overheadBytesPerDevice: input.overheadBytesPerDevice,
    engine: input.engine,
    engineSettings: input.engineSettings,
    ...(draftParams > 0 && {draftParams}),
  }
  const count = typeof devices === 'number' ? devices : (devices?.devices ?? null)
  const hardware = typeof devices === 'number' ? null : (devices?.hardware ?? null)
  const holds = hardware && count !== null ? holdsOn(spec, base, hardware, memoryUtilization) : null
  const layout = count !== null ? layoutOnDevices(spec, count, input.parallel, holds) : smallestLayout(spec, input.parallel, null)!
  return {scenario: {...base, layout}, memoryUtilization, warnings}
}

/** Prompt of a speed figure: --prompt, else --context, else 2k (or the model's maximum). */
export const promptTokensOf = (spec: ModelSpec, input: Pick<ScenarioInput, 'promptTokens' | 'contextTokens'>) =>
  input.promptTokens ?? input.contextTokens ?? Math.min(scenarioDefaults.promptTokens, spec.maxContextTokens)

/** The speed scenario: the cache holds prompt + output tokens by the end of a request. */
export function speedScenarioFor(spec: ModelSpec, input: ScenarioInput, devices: number | HardwareChoice | null = null): CostedScenario & {scenario: PerfScenario} {
  if (input.serving.speculation?.method === 'mtp' && spec.mtpLayers === 0)
    throw new UserError(`${spec.id} ships no multi-token-prediction layers, so --speculative mtp has nothing to draft with; use --speculative eagle with its --acceptance-rate`)
  const promptTokens = promptTokensOf(spec, input)
  // MTP speculation loads the checkpoint's multi-token-prediction layers beside the model (vLLM, SGLang, TensorRT-LLM).
  // A draft model (--speculative draft) sits beside the model too (counted at the model's linear format).
  const sp = input.serving.speculation
  const draftParams = sp?.method === 'mtp' ? paramCounts(spec).mtpParams : sp?.method === 'draft' && sp.draftModel ? paramCounts(sp.draftModel).totalParams : 0
  const costed = memoryScenarioFor(spec, input, devices, promptTokens + input.outputTokens, draftParams)
  return {...costed, scenario: {...costed.scenario, promptTokens, outputTokens: input.outputTokens, serving: input.serving}}
}

export const perfOptionsOf = (input: ScenarioInput): PerfOptions => ({
  prefillMfu: input.prefillMfu,
  bandwidthEfficiency: input.bandwidthEfficiency,
  computeFormat: input.computeFormat,
  flops: defaultFlopsOptions,
  engineTiming: engineTimingOf(input.engine, input.engineSettings.enforceEager),
  memoryUtilization: memoryUtilizationOf(input),
})

export function fitsOn(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): boolean {
  // With an engine named, its own start-up accounting decides (engine-budget.ts); else the memory estimate.
  if (s.engine && s.engineSettings) return engineFits(engineBudget(spec, s, hw, s.engineSettings, memoryUtilization), s.batch)
  return memoryEstimate(spec, s).perDevice.totalBytes <= usableBytes(hw, memoryUtilization, s.engineSettings?.wiredLimitBytes ?? null)
}

/** Largest tensor-parallel degree archcost picks by itself: one node of 8 (tensor parallel across nodes only as --tp). */
export const devicesPerNode = 8

/**
 * Device counts tried for the fewest that hold a model: powers of two up to 1024 (times the degrees the layout
 * flags fix). A replica has at most tp8 x pp(layers) devices, so a 16-layer model stops at 128.
 */
export const deviceCountsTried = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

/** Divisors of n, ascending (n up to 2^53: trial division to sqrt n). */
function divisors(n: number): number[] {
  const low: number[] = []
  const high: number[] = []
  for (let d = 1; d * d <= n; d++) {
    if (n % d !== 0) continue
    low.push(d)
    if (d * d !== n) high.unshift(n / d)
  }
  return [...low, ...high]
}

/**
 * Every layout of exactly n devices the flags allow, legal or not, in archcost's order of preference:
 * 1. tensor parallel: --tp, else the largest divisor of n up to 8 (one node), descending;
 * 2. pipeline stages: --pp, else the fewest, ascending over the divisors of n / tp, at most the layer count;
 * 3. data-parallel replicas: the rest, n / (tp x pp) (it must equal --dp when given);
 * 4. expert parallel: --ep, else tp for MoE (vLLM --enable-expert-parallel within the replica), then 1.
 */
function layoutsOf(spec: ModelSpec, n: number, request: ParallelRequest): Layout[] {
  const moe = isMoe(spec)
  const out: Layout[] = []
  const tps = request.tp !== null ? [request.tp] : divisors(n).filter((d) => d <= devicesPerNode).reverse()
  for (const tp of tps) {
    if (n % tp !== 0) continue
    const rest = n / tp
    const pps = request.pp !== null ? [request.pp] : divisors(rest).filter((d) => d <= spec.layers)
    for (const pp of pps) {
      if (rest % pp !== 0 || (request.dp !== null && rest / pp !== request.dp)) continue
      const eps = request.ep !== null ? [request.ep] : moe && tp > 1 ? [tp, 1] : [1]
      for (const ep of eps) out.push(makeLayout(tp, pp, rest / pp, ep))
    }
  }
  return out
}

/** Every legal layout of one replica (dp 1) on exactly n devices, in layoutsOf's order of preference (for `plan`). */
export const replicaLayoutsOn = (spec: ModelSpec, n: number): Layout[] => layoutsOf(spec, n, {...anyLayout, dp: 1}).filter((l) => legalLayout(spec, l) === null)

const fixedDevices = (r: ParallelRequest) => (r.tp ?? 1) * (r.pp ?? 1) * (r.dp ?? 1)

const flagsText = (r: ParallelRequest) =>
  (['tp', 'pp', 'dp'] as const)
    .filter((k) => r[k] !== null)
    .map((k) => `--${k} ${r[k]}`)
    .join(' ')

/** Why no layout of n devices matches the flags (when no shape of them exists at all). */
function unusable(spec: ModelSpec, n: number, r: ParallelRequest): string {
  const fixed = fixedDevices(r)
  const all = r.tp !== null && r.pp !== null && r.dp !== null
  if (n % fixed !== 0 || (all && fixed !== n)) {
    const s = flagsText(r).includes(' --') ? '' : 's' // one flag "needs", several "need"
    return `${flagsText(r)} ${all ? `use${s} ${fixed} devices` : `need${s} a multiple of ${fixed} devices`}, but the hardware gives ${n}: tp x pp x dp must equal the device count`
  }
  const tp = r.tp ?? devicesPerNode
  const pp = r.pp ?? spec.layers
  const replica = n / (r.dp ?? 1)
  return `${n} devices cannot all be used by ${spec.name}'s ${spec.layers} layers${r.dp !== null ? ` with --dp ${r.dp}` : ''}: tp x pp must make ${replica} with tp at most ${tp} and pp at most ${pp} (at most tp${tp} x pp${pp} = ${tp * pp} devices per replica); ${r.dp !== null ? 'change --dp' : 'give --dp'}`
}

/** The first layout that holds the model; none holding (or nothing to hold it against), see below. */
function pick(legal: Layout[], holds: ((layout: Layout) => boolean) | null): Layout {
  if (!holds) return legal[0]!
  // None holds it: the layout with the most devices per replica, the nearest to fitting (shown as not fitting).
  return legal.find(holds) ?? legal.reduce((best, l) => (replicaDevicesOf(l) > replicaDevicesOf(best) ? l : best))
}

/**
 * The layout on exactly n devices (--hardware 8xh100): the first legal one in layoutsOf's order whose replica
 * holds the model, else the largest replica (it will not fit). Flags that cannot make n devices, or whose layouts
 * the model does not allow, throw a UserError of one line naming the rule.
 */
export function layoutOnDevices(spec: ModelSpec, n: number, request: ParallelRequest, holds: ((layout: Layout) => boolean) | null): Layout {
  const all = layoutsOf(spec, n, request)
  const legal = all.filter((l) => legalLayout(spec, l) === null)
  if (legal.length === 0) throw new UserError(all.length > 0 ? legalLayout(spec, all[0]!)! : unusable(spec, n, request))
  return pick(legal, holds)
}

/**
 * The smallest legal layout the flags allow that holds the model (without `holds`, the smallest legal one): device
 * counts deviceCountsTried x the fixed degrees, one replica unless --dp says otherwise. null when nothing tried
 * holds it; a UserError when the flags allow no legal layout at all.
 */
const freeLegal = perSpec((): Map<number, Layout[]> => new Map())
function freeLegalLayouts(spec: ModelSpec, count: number, all: Layout[]): Layout[] {
  const memo = freeLegal(spec)
  let legal = memo.get(count)
  if (!legal) memo.set(count, (legal = all.filter((l) => legalLayout(spec, l) === null)))
  return legal
}

function smallestLayout(spec: ModelSpec, request: ParallelRequest, holds: ((layout: Layout) => boolean) | null): Layout | null {
  const r = {...request, dp: request.dp ?? 1}
  // tp and pp given: the replica is fixed; it is the layout whether it fits or not.
  if (r.tp !== null && r.pp !== null) return layoutOnDevices(spec, fixedDevices(r), r, null)
  let first: Layout | undefined
  let anyLegal = false
  const free = r.tp === null && r.pp === null && r.ep === null && r.dp === 1
  for (const count of deviceCountsTried) {
    const all = layoutsOf(spec, count * fixedDevices(r), r)
    first ??= all[0]
    // With no layout flags the legal layouts of a count depend on the model alone: kept per spec (fit and sweeps ask per profile).
    const legal = free ? freeLegalLayouts(spec, count, all) : all.filter((l) => legalLayout(spec, l) === null)
    anyLegal ||= legal.length > 0
    if (legal.length > 0 && !holds) return legal[0]!
    const fitting = legal.find((l) => holds?.(l))
    if (fitting) return fitting
  }
  if (!anyLegal) throw new UserError(first ? legalLayout(spec, first)! : unusable(spec, fixedDevices(r), r))
  return null
}

const holdsOn =
  (spec: ModelSpec, s: Omit<MemoryScenario, 'layout'>, hw: HardwareSpec, memoryUtilization: number) =>
  (layout: Layout): boolean =>
    fitsOn(spec, {...s, layout}, hw, memoryUtilization)

/** The fewest devices (of deviceCountsTried) whose legal layout holds the model at this scenario, or null. */
export function fewestDevices(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number, request: ParallelRequest = anyLayout): Layout | null {
  const r = {...request, dp: request.dp ?? 1}
  if (r.tp !== null && r.pp !== null) {
    const layout = layoutOnDevices(spec, fixedDevices(r), r, null)
    return fitsOn(spec, {...s, layout}, hw, memoryUtilization) ? layout : null
  }
  return smallestLayout(spec, r, holdsOn(spec, s, hw, memoryUtilization))
}

/**
 * The layout on a hardware choice: on the devices given (8xh100) the best legal layout there (layoutOnDevices),
 * else the fewest devices that hold the model; --tp/--pp/--dp/--ep (choice.parallel) fix their degrees, and with
 * --tp and --pp both given the layout is theirs whether it fits or not.
 */
export function layoutOn(spec: ModelSpec, s: MemoryScenario, choice: HardwareChoice, memoryUtilization: number): Layout | null {
  const request = choice.parallel ?? anyLayout
  const holds = holdsOn(spec, s, choice.hardware, memoryUtilization)
  return choice.devices !== null ? layoutOnDevices(spec, choice.devices, request, holds) : smallestLayout(spec, request, holds)
}
