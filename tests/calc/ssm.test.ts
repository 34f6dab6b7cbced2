// State-space hybrids (Mamba, Mamba-2, short conv; mixer-only and FFN-only blocks) costed everywhere, not only in
// params: for every SSM fixture, the GGUF tensors of each weight class add up to the parameter breakdown's class,
// and every explain quantity is made of registry entries that agree with the calculators' figures.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {fewestDevices} from '../../src/calc/deployment.js'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {decodeFlopsPerToken, prefillFlops} from '../../src/calc/flops.js'
import {ggufMixBytes, ggufTensors} from '../../src/calc/gguf-mix.js'
import {kvCache} from '../../src/calc/kv.js'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {defaultPerfOptions, perfEstimate} from '../../src/calc/perf.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {verifyExplanation} from '../../src/explain/check.js'
import {explain} from '../../src/explain/steps.js'
import {parseJsonText} from '../../src/import/config.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadHardware, parseModelSpec} from '../../src/presets/load.js'

const fixtures = ['mamba-2.8b-hf', 'ai21-jamba-1.5-mini', 'nemotron-h-56b-base-8k', 'nvidia-nemotron-3-nano-30b-a3b', 'granite-4.0-h-tiny', 'granite-4.0-h-1b', 'lfm2-1.2b', 'falcon-h1-3b']
const load = (id: string) => {
  const raw = parseJsonText(readFileSync(`tests/fixtures/hf/${id}.json`, 'utf8')) as {model_type: string}
  return parseModelSpec(importHfConfig(raw, {id}), raw.model_type)
}
const mamba2Defaults = () => parseModelSpec(importHfConfig({model_type: 'mamba2'}, {id: 'mamba2-defaults'}), 'mamba2')
const specs = () => [...fixtures.map((id) => ({id, spec: load(id)})), {id: 'mamba2-defaults', spec: mamba2Defaults()}]

describe('GGUF tensors of state-space models', () => {
  it('counts each parameter once: the tensors of every class add up to the parameter breakdown', () => {
    for (const {id, spec} of specs()) {
      const classes = weightClassValues(paramCounts(spec).breakdown, weightFormatsFor(spec))
      const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
      for (const mix of ggufMixNames) expect({id, mix, params: ggufMixBytes(spec, mix).params}).toEqual({id, mix, params: expected})
    }
  })
  it('names the Mamba tensors as llama.cpp does and keeps the convs, A and D unquantized', () => {
    const tensors = ggufTensors(load('ai21-jamba-1.5-mini'), 'q4_k_m')
    const names = tensors.filter((t) => t.name.startsWith('blk.0.')).map((t) => t.name)
    for (const n of ['ssm_in.weight', 'ssm_conv1d.weight', 'ssm_conv1d.bias', 'ssm_x.weight', 'ssm_dt.weight', 'ssm_dt.bias', 'ssm_a', 'ssm_d', 'ssm_dt_norm.weight', 'ssm_out.weight'])
      expect(names).toContain(`blk.0.${n}`)
    const type = (name: string) => tensors.find((t) => t.name === name)!.type
    expect([type('blk.0.ssm_conv1d.weight'), type('blk.0.ssm_a'), type('blk.0.ssm_d')]).toEqual(['f32', 'f32', 'f32'])
    expect(type('blk.0.ssm_in.weight')).toBe('q4_k')
    const lfm = ggufTensors(load('lfm2-1.2b'), 'q4_k_m').find((t) => t.name === 'blk.0.shortconv.conv.weight')!
    expect(lfm.type).toBe('f16') // llama-quant.cpp: shortconv.conv.weight is not quantized
  })
})

describe('explain on state-space models', () => {
  const h100 = loadHardware('h100')
  it('every quantity: each step agrees with its registry entry, and ends with the calculator figure', async () => {
    for (const {id, spec} of specs()) {
      const base = {...defaultScenario(spec), contextTokens: Math.min(4096, spec.maxContextTokens), promptTokens: 2048, outputTokens: 256}
      const layout = fewestDevices(spec, base, h100, 1)
      expect(layout, id).not.toBeNull()
      const scenario = {...base, layout: layout!}
      const perf = perfEstimate(spec, scenario, h100, defaultPerfOptions)
      const figures = {
        params: paramCounts(spec).totalParams,
        active: paramCounts(spec).activeParams,
        kv: kvCache(spec, scenario.contextTokens, scenario.batch, scenario).totalBytes,
        flops: decodeFlopsPerToken(spec, scenario.contextTokens, defaultPerfOptions.flops),
        prefill: prefillFlops(spec, scenario.contextTokens, defaultPerfOptions.flops),
        memory: memoryEstimate(spec, scenario).totalBytes,
        tpot: perf.tpotSeconds,
      }
      for (const [quantity, figure] of Object.entries(figures)) {
        const e = explain(spec, quantity as keyof typeof figures, {scenario, hardware: h100, perf: defaultPerfOptions, price: null})
        await verifyExplanation(e)
        expect(e.result, `${id} ${quantity}`).toBe(figure)
      }
    }
  })
})
