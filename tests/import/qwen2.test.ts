// qwen2: Qwen2Config (configuration_qwen2.py @ 008e5743). The fixture is the class defaults (vocab 151936, h 4096,
// 32 layers, 32/32 heads, ffn 22016, 32768 positions, untied); they are NOT a published Qwen2 model's values (the
// class names Qwen/Qwen2-7B as its checkpoint, whose dimensions differ), so no vendor figure is checked here.
// Qwen2Attention: q/k/v with bias, o_proj without.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/qwen2.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'qwen2'}), 'qwen2')

describe('qwen2 (Qwen2Config defaults)', () => {
  const attention = (4096 * 4096 + 4096) /* q + bias */ + 2 * (4096 * 4096 + 4096) /* k, v + bias */ + 4096 * 4096 /* o, no bias */
  const mlp = 3 * 4096 * 22016
  const norms = 2 * 4096
  const total = 2 * 151936 * 4096 /* embed + untied head */ + 32 * (attention + mlp + norms) + 4096

  it('total counts the q/k/v biases and no o_proj bias', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(12_049_846_272)
  })
  it('use_sliding_window slides layers >= max_window_layers (28 of 32 stay full)', () => {
    const s = spec({...raw(), use_sliding_window: true})
    expect(s.layerGroups).toEqual([
      {count: 28, mixer: 'full', rope: true, ffn: 'dense'},
      {count: 4, mixer: 'sliding', windowTokens: 4096, rope: true, ffn: 'dense'},
    ])
    expect(paramCounts(s).totalParams).toBe(total)
  })
  it('sliding_window alone (use_sliding_window false) changes nothing', () => {
    expect(spec({...raw(), sliding_window: 1024}).layerGroups).toEqual([{count: 32, mixer: 'full', rope: true, ffn: 'dense'}])
  })
})

describe('transformers 5.x files state RoPE as rope_parameters', () => {
  it('rope_theta, rope_type and factor are read from it; "default" means no scaling', () => {
    const {rope_theta: _t, rope_scaling: _s, ...rest} = raw()
    expect(spec({...rest, rope_parameters: {rope_type: 'default', rope_theta: 1000000}}).rope).toEqual({theta: 1000000, scaling: null, partialRotaryFactor: 1})
    expect(spec({...rest, rope_parameters: {rope_type: 'yarn', rope_theta: 1000000, factor: 4, original_max_position_embeddings: 32768}}).rope).toEqual({
      theta: 1000000,
      scaling: 'yarn',
      scalingFactor: 4,
      partialRotaryFactor: 1,
    })
  })
})
