// The calibration tables in the docs are what the code predicts for the published measurements.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {calibrate, calibrationMarkdown, calibrationSchema} from '../src/report/calibration.js'
import {calibrateKv, kvCalibrationMarkdown, meanAbsoluteError} from '../src/report/kv-calibration.js'

const {measurements, kvCapacity} = calibrationSchema.parse(JSON.parse(readFileSync('docs/calibration.json', 'utf8')))
const kvRows = kvCapacity.map(calibrateKv)

describe('calibration', () => {
  it('has at least five published measurements, each with a source and a quote', () => {
    expect(measurements.length).toBeGreaterThanOrEqual(5)
    for (const m of measurements) expect(m.quote.length).toBeGreaterThan(10)
  })
  it('docs/CALIBRATION.md is what the code gives (run `npm run calibrate` after changing the model)', () => {
    expect(readFileSync('docs/CALIBRATION.md', 'utf8')).toBe(`${calibrationMarkdown(measurements.map(calibrate))}\n${kvCalibrationMarkdown(kvRows)}`)
  })
  it('single-device batch-1 decode lands within a factor of 3 of the published figure (engines reach 30-100% of peak bandwidth)', () => {
    for (const row of measurements.map(calibrate).filter((r) => !/^\d+x/.test(r.hardware) && r.batch === 1)) {
      expect(row.ratio, `${row.model} on ${row.hardware}`).toBeGreaterThan(1 / 3)
      expect(row.ratio, `${row.model} on ${row.hardware}`).toBeLessThan(3)
    }
  })
})

describe('engine KV capacity against published start-up logs', () => {
  const independent = kvRows.filter((r) => r.role === 'independent')
  it('every case quotes its log; the cases that set a constant say which', () => {
    expect(kvRows.length).toBeGreaterThanOrEqual(30)
    for (const r of kvRows) expect(r.quote.length, r.id).toBeGreaterThan(20)
    for (const r of kvRows.filter((row) => row.role === 'sets-constant')) expect(r.constant, r.id).toBeTruthy()
    expect(independent.length).toBeGreaterThan(kvRows.length / 2)
  })
  it('vLLM V1 0.19 on H100, the independent cases of the public sweep: within 3% mean absolute error', () => {
    const sweep = independent.filter((r) => r.id.startsWith('vllm-v1-0.19-'))
    expect(sweep.length).toBeGreaterThanOrEqual(15)
    expect(meanAbsoluteError(sweep)).toBeLessThan(0.03)
  })
  it('every independent case: within 5% mean absolute error (the outliers are named in docs/CALIBRATION.md)', () => {
    expect(meanAbsoluteError(independent)).toBeLessThan(0.05)
  })
  it("llama.cpp's KV buffers, to the byte (n_ctx padded to 256, iSWA windows, slots sharing a unified cache)", () => {
    const llamacpp = kvRows.filter((r) => r.flags.engine === 'llama.cpp')
    expect(llamacpp.length).toBeGreaterThanOrEqual(5)
    for (const r of llamacpp) expect(r.predicted, r.id).toBe(r.measured)
  })
  it('the done-when cases: vLLM V0, Llama 3.1 8B on an RTX 3090 at 29,000 and 20,000 tokens, within 5%', () => {
    const at = (id: string) => kvRows.find((r) => r.id === id)!
    expect(Math.abs(at('vllm-v0-llama-3.1-8b-rtx3090-len29k').ratio - 1)).toBeLessThan(0.05)
    expect(Math.abs(at('vllm-v0-llama-3.1-8b-rtx3090-len20k').ratio - 1)).toBeLessThan(0.05)
  })
})
