// chatglm: remote-code ChatGLMConfig / modeling_chatglm.py of THUDM/chatglm3-6b (and glm-4-9b-chat). The fixture
// is THUDM/chatglm3-6b's config.json as a setup script writes it (see SOURCES.md; "model_type" added). The
// modeling file: word_embeddings (padded_vocab_size, h); per layer input_layernorm, query_key_value (h, H d + 2 g d,
// bias = add_bias_linear or add_qkv_bias), dense (H d, h, bias = add_bias_linear), post_attention_layernorm,
// dense_h_to_4h (h, 2 ffn) and dense_4h_to_h (ffn, h); final_layernorm; output_layer (h, padded_vocab_size),
// untied; and the rotary inv_freq (kv_channels / 4 = 32 values), a persistent buffer saved with the weights.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const load = (file: string) => JSON.parse(readFileSync(`tests/fixtures/hf/${file}`, 'utf8'))
const spec = (raw: unknown) => parseModelSpec(importHfConfig(raw, {id: 'm'}), 'm')
const kvPerToken = (raw: unknown, context = 1) => kvBytesPerTokenAt(spec(raw), context, {kvFormat: 'bf16', mlaCache: 'latent'})

describe('chatglm (THUDM/chatglm3-6b)', () => {
  const h = 4096
  const qkv = (h + 1) * (32 * 128 + 2 * 2 * 128) // query_key_value with bias (add_qkv_bias), 2 KV groups
  const layer = qkv + (32 * 128) * h /* dense */ + h * 2 * 13696 + 13696 * h + 2 * h /* RMSNorms */
  const total = 2 * 65024 * h + 28 * layer + h + 128 / 4 /* inv_freq */

  it('total: 6,243,584,032, the checkpoint tensors including rotary_pos_emb.inv_freq', () => {
    expect(paramCounts(spec(load('chatglm3-6b.json'))).totalParams).toBe(total)
    expect(total).toBe(6_243_584_032)
  })
  it('total: the published checkpoint bytes, and the trainable count without the inv_freq buffer', () => {
    // THUDM/chatglm2-6b pytorch_model.bin.index.json total_size 12,487,168,064 bytes, fp16, as a fine-tuning script
    // quotes it (search-index file id 31367392693); chatglm3-6b builds the same tensors (same modeling file and
    // dimensions; its seq_length, 8192, builds no weight). inv_freq is saved in the checkpoint, so it is in the bytes.
    expect(total).toBe(12_487_168_064 / 2)
    // Loading THUDM/chatglm3-6b prints "has 6243584032 parameters, 6243584000 (100.00%) are trainable, the dtype is
    // torch.float16" (search-index file id 29151670186): the 32 inv_freq values are the only untrained tensor.
    expect(total - 128 / 4).toBe(6_243_584_000)
  })
  it('MQA groups as KV heads, half of each head rotated, KV per token 2 x 2 x 128 x 28 layers x 2 bytes', () => {
    const s = spec(load('chatglm3-6b.json'))
    expect(s.attention).toMatchObject({kind: 'gqa', heads: 32, kvHeads: 2, headDim: 128, qkvBias: true, outputBias: false})
    expect(s.rope).toMatchObject({theta: 10000, partialRotaryFactor: 0.5, storedInvFreq: 32})
    expect(s.maxContextTokens).toBe(8192)
    expect(kvPerToken(load('chatglm3-6b.json'))).toBe(2 * 2 * 128 * 28 * 2)
  })
  it('glm-4-9b-chat shape (padded vocab 151552, 40 layers, rope_ratio 500): 9,399,951,392', () => {
    const raw = {...load('chatglm3-6b.json'), padded_vocab_size: 151552, vocab_size: 151552, num_layers: 40, rope_ratio: 500, seq_length: 131072}
    expect(paramCounts(spec(raw)).totalParams).toBe(2 * 151552 * h + 40 * layer + h + 32)
    expect(2 * 151552 * h + 40 * layer + h + 32).toBe(9_399_951_392)
    // Loading THUDM/glm-4-9b-chat prints "has 9399951392 parameters, 9399951360 (100.00%) are trainable"
    // (search-index file id 29151670186): the same 9,399,951,392, of which the 32 inv_freq values are not trained.
    expect(2 * 151552 * h + 40 * layer + h).toBe(9_399_951_360)
    expect(spec(raw).rope.theta).toBe(5_000_000)
  })
  it('LayerNorm (rmsnorm false) adds biases; add_bias_linear biases dense and the MLP; P-tuning and load-time quantization are refused', () => {
    expect(paramCounts(spec({...load('chatglm3-6b.json'), rmsnorm: false})).totalParams).toBe(total + 28 * 2 * h + h)
    expect(paramCounts(spec({...load('chatglm3-6b.json'), add_bias_linear: true})).totalParams).toBe(total + 28 * (h + 2 * 13696 + h))
    expect(() => spec({...load('chatglm3-6b.json'), pre_seq_len: 128})).toThrow(/pre_seq_len/)
    expect(() => spec({...load('chatglm3-6b.json'), quantization_bit: 4})).toThrow(/quantization_bit/)
  })
})
