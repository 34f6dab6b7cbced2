#!/usr/bin/env node
// Regenerates presets/models/<id>.json from presets/sources/<id>.config.json with the importer,
// keeping each preset's hand-written `name`, `reported` and `notes`; `source.config` names the file it came
// from, relative to the repository. Run after `npm run build`.
//   node scripts/generate-presets.js [--configs presets/sources] [--check]
// --check writes nothing: it lists every preset that would change and exits 1 if any would.
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join, relative} from 'node:path'
import {parseJsonText} from '../dist/files.js'
import {importHfConfig} from '../dist/import/hf-config.js'

const args = process.argv.slice(2)
const configDir = args.includes('--configs') && args[args.indexOf('--configs') + 1] ? args[args.indexOf('--configs') + 1] : 'presets/sources'
const check = args.includes('--check')
const outDir = 'presets/models'
const suffix = '.config.json'

// Repository ids from the SOURCES.md table: | <id>.config.json | HF repo id | ...
const sources = readFileSync(join(configDir, 'SOURCES.md'), 'utf8')
const repoOf = new Map()
for (const line of sources.split('\n')) {
  const cells = line.split('|').map((c) => c.trim())
  if (cells.length > 3 && /^[a-z0-9.-]+\.config\.json$/.test(cells[1]) && /\//.test(cells[2])) repoOf.set(cells[1].slice(0, -suffix.length), cells[2].split(' ')[0])
}

let stale = 0
for (const file of readdirSync(configDir).filter((f) => f.endsWith(suffix)).sort()) {
  const id = file.slice(0, -suffix.length)
  // parseJsonText: Python's json writes a bare Infinity (Nemotron-H's time_step_limit), which JSON.parse refuses
  const raw = parseJsonText(readFileSync(join(configDir, file), 'utf8'))
  delete raw._provenance
  const hfRepo = repoOf.get(id)
  if (!hfRepo) throw new Error(`${id}: no row in SOURCES.md`)
  const target = join(outDir, `${id}.json`)
  const previous = existsSync(target) ? JSON.parse(readFileSync(target, 'utf8')) : {}
  const configPath = relative(process.cwd(), join(configDir, file))
  const spec = importHfConfig(raw, {id, name: previous.name ?? hfRepo.split('/')[1], hfRepo, configPath})
  if (previous.reported) spec.reported = previous.reported
  // Hand-written notes are kept after the importer's own.
  const own = new Set(spec.notes ?? [])
  const kept = (previous.notes ?? []).filter((n) => !own.has(n))
  if (kept.length) spec.notes = [...(spec.notes ?? []), ...kept]
  const text = JSON.stringify(spec, null, 2) + '\n'
  if (check) {
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      stale++
      console.log(`${relative('.', target)}: differs from what ${join(configDir, file)} gives`)
    }
  } else {
    writeFileSync(target, text)
    console.log(`${relative('.', target)}`)
  }
}
if (check) {
  console.log(stale ? `${stale} preset(s) out of date` : 'all presets match their configs')
  process.exitCode = stale ? 1 : 0
}
