// Contracts between the schema, the generated files and the presets.
import {readFileSync, readdirSync} from 'node:fs'
import {basename, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {importHfConfig} from '../src/import/hf-config.js'
import {loadModelFile} from '../src/presets/load.js'
import {modelJsonSchema} from '../src/schema/json-schema.js'

const presetDir = 'presets/models'
const configDir = '../shared/hf-configs'
const presetIds = readdirSync(presetDir).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort()

describe('schema', () => {
  it('the checked-in JSON Schema is the one the zod schema generates (run `npm run build && npm run schema`)', () => {
    expect(JSON.parse(readFileSync('schemas/model.schema.json', 'utf8'))).toEqual(modelJsonSchema())
  })
})

describe('presets', () => {
  it('every config in ../shared/hf-configs has a preset of the same id, and no preset lacks one', () => {
    const configIds = readdirSync(configDir).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort()
    expect(presetIds).toEqual(configIds)
  })

  it.each(presetIds)('%s loads, validates and names the schema', (id) => {
    const file = join(presetDir, `${id}.json`)
    const spec = loadModelFile(file)
    expect(spec.id).toBe(id)
    expect(JSON.parse(readFileSync(file, 'utf8')).$schema).toBe('../../schemas/model.schema.json')
  })

  it.each(presetIds)('%s is what the importer builds from its config (apart from hand-written name, reported, notes)', (id) => {
    const raw = JSON.parse(readFileSync(join(configDir, `${id}.json`), 'utf8'))
    delete raw._provenance
    const preset = loadModelFile(join(presetDir, `${id}.json`))
    const {reported: _reported, notes: _notes, ...curated} = preset
    const {notes: _importerNotes, ...imported} = importHfConfig(raw, {id, name: preset.name, hfRepo: preset.source.hfRepo, configPath: preset.source.config})
    expect(imported).toEqual(curated)
  })
})
