// The GGUF enumeration of the dense Llama-shaped types imported from config.json (issue #15): for each fixture,
// every mix's tensors add up, class by class, to the parameter breakdown (the "counts each parameter once" check of
// gguf-mix.test.ts, run on imported specs), including the xIELU scalars (Apertus) and ChatGLM's saved inv_freq.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {architectureCard} from '../../src/report/card.js'

const fixtures = [
  'gemma-class-defaults.json',
  'olmo3-class-defaults.json',
  'glm-4-9b-class-defaults.json',
  'glm4-class-defaults.json',
  'phi3-class-defaults.json',
  'phi-4-mini-instruct.json',
  'internlm2.5-7b-chat.json',
  'baichuan2-7b-class-defaults.json',
  'chatglm3-6b.json',
  'exaone-class-defaults.json',
  'exaone4-class-defaults.json',
  'minicpm-class-defaults.json',
  'granite-class-defaults.json',
  'nemotron-class-defaults.json',
  'ernie-4.5-0.3b-class-defaults.json',
  'ernie-4.5-0.3b-pt.json',
  'exaone-3.0-7.8b-instruct.json',
  'seed-oss-class-defaults.json',
  'seed-oss-36b-instruct.json',
  'apertus-8b.json',
  'arcee-class-defaults.json',
]
const spec = (file: string) => parseModelSpec(importHfConfig(JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8')), {id: 'm'}), 'm')

describe('GGUF enumeration of the imported dense types', () => {
  it.each(fixtures)('%s: the tensors of every class add up to the parameter breakdown', (file) => {
    const s = spec(file)
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect({mix, params: ggufMixBytes(s, mix).params}).toEqual({mix, params: expected})
  })
  it('Nemotron norms carry biases; Apertus has one F32 xIELU entry of 4 per layer; ChatGLM one rope_freqs of 32 and a fused attn_qkv', () => {
    const nemotron = ggufTensors(spec('nemotron-class-defaults.json'), 'q4_k_m').map((t) => t.name)
    expect(nemotron).toContain('blk.0.norm_0.bias')
    expect(nemotron).not.toContain('blk.0.ffn_gate.weight')
    const xielu = ggufTensors(spec('apertus-8b.json'), 'q4_k_m').filter((t) => t.name.endsWith('ffn_act_xielu'))
    expect(xielu.length).toBe(32)
    expect(xielu[0]).toMatchObject({elements: 4, type: 'f32', bytes: 16})
    const chatglm = ggufTensors(spec('chatglm3-6b.json'), 'q4_k_m')
    expect(chatglm.find((t) => t.name === 'rope_freqs.weight')).toMatchObject({elements: 32, type: 'f32'})
    expect(chatglm.find((t) => t.name === 'blk.0.attn_qkv.weight')?.elements).toBe(4096 * (32 * 128 + 2 * 2 * 128))
  })
  it('the card names the xIELU scalars', () => {
    expect(architectureCard(spec('apertus-8b.json')).find((f) => f.field === 'FFN')?.value).toBe('dense plain xielu, width 21504; 4 learnable activation scalars per MLP')
  })
})
