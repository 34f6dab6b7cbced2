// qwen2_5_vl: Qwen2_5_VLConfig (configuration_qwen2_5_vl.py @ 008e5743; modeling_qwen2_5_vl.py). The fixture is
// Qwen/Qwen2.5-VL-7B-Instruct's config.json as a pruning study quotes it before its edits (see SOURCES.md): the text
// settings at the top level (h 3584, 28 layers, 28/4 heads x 128, ffn 18944, vocab 152064, untied, M-RoPE) and a
// vision_config of depth 32, hidden 1280, ffn 3420, patch 14, temporal patch 2, merge 2, out 3584. Published: HF model
// size 8.29B (text and vision together); computed 7,615,616,512 text + 676,550,144 vision = 8,292,166,656.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/qwen2.5-vl-7b-instruct.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'qwen2.5-vl-7b-instruct'}), 'qwen2_5_vl')

describe('qwen2_5_vl (Qwen2.5-VL-7B-Instruct)', () => {
  const h = 3584
  const attention = (h + 1) * (28 * 128) + 2 * (h + 1) * (4 * 128) + (28 * 128) * h // q/k/v with bias, o without
  const layer = attention + 3 * h * 18944 + 2 * h
  const text = 2 * 152064 * h + 28 * layer + h
  const v = 1280
  const block = 2 * v /* norm1, norm2 */ + (v * 3 * v + 3 * v) /* qkv with bias */ + (v * v + v) /* proj */ + 2 * (v * 3420 + 3420) + (3420 * v + v) /* gated MLP with bias */
  const merged = v * 2 * 2 // 2 x 2 patches folded into one token
  const vision = 3 * 2 * 14 * 14 * v /* Conv3d patch_embed, no bias */ + 32 * block + v /* ln_q */ + (merged * merged + merged) + (merged * h + h)

  it('text model and vision tower (counted apart)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(text)
    expect(text).toBe(7_615_616_512)
    expect(p.encoderParams).toBe(vision)
    expect(vision).toBe(676_550_144)
    expect(p.totalParams + p.encoderParams).toBe(8_292_166_656)
    // The Hub's numParameters for Qwen/Qwen2.5-VL-7B-Instruct is 8292166656 (an API dump, search-index file id
    // 33908990598); a fine-tuning script loads it and prints 8292166656 in all, 676550144 in the visual module and
    // 7615616512 after freezing it (search-index file id 49095663873)
    expect(text + vision).toBe(8_292_166_656)
  })
  it('M-RoPE is no scaling; KV per token: 2 x 4 KV heads x 128 x 28 layers x 2 bytes (bf16)', () => {
    const s = spec(raw())
    expect(s.rope).toEqual({theta: 1000000, scaling: null, partialRotaryFactor: 1})
    expect(kvBytesPerTokenAt(s, 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 4 * 128 * 28 * 2)
  })
  it('newer files state the language model in text_config: the same counts', () => {
    const {hidden_size, intermediate_size, num_attention_heads, num_hidden_layers, num_key_value_heads, vocab_size, max_position_embeddings, rope_theta, rope_scaling, ...rest} = raw()
    const nested = {...rest, text_config: {model_type: 'qwen2_5_vl_text', hidden_size, intermediate_size, num_attention_heads, num_hidden_layers, num_key_value_heads, vocab_size, max_position_embeddings, rope_theta, rope_scaling: {rope_type: 'default', mrope_section: [16, 24, 24]}}}
    const p = paramCounts(spec(nested))
    expect(p.totalParams).toBe(text)
    expect(p.encoderParams).toBe(vision)
  })
})
