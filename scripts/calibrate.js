#!/usr/bin/env node
// Rewrites docs/CALIBRATION.md from docs/calibration.json: speed measurements, engine KV-cache capacity, then training runs.
// Run after `npm run build`.
import {readFileSync, writeFileSync} from 'node:fs'
import {calibrate, calibrationMarkdown, calibrationSchema} from '../dist/report/calibration.js'
import {calibrateKv, kvCalibrationMarkdown} from '../dist/report/kv-calibration.js'
import {calibrateTrain, trainCalibrationMarkdown} from '../dist/report/train-calibration.js'
import {loadValidator} from '../dist/presets/load.js'

await loadValidator() // some cases name a config.json file rather than a preset
const {serving, kvCapacity, training} = calibrationSchema.parse(JSON.parse(readFileSync('docs/calibration.json', 'utf8')))
writeFileSync('docs/CALIBRATION.md', `${calibrationMarkdown(serving.map(calibrate))}\n${kvCalibrationMarkdown(kvCapacity.map(calibrateKv))}\n${trainCalibrationMarkdown(training.map(calibrateTrain))}`)
console.log('docs/CALIBRATION.md')
