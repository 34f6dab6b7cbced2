// minicpm: remote-code MiniCPMConfig / modeling_minicpm.py of openbmb/MiniCPM-2B-sft-bf16. The fixture is the
// configuration class's defaults (LlamaConfig's: vocab 32000, h 4096, ffn 11008, 32 layers, 32 heads; tie True,
// scale_emb/dim_model_base/scale_depth 1); no copy of a released config.json was found. MiniCPMAttention and
// MiniCPMMLP are Llama's; the muP scalars multiply activations and change no count.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('minicpm (MiniCPMConfig defaults)', () => {
  const h = 4096
  const layer = 4 * h * h + 3 * h * 11008 + 2 * h
  const total = 32000 * h /* tied */ + 32 * layer + h

  it('total', () => {
    expect(paramCounts(spec(load('minicpm-class-defaults.json'))).totalParams).toBe(total)
    expect(total).toBe(6_607_343_616)
  })
  it('MiniCPM-2B shape (vocab 122753, h 2304, ffn 5760, 40 layers, 36 heads, muP scalars): 2.4B non-embedding, 2.7B total', () => {
    const raw = {...load('minicpm-class-defaults.json'), vocab_size: 122753, hidden_size: 2304, intermediate_size: 5760, num_hidden_layers: 40, num_attention_heads: 36, num_key_value_heads: 36, scale_emb: 12, dim_model_base: 256, scale_depth: 1.4}
    const layer2b = 4 * 2304 * 2304 + 3 * 2304 * 5760 + 2 * 2304
    const p = paramCounts(spec(raw))
    expect(p.totalParams).toBe(122753 * 2304 + 40 * layer2b + 2304)
    expect(p.totalParams).toBe(2_724_880_896)
    // A chat tool serving MiniCPM-2B prints "with 2724880896 (2.7B) parameters" (search-index file id 41738685489)
    expect(kvPerToken(raw)).toBe(2 * 36 * 64 * 40 * 2)
  })
})
