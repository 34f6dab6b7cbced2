// "Will it fit, on how many devices, for how many users": one row per hardware profile.
import {layoutOn, usableBytes} from '../calc/deployment.js'
import {kvCacheCapacityTokens, maxConcurrency, maxContextTokens} from '../calc/fit.js'
import {memoryEstimate, type MemoryScenario} from '../calc/memory.js'
import {devicesOf, kvReplicated} from '../calc/parallel.js'
import type {HardwareChoice} from '../calc/deployment.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {FitResult} from '../schema/results/fit.js'

export type {FitResult} from '../schema/results/fit.js'

export function fitResult(spec: ModelSpec, base: MemoryScenario, choice: HardwareChoice, memoryUtilization: number): FitResult {
  const hw = choice.hardware
  const layout = layoutOn(spec, base, choice, memoryUtilization)
  const usable = usableBytes(hw, memoryUtilization)
  const common = {id: spec.id, hardware: hw.id, devicesGiven: choice.devices !== null, contextTokens: base.contextTokens, batch: base.batch, deviceMemoryBytes: hw.memoryBytes, usableDeviceBytes: usable}
  if (!layout)
    return {...common, devices: null, layout: null, kvReplicated: false, fits: false, perDeviceBytes: null, maxContextTokens: 0, kvCacheCapacityTokens: 0, maxConcurrency: 0, pricePerHourUsd: null}
  const s = {...base, layout}
  const perDevice = memoryEstimate(spec, s).perDevice.totalBytes
  const devices = devicesOf(layout)
  return {
    ...common,
    devices,
    layout,
    kvReplicated: kvReplicated(spec, layout),
    fits: perDevice <= usable,
    perDeviceBytes: perDevice,
    maxContextTokens: maxContextTokens(spec, s, hw, memoryUtilization),
    kvCacheCapacityTokens: kvCacheCapacityTokens(spec, s, hw, memoryUtilization),
    maxConcurrency: maxConcurrency(spec, s, hw, memoryUtilization),
    pricePerHourUsd: hw.pricePerHourUsd === null ? null : hw.pricePerHourUsd * devices,
  }
}

const layoutText = (r: FitResult) =>
  r.layout ? `tp${r.layout.tp}${r.layout.ep > 1 ? ` ep${r.layout.ep}` : ''}${r.layout.pp > 1 ? ` pp${r.layout.pp}` : ''}${r.kvReplicated ? ' (KV replicated)' : ''}` : 'more than 1024 devices'

export function fitView(results: FitResult[], notes: string[]): TableView {
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'hardware', header: 'Hardware', kind: 'text', keep: true},
      {key: 'devices', header: 'Devices', kind: 'integer', keep: true},
      {key: 'layoutText', header: 'Layout', kind: 'text'},
      {key: 'fitText', header: 'Fits', kind: 'text', keep: true},
      {key: 'perDeviceBytes', header: 'Per device', kind: 'bytes', unit: 'bytes'},
      {key: 'usableDeviceBytes', header: 'Usable', kind: 'bytes', unit: 'bytes', dropOrder: 99},
      {key: 'maxContextTokens', header: 'Max context (batch 1)', kind: 'integer', unit: 'tokens'},
      {key: 'kvCacheCapacityTokens', header: 'KV capacity (tokens)', kind: 'integer', unit: 'tokens', keep: true},
      {key: 'maxConcurrency', header: 'Max concurrency', kind: 'fraction', better: 'higher', keep: true},
      {key: 'pricePerHourUsd', header: '$/hour', kind: 'fraction', unit: 'usd', better: 'lower'},
    ],
    // Concurrency rounds down (3.999 sequences is not 4); the price rounds to cents in the 'fraction' formatter.
    rows: results.map((r) => ({...r, layout: null, maxConcurrency: Math.floor(r.maxConcurrency * 100) / 100, layoutText: layoutText(r), fitText: r.fits ? 'fits' : 'DOES NOT FIT'})),
    notes,
  }
}
