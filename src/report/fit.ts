// "Will it fit, on how many devices, for how many users": one row per hardware profile.
import {layoutOn, usableBytes} from '../calc/deployment.js'
import {visibleMemoryBytes} from '../calc/device-memory.js'
import {engineBudget, engineFits} from '../calc/engine-budget.js'
import {kvBudgetPerDevice, kvCacheCapacityTokens, maxConcurrency, maxContextTokens} from '../calc/fit.js'
import {memoryEstimate, type MemoryScenario} from '../calc/memory.js'
import {devicesOf, kvReplicated, layoutText as layoutShape} from '../calc/parallel.js'
import type {HardwareChoice} from '../calc/deployment.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {EngineSettings} from '../schema/scenario-fields.js'
import type {FitResult} from '../schema/results/fit.js'

export type {FitResult} from '../schema/results/fit.js'

export function fitResult(spec: ModelSpec, base: MemoryScenario, choice: HardwareChoice, memoryUtilization: number, settings: EngineSettings): FitResult {
  const hw = choice.hardware
  const layout = layoutOn(spec, base, choice, memoryUtilization)
  const usable = usableBytes(hw, memoryUtilization, settings.wiredLimitBytes)
  const visible = visibleMemoryBytes(hw, settings.wiredLimitBytes)
  const common = {id: spec.id, hardware: hw.id, devicesGiven: choice.devices !== null, contextTokens: base.contextTokens, batch: base.batch, deviceMemoryBytes: hw.memoryBytes, deviceMemoryVisibleBytes: visible, usableDeviceBytes: usable}
  if (!layout)
    return {...common, devices: null, layout: null, kvReplicated: false, fits: false, perDeviceBytes: null, kvCachePoolBytesPerDevice: 0, maxContextTokens: 0, kvCacheCapacityTokens: 0, maxConcurrency: 0, pricePerHourUsd: null, engineBudget: null, engineLog: []}
  const s = {...base, layout}
  const perDevice = memoryEstimate(spec, s).perDevice.totalBytes
  const devices = devicesOf(layout)
  const price = hw.pricePerHourUsd === null ? null : hw.pricePerHourUsd * devices
  const shared = {...common, devices, layout, kvReplicated: kvReplicated(spec, layout), perDeviceBytes: perDevice, pricePerHourUsd: price}
  if (s.engine) {
    // The engine's own start-up accounting decides the pool, the capacity and whether one batch of requests fits.
    const engine = engineBudget(spec, s, hw, settings, memoryUtilization)
    return {
      ...shared,
      fits: engineFits(engine, s.batch),
      kvCachePoolBytesPerDevice: engine.kvCachePoolBytesPerDevice,
      maxContextTokens: Math.min(engine.capacityTokens, spec.maxContextTokens),
      kvCacheCapacityTokens: engine.capacityTokens,
      maxConcurrency: engine.maxConcurrency,
      engineBudget: engine,
      engineLog: engine.engineLog,
    }
  }
  return {
    ...shared,
    fits: perDevice <= usable,
    kvCachePoolBytesPerDevice: kvBudgetPerDevice(spec, s, hw, memoryUtilization),
    maxContextTokens: maxContextTokens(spec, s, hw, memoryUtilization),
    kvCacheCapacityTokens: kvCacheCapacityTokens(spec, s, hw, memoryUtilization),
    maxConcurrency: maxConcurrency(spec, s, hw, memoryUtilization),
    engineBudget: null,
    engineLog: [],
  }
}

const layoutText = (r: FitResult) =>
  r.layout ? `${layoutShape(r.layout)}${r.kvReplicated ? ' (KV replicated)' : ''}` : 'no layout up to 1024 devices'

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
    rows: results.map((r) => ({...r, layout: null, engineBudget: null, engineLog: null, maxConcurrency: Math.floor(r.maxConcurrency * 100) / 100, layoutText: layoutText(r), fitText: r.fits ? 'fits' : 'DOES NOT FIT'})),
    notes,
  }
}

/** What the engine would log at start-up, per row: to hold against one's own log line by line. */
export function engineLogView(results: {id: string; hardware: string | null; engineLog: string[]; engineBudget: FitResult['engineBudget']}[]): TableView | null {
  const rows = results.flatMap((r) => r.engineLog.map((line, i) => ({id: i === 0 ? r.id : '', hardware: i === 0 ? (r.hardware ?? '') : '', line})))
  if (rows.length === 0) return null
  const engine = results.find((r) => r.engineBudget)!.engineBudget!
  return {
    title: `What ${engine.engine}${engine.engineVersion ? ` ${engine.engineVersion.toUpperCase()}` : ''} would log at start-up, per device`,
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'hardware', header: 'Hardware', kind: 'text'},
      {key: 'line', header: 'Log line', kind: 'text', keep: true},
    ],
    rows,
    notes: ['each term by name is in --json under rows[].engineBudget; the constants the engines leave to the run are calibrated in docs/CALIBRATION.md'],
  }
}
