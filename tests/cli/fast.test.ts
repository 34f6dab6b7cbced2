// The oclif-free start-up path: it parses exactly what oclif would, or hands the command to oclif.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {parseWithManifest} from '../../src/cli/fast.js'
import {runCli} from './run.js'

const manifest = JSON.parse(readFileSync('oclif.manifest.json', 'utf8')).commands

describe('parseWithManifest', () => {
  it('long and short flags, --flag=value, booleans, defaults, positional models', () => {
    const parsed = parseWithManifest(['qwen3-8b', '-c', '32k', '--batch=4', '--json', 'llama-3.1-8b'], manifest.memory)!
    expect(parsed.argv).toEqual(['qwen3-8b', 'llama-3.1-8b'])
    expect(parsed.flags).toMatchObject({context: '32k', batch: '4', json: true, format: 'table', 'mla-cache': 'latent', 'prefill-chunk': '2048'})
  })
  it('a required argument is mapped by name', () => {
    expect(parseWithManifest(['deepseek-v3'], manifest.show)!.args).toEqual({model: 'deepseek-v3'})
  })
  it.each([
    [['qwen3-8b', '--contextt', '8k'], 'an unknown flag'],
    [['qwen3-8b', '--engine', 'tgi'], 'a value outside the options'],
    [['qwen3-8b', '--batch'], 'a flag without its value'],
    [['qwen3-8b', '--batch', '2', '--batch', '3'], 'a repeated flag'],
    [['qwen3-8b', '--json=yes'], 'a value on a boolean'],
    [['qwen3-8b', '-5'], 'a dash token it cannot place'],
  ])('hands %j to oclif (%s)', (tokens) => {
    expect(parseWithManifest(tokens, manifest.memory)).toBeNull()
  })
  it('hands flag relationships to oclif (compare --moe --dense)', () => {
    expect(parseWithManifest(['--moe', '--dense'], manifest.compare)).toBeNull()
    expect(parseWithManifest(['--moe'], manifest.compare)).not.toBeNull()
  })
  it('hands a missing required argument to oclif', () => {
    expect(parseWithManifest([], manifest.show)).toBeNull()
  })
})

describe('both paths print the same', () => {
  it.each([
    [['compare', '--format', 'csv']],
    [['params', 'deepseek-v3', 'kimi-k2-instruct']],
    [['fit', 'qwen3-30b-a3b', '--hardware', 'h100,l4', '--context', '32k', '--json']],
    [['perf', 'llama-3.1-8b', '--hardware', 'h100', '-b', '8']],
    [['show', 'gemma-3-27b-it']],
    [['kv', 'qwen3-8b', '--engine', 'sglang']],
    [['memory', 'nope']],
    [['flops', 'qwen3-8b', '--context', '0']],
  ])('%j', (args) => {
    const fast = runCli(args)
    const oclif = runCli(args, {ARCHCOST_NO_FAST: '1'})
    expect(fast.stdout).toBe(oclif.stdout)
    expect(fast.stderr).toBe(oclif.stderr)
    expect(fast.code).toBe(oclif.code)
  })
})
