// The calibration table in the docs is what the code predicts for the published measurements.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {calibrate, calibrationMarkdown, calibrationSchema} from '../src/report/calibration.js'

const {measurements} = calibrationSchema.parse(JSON.parse(readFileSync('docs/calibration.json', 'utf8')))

describe('calibration', () => {
  it('has at least five published measurements, each with a source and a quote', () => {
    expect(measurements.length).toBeGreaterThanOrEqual(5)
    for (const m of measurements) expect(m.quote.length).toBeGreaterThan(10)
  })
  it('docs/CALIBRATION.md is what the code gives (run `npm run calibrate` after changing the model)', () => {
    expect(readFileSync('docs/CALIBRATION.md', 'utf8')).toBe(calibrationMarkdown(measurements.map(calibrate)))
  })
  it('single-device batch-1 decode lands within a factor of 3 of the published figure (engines reach 30-100% of peak bandwidth)', () => {
    for (const row of measurements.map(calibrate).filter((r) => !/^\d+x/.test(r.hardware) && r.batch === 1)) {
      expect(row.ratio, `${row.model} on ${row.hardware}`).toBeGreaterThan(1 / 3)
      expect(row.ratio, `${row.model} on ${row.hardware}`).toBeLessThan(3)
    }
  })
})
