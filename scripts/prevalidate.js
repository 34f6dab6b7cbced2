#!/usr/bin/env node
// Validates the built-in presets and hardware profiles once, at build time, and writes dist/builtin-presets.json
// (each file's size, modification time, SHA-1 and validated form), so that start-up does not load zod for them. Run after tsc.
import {createHash} from 'node:crypto'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {builtinCacheFile, builtinHardwareDir, builtinModelDir, listPresetIds} from '../dist/presets/load.js'
import {parseHardware, parseModel} from '../dist/presets/validate.js'

const entries = (dir, parse) =>
  Object.fromEntries(
    listPresetIds([dir]).map((id) => {
      const file = join(dir, `${id}.json`)
      const text = readFileSync(file, 'utf8')
      const {size, mtimeMs} = statSync(file)
      return [id, {sha1: createHash('sha1').update(text).digest('hex'), size, mtimeMs, spec: parse(JSON.parse(text), file)}]
    }),
  )
const cache = {models: entries(builtinModelDir, parseModel), hardware: entries(builtinHardwareDir, parseHardware)}
writeFileSync(builtinCacheFile, JSON.stringify(cache))
console.log(`${builtinCacheFile}: ${Object.keys(cache.models).length} presets, ${Object.keys(cache.hardware).length} hardware profiles`)
