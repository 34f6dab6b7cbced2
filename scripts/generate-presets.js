#!/usr/bin/env node
// Regenerates presets/models/<id>.json from ../shared/hf-configs/<id>.json with the importer,
// keeping each preset's hand-written `name`, `reported` and `notes`. Run after `npm run build`.
//   node scripts/generate-presets.js [--configs ../shared/hf-configs]
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {basename, join, relative} from 'node:path'
import {importHfConfig} from '../dist/import/hf-config.js'

const args = process.argv.slice(2)
const configDir = args[args.indexOf('--configs') + 1] && args.includes('--configs') ? args[args.indexOf('--configs') + 1] : '../shared/hf-configs'
const outDir = 'presets/models'

// Repository ids from the SOURCES.md table: | slug | HF repo id | ...
const sources = readFileSync(join(configDir, 'SOURCES.md'), 'utf8')
const repoOf = new Map()
for (const line of sources.split('\n')) {
  const cells = line.split('|').map((c) => c.trim())
  if (cells.length > 3 && /^[a-z0-9.-]+$/.test(cells[1]) && /\//.test(cells[2])) repoOf.set(cells[1], cells[2].split(' ')[0])
}

for (const file of readdirSync(configDir).filter((f) => f.endsWith('.json')).sort()) {
  const id = basename(file, '.json')
  const raw = JSON.parse(readFileSync(join(configDir, file), 'utf8'))
  delete raw._provenance
  const hfRepo = repoOf.get(id)
  if (!hfRepo) throw new Error(`${id}: no row in SOURCES.md`)
  const target = join(outDir, `${id}.json`)
  const previous = existsSync(target) ? JSON.parse(readFileSync(target, 'utf8')) : {}
  const spec = importHfConfig(raw, {id, name: previous.name ?? hfRepo.split('/')[1], hfRepo, configPath: `shared/hf-configs/${file}`})
  if (previous.reported) spec.reported = previous.reported
  // Hand-written notes are kept after the importer's own.
  const own = new Set(spec.notes ?? [])
  const kept = (previous.notes ?? []).filter((n) => !own.has(n))
  if (kept.length) spec.notes = [...(spec.notes ?? []), ...kept]
  writeFileSync(target, JSON.stringify(spec, null, 2) + '\n')
  console.log(`${relative('.', target)}`)
}
