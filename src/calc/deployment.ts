// Deployment policy, in one place: the scenario a model is costed under (context and memory share defaults),
// on how many devices and in which layout, and how much of each device may be used. Commands ask; none computes.
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {scenarioDefaults} from '../schema/scenario-defaults.js'
import type {ScenarioInput} from '../schema/scenario-fields.js'
import {isMoe} from './layers.js'
import {defaultKvFormat, memoryEstimate, type MemoryScenario} from './memory.js'
import {defaultLayout, type Layout} from './parallel.js'
import type {PerfOptions, PerfScenario} from './perf.js'
import {defaultFlopsOptions} from './flops.js'

export interface HardwareChoice {
  hardware: HardwareSpec
  /** Device count given on the command line (8xh100), or null when archcost should choose. */
  devices: number | null
}

/** Share of each device the deployment may use: as given, else vLLM's 0.9 with an engine, else all of it. */
export const memoryUtilizationOf = (input: Pick<ScenarioInput, 'memoryUtilization' | 'engine'>) =>
  input.memoryUtilization ?? (input.engine ? scenarioDefaults.engineMemoryUtilization : scenarioDefaults.memoryUtilization)

/** Usable bytes of one device: all of it, or the engine's share (vLLM's gpu_memory_utilization). */
export const usableBytes = (hw: HardwareSpec, memoryUtilization: number) => Math.floor(hw.memoryBytes * memoryUtilization)

/** The model's default context for sizing: 32k, or its maximum when shorter. */
export const defaultContextTokens = (spec: ModelSpec, preferred: number = scenarioDefaults.contextTokens) => Math.min(preferred, spec.maxContextTokens)

export const pastMaximum = (spec: ModelSpec, contextTokens: number) =>
  `${spec.id}: context ${contextTokens} is past the model's maximum of ${spec.maxContextTokens} tokens`

export interface CostedScenario {
  scenario: MemoryScenario
  memoryUtilization: number
  warnings: string[]
}

/** The memory scenario of one model: the input with the model's defaults filled in, on `devices` devices. */
export function memoryScenarioFor(spec: ModelSpec, input: ScenarioInput, devices = 1, contextTokens = input.contextTokens ?? defaultContextTokens(spec)): CostedScenario {
  const warnings = contextTokens > spec.maxContextTokens ? [pastMaximum(spec, contextTokens)] : []
  const scenario: MemoryScenario = {
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
    layout: defaultLayout(devices, isMoe(spec)),
  }
  return {scenario, memoryUtilization: memoryUtilizationOf(input), warnings}
}

/** Prompt of a speed figure: --prompt, else --context, else 2k (or the model's maximum). */
export const promptTokensOf = (spec: ModelSpec, input: Pick<ScenarioInput, 'promptTokens' | 'contextTokens'>) =>
  input.promptTokens ?? input.contextTokens ?? Math.min(scenarioDefaults.promptTokens, spec.maxContextTokens)

/** The speed scenario: the cache holds prompt + output tokens by the end of a request. */
export function speedScenarioFor(spec: ModelSpec, input: ScenarioInput, devices = 1): CostedScenario & {scenario: PerfScenario} {
  const promptTokens = promptTokensOf(spec, input)
  const costed = memoryScenarioFor(spec, input, devices, promptTokens + input.outputTokens)
  return {...costed, scenario: {...costed.scenario, promptTokens, outputTokens: input.outputTokens}}
}

export const perfOptionsOf = (input: ScenarioInput): PerfOptions => ({
  prefillMfu: input.prefillMfu,
  bandwidthEfficiency: input.bandwidthEfficiency,
  computeFormat: input.computeFormat,
  flops: defaultFlopsOptions,
})

export function fitsOn(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): boolean {
  return memoryEstimate(spec, s).perDevice.totalBytes <= usableBytes(hw, memoryUtilization)
}

/** Device counts tried: powers of two up to 1024 (tensor parallel within 8, pipeline beyond). */
export const deviceCountsTried = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

/** The fewest devices (of deviceCountsTried) that hold the model at this scenario, or null. */
export function fewestDevices(spec: ModelSpec, s: MemoryScenario, hw: HardwareSpec, memoryUtilization: number): Layout | null {
  for (const devices of deviceCountsTried) {
    const layout = defaultLayout(devices, isMoe(spec))
    if (fitsOn(spec, {...s, layout}, hw, memoryUtilization)) return layout
  }
  return null
}

/** The layout on a hardware choice: the devices given (8xh100), else the fewest that hold the model. */
export function layoutOn(spec: ModelSpec, s: MemoryScenario, choice: HardwareChoice, memoryUtilization: number): Layout | null {
  return choice.devices !== null ? defaultLayout(choice.devices, isMoe(spec)) : fewestDevices(spec, s, choice.hardware, memoryUtilization)
}
