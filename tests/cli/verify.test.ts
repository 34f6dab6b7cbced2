import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {tempDir, tinyLlamaGgufMetadata, tinyLlamaGgufTensors, tinyLlamaHfTensors, tinyLlamaPreset, writeGguf, writeSafetensors, writeShardedSafetensors} from '../checkpoint/writers.js'
import {runCli} from './run.js'

// The tiny Llama by hand: h 64, 2 layers; q/o 64x64 and k/v 64x32 (2 KV heads of 16); SwiGLU 128; vocab 256, untied.
const embedding = 256 * 64
const attention = 2 * (64 * 64 * 2 + 2 * 64 * 32)
const denseFfn = 2 * (3 * 64 * 128)
const norms = 2 * 2 * 64 + 64
const lmHead = 256 * 64
const total = embedding + attention + denseFfn + norms + lmHead // 106,816

let dir: string
let remove: () => void
let preset: string
beforeEach(() => {
  ;({dir, remove} = tempDir())
  preset = join(dir, 'tiny-llama.json')
  writeFileSync(preset, JSON.stringify(tinyLlamaPreset()))
})
afterEach(() => remove())

const oneLine = (text: string) => text.trim().split('\n').length === 1

describe('verify against a safetensors checkpoint', () => {
  it('a matching file: exit 0, each component and the total agree', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors())
    const r = runCli(['verify', preset, '--checkpoint', file, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({id: 'tiny-llama', checkpoint: file, format: 'safetensors', calculatedTotalParams: total, checkpointTotalParams: total, matches: true})
    expect(out.components).toEqual([
      {component: 'embedding', calculated: embedding, checkpoint: embedding, matches: true},
      {component: 'attention', calculated: attention, checkpoint: attention, matches: true},
      {component: 'denseFfn', calculated: denseFfn, checkpoint: denseFfn, matches: true},
      {component: 'norms', calculated: norms, checkpoint: norms, matches: true},
      {component: 'lmHead', calculated: lmHead, checkpoint: lmHead, matches: true},
    ])
    expect(out.paramsByDtype).toEqual({BF16: total - norms, F32: norms})
    expect(out.apart).toEqual({
      mtp: {calculated: 0, checkpoint: 0, tensors: []},
      encoders: {calculated: 0, checkpoint: 0, tensors: []},
      unmapped: {params: 0, tensors: []},
    })
  })

  it('the table shows each component, the total and the dtypes', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors())
    const r = runCli(['verify', preset, '--checkpoint', file])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/│ Attention\s+│\s+24,576 │\s+24,576 │\s+0 │ agrees/)
    expect(r.stdout).toMatch(/│ Total\s+│\s+106,816 │\s+106,816 │\s+0 │ agrees/)
    expect(r.stdout).toMatch(/│ BF16\s+│\s+106,496 │/)
    expect(r.stdout).toContain('Counted apart')
  })

  it('a sharded checkpoint through its index, or the folder that holds it', () => {
    const tensors = tinyLlamaHfTensors()
    const index = writeShardedSafetensors(dir, [tensors.slice(0, 7), tensors.slice(7)])
    for (const path of [index, dir]) {
      const r = runCli(['verify', preset, '--checkpoint', path, '--json'])
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout)
      expect(out.files).toHaveLength(2)
      expect(out.checkpointTotalParams).toBe(total)
    }
  })

  it('a mismatch: exit 1 with one line, the table still printed, the differing component marked', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors())
    const narrower = join(dir, 'narrower.json')
    writeFileSync(narrower, JSON.stringify(tinyLlamaPreset({id: 'tiny-llama-96', ffn: {gated: true, activation: 'silu', intermediateSize: 96, bias: false}})))
    const r = runCli(['verify', narrower, '--checkpoint', file, '--json'])
    expect(r.code).toBe(1)
    expect(oneLine(r.stderr)).toBe(true)
    const calculatedFfn = 2 * (3 * 64 * 96)
    expect(r.stderr).toContain(`difference +${(denseFfn - calculatedFfn).toLocaleString('en-US')}`)
    const out = JSON.parse(r.stdout)
    expect(out.matches).toBe(false)
    expect(out.calculatedTotalParams).toBe(total - denseFfn + calculatedFfn)
    expect(out.components.find((c: {component: string}) => c.component === 'denseFfn')).toEqual({component: 'denseFfn', calculated: calculatedFfn, checkpoint: denseFfn, matches: false})
    expect(out.components.filter((c: {matches: boolean}) => !c.matches)).toHaveLength(1)
  })

  it('a checkpoint with a vision tower and an extra tensor: the encoder apart, the unknown tensor in the total', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, [
      ...tinyLlamaHfTensors(),
      {name: 'vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight', dtype: 'BF16', shape: [32, 16]},
      {name: 'model.layers.0.self_attn.rotary_emb.inv_freq', dtype: 'F32', shape: [8]},
      {name: 'model.mystery.weight', dtype: 'F32', shape: [3]},
    ])
    const r = runCli(['verify', preset, '--checkpoint', file, '--json'])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.checkpointTotalParams).toBe(total + 3)
    expect(out.apart.encoders).toEqual({calculated: 0, checkpoint: 32 * 16, tensors: ['vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight']})
    expect(out.apart.unmapped).toEqual({params: 3, tensors: ['model.mystery.weight']})
    expect(out.components.every((c: {matches: boolean}) => c.matches)).toBe(true)
  })

  it('a built-in preset id works too (and does not match the tiny file)', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors())
    const r = runCli(['verify', 'llama-3.2-1b-instruct', '--checkpoint', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^archcost: llama-3\.2-1b-instruct: the checkpoint has 106,816 text-model parameters, the calculation 1,235,814,400/)
  })
})

describe('verify: unusable checkpoints are exit 2 with one line', () => {
  it('garbage', () => {
    const file = join(dir, 'garbage.safetensors')
    writeFileSync(file, Buffer.from('this is not a checkpoint at all, just some text'))
    const r = runCli(['verify', preset, '--checkpoint', file])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toBe(true)
    expect(r.stderr).toContain(file)
    expect(r.stdout).toBe('')
  })

  it('truncated safetensors and GGUF', () => {
    const st = join(dir, 'model.safetensors')
    writeSafetensors(st, tinyLlamaHfTensors())
    writeFileSync(st, readFileSync(st).subarray(0, 300))
    const gguf = join(dir, 'model.gguf')
    writeGguf(gguf, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    writeFileSync(gguf, readFileSync(gguf).subarray(0, 500))
    for (const file of [st, gguf]) {
      const r = runCli(['verify', preset, '--checkpoint', file])
      expect(r.code).toBe(2)
      expect(oneLine(r.stderr)).toBe(true)
      expect(r.stderr).toContain('truncated')
    }
  })

  it('a missing path', () => {
    const r = runCli(['verify', preset, '--checkpoint', join(dir, 'nowhere')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no such file or folder')
  })

  it('no --checkpoint', () => {
    const r = runCli(['verify', preset])
    expect(r.code).toBe(2)
    expect(oneLine(r.stderr)).toBe(true)
    expect(r.stderr).toContain('checkpoint')
  })
})

describe('verify against a GGUF file', () => {
  it('the same model quantized to Q8_0: totals agree, metadata and file type shown', () => {
    const file = join(dir, 'tiny-llama-Q8_0.gguf')
    writeGguf(file, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    const r = runCli(['verify', preset, '--checkpoint', file, '--json'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({format: 'gguf', calculatedTotalParams: total, checkpointTotalParams: total, matches: true})
    expect(out.paramsByDtype).toEqual({Q8_0: total - norms, F32: norms})
    expect(out.gguf.architecture).toBe('llama')
    expect(out.gguf.fileType).toEqual({id: 7, name: 'MOSTLY_Q8_0'})
    expect(out.gguf.metadata).toMatchObject({block_count: 2, embedding_length: 64, 'attention.head_count': 4, 'attention.head_count_kv': 2})
    expect(out.components.map((c: {component: string}) => c.component)).toEqual(['embedding', 'attention', 'denseFfn', 'norms', 'lmHead'])
    expect(out.notes.join(' ')).toContain('computed from the config (not a parameter)') // rope_freqs

    const table = runCli(['verify', preset, '--checkpoint', file])
    expect(table.stdout).toMatch(/general\.file_type\s+│ MOSTLY_Q8_0 \(7\)/)
    expect(table.stdout).toMatch(/llama\.block_count\s+│ 2 /)
  })

  it('a folder with one .gguf', () => {
    writeGguf(join(dir, 'tiny.gguf'), tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    const r = runCli(['verify', preset, '--checkpoint', dir, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).format).toBe('gguf')
  })
})
