// gpt2: GPT2Config (configuration_gpt2.py @ 01ae98ae). The fixture is the class defaults, which the docstring says
// are those of openai-community/gpt2 (124M), plus n_ctx, a legacy key GPT2Config does not read.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig, importHfConfigReport} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'
import {gpt2Small} from '../helpers/spec.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/gpt2.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'gpt2', hfRepo: 'openai-community/gpt2'}), 'gpt2')

describe('gpt2 (GPT-2 124M): learned positions, LayerNorm with bias, plain MLP with bias, Conv1D, tied head', () => {
  const layer =
    2 * 768 /* ln_1 weight + bias */ +
    (768 * 3 * 768 + 3 * 768) /* c_attn */ +
    (768 * 768 + 768) /* attn.c_proj */ +
    2 * 768 /* ln_2 */ +
    (768 * 3072 + 3072) /* c_fc (n_inner None -> 4 * 768) */ +
    (3072 * 768 + 768) /* mlp.c_proj */
  const total = 50257 * 768 /* wte */ + 1024 * 768 /* wpe */ + 12 * layer + 2 * 768 /* ln_f */

  it('total is the known 124,439,808', () => {
    expect(paramCounts(spec(raw())).totalParams).toBe(total)
    expect(total).toBe(124_439_808)
  })
  it('builds the same architecture as the hand-written GPT-2 test spec', () => {
    const {id: _a, name: _b, source: _c, $schema: _s, ...imported} = spec(raw())
    const {id: _d, name: _e, source: _f, ...written} = gpt2Small()
    expect(imported).toEqual(written)
  })
  it('the attribute_map names (hidden_size, num_hidden_layers, ...) work too', () => {
    const s = spec({model_type: 'gpt2', hidden_size: 1024, num_hidden_layers: 24, num_attention_heads: 16, max_position_embeddings: 1024})
    const l = 4 * 1024 + (1024 * 3072 + 3072) + (1024 * 1024 + 1024) + (1024 * 4096 + 4096) + (4096 * 1024 + 1024)
    expect(paramCounts(s).totalParams).toBe(50257 * 1024 + 1024 * 1024 + 24 * l + 2 * 1024) // GPT-2 medium shape
  })
  it('n_ctx and the dropout/summary keys are ignored, the dimensions used', () => {
    const r = importHfConfigReport(raw(), {id: 'gpt2'})
    expect(r.ignored).toEqual(expect.arrayContaining(['n_ctx', 'resid_pdrop', 'summary_type', 'layer_norm_epsilon', 'bos_token_id']))
    expect(r.used).toEqual(expect.arrayContaining(['n_embd', 'n_layer', 'n_head', 'n_positions', 'n_inner', 'vocab_size', 'activation_function']))
  })
  it('add_cross_attention would add layers archcost does not model, so it is refused', () => {
    expect(() => spec({...raw(), add_cross_attention: true})).toThrow(/add_cross_attention/)
  })
})
