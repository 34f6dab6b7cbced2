#!/usr/bin/env node
// Rewrites docs/CALIBRATION.md from docs/calibration.json. Run after `npm run build`.
import {readFileSync, writeFileSync} from 'node:fs'
import {calibrate, calibrationMarkdown, calibrationSchema} from '../dist/report/calibration.js'

const {measurements} = calibrationSchema.parse(JSON.parse(readFileSync('docs/calibration.json', 'utf8')))
writeFileSync('docs/CALIBRATION.md', calibrationMarkdown(measurements.map(calibrate)))
console.log('docs/CALIBRATION.md')
