// The two entry paths print the same bytes: bin/run.js runs a command straight from its definition, and oclif
// runs the class generated from it (src/cli/oclif.ts). 1,000 random command lines, generated from the
// definitions with a fixed seed (ARCHCOST_PATHS_SEED to vary it), run in this process through both; a handful
// more as real processes through bin/run.js, with and without ARCHCOST_NO_FAST.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {CommandDefinition} from '../../src/cli/definition.js'
import {runCli} from './run.js'

// The built modules, as bin/run.js loads them (`npm test` builds first).
const built = (file: string) => import(new URL(`../../dist/cli/${file}`, import.meta.url).href)
const {execute} = (await built('execute.js')) as typeof import('../../src/cli/execute.js')
const {processIo} = (await built('present.js')) as typeof import('../../src/cli/present.js')
const {allFlags} = (await built('parse.js')) as typeof import('../../src/cli/parse.js')
const {commandIds, loadCommand} = (await built('registry.js')) as typeof import('../../src/cli/registry.js')

const seed = Number(process.env.ARCHCOST_PATHS_SEED ?? 20261129)
const lines = 1000
const dir = mkdtempSync(join(tmpdir(), 'archcost-paths-'))

/** mulberry32: a small seeded generator, so a failing line can be reproduced from the seed. */
function random(seedValue: number) {
  let a = seedValue >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const models = ['qwen3-8b', 'llama-3.1-8b', 'deepseek-v3', 'gemma-3-27b-it', 'qwen3-30b-a3b', 'gpt-oss-20b', 'nope', 'presets/models/smollm3-3b.json', 'presets/sources/qwen3-0.6b.config.json', '']
const values = ['8k', '32k', '1', '4', '0', '-1', '2.5', 'h100', '8xh100', 'h100,h200', 'bogus', '', '1e3', '0.9', 'latent', 'vllm', 'kv', 'context=1k..8k', 'batch=1,2', 'params,kv', 'active', '10B', '80GiB', '1xh100']

function commandLine(definition: CommandDefinition, next: () => number): string[] {
  const pickOne = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
  const tokens: string[] = []
  const positional = definition.id === 'schema' ? ['model', 'hardware', 'scenario', 'result', 'fit', 'nope'] : definition.id === 'explain' ? [...models, 'kv', 'params', 'tps', 'nope'] : models
  for (let i = Math.floor(next() * 3); i > 0; i--) tokens.push(pickOne(positional))
  const flags = Object.entries(allFlags(definition)).filter(([name]) => name !== 'hf' && name !== 'out')
  for (let i = Math.floor(next() * 4); i > 0; i--) {
    const [name, spec] = pickOne(flags)
    const form = next()
    const flag = spec.char && form < 0.2 ? `-${spec.char}` : `--${name}`
    if (spec.kind === 'boolean') tokens.push(form > 0.95 ? `${flag}=yes` : flag)
    else {
      const value = spec.options && next() < 0.6 ? pickOne(spec.options) : pickOne(values)
      if (form > 0.9) tokens.push(`--${name}=${value}`)
      else if (form > 0.85) tokens.push(flag) // a flag without its value
      else tokens.push(flag, value)
    }
  }
  if (next() < 0.05) tokens.push('--no-such-flag')
  if (definition.id === 'sweep' && next() < 0.5) tokens.push('--over', pickOne(['context=1k..8k', 'batch=1,2,4', 'devices=1,2']))
  return tokens
}

/** What a run writes to stdout and stderr, caught at process.stdout/stderr.write, where both paths print. */
async function captured(run: () => Promise<number>): Promise<{stdout: string; stderr: string; code: number}> {
  const out = {stdout: '', stderr: ''}
  const writes = {stdout: process.stdout.write, stderr: process.stderr.write}
  process.stdout.write = ((chunk: string) => ((out.stdout += chunk), true)) as typeof process.stdout.write
  process.stderr.write = ((chunk: string) => ((out.stderr += chunk), true)) as typeof process.stderr.write
  try {
    const code = await run()
    // With --debug the stack's frames name each path's own callers; the rest must match.
    return {stdout: out.stdout, stderr: out.stderr.replace(/^ {4}at .*\n/gm, ''), code}
  } finally {
    process.stdout.write = writes.stdout
    process.stderr.write = writes.stderr
  }
}

let config: Config
beforeAll(async () => {
  config = await Config.load({root: process.cwd()})
})
afterAll(() => {
  process.exitCode = 0
})

describe(`both paths print the same (seed ${seed})`, () => {
  it(`${lines} random command lines from the definitions`, async () => {
    const next = random(seed)
    const definitions = await Promise.all(commandIds.map(loadCommand))
    const env = {HF_ENDPOINT: 'http://127.0.0.1:9', NO_COLOR: '1'}
    const saved = {HF_ENDPOINT: process.env.HF_ENDPOINT, NO_COLOR: process.env.NO_COLOR}
    Object.assign(process.env, env)
    const counts = {ok: 0, refused: 0}
    try {
      for (let i = 0; i < lines; i++) {
        const definition = definitions[Math.floor(next() * definitions.length)]!
        const tokens = commandLine(definition, next)
        const direct = await captured(() => execute(definition, tokens, processIo))
        const viaOclif = await captured(async () => {
          process.exitCode = 0
          await config.runCommand(definition.id, tokens)
          const code = Number(process.exitCode ?? 0)
          process.exitCode = 0
          return code
        })
        const line = `line ${i}: archcost ${definition.id} ${tokens.map((t) => JSON.stringify(t)).join(' ')}`
        expect(viaOclif, line).toEqual(direct)
        counts[direct.code === 0 ? 'ok' : 'refused']++
      }
    } finally {
      for (const [key, value] of Object.entries(saved)) if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
    // The generator must reach both outcomes often, or the comparison proves little.
    expect(counts.ok).toBeGreaterThan(lines / 10)
    expect(counts.refused).toBeGreaterThan(lines / 10)
  }, 300_000)

  it.each([
    [['compare', '--format', 'csv']],
    [['params', 'deepseek-v3', 'kimi-k2-instruct']],
    [['fit', 'qwen3-30b-a3b', '--hardware', 'h100,l4', '--context', '32k', '--json']],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '-b', '8']],
    [['show', 'gemma-3-27b-it']],
    [['kv', 'qwen3-8b', '--engine', 'sglang']],
    [['kv', 'qwen3-8b', '--batch', '--json']],
    [['memory', 'nope']],
    [['flops', 'qwen3-8b', '--context', '0']],
    [['check', 'qwen3-8b', '--max-total', '1B']],
    [['validate', 'presets/models/qwen3-8b.json']],
    [['sweep', 'qwen3-8b', '--over', 'context=1k..8k', '--out', join(dir, 'a.txt')]],
  ])('as processes: %j', (args) => {
    const fast = runCli(args)
    const oclif = runCli(args, {ARCHCOST_NO_FAST: '1'})
    expect(fast.stdout).toBe(oclif.stdout)
    expect(fast.stderr).toBe(oclif.stderr)
    expect(fast.code).toBe(oclif.code)
  })
})
