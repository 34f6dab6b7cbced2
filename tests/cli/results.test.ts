// Every command's --json output is what its result schema says: checked with the zod schema itself and with
// the JSON Schema `archcost schema result <command>` publishes (ajv, draft 2020-12), as a script would.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {afterAll, describe, expect, it} from 'vitest'
import {resultSchemas} from '../../src/schema/results/index.js'
import {tempDir, tinyLlamaHfTensors, tinyLlamaPreset, writeSafetensors} from '../checkpoint/writers.js'
import {runCli} from './run.js'

const tmp = tempDir()
afterAll(() => tmp.remove())
const preset = join(tmp.dir, 'tiny-llama.json')
writeFileSync(preset, JSON.stringify(tinyLlamaPreset()))
const checkpoint = join(tmp.dir, 'model.safetensors')
writeSafetensors(checkpoint, tinyLlamaHfTensors())

const lines: [string, string[]][] = [
  ['check', ['check', 'qwen3-8b', 'qwen3-30b-a3b', '--max-total', '10B', '--max-kv-per-token', '64KiB', '--fits', '1xh100', '--min-decode-tps', '50', '--hardware', 'h100']],
  ['compare', ['compare', '--hardware', 'h100']],
  ['compare', ['compare']],
  ['completion', ['completion', 'fish']],
  ['diff', ['diff', 'deepseek-v3', 'kimi-k2-instruct', 'qwen3-235b-a22b']],
  ['explain', ['explain', 'llama-3.1-8b', 'tpot', '--hardware', 'h100']],
  ['explain', ['explain', 'deepseek-v3', 'kv', '--context', '128k']],
  ['fit', ['fit', 'deepseek-v3', 'qwen3-8b', '--hardware', 'h100,h200,rtx4090', '--context', '128k']],
  ['fit', ['fit', 'qwen3-32b', 'llama-3.1-8b', '--train', '--lora-rank', '16', '--quantize-base', '4bit', '--hardware', '1xl40s,1xa100-40gb,h100', '--seq', '2k']],
  ['flops', ['flops', 'deepseek-v3', 'qwen3-next-80b-a3b-thinking', '--train-tokens', '15T']],
  ['import', ['import', 'presets/sources/qwen3-8b.config.json', '--id', 'qwen3-8b']],
  ['kv', ['kv', 'gemma-3-27b-it', 'deepseek-v3', 'qwen3-next-80b-a3b-thinking']],
  ['memory', ['memory', 'gemma-3-27b-it', 'gemma-3n-e4b-it', '--engine', 'vllm', '--hardware', 'h100', '--offload-per-layer-embeddings']],
  ['memory', ['memory', 'deepseek-v3', '--hardware', '8xh200', '--context', '128k']],
  ['params', ['params', 'deepseek-v3', 'gemma-3n-e4b-it', 'gpt-oss-120b']],
  ['perf', ['perf', 'qwen3-30b-a3b', 'llama-3.1-405b', '--hardware', 'h100,mi300x', '--batch', '8']],
  ['plan', ['plan', 'qwen3-30b-a3b', '--isl', '2k', '--osl', '512', '--ttft', '2s', '--tpot', '50ms', '--throughput', '5000']],
  ['plan', ['plan', 'deepseek-v3', '--hardware', 'rtx4090', '--max-devices', '8', '--throughput', '100']],
  ['presets', ['presets']],
  ['schema', ['schema', 'result', 'fit']],
  ['show', ['show', 'llama-4-scout-17b-16e-instruct']],
  ['sweep', ['sweep', 'qwen3-8b', 'gemma-3-27b-it', '--over', 'context=1k..128k']],
  ['sweep', ['sweep', 'qwen3-30b-a3b', '--metric', 'cost', '--hardware', 'h100', '--over', 'batch=1,8,64']],
  ['train', ['train', 'llama-3.1-405b', '--tokens', '15.6T', '--gpus', '16384xh100', '--mfu', '0.4']],
  ['train', ['train', 'qwen3-32b', 'deepseek-v3', '--lora-rank', '16', '--quantize-base', '4bit', '--gpus', '1xl40s', '--seq', '2k']],
  ['validate', ['validate', 'presets/models/qwen3-8b.json', 'presets/sources/gemma-3-27b-it.config.json']],
  ['verify', ['verify', preset, '--checkpoint', checkpoint]],
]

describe('every command’s --json against its result schema', () => {
  it('covers every command', () => {
    expect(new Set(lines.map(([id]) => id))).toEqual(new Set(Object.keys(resultSchemas)))
  })

  it.each(lines)('%s: %j', (id, args) => {
    const r = runCli([...args, '--json'])
    expect(id === 'check' ? [0, 1] : [0], r.stderr).toContain(r.code) // check: one budget fails on purpose
    const output = JSON.parse(r.stdout)
    const parsed = resultSchemas[id as keyof typeof resultSchemas].safeParse(output)
    expect(parsed.success, JSON.stringify(parsed.error?.issues.slice(0, 3))).toBe(true)
    const published = runCli(['schema', 'result', id])
    expect(published.code).toBe(0)
    const validate = new Ajv2020({strict: false}).compile(JSON.parse(published.stdout))
    expect(validate(output), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true)
  })

  it('a number where the schema wants one: a string fails the published schema', () => {
    const fit = JSON.parse(runCli(['fit', 'qwen3-8b', '--hardware', 'h100', '--json']).stdout)
    const validate = new Ajv2020({strict: false}).compile(JSON.parse(runCli(['schema', 'result', 'fit']).stdout))
    expect(validate(fit)).toBe(true)
    fit.rows[0].maxConcurrency = '3.99'
    expect(validate(fit)).toBe(false)
  })
})
