// The pre-Llama decoders of issue #15 beyond their parameter counts: the GGUF tensors add up to the breakdown's
// classes (each new module is enumerated once), and the card states the new features.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {decodeFlopsPerToken} from '../../src/calc/flops.js'
import {defaultScenario} from '../../src/calc/memory.js'
import {defaultPerfOptions} from '../../src/calc/perf.js'
import {verifyExplanation} from '../../src/explain/check.js'
import {explain} from '../../src/explain/steps.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {placeGgufTensor, placeHfTensor} from '../../src/checkpoint/components.js'
import {architectureCard} from '../../src/report/card.js'

const fixtures = ['pythia-1b', 'gpt-j-6b', 'opt-125m', 'opt-350m', 'bloom-560m', 'mpt-7b-instruct', 'falcon-7b', 'falcon-40b-instruct', 'phi-2', 'stablelm-2-1.6b', 'stablelm-3b-4e1t', 'starcoderbase-1b', 'starcoder2-3b', 'c4ai-command-r-v01', 'c4ai-command-r7b-12-2024', 'olmo-1b-hf', 'phi-2-qk-layernorm']
const raw = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}.json`, 'utf8'))
// phi-2 with qk_layernorm on (no published Phi has it): the QK LayerNorms with a bias.
const variants: Record<string, () => unknown> = {'phi-2-qk-layernorm': () => ({...raw('phi-2'), qk_layernorm: true})}
const spec = (file: string) => parseModelSpec(importHfConfig(variants[file]?.() ?? raw(file), {id: file}), file)
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
  it('OPT-350m\'s token table is 512 wide, with proj_in and proj_out', () => {
    const tensors = ggufTensors(spec('opt-350m'), 'q4_k_m')
    expect(tensors.find((t) => t.name === 'token_embd.weight')?.ne).toEqual([512, 50272])
    expect(tensors.filter((t) => t.name.startsWith('proj_')).map((t) => t.ne)).toEqual([[512, 1024], [1024, 512]])
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
  it('names the projected embedding', () => {
    expect(field('opt-350m', 'Vocabulary')).toBe('50272, tied LM head; embedding width 512, projected to and from the hidden size')
  })
  it('names the LM head bias and weightless norms', () => {
    expect(field('gpt-j-6b', 'Vocabulary')).toBe('50400, untied LM head with bias')
    expect(field('olmo-1b-hf', 'Norms')).toBe('layernorm without weights, pre, 2 per layer + final')
  })
})

describe('explain shows the new entries, and each step checks out', () => {
  const cases = [
    ['phi-2', 'params.lmHead.bias'],
    ['bloom-560m', 'params.norms.embedding'],
    ['opt-350m', 'params.embedding.projected'],
    ['opt-350m', 'params.embedding.projections'],
    ['phi-2-qk-layernorm', 'params.qkNorm.perHeadBias'],
  ] as const
  it.each(cases)('%s: %s', async (file, id) => {
    const s = spec(file)
    const context = {scenario: {...defaultScenario(s), promptTokens: 1, outputTokens: 1}, hardware: null, perf: defaultPerfOptions, price: null}
    const params = explain(s, 'params', context)
    await verifyExplanation(params)
    expect(params.result).toBe(paramCounts(s).totalParams)
    expect(params.steps.map((step) => step.id)).toContain(id)
    const flops = explain(s, 'flops', context)
    await verifyExplanation(flops)
    expect(flops.result).toBe(decodeFlopsPerToken(s, context.scenario.contextTokens, defaultPerfOptions.flops))
  })
})

describe('checkpoint tensor names of these models map to the components params counts them in', () => {
  const opts = {textLayers: 64, mtpLayers: 0}
  it.each([
    ['transformer.h.0.self_attention.query_key_value.weight', 'attention'], // Falcon, BLOOM
    ['model.decoder.layers.0.fc1.weight', 'denseFfn'], // OPT
    ['model.decoder.layers.0.fc2.bias', 'denseFfn'],
    ['gpt_neox.embed_in.weight', 'embedding'], // Pythia
    ['lm_head.bias', 'lmHead'], // GPT-J, Phi-2
    ['model.decoder.project_in.weight', 'other'], // OPT-350m
    ['transformer.word_embeddings_layernorm.bias', 'norms'], // BLOOM
    ['transformer.norm_f.weight', 'norms'], // MPT
  ] as const)('%s -> %s', (name, component) => expect(placeHfTensor(name, opts)).toEqual({kind: 'component', component}))
  it('GGUF output.bias, token_embd_norm and proj_in too', () => {
    expect(placeGgufTensor('output.bias', opts)).toEqual({kind: 'component', component: 'lmHead'})
    expect(placeGgufTensor('token_embd_norm.weight', opts)).toEqual({kind: 'component', component: 'norms'})
    expect(placeGgufTensor('proj_in.weight', opts)).toEqual({kind: 'component', component: 'other'})
  })
})

describe('each type builds from its configuration class defaults alone', () => {
  it.each(['gpt_neox', 'gptj', 'gpt_bigcode', 'opt', 'bloom', 'mpt', 'falcon', 'phi', 'stablelm', 'starcoder2', 'cohere', 'cohere2', 'olmo'])('%s', (type) => {
    const s = parseModelSpec(importHfConfig({model_type: type}, {id: 'defaults'}), 'defaults')
    expect(paramCounts(s).totalParams).toBeGreaterThan(0)
  })
})
