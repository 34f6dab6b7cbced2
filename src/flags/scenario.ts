// Sizing flags' values -> a calculator scenario. No oclif here: the fast start-up path (src/cli/fast.ts) uses it too.
import {kvFormatNames, weightFormatNames, type KvFormat, type WeightFormat} from '../calc/dtype.js'
import type {EngineName} from '../calc/engines.js'
import {isMoe} from '../calc/layers.js'
import {defaultScenario, type MemoryScenario} from '../calc/memory.js'
import {defaultLayout, type Layout} from '../calc/parallel.js'
import {UserError} from '../errors.js'
import {loadHardware} from '../presets/load.js'
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import {parseBytes, parseFraction, parsePositiveInteger, parseTokenCount} from './quantity.js'


export interface ScenarioFlags {
  context?: string
  batch?: string
  weights?: string
  'expert-weights'?: string
  'embedding-weights'?: string
  'int4-group-size'?: string
  'kv-dtype'?: string
  'mla-cache'?: string
  engine?: string
  'memory-utilization'?: string
  'prefill-chunk'?: string
  overhead?: string
  'offload-per-layer-embeddings'?: boolean
  hardware?: string
}

function weightFormat(text: string | undefined, flag: string): WeightFormat | undefined {
  if (text === undefined) return undefined
  if (!(weightFormatNames as string[]).includes(text)) throw new UserError(`--${flag} "${text}" is not a weight format; use one of ${weightFormatNames.join(', ')}`)
  return text as WeightFormat
}

export interface HardwareChoice {
  hardware: HardwareSpec
  /** Device count given on the command line (8xh100), or null when archcost should choose. */
  devices: number | null
}

/** "8xh100" -> 8 devices of h100; "h100" -> one; comma-separated lists allowed. */
export function parseHardwareFlag(text: string): HardwareChoice[] {
  return text.split(',').map((part) => {
    const match = /^\s*(?:(\d+)\s*[x×]\s*)?([A-Za-z0-9._\/\-]+)\s*$/.exec(part)
    if (!match) throw new UserError(`--hardware "${part}" is not a hardware id; use e.g. h100, 8xh100 or h100,h200`)
    const devices = match[1] === undefined ? null : parsePositiveInteger(match[1], 'hardware')
    const id = match[2]!
    return {hardware: loadHardware(id.includes('/') || id.endsWith('.json') ? id : id.toLowerCase()), devices}
  })
}

export interface ParsedScenario {
  scenario: MemoryScenario
  memoryUtilization: number
  contextGiven: boolean
  warnings: string[]
}

/** Flags -> scenario for one model. Context past the model's maximum is allowed, with a warning. */
export function scenarioFor(spec: ModelSpec, flags: ScenarioFlags, devices = 1): ParsedScenario {
  const base = defaultScenario(spec)
  const warnings: string[] = []
  const contextTokens = flags.context === undefined ? base.contextTokens : parseTokenCount(flags.context, 'context')
  if (contextTokens > spec.maxContextTokens) warnings.push(`${spec.id}: context ${contextTokens} is past the model's maximum of ${spec.maxContextTokens} tokens`)
  const kvText = flags['kv-dtype']
  if (kvText !== undefined && !(kvFormatNames as string[]).includes(kvText)) throw new UserError(`--kv-dtype "${kvText}" is not a KV-cache format; use one of ${kvFormatNames.join(', ')}`)
  const weights = weightFormat(flags.weights, 'weights')
  const experts = weightFormat(flags['expert-weights'], 'expert-weights') ?? weights
  const embeddings = weightFormat(flags['embedding-weights'], 'embedding-weights')
  const engine = (flags.engine as EngineName | undefined) ?? null
  const layout: Layout = defaultLayout(devices, isMoe(spec))
  const scenario: MemoryScenario = {
    ...base,
    contextTokens,
    batch: parsePositiveInteger(flags.batch ?? '1', 'batch'),
    kvFormat: (kvText as KvFormat | undefined) ?? base.kvFormat,
    mlaCache: flags['mla-cache'] === 'expanded' ? 'expanded' : 'latent',
    weightFormats: {...(weights && {linear: weights}), ...(experts && {experts}), ...(embeddings && {embeddings})},
    int4GroupSize: parsePositiveInteger(flags['int4-group-size'] ?? '128', 'int4-group-size'),
    offloadPerLayerEmbeddings: flags['offload-per-layer-embeddings'] ?? false,
    prefillChunkTokens: parseTokenCount(flags['prefill-chunk'] ?? '2048', 'prefill-chunk'),
    overheadBytesPerDevice: parseBytes(flags.overhead ?? '1GiB', 'overhead'),
    engine,
    layout,
  }
  const utilizationText = flags['memory-utilization']
  const memoryUtilization = utilizationText === undefined ? (engine ? 0.9 : 1) : parseFraction(utilizationText, 'memory-utilization')
  return {scenario, memoryUtilization, contextGiven: flags.context !== undefined, warnings}
}
