// The pre-Llama decoders of issue #15 beyond their parameter counts: the GGUF tensors add up to the breakdown's
// classes (each new module is enumerated once), and the card states the new features.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {architectureCard} from '../../src/report/card.js'

const fixtures = ['pythia-1b', 'gpt-j-6b', 'opt-125m', 'bloom-560m', 'mpt-7b', 'falcon-7b', 'falcon-40b', 'phi-2', 'stablelm-2-1.6b', 'stablelm-3b-4e1t', 'starcoderbase-1b', 'starcoder2-3b', 'c4ai-command-r-v01', 'c4ai-command-r7b-12-2024', 'olmo-1b-hf']
const spec = (file: string) => parseModelSpec(importHfConfig(JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8')), {id: file}), file)
const field = (file: string, name: string) => architectureCard(spec(file)).find((f) => f.field === name)?.value

describe.each(fixtures)('%s', (file) => {
  it('GGUF tensors of every class add up to the parameter breakdown, under every mix', () => {
    const s = spec(file)
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect(ggufMixBytes(s, mix).params).toEqual(expected)
  })
})

describe('the new modules in the GGUF enumeration', () => {
  const names = (file: string) => ggufTensors(spec(file), 'q4_k_m').map((t) => t.name)
  it('the LM head bias is output.bias (GPT-J, Phi-2), F32 and unquantized', () => {
    const bias = ggufTensors(spec('phi-2'), 'q4_k_m').find((t) => t.name === 'output.bias')
    expect(bias).toMatchObject({elements: 51200, type: 'f32'})
  })
  it('BLOOM\'s embedding LayerNorm is token_embd_norm (weight and bias)', () => {
    expect(names('bloom-560m')).toEqual(expect.arrayContaining(['token_embd_norm.weight', 'token_embd_norm.bias']))
  })
  it('OLMo 1\'s non-parametric norms have no tensors', () => {
    expect(names('olmo-1b-hf').filter((n) => n.includes('norm'))).toEqual([])
  })
})

describe('the card', () => {
  it('names ALiBi, learned positions and the embedding norm', () => {
    expect(field('bloom-560m', 'Positions')).toBe('ALiBi (no rotary embedding)')
    expect(field('bloom-560m', 'Norms')).toBe('layernorm with bias, pre, 2 per layer + final + embedding norm')
    expect(field('opt-125m', 'Positions')).toBe('learned absolute, 2050 rows')
  })
  it('names the LM head bias and weightless norms', () => {
    expect(field('gpt-j-6b', 'Vocabulary')).toBe('50400, untied LM head with bias')
    expect(field('olmo-1b-hf', 'Norms')).toBe('layernorm without weights, pre, 2 per layer + final')
  })
})
