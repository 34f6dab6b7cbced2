// The compare table: one row per model; KV and FLOPs at the context always, memory and speed on a chosen hardware.
import {decodeFlopsPerToken} from '../calc/flops.js'
import {kvBytesPerTokenAt} from '../calc/kv.js'
import {isMoe} from '../calc/layers.js'
import type {MemoryScenario} from '../calc/memory.js'
import {paramCounts} from '../calc/params.js'
import type {Column, TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {CompareRow} from '../schema/results/compare.js'
import type {HardwareChoice} from '../calc/deployment.js'
import {memoryEstimate} from '../calc/memory.js'
import type {PerfOptions, PerfScenario} from '../calc/perf.js'
import {perfResult, type PerfResult} from './perf.js'

export type {CompareRow} from '../schema/results/compare.js'

export function compareRow(spec: ModelSpec, s: MemoryScenario, perf: (PerfResult & {perDeviceBytes: number | null}) | null): CompareRow {
  const p = paramCounts(spec)
  return {
    id: spec.id,
    family: spec.family,
    ffn: isMoe(spec) ? 'moe' : 'dense',
    attention: spec.attention.kind,
    layers: spec.layers,
    hiddenSize: spec.hiddenSize,
    totalParams: p.totalParams,
    activeParams: p.activeParams,
    nonEmbeddingParams: p.nonEmbeddingParams,
    activeFraction: p.activeParams / p.totalParams,
    contextTokens: s.contextTokens,
    kvBytesPerToken: kvBytesPerTokenAt(spec, s.contextTokens, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}),
    decodeFlopsPerToken: decodeFlopsPerToken(spec, s.contextTokens),
    hardware: perf?.hardware ?? null,
    devices: perf?.devices ?? null,
    perDeviceBytes: perf?.perDeviceBytes ?? null,
    ttftSeconds: perf?.ttftSeconds ?? null,
    tpotSeconds: perf?.tpotSeconds ?? null,
    aggregateTokensPerSecond: perf?.aggregateTokensPerSecond ?? null,
    costPerMillionOutputTokens: perf?.costPerMillionOutputTokens ?? null,
  }
}

/** Column names people type for --columns and --sort, and the fields they stand for. */
export const compareColumns: Record<string, {key: keyof CompareRow; needsHardware?: boolean}> = {
  family: {key: 'family'},
  ffn: {key: 'ffn'},
  attention: {key: 'attention'},
  layers: {key: 'layers'},
  hidden: {key: 'hiddenSize'},
  params: {key: 'totalParams'},
  total: {key: 'totalParams'},
  active: {key: 'activeParams'},
  'non-embedding': {key: 'nonEmbeddingParams'},
  'active-share': {key: 'activeFraction'},
  kv: {key: 'kvBytesPerToken'},
  flops: {key: 'decodeFlopsPerToken'},
  devices: {key: 'devices', needsHardware: true},
  memory: {key: 'perDeviceBytes', needsHardware: true},
  ttft: {key: 'ttftSeconds', needsHardware: true},
  tpot: {key: 'tpotSeconds', needsHardware: true},
  tps: {key: 'aggregateTokensPerSecond', needsHardware: true},
  cost: {key: 'costPerMillionOutputTokens', needsHardware: true},
}

const allColumns: Column[] = [
  {key: 'id', header: 'Model', kind: 'text'},
  {key: 'family', header: 'Family', kind: 'text'},
  {key: 'ffn', header: 'FFN', kind: 'text'},
  {key: 'attention', header: 'Attn', kind: 'text'},
  {key: 'layers', header: 'Layers', kind: 'integer'},
  {key: 'hiddenSize', header: 'Hidden', kind: 'integer'},
  {key: 'totalParams', header: 'Total', kind: 'count', unit: 'params'},
  {key: 'activeParams', header: 'Active', kind: 'count', unit: 'params', keep: true},
  {key: 'nonEmbeddingParams', header: 'Non-embed', kind: 'count', unit: 'params'},
  {key: 'activeFraction', header: 'Active %', kind: 'percent'},
  {key: 'kvBytesPerToken', header: 'KV/token', kind: 'bytes', unit: 'bytes', better: 'lower', keep: true},
  {key: 'decodeFlopsPerToken', header: 'FLOPs/token', kind: 'flops', unit: 'flops', better: 'lower'},
  {key: 'devices', header: 'Devices', kind: 'integer', better: 'lower'},
  {key: 'perDeviceBytes', header: 'Mem/device', kind: 'bytes', unit: 'bytes'},
  {key: 'ttftSeconds', header: 'TTFT', kind: 'seconds', unit: 'seconds', better: 'lower'},
  {key: 'tpotSeconds', header: 'TPOT', kind: 'seconds', unit: 'seconds', better: 'lower'},
  {key: 'aggregateTokensPerSecond', header: 'tok/s', kind: 'rate', better: 'higher'},
  {key: 'costPerMillionOutputTokens', header: '$/1M out', kind: 'usd', unit: 'usd', better: 'lower'},
]

const defaultKeys = ['ffn', 'attention', 'layers', 'totalParams', 'activeParams', 'activeFraction', 'kvBytesPerToken', 'decodeFlopsPerToken']
const speedKeys = ['devices', 'perDeviceBytes', 'ttftSeconds', 'tpotSeconds', 'aggregateTokensPerSecond', 'costPerMillionOutputTokens']

/** The table; `keys` (from --columns) picks and orders the columns after the model id. */
export function compareView(rows: CompareRow[], notes: string[], keys?: string[]): TableView {
  const speed = rows.some((r) => r.hardware !== null)
  const chosen = keys ?? [...defaultKeys, ...(speed ? speedKeys : [])]
  const columns = [allColumns[0]!, ...chosen.map((key) => allColumns.find((c) => c.key === key)!)]
  return {columns, rows: rows.map((r) => ({...r})), notes}
}

/** The speed columns on one hardware choice: perf's figures and the memory per device of its layout. */
export function compareSpeed(spec: ModelSpec, s: PerfScenario, choice: HardwareChoice, memoryUtilization: number, o: PerfOptions): PerfResult & {perDeviceBytes: number | null} {
  const perf = perfResult(spec, s, choice, memoryUtilization, o, null)
  return {...perf, perDeviceBytes: perf.layout ? memoryEstimate(spec, {...s, layout: perf.layout}).perDevice.totalBytes : null}
}
