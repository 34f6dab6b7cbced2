import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {runCli} from './run.js'

describe('params --json', () => {
  it('gives stable camelCase fields with exact integers', () => {
    const r = runCli(['params', 'qwen3-0.6b', 'llama-3.2-1b-instruct', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout).models
    expect(rows.map((x: {id: string}) => x.id)).toEqual(['qwen3-0.6b', 'llama-3.2-1b-instruct'])
    for (const key of ['id', 'totalParams', 'activeParams', 'embeddingParams', 'nonEmbeddingParams', 'breakdown']) expect(rows[0]).toHaveProperty(key)
    // Qwen3 0.6B, tied: 151936 x 1024 embedding + 28 layers + final norm
    const layer = 1024 * 2048 + 2 * 1024 * 1024 + 2048 * 1024 + 3 * 1024 * 3072 + 2 * 1024 + 2 * 128
    expect(rows[0].totalParams).toBe(151936 * 1024 + 28 * layer + 1024)
    expect(rows[0].embeddingParams + rows[0].nonEmbeddingParams).toBe(rows[0].totalParams)
    const leaves = Object.values(rows[0].breakdown as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(leaves).toBe(rows[0].totalParams)
  })
})

describe('presets', () => {
  it('lists one row per preset file', () => {
    const r = runCli(['presets', '--json'])
    expect(r.code).toBe(0)
    const rows = JSON.parse(r.stdout).presets
    expect(rows).toHaveLength(readdirSync('presets/models').filter((f) => f.endsWith('.json')).length)
    const ds = rows.find((x: {id: string}) => x.id === 'deepseek-v3')
    expect(ds).toMatchObject({family: 'deepseek', ffn: 'moe', attention: 'mla'})
  })
})

describe('show', () => {
  it('draws the card of a sliding-window model', () => {
    const r = runCli(['show', 'gemma-3-27b-it'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('5 sliding(1024) : 1 full, repeated')
    expect(r.stdout).toContain('32 heads, 16 KV heads, head dim 128')
    expect(r.stdout).toContain('sandwich, 4 per layer')
  })
  it('--json prints the validated preset', () => {
    const r = runCli(['show', 'smollm3-3b', '--json'])
    const spec = JSON.parse(r.stdout).model
    expect(spec.layerGroups.filter((g: {rope: boolean}) => !g.rope).length).toBe(9) // NoPE in layers 3, 7, ..., 35
  })
})

describe('compare', () => {
  it('compares all presets when none are named, in csv with raw numbers', () => {
    const r = runCli(['compare', '--format', 'csv'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toContain('total_params')
    expect(lines).toHaveLength(1 + readdirSync('presets/models').filter((f) => f.endsWith('.json')).length)
  })
  it('markdown for READMEs', () => {
    const r = runCli(['compare', 'qwen3-0.6b', 'llama-3.2-1b-instruct', '--format', 'md'])
    expect(r.stdout.split('\n')[1]).toMatch(/^\|:---\|/)
  })
})
