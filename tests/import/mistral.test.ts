// mistral: MistralConfig (configuration_mistral.py @ 001f85b3). The fixture is the class defaults, which the class
// docstring says yield "a similar configuration to that of the Mistral-7B-v0.1": h 4096, 32 layers, 32/8 heads,
// ffn 14336, vocab 32000, sliding window 4096, untied head, max_position_embeddings 4096*32.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown, id = 'mistral-7b') => parseModelSpec(importHfConfig(raw, {id}), id)

describe('mistral (Mistral-7B-v0.1 shape = MistralConfig defaults)', () => {
  const embed = 32000 * 4096
  const attention = 4096 * (32 * 128) + 2 * 4096 * (8 * 128) + (32 * 128) * 4096 // q, k+v (8 KV heads x 128), o; no biases
  const mlp = 3 * 4096 * 14336 // gate, up, down
  const norms = 2 * 4096
  const total = embed + 32 * (attention + mlp + norms) + 4096 /* final norm */ + 32000 * 4096 /* lm_head */

  it('total', () => {
    expect(paramCounts(spec(load('mistral-7b-v0.1.json'))).totalParams).toBe(total)
    expect(total).toBe(7_241_732_096)
  })
  it('every layer slides over 4096 tokens; GQA with 8 KV heads', () => {
    const s = spec(load('mistral-7b-v0.1.json'))
    expect(s.layerGroups).toEqual([{count: 32, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'dense'}])
    expect(s.attention).toMatchObject({kind: 'gqa', heads: 32, kvHeads: 8, headDim: 128, qkvBias: false, outputBias: false})
    expect(s.maxContextTokens).toBe(4096 * 32)
  })
  it('a file that leaves every key out takes the class defaults (8 KV heads, not one per head)', () => {
    const bare = spec({model_type: 'mistral'})
    expect(paramCounts(bare).totalParams).toBe(total)
    expect(bare.attention.kvHeads).toBe(8)
  })
  it('sliding_window null means full attention everywhere (Mistral Small 3.x)', () => {
    const s = spec({...load('mistral-7b-v0.1.json'), sliding_window: null})
    expect(s.layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'dense'}])
  })
})
