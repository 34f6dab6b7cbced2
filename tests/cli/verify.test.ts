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

describe('verify names the cause of a mismatch from the tensor names and shapes', () => {
  const file = () => join(dir, 'model.safetensors')
  const causes = (model: string, checkpoint: string, format = '--json') => {
    const r = runCli(['verify', model, '--checkpoint', checkpoint, format])
    expect(r.code).toBe(1)
    return {causes: format === '--json' ? (JSON.parse(r.stdout).causes as string[]) : [], stderr: r.stderr, stdout: r.stdout}
  }

  it('layers: 2 in the preset, 3 in the checkpoint (model.layers.0-2)', () => {
    writeSafetensors(file(), tinyLlamaHfTensors(3))
    const r = causes(preset, file())
    expect(r.causes).toEqual(['2 layers in the preset (layers), 3 in the checkpoint'])
    expect(oneLine(r.stderr)).toBe(true)
    // one more layer: 2 x 64 x 64 (q, o) + 2 x 32 x 64 (k, v) + 3 x 64 x 128 (SwiGLU) + 2 x 64 (norms) = 8,192 + 4,096 + 24,576 + 128 = 36,992
    expect(r.stderr).toMatch(/difference \+36,992\): 2 layers in the preset \(layers\), 3 in the checkpoint$/m)
  })
  it('layers, from a config.json: its key named; and from GGUF block names (blk.N.)', () => {
    const config = join(dir, 'config.json')
    const llama = JSON.parse(readFileSync('presets/sources/llama-3.2-1b-instruct.config.json', 'utf8'))
    // the tiny Llama as a LlamaConfig, with 3 layers where the checkpoint has 2
    writeFileSync(config, JSON.stringify({...llama, hidden_size: 64, intermediate_size: 128, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, vocab_size: 256, tie_word_embeddings: false}))
    writeSafetensors(file(), tinyLlamaHfTensors())
    expect(causes(config, file()).causes).toEqual(['3 layers in the config (num_hidden_layers), 2 in the checkpoint'])
    const gguf = join(dir, 'tiny.gguf')
    writeGguf(gguf, tinyLlamaGgufMetadata(), tinyLlamaGgufTensors())
    expect(causes(config, gguf).causes).toEqual(['3 layers in the config (num_hidden_layers), 2 in the checkpoint'])
  })
  it('vocabulary: embed_tokens rows against vocab_size', () => {
    writeSafetensors(file(), tinyLlamaHfTensors().map((t) => (t.name === 'model.embed_tokens.weight' ? {...t, shape: [320, 64]} : t)))
    expect(causes(preset, file()).causes).toEqual(['embeddings.vocabSize 256 in the preset, model.embed_tokens.weight has 320 rows'])
  })
  it('an untied model whose checkpoint has no lm_head.weight, and a tied one whose checkpoint has one', () => {
    writeSafetensors(file(), tinyLlamaHfTensors().filter((t) => t.name !== 'lm_head.weight'))
    expect(causes(preset, file()).causes).toEqual(['embeddings.tied is false but the checkpoint has no lm_head.weight'])
    const tied = join(dir, 'tied.json')
    writeFileSync(tied, JSON.stringify(tinyLlamaPreset({id: 'tiny-tied', embeddings: {vocabSize: 256, tied: true, learnedPositions: 0, perLayer: null}})))
    writeSafetensors(file(), tinyLlamaHfTensors())
    expect(causes(tied, file()).causes).toEqual(['embeddings.tied is true but the checkpoint stores lm_head.weight of its own'])
  })
  it('hidden size: the final norm is [hidden]', () => {
    writeSafetensors(file(), tinyLlamaHfTensors().map((t) => (t.name === 'model.norm.weight' ? {...t, shape: [80]} : t)))
    expect(causes(preset, file()).causes).toEqual(['hiddenSize 64 in the preset, model.norm.weight has 80'])
  })
  it('routed experts: distinct experts.E per layer against the model', () => {
    // tiny MoE: 2 layers of 4 experts (top-2) of width 32; the checkpoint has 3 experts per layer
    const moe = join(dir, 'tiny-moe.json')
    writeFileSync(
      moe,
      JSON.stringify(
        tinyLlamaPreset({
          id: 'tiny-moe',
          layerGroups: [{count: 2, mixer: 'full', rope: true, ffn: 'moe'}],
          moe: {routedExperts: 4, topK: 2, expertIntermediateSize: 32, sharedExperts: 0, sharedIntermediateSize: 0, sharedExpertGate: false, routerBias: false, routerScoreCorrectionBias: false, expertBias: false},
        }),
      ),
    )
    const tensors = tinyLlamaHfTensors().filter((t) => !/\.mlp\./.test(t.name))
    for (const layer of [0, 1]) {
      tensors.push({name: `model.layers.${layer}.mlp.gate.weight`, dtype: 'BF16', shape: [4, 64]})
      for (const expert of [0, 1, 2])
        for (const [proj, shape] of [['gate_proj', [32, 64]], ['up_proj', [32, 64]], ['down_proj', [64, 32]]] as const)
          tensors.push({name: `model.layers.${layer}.mlp.experts.${expert}.${proj}.weight`, dtype: 'BF16', shape: [...shape]})
    }
    writeSafetensors(file(), tensors)
    expect(causes(moe, file()).causes).toEqual(['4 routed experts in the preset (moe.routedExperts), 3 per MoE layer in the checkpoint'])
  })
  it('no cause named when the checks find nothing (a narrower FFN is not among them)', () => {
    writeSafetensors(file(), tinyLlamaHfTensors())
    const narrower = join(dir, 'narrower.json')
    writeFileSync(narrower, JSON.stringify(tinyLlamaPreset({ffn: {gated: true, activation: 'silu', intermediateSize: 96, bias: false}})))
    expect(causes(narrower, file()).causes).toEqual([])
  })
  it('a match has no causes', () => {
    writeSafetensors(file(), tinyLlamaHfTensors())
    expect(JSON.parse(runCli(['verify', preset, '--checkpoint', file(), '--json']).stdout).causes).toEqual([])
  })
})

describe('verify --format github|junit', () => {
  it('github: an ::error on the total naming the cause, annotated on the model file; a match is a notice', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors(3))
    const r = runCli(['verify', preset, '--checkpoint', file, '--format', 'github'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(`::error file=${preset},title=archcost total%3A tiny-llama::tiny-llama: the checkpoint has 143,808 text-model parameters, the calculation 106,816 (difference +36,992): 2 layers in the preset (layers), 3 in the checkpoint`)
    // 106,816 + 36,992 (one more layer) = 143,808; attention, dense FFN, norms and the total differ
    expect(r.stdout).toMatch(/^::notice title=archcost::4 of 6 checks failed$/m)
    writeSafetensors(file, tinyLlamaHfTensors())
    const ok = runCli(['verify', preset, '--checkpoint', file, '--format', 'github'])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toBe('::notice title=archcost::all 6 checks passed\n')
  })
  it('junit: one test case per component and the total', () => {
    const file = join(dir, 'model.safetensors')
    writeSafetensors(file, tinyLlamaHfTensors().filter((t) => t.name !== 'lm_head.weight'))
    const r = runCli(['verify', preset, '--checkpoint', file, '--format', 'junit'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="archcost verify" tests="6" failures="2" errors="0">/)
    expect(r.stdout).toContain('name="lmHead"><failure message="LM head: checkpoint 0, calculated 16,384 (difference -16,384)"/>')
    expect(r.stdout).toContain('embeddings.tied is false but the checkpoint has no lm_head.weight')
  })
  it('an unreadable checkpoint: exit 2, and still an error in the CI format', () => {
    const r = runCli(['verify', preset, '--checkpoint', join(dir, 'nowhere'), '--format', 'junit'])
    expect(r.code).toBe(2)
    expect(r.stdout).toMatch(/<testcase classname="archcost verify.verify" name="input"><error message="[^"]*nowhere: cannot read it \(no such file or folder\)"\/>/)
    expect(oneLine(r.stderr)).toBe(true)
  })
})
