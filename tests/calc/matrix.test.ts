// Every preset through memory and fit on every hardware profile: finite, non-negative, self-consistent figures.
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {loadHardware, loadModel} from '../../src/presets/load.js'
import {fitResult} from '../../src/report/fit.js'
import {defaultPerfOptions} from '../../src/calc/perf.js'
import {flopsResult} from '../../src/report/flops.js'
import {perfResult} from '../../src/report/perf.js'
import {defaultFlopsOptions} from '../../src/calc/flops.js'

const ids = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()
const hardware = ids('presets/hardware').map((id) => loadHardware(id))

const finiteNonNegative = (value: unknown, path: string): string[] => {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? [] : [`${path} = ${value}`]
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => finiteNonNegative(v, `${path}.${k}`))
  return []
}

describe.each(ids('presets/models'))('%s', (id) => {
  const spec = loadModel(id)
  it('memory terms add up to the total, and the per-device total never exceeds it times the devices', () => {
    const estimate = memoryEstimate(spec, defaultScenario(spec))
    expect(finiteNonNegative(estimate, 'memory')).toEqual([])
    expect(estimate.totalBytes).toBe(estimate.weightsBytes + estimate.kvBytes + estimate.activationBytes + estimate.overheadBytes)
    const d = estimate.perDevice
    expect(d.totalBytes).toBe(d.weightsBytes + d.kvBytes + d.activationBytes + d.overheadBytes)
  })
  it('fit on every hardware profile gives finite figures, and a fitting layout fits', () => {
    for (const hw of hardware) {
      const r = fitResult(spec, defaultScenario(spec), {hardware: hw, devices: null}, 0.9, scenarioInput({}).engineSettings)
      expect(finiteNonNegative(r, `${id} on ${hw.id}`)).toEqual([])
      if (r.layout) {
        expect(r.fits, `${id} on ${hw.id}`).toBe(true)
        expect(r.perDeviceBytes!).toBeLessThanOrEqual(r.usableDeviceBytes)
        expect(r.maxContextTokens).toBeGreaterThanOrEqual(Math.min(r.contextTokens, spec.maxContextTokens))
      }
    }
  })
  it('flops at 8k and perf on every hardware profile give finite, non-negative figures', () => {
    expect(finiteNonNegative(flopsResult(spec, Math.min(8192, spec.maxContextTokens), defaultFlopsOptions, 1e12), 'flops')).toEqual([])
    for (const hw of hardware) {
      const s = {...defaultScenario(spec), contextTokens: 2560, promptTokens: 2048, outputTokens: 512}
      const r = perfResult(spec, s, {hardware: hw, devices: null}, 0.9, defaultPerfOptions, null)
      expect(finiteNonNegative(r, `${id} on ${hw.id}`)).toEqual([])
      if (r.layout) expect(r.tpotSeconds! > 0 && r.ttftSeconds! > 0).toBe(true)
    }
  })
})
