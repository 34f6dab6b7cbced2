// "Will it fit, on how many devices, for how many users": one row per hardware profile.
import {fewestDevices, kvCacheCapacityTokens, maxConcurrency, maxContextTokens} from '../calc/fit.js'
import {isMoe} from '../calc/layers.js'
import {memoryEstimate, type MemoryScenario} from '../calc/memory.js'
import {defaultLayout, kvReplicated, type Layout} from '../calc/parallel.js'
import type {HardwareChoice} from '../flags/index.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'

export interface FitResult {
  id: string
  hardware: string
  /** Devices used: as given (8xh100), else the fewest that hold the model at this context and batch. */
  devices: number | null
  devicesGiven: boolean
  layout: Layout | null
  kvReplicated: boolean
  fits: boolean
  contextTokens: number
  batch: number
  perDeviceBytes: number | null
  deviceMemoryBytes: number
  usableDeviceBytes: number
  /** Longest single-sequence context that fits on this layout (up to the model's maximum). */
  maxContextTokens: number
  /** KV capacity in tokens as the engine would report it at start-up (vLLM: "GPU KV cache size"). */
  kvCacheCapacityTokens: number
  /** Sequences of contextTokens that fit at once (vLLM: "Maximum concurrency for L tokens per request"). */
  maxConcurrency: number
  pricePerHourUsd: number | null
}

export function fitResult(spec: ModelSpec, base: MemoryScenario, choice: HardwareChoice, memoryUtilization: number): FitResult {
  const hw = choice.hardware
  const layout = choice.devices !== null ? defaultLayout(choice.devices, isMoe(spec)) : fewestDevices(spec, base, hw, memoryUtilization)
  const usable = Math.floor(hw.memoryBytes * memoryUtilization)
  const common = {id: spec.id, hardware: hw.id, devicesGiven: choice.devices !== null, contextTokens: base.contextTokens, batch: base.batch, deviceMemoryBytes: hw.memoryBytes, usableDeviceBytes: usable}
  if (!layout)
    return {...common, devices: null, layout: null, kvReplicated: false, fits: false, perDeviceBytes: null, maxContextTokens: 0, kvCacheCapacityTokens: 0, maxConcurrency: 0, pricePerHourUsd: null}
  const s = {...base, layout}
  const perDevice = memoryEstimate(spec, s).perDevice.totalBytes
  const devices = layout.tp * layout.pp
  return {
    ...common,
    devices,
    layout,
    kvReplicated: kvReplicated(spec, layout),
    fits: perDevice <= usable,
    perDeviceBytes: perDevice,
    maxContextTokens: maxContextTokens(spec, s, hw, memoryUtilization),
    kvCacheCapacityTokens: kvCacheCapacityTokens(spec, s, hw, memoryUtilization),
    maxConcurrency: Math.floor(maxConcurrency(spec, s, hw, memoryUtilization) * 100) / 100,
    pricePerHourUsd: hw.pricePerHourUsd === null ? null : Math.round(hw.pricePerHourUsd * devices * 100) / 100,
  }
}

const layoutText = (r: FitResult) =>
  r.layout ? `tp${r.layout.tp}${r.layout.ep > 1 ? ` ep${r.layout.ep}` : ''}${r.layout.pp > 1 ? ` pp${r.layout.pp}` : ''}${r.kvReplicated ? ' (KV replicated)' : ''}` : 'more than 1024 devices'

export function fitView(results: FitResult[], notes: string[]): TableView {
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'hardware', header: 'Hardware', kind: 'text'},
      {key: 'devices', header: 'Devices', kind: 'integer'},
      {key: 'layoutText', header: 'Layout', kind: 'text'},
      {key: 'fitText', header: 'Fits', kind: 'text'},
      {key: 'perDeviceBytes', header: 'Per device', kind: 'bytes', unit: 'bytes'},
      {key: 'usableDeviceBytes', header: 'Usable', kind: 'bytes', unit: 'bytes', dropOrder: 99},
      {key: 'maxContextTokens', header: 'Max context (batch 1)', kind: 'integer', unit: 'tokens'},
      {key: 'kvCacheCapacityTokens', header: 'KV capacity (tokens)', kind: 'integer', unit: 'tokens'},
      {key: 'maxConcurrency', header: 'Max concurrency', kind: 'fraction', better: 'higher'},
      {key: 'pricePerHourUsd', header: '$/hour', kind: 'fraction', unit: 'usd', better: 'lower'},
    ],
    rows: results.map((r) => ({...r, layout: null, layoutText: layoutText(r), fitText: r.fits ? 'fits' : 'DOES NOT FIT'})),
    notes,
  }
}
