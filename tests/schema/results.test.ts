// The result schemas: each publishes as JSON Schema, accepts what the result builders produce for every preset,
// and refuses a string where a number belongs, a missing field and an extra key.
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {z} from 'zod'
import {defaultFlopsOptions} from '../../src/calc/flops.js'
import {defaultScenario} from '../../src/calc/memory.js'
import {defaultPerfOptions} from '../../src/calc/perf.js'
import {readCheckpoint} from '../../src/checkpoint/read.js'
import {loadHardware, loadModel, parseModelSpec} from '../../src/presets/load.js'
import {diffResult} from '../../src/report/diff.js'
import {fitResult} from '../../src/report/fit.js'
import {flopsResult} from '../../src/report/flops.js'
import {defaultContexts, kvResult} from '../../src/report/kv.js'
import {memoryResult} from '../../src/report/memory.js'
import {paramsResult, presetSummary} from '../../src/report/params.js'
import {perfResult} from '../../src/report/perf.js'
import {verifyResult} from '../../src/report/verify.js'
import {checksOutputSchema, checkLineSchema} from '../../src/schema/results/checks.js'
import {diffOutputSchema} from '../../src/schema/results/diff.js'
import {fitOutputSchema, fitResultSchema} from '../../src/schema/results/fit.js'
import {flopsOutputSchema} from '../../src/schema/results/flops.js'
import {resultCommandIds, resultJsonSchema, resultSchemas} from '../../src/schema/results/index.js'
import {kvOutputSchema} from '../../src/schema/results/kv.js'
import {memoryOutputSchema, memoryResultSchema} from '../../src/schema/results/memory.js'
import {paramsOutputSchema, presetsOutputSchema} from '../../src/schema/results/params.js'
import {perfOutputSchema} from '../../src/schema/results/perf.js'
import {showOutputSchema} from '../../src/schema/results/show.js'
import {sweepOutputSchema} from '../../src/schema/results/sweep.js'
import {verifyOutputSchema} from '../../src/schema/results/verify.js'
import {tempDir, tinyLlamaGgufMetadata, tinyLlamaGgufTensors, tinyLlamaHfTensors, tinyLlamaPreset, writeGguf, writeSafetensors} from '../checkpoint/writers.js'

const ids = readdirSync('presets/models')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort()

/** The issues of a parse as "path: message" lines (empty when valid), so a failure names the field. */
function issues(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

const settings = scenarioInput({}).engineSettings

describe('published JSON Schemas', () => {
  it('cover the 19 commands', () => {
    expect([...resultCommandIds].sort()).toEqual(
      ['check', 'compare', 'completion', 'diff', 'explain', 'fit', 'flops', 'import', 'kv', 'memory', 'params', 'perf', 'plan', 'presets', 'schema', 'show', 'sweep', 'train', 'validate', 'verify'].sort(),
    )
    expect(Object.keys(resultSchemas).sort()).toEqual([...resultCommandIds].sort())
  })

  it.each(resultCommandIds)('%s generates a draft 2020-12 document', (command) => {
    const doc = resultJsonSchema(command)
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(doc.$id).toBe(`https://archcost.dev/schemas/results/${command}.schema.json`)
    expect(doc.type).toBe('object')
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc)
    if (command !== 'schema') {
      expect(doc.additionalProperties).toBe(false)
      expect(doc.required).toContain('warnings')
    }
  })

  it('every numeric field of a result says its unit and is a number (an integer where it counts)', () => {
    const doc = resultJsonSchema('memory') as {properties: {models: {items: {properties: Record<string, {type?: string; description?: string; anyOf?: {type: string; description?: string}[]}>}}}}
    const fields = doc.properties.models.items.properties
    expect(fields.totalBytes).toMatchObject({type: 'integer', minimum: 0})
    expect(fields.totalBytes!.description).toMatch(/\[bytes\]/)
    expect(fields.contextTokens!.description).toMatch(/\[tokens\]/)
    expect(fields.context).toBeUndefined()
    const check = resultJsonSchema('check') as {properties: {checks: {items: {properties: Record<string, {anyOf: {type: string; enum?: unknown[]}[]}>}}}}
    const line = check.properties.checks.items.properties
    expect(line.measured!.anyOf.map((b) => b.type)).toEqual(['number', 'null'])
    expect(line.unit!.anyOf[0]!.enum).toEqual(['params', 'bytes', 'tokens/s', 's'])
  })

  it('refuse an unknown command', () => {
    expect(() => resultJsonSchema('nonsense')).toThrow(/no result schema/)
  })
})

describe('what the result builders give validates', () => {
  const h100 = loadHardware('h100')

  it.each(ids)('%s: params, presets, show, kv, flops, memory, fit, perf', (id) => {
    const spec = loadModel(id)
    const s = defaultScenario(spec)
    expect(issues(paramsOutputSchema, {models: [paramsResult(spec)], warnings: []})).toEqual([])
    expect(issues(presetsOutputSchema, {presets: [presetSummary(spec)], warnings: []})).toEqual([])
    expect(issues(showOutputSchema, {model: spec, warnings: []})).toEqual([])
    expect(issues(kvOutputSchema, {models: [kvResult(spec, {...s, engine: 'vllm'}, defaultContexts(spec)), kvResult(spec, s, [1, 8192])], warnings: []})).toEqual([])
    expect(issues(flopsOutputSchema, {models: [flopsResult(spec, 8192, defaultFlopsOptions, null), flopsResult(spec, 4096, defaultFlopsOptions, 15e12)], warnings: []})).toEqual([])
    const memory = [memoryResult(spec, s, null, 1, settings), memoryResult(spec, {...s, engine: 'vllm', batch: 4}, h100, 0.9, settings), memoryResult(spec, {...s, engine: 'llama.cpp', kvFormat: 'int8'}, null, 0.9, settings)]
    expect(issues(memoryOutputSchema, {models: memory, warnings: ['a warning']})).toEqual([])
    const fit = [fitResult(spec, s, {hardware: h100, devices: null}, 0.9, scenarioInput({}).engineSettings), fitResult(spec, s, {hardware: h100, devices: 1}, 0.9, scenarioInput({}).engineSettings)]
    expect(issues(fitOutputSchema, {rows: fit, training: [], warnings: []})).toEqual([])
    const perfScenario = {...s, contextTokens: 2048 + 512, promptTokens: 2048, outputTokens: 512}
    const perf = [perfResult(spec, perfScenario, {hardware: h100, devices: null}, 0.9, defaultPerfOptions, null), perfResult(spec, perfScenario, {hardware: loadHardware('m4-pro'), devices: 1}, 0.9, defaultPerfOptions, null)]
    expect(issues(perfOutputSchema, {rows: perf, warnings: []})).toEqual([])
  })

  it('verify, against a safetensors and a GGUF checkpoint', () => {
    const {dir, remove} = tempDir()
    try {
      const spec = parseModelSpec(tinyLlamaPreset(), 'tiny-llama.json')
      const st = join(dir, 'model.safetensors')
      writeSafetensors(st, tinyLlamaHfTensors())
      const gguf = join(dir, 'model.gguf')
      writeGguf(gguf, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
      for (const file of [st, gguf]) expect(issues(verifyOutputSchema, {...verifyResult(spec, readCheckpoint(file), file), warnings: []})).toEqual([])
    } finally {
      remove()
    }
  })

  it('diff', () => {
    const r = diffResult([loadModel('llama-3.1-8b'), loadModel('qwen3-30b-a3b'), loadModel('deepseek-v3')])
    expect(issues(diffOutputSchema, {...r, warnings: []})).toEqual([])
  })
})

describe('hand-built results', () => {
  const line = {subject: 'llama-3.1-8b', rule: 'max-total', status: 'fail', measured: 8_030_261_248, limit: 7e9, unit: 'params', message: 'total parameters of the text model', file: null}
  const checkOutput = {passed: false, exitCode: 1, checks: [line, {subject: 'x.json', rule: 'schema', status: 'error', measured: null, limit: null, unit: null, message: 'bad', file: 'x.json'}], warnings: []}

  it('a check result with numbers and units validates', () => {
    expect(issues(checksOutputSchema, checkOutput)).toEqual([])
    expect(issues(resultSchemas.validate, {passed: true, exitCode: 0, checks: [], warnings: []})).toEqual([])
  })

  it('a preformatted figure where a number belongs fails ("8.19B")', () => {
    expect(issues(checkLineSchema, {...line, measured: '8.19B'})).toEqual(['measured: Invalid input: expected number, received string'])
    expect(issues(checkLineSchema, {...line, unit: 'GiB'})).not.toEqual([])
    expect(issues(checksOutputSchema, {...checkOutput, exitCode: 3})).not.toEqual([])
  })

  it('a missing field fails, and so does an extra key', () => {
    const {unit: _unit, ...noUnit} = line
    expect(issues(checkLineSchema, noUnit).length).toBe(1)
    expect(issues(checkLineSchema, noUnit)[0]).toMatch(/^unit:/)
    expect(issues(checkLineSchema, {...line, formatted: '8.19B'})[0]).toMatch(/formatted/)
    expect(issues(checksOutputSchema, {passed: false, exitCode: 1, checks: []})[0]).toMatch(/^warnings:/)
  })

  it('a fit row: unrounded fractions pass; a string or NaN in a number field, or a negative size, fails', () => {
    const row = {
      id: 'qwen3-8b',
      hardware: 'h100',
      devices: 1,
      devicesGiven: false,
      layout: {tp: 1, ep: 1, pp: 1},
      kvReplicated: false,
      fits: true,
      contextTokens: 32768,
      batch: 1,
      perDeviceBytes: 20_000_000_000,
      deviceMemoryBytes: 85_899_345_920,
      deviceMemoryVisibleBytes: 85_031_714_816,
      usableDeviceBytes: 77_309_411_328,
      kvCachePoolBytesPerDevice: 52_000_000_000,
      maxContextTokens: 40960,
      kvCacheCapacityTokens: 400_000,
      maxConcurrency: 12.3456789,
      pricePerHourUsd: 2.987654,
      engineBudget: null,
      engineLog: [],
    }
    expect(issues(fitResultSchema, row)).toEqual([])
    expect(issues(fitResultSchema, {...row, maxConcurrency: '12.34'})[0]).toMatch(/^maxConcurrency:/)
    expect(issues(fitResultSchema, {...row, maxConcurrency: Number.NaN})[0]).toMatch(/^maxConcurrency:/)
    expect(issues(fitResultSchema, {...row, perDeviceBytes: -1})[0]).toMatch(/^perDeviceBytes:/)
    expect(issues(fitResultSchema, {...row, contextTokens: 1.5})[0]).toMatch(/^contextTokens:/)
    expect(issues(fitResultSchema, {...row, layout: {tp: 1, ep: 1, pp: 1, dp: 2}})).toEqual([]) // data-parallel replicas
    expect(issues(fitResultSchema, {...row, layout: {tp: 1, ep: 1, pp: 1, cp: 2}})[0]).toMatch(/^layout/) // an unknown key
  })

  it('a memory result: the old `context` key fails, as does an unknown leaf path', () => {
    const spec = loadModel('llama-3.1-8b')
    const r = memoryResult(spec, defaultScenario(spec), null, 1, settings)
    expect(issues(memoryResultSchema, r)).toEqual([])
    const {contextTokens, ...rest} = r
    expect(issues(memoryResultSchema, {...rest, context: contextTokens}).sort()).toEqual([': Unrecognized key: "context"', 'contextTokens: Invalid input: expected number, received undefined'])
    expect(issues(memoryResultSchema, {...r, leaves: [...r.leaves, {path: 'kv/other', bytes: 1}]})[0]).toMatch(/^leaves\.7\.path:/)
    expect(issues(memoryResultSchema, {...r, totalBytes: String(r.totalBytes)})[0]).toMatch(/^totalBytes:/)
  })

  it('sweep: a y that is a string fails; nulls where a model does not fit pass', () => {
    const sweep = {
      metric: 'memory',
      axis: 'context',
      unit: 'bytes',
      hardware: 'h100',
      usableBytesPerDevice: 77_309_411_328,
      perDevice: true,
      series: [{id: 'qwen3-8b', maxContextTokens: 40960, points: [{x: 1024, y: 17e9, pastMaximum: false}, {x: 65536, y: null, pastMaximum: true}]}],
      warnings: [],
    }
    expect(issues(sweepOutputSchema, sweep)).toEqual([])
    expect(issues(sweepOutputSchema, {...sweep, series: [{...sweep.series[0], points: [{x: 1024, y: '17 GB', pastMaximum: false}]}]})[0]).toMatch(/^series\.0\.points\.0\.y:/)
  })
})
