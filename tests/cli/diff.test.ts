import {describe, expect, it} from 'vitest'
import {runCli} from './run.js'

describe('diff', () => {
  it('--json gives the DiffResult: ids, contexts, aligned fields with differs, derived quantities with ratios', () => {
    const r = runCli(['diff', 'deepseek-v3', 'kimi-k2-instruct', '--json'])
    expect(r.code).toBe(0)
    const data = JSON.parse(r.stdout)
    expect(Object.keys(data)).toEqual(['ids', 'contextTokens', 'kvFormats', 'fields', 'derived', 'warnings'])
    expect(data.ids).toEqual(['deepseek-v3', 'kimi-k2-instruct'])
    expect(data.contextTokens).toEqual([8192, 8192])
    for (const f of data.fields) {
      expect(Object.keys(f)).toEqual(['field', 'values', 'differs'])
      expect(f.values).toHaveLength(2)
    }
    expect(data.fields.find((f: {field: string}) => f.field === 'Layers')).toEqual({field: 'Layers', values: ['61', '61'], differs: false})
    expect(data.derived.map((d: {quantity: string}) => d.quantity)).toEqual([
      'totalParams',
      'activeParams',
      'nonEmbeddingParams',
      'kvBytesPerToken',
      'kvCacheBytes',
      'decodeFlopsPerToken',
      'prefillFlops',
    ])
    // MLA latent: (512 + 64) values x 61 layers x 2 bytes for both
    expect(data.derived.find((d: {quantity: string}) => d.quantity === 'kvBytesPerToken')).toEqual({
      quantity: 'kvBytesPerToken',
      unit: 'bytes',
      values: [576 * 61 * 2, 576 * 61 * 2],
      ratios: [1, 1],
    })
  })

  it('--only-diff keeps the differing fields; --context applies to every model', () => {
    const r = runCli(['diff', 'llama-3.2-1b-instruct', 'qwen3-0.6b', '--only-diff', '--context', '4k', '--json'])
    expect(r.code).toBe(0)
    const data = JSON.parse(r.stdout)
    expect(data.contextTokens).toEqual([4096, 4096])
    expect(data.fields.length).toBeGreaterThan(0)
    expect(data.fields.every((f: {differs: boolean}) => f.differs)).toBe(true)
    expect(data.fields.map((f: {field: string}) => f.field)).not.toContain('Dtype') // bf16 both
    const kv = data.derived.find((d: {quantity: string}) => d.quantity === 'kvBytesPerToken')
    expect(kv.values).toEqual([16 * 8 * 64 * 2 * 2, 28 * 8 * 128 * 2 * 2])
    expect(kv.ratios).toEqual([1, 3.5])
  })

  it('the table marks differences and prints ratio columns', () => {
    const r = runCli(['diff', 'gemma-3-27b-it', 'mistral-small-3.1-24b-instruct-2503', 'qwen3-0.6b'], {COLUMNS: ''}) // never cut to a terminal width
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/│ Layer pattern\s+│ ≠ │ 5 sliding\(1024\) : 1 full, repeated/)
    expect(r.stdout).toMatch(/│ Quantity\s+│ gemma-3-27b-it │ mistral-small-3.1-24b-instruct-2503 │ qwen3-0.6b │\s+b\/a │\s+c\/a │/)
    expect(r.stdout).toMatch(/│ KV per token\s+│\s+80.00 KiB │\s+160.00 KiB │\s+112.00 KiB │ 2.00x │ 1.40x │/)
  })

  it('csv carries raw numbers', () => {
    const r = runCli(['diff', 'llama-3.2-1b-instruct', 'qwen3-0.6b', '--format', 'csv'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('quantity,unit,llama-3.2-1b-instruct,qwen3-0.6b,qwen3-0.6b/llama-3.2-1b-instruct')
    expect(r.stdout).toContain('kvBytesPerToken,bytes,32768,114688,3.5')
  })

  it('one model is unusable input: one line, exit 2', () => {
    const r = runCli(['diff', 'qwen3-0.6b', '--json'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain('diff needs at least two models')
  })

  it('an unknown id is exit 2 as everywhere', () => {
    const r = runCli(['diff', 'qwen3-0.6b', 'qwen3-8'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown model "qwen3-8"')
  })
})
