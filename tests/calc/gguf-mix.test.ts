// GGUF mixes: the ggml type llama-quantize (llama.cpp src/llama-quant.cpp llama_tensor_get_type) gives each tensor, and
// the bytes per class that follow, against hand-worked sums and the sizes of published GGUF files.
//
// Block sizes (ggml-common.h): Q2_K 84, Q3_K 110, Q4_K 144, Q5_K 176, Q6_K 210 bytes per 256 values; Q4_0 18, Q5_0 22,
// Q8_0 34 bytes per 32. A tensor of e elements in a type of B bytes per b values takes e / b x B bytes.
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {ggufMixBytes, ggufTensors, useMoreBits} from '../../src/calc/gguf-mix.js'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightBytesRead} from '../../src/calc/perf.js'
import {readBytesPerElement, weightBytes, weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {loadModel, listModelIds} from '../../src/presets/load.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'

/** The type of one tensor under a mix. */
const typeOf = (id: string, mix: Parameters<typeof ggufTensors>[1], name: string) => ggufTensors(loadModel(id), mix).find((t) => t.name === name)?.type

describe('use_more_bits (llama-quant.cpp llama_tensor_get_type_impl)', () => {
  it('32 layers: i < 32/8 = 4, i >= 7*32/8 = 28, or (i - 4) % 3 == 2', () => {
    const layers = Array.from({length: 32}, (_, i) => i).filter((i) => useMoreBits(i, 32))
    expect(layers).toEqual([0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31])
  })
  it('48 layers: i < 6, i >= 42, or (i - 6) % 3 == 2', () => {
    const layers = Array.from({length: 48}, (_, i) => i).filter((i) => useMoreBits(i, 48))
    expect(layers).toEqual([0, 1, 2, 3, 4, 5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35, 38, 41, 42, 43, 44, 45, 46, 47])
  })
})

describe('llama-3.1-8b (h 4096, 32 layers, GQA 32/8 x 128, FFN 14336, vocab 128256, untied)', () => {
  const spec = loadModel('llama-3.1-8b')
  // Element counts: embedding and output 128256 x 4096 = 525,336,576 (2,052,096 blocks of 256); attn_q and attn_output
  // 4096 x 4096 = 16,777,216 (65,536 blocks); attn_k and attn_v 4096 x 1024 = 4,194,304 (16,384 blocks); ffn_gate, ffn_up,
  // ffn_down 4096 x 14336 = 58,720,256 (229,376 blocks); norms 2 per layer + the final one, 4096 each, F32.
  const norms = (32 * 2 + 1) * 4096 * 4 // 1,064,960 bytes
  const moreBitsLayers = 16 // use_more_bits(i, 32): 0-3, 6, 9, ..., 27, 28-31

  it('Q4_K_M: Q4_K, with attn_v and ffn_down in Q6_K on the use_more_bits layers and the output in Q6_K', () => {
    expect(typeOf('llama-3.1-8b', 'q4_k_m', 'blk.0.attn_v.weight')).toBe('q6_k')
    expect(typeOf('llama-3.1-8b', 'q4_k_m', 'blk.4.attn_v.weight')).toBe('q4_k')
    expect(typeOf('llama-3.1-8b', 'q4_k_m', 'blk.6.ffn_down.weight')).toBe('q6_k')
    expect(typeOf('llama-3.1-8b', 'q4_k_m', 'blk.7.ffn_down.weight')).toBe('q4_k')
    expect(typeOf('llama-3.1-8b', 'q4_k_m', 'output.weight')).toBe('q6_k')
    expect(typeOf('llama-3.1-8b', 'q4_k_m', 'token_embd.weight')).toBe('q4_k')
    const m = ggufMixBytes(spec, 'q4_k_m')
    const tokenEmbd = 2_052_096 * 144 // 295,501,824
    const output = 2_052_096 * 210 // 430,940,160
    const layerQ4K = (65_536 * 2 + 16_384 * 2 + 229_376 * 3) * 144 // q, o, k, v, gate, up, down all Q4_K: 122,683,392
    const moreBits = (16_384 + 229_376) * (210 - 144) // attn_v and ffn_down Q4_K -> Q6_K: 16,220,160
    expect(m.bytes.embeddings).toBe(tokenEmbd + output)
    expect(m.bytes.linear).toBe(32 * layerQ4K + moreBitsLayers * moreBits) // 4,185,391,104
    expect(m.bytes.unquantized).toBe(norms)
    expect(m.totalBytes).toBe(4_912_898_048)
    expect(m.headBytesPerElement).toBe(210 / 256)
  })

  it('Q5_K_M: Q5_K, the same 16 layers Q6_K; Q3_K_L: Q3_K, attn_v, attn_output and ffn_down Q5_K', () => {
    const q5km = (65_536 * 2 + 16_384 * 2 + 229_376 * 3) * 176 * 32 + moreBitsLayers * (16_384 + 229_376) * (210 - 176)
    expect(ggufMixBytes(spec, 'q5_k_m').totalBytes).toBe(2_052_096 * 176 + 2_052_096 * 210 + q5km + norms) // 5,725,151,232
    const q3kl = 32 * ((65_536 + 16_384 + 229_376 * 2) * 110 + (16_384 + 65_536 + 229_376) * 176) // q, k, gate, up Q3_K; v, o, down Q5_K
    expect(ggufMixBytes(spec, 'q3_k_l').totalBytes).toBe(2_052_096 * 110 + 2_052_096 * 210 + q3kl + norms) // 4,314,120,192
  })

  it('matches bartowski/Meta-Llama-3.1-8B-Instruct-GGUF file sizes up to one constant: the GGUF header', () => {
    // Git LFS pointers of the uploaded files, https://huggingface.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/commit/
    // 4f0c246f125fc7594238ebe7beb1435a8335f519 (Q4_K_M: "size 4920739232", listed as 4.92 GB),
    // 41ac0c36227fe72f663f66ba64ad0964014da054 (Q5_K_M: "size 5732992416") and
    // 8e15494810517daa806e2bcdcfb83cdc73c29a45 (Q3_K_L: "size 4321961376"). A file is its header (metadata: the tokenizer's 128,256 tokens, 280,147 merges and token types,
    // the chat template; a tensor-info record per tensor; the 64 F32 rope_freqs, which no HF module holds) plus the tensor
    // data. The header is the same for every quantization of one upload, so the three files must exceed the tensor sums
    // by one and the same amount, a few megabytes; any wrong rule would make the three differences disagree.
    const published = {q4_k_m: 4_920_739_232, q5_k_m: 5_732_992_416, q3_k_l: 4_321_961_376} as const
    const header = (mix: keyof typeof published) => published[mix] - ggufMixBytes(spec, mix).totalBytes
    expect(header('q4_k_m')).toBe(7_841_184)
    expect(header('q5_k_m')).toBe(7_841_184)
    expect(header('q3_k_l')).toBe(7_841_184)
  })

  it('the whole tool reads the mix: --weights q4_k_m holds the tensor sum and a decode step reads the Q6_K head', () => {
    const s = {...defaultScenario(spec), weightFormats: scenarioInput({weights: 'q4_k_m'}).weightFormats}
    expect(s.weightFormats).toEqual({linear: 'q4_k_m', experts: 'q4_k_m'})
    const formats = weightFormatsFor(spec, s.weightFormats)
    expect(formats).toEqual({embeddings: 'q4_k_m', linear: 'q4_k_m', experts: 'q4_k_m', unquantized: 'q4_k_m'})
    expect(weightBytes(paramCounts(spec).breakdown, formats).deviceBytes).toBe(4_912_898_048)
    const leaves = memoryEstimate(spec, s).leaves.filter((l) => l.path.startsWith('weights/'))
    expect(leaves.reduce((sum, l) => sum + l.bytes, 0)).toBe(4_912_898_048)
    // A decode step reads the output matrix (Q6_K), every layer and the norms, not the token_embd rows it looks up.
    expect(weightBytesRead(spec, s, 1)).toBeCloseTo(2_052_096 * 210 + 4_185_391_104 + 1_064_960, 0)
    expect(readBytesPerElement(spec, s.weightFormats).head).toBe(210 / 256)
    // The explain view: x · bpe with bpe = class bytes / class params.
    const b = paramCounts(spec).breakdown
    expect(weightClassValues(b, formats).linear.bpe).toBe(4_185_391_104 / (b.attention + b.denseFfn))
  })

  it('q4_k alone stays Q4_K on the linear layers and experts, embeddings as the checkpoint (bf16)', () => {
    const b = paramCounts(spec).breakdown
    const w = weightBytes(b, weightFormatsFor(spec, {linear: 'q4_k', experts: 'q4_k'}))
    expect(w.byClass.linear).toBe(((b.attention + b.denseFfn) * 144) / 256)
    expect(w.byClass.embeddings).toBe((b.embedding + b.lmHead) * 2)
  })
})

describe('qwen3-30b-a3b (h 2048, 48 layers, 32/4 heads x 128, 128 experts of 768, vocab 151936, untied)', () => {
  const spec = loadModel('qwen3-30b-a3b')
  // Blocks of 256: embedding and output 151936 x 2048 -> 1,215,488; attn_q and attn_output 2048 x 4096 -> 32,768;
  // attn_k and attn_v 2048 x 512 -> 4,096; each fused expert tensor 2048 x 768 x 128 -> 786,432.
  // F32: the router ffn_gate_inp 2048 x 128 per layer; attn_norm, ffn_norm (2048) and q_norm, k_norm (128) per layer; output_norm.
  const unquantized = 48 * 2048 * 128 * 4 + (48 * (2 * 2048 + 2 * 128) + 2048) * 4 // 50,331,648 + 843,776
  const moreBitsLayers = 24 // use_more_bits(i, 48): 0-5, 8, 11, ..., 41, 42-47

  it('Q4_K_M: ffn_down_exps in Q6_K on the use_more_bits layers, by the layer in the tensor name (n_expert > 1)', () => {
    expect(typeOf('qwen3-30b-a3b', 'q4_k_m', 'blk.8.ffn_down_exps.weight')).toBe('q6_k')
    expect(typeOf('qwen3-30b-a3b', 'q4_k_m', 'blk.9.ffn_down_exps.weight')).toBe('q4_k')
    expect(typeOf('qwen3-30b-a3b', 'q4_k_m', 'blk.9.ffn_gate_inp.weight')).toBe('f32')
    const m = ggufMixBytes(spec, 'q4_k_m')
    expect(m.bytes.embeddings).toBe(1_215_488 * 144 + 1_215_488 * 210) // token_embd Q4_K, output Q6_K: 430,282,752
    expect(m.bytes.linear).toBe(48 * (32_768 * 2 + 4_096 * 2) * 144 + moreBitsLayers * 4_096 * (210 - 144)) // 516,096,000
    expect(m.bytes.experts).toBe(48 * 786_432 * 3 * 144 + moreBitsLayers * 786_432 * (210 - 144)) // 17,553,162,240
    expect(m.bytes.unquantized).toBe(unquantized) // 51,175,424
    expect(m.totalBytes).toBe(18_550_716_416)
  })

  it('Q5_K_S is Q5_K but the Q6_K output; Q2_K lifts attn_v to Q4_K (n_gqa 8 >= 4), attn_output and ffn_down to Q3_K', () => {
    const q5ks = 1_215_488 * 176 + 1_215_488 * 210 + 48 * (32_768 * 2 + 4_096 * 2 + 786_432 * 3) * 176 + unquantized
    expect(ggufMixBytes(spec, 'q5_k_s').totalBytes).toBe(q5ks) // 21,074,540,544
    const q2kLayer = (32_768 + 4_096 + 786_432 * 2) * 84 + 4_096 * 144 + (32_768 + 786_432) * 110 // q, k, gate, up Q2_K; v Q4_K; o, down Q3_K
    expect(ggufMixBytes(spec, 'gguf-q2_k').totalBytes).toBe(1_215_488 * 84 + 1_215_488 * 210 + 48 * q2kLayer + unquantized) // 11,252,639,744
  })

  it('matches published files of this architecture: two exact sizes one header apart, and the Q4_K_M size as listed', () => {
    // mradermacher's static quants (no importance matrix) of Qwen3-30B-A3B-python-coder, a fine-tune with the same tensors.
    // Git LFS pointers, https://huggingface.co/mradermacher/Qwen3-30B-A3B-python-coder-GGUF/commit/
    // 8e7e988af17a8ce0f3f92e05ca7dda510b71fce8 (Q5_K_S: "size 21080511072") and
    // bbc0c68a6cf229678eb4fea465f108fd173c2de6 (Q2_K: "size 11258610272"). Both exceed the tensor sums by the same
    // 5,970,528 bytes: the header (the Qwen tokenizer's 151,936 tokens and 151,387 merges, chat template, tensor infos).
    expect(21_080_511_072 - ggufMixBytes(spec, 'q5_k_s').totalBytes).toBe(5_970_528)
    expect(11_258_610_272 - ggufMixBytes(spec, 'gguf-q2_k').totalBytes).toBe(5_970_528)
    // Its Q4_K_M file (.../blob/main/Qwen3-30B-A3B-python-coder.Q4_K_M.gguf) is listed as "Size of remote file: 18.6 GB"
    // (decimal, 3 digits: 18.55e9 to 18.65e9; no exact pointer found); the tensor sum plus that same header:
    const q4km = ggufMixBytes(spec, 'q4_k_m').totalBytes + 5_970_528 // 18,556,686,944
    expect(q4km).toBeGreaterThanOrEqual(18.55e9)
    expect(q4km).toBeLessThan(18.65e9)
  })
})

describe('rules that depend on the model', () => {
  it('Mixtral (n_expert == 8): attn_v and attn_k in Q8_0, attn_output in Q5_K under Q4_K_M', () => {
    expect(typeOf('mixtral-8x7b-v0.1', 'q4_k_m', 'blk.5.attn_v.weight')).toBe('q8_0')
    expect(typeOf('mixtral-8x7b-v0.1', 'q4_k_m', 'blk.5.attn_k.weight')).toBe('q8_0')
    expect(typeOf('mixtral-8x7b-v0.1', 'q4_k_m', 'blk.5.attn_output.weight')).toBe('q5_k')
    expect(typeOf('mixtral-8x7b-v0.1', 'q4_k_m', 'blk.5.attn_q.weight')).toBe('q4_k')
  })
  it('Llama 3.1 70B (LLM_TYPE_70B: 80 layers, GQA): attn_v Q4_K becomes Q5_K', () => {
    expect(typeOf('llama-3.1-70b', 'q4_k_m', 'blk.20.attn_v.weight')).toBe('q5_k') // use_more_bits(20, 80) is false
    expect(typeOf('llama-3.1-70b', 'q4_k_m', 'blk.12.attn_v.weight')).toBe('q6_k') // (12 - 10) % 3 == 2
    expect(typeOf('llama-3.1-8b', 'q4_k_s', 'blk.20.attn_v.weight')).toBe('q4_k')
    expect(typeOf('llama-3.1-8b', 'q4_k_s', 'blk.3.attn_v.weight')).toBe('q5_k') // Q4_K_S: i_attention_wv < 4
  })
  it('Q3_K_M: attn_v Q5_K for the first two, ffn_down Q5_K below n/16, else Q4_K', () => {
    expect(typeOf('llama-3.1-8b', 'q3_k_m', 'blk.1.attn_v.weight')).toBe('q5_k')
    expect(typeOf('llama-3.1-8b', 'q3_k_m', 'blk.2.attn_v.weight')).toBe('q4_k')
    expect(typeOf('llama-3.1-8b', 'q3_k_m', 'blk.1.ffn_down.weight')).toBe('q5_k') // 1 < 32/16
    expect(typeOf('llama-3.1-8b', 'q3_k_m', 'blk.2.ffn_down.weight')).toBe('q4_k')
    expect(typeOf('llama-3.1-8b', 'q3_k_m', 'blk.2.attn_output.weight')).toBe('q4_k')
  })
  it('a tied token_embd takes the output rule; a row of 1152 is not whole 256-blocks, so Q8_0 (gemma-3-1b)', () => {
    expect(typeOf('gemma-3-1b-it', 'q4_k_m', 'token_embd.weight')).toBe('q8_0') // 1152 % 256 = 128
    expect(typeOf('llama-3.2-1b-instruct', 'q4_k_m', 'token_embd.weight')).toBe('q6_k') // tied, 2048 % 256 = 0
    expect(typeOf('llama-3.2-1b-instruct', 'gguf-q4_0', 'token_embd.weight')).toBe('q6_k') // Q4_0 files too: not Q8_0, so Q6_K
    expect(typeOf('llama-3.2-1b-instruct', 'gguf-q8_0', 'token_embd.weight')).toBe('q8_0')
  })
  it('gpt-oss rows of 2880 fall back (tensor_type_fallback): Q4_K -> Q5_0, Q6_K -> Q8_0', () => {
    expect(typeOf('gpt-oss-20b', 'q4_k_m', 'blk.0.attn_q.weight')).toBe('q5_0') // 2880 % 256 = 64, 2880 % 32 = 0
    expect(typeOf('gpt-oss-20b', 'q4_k_m', 'blk.0.attn_output.weight')).toBe('q4_k') // row 64 x 64 = 4096
    expect(typeOf('gpt-oss-20b', 'q4_k_m', 'blk.0.ffn_down_exps.weight')).toBe('q8_0') // Q6_K on layer 0, row 2880
    expect(typeOf('gpt-oss-20b', 'q5_k_m', 'blk.4.ffn_down_exps.weight')).toBe('q5_1') // Q5_K, row 2880
    expect(typeOf('gpt-oss-20b', 'gguf-q2_k', 'blk.4.attn_q.weight')).toBe('q4_0') // Q2_K -> Q4_0
  })
  it('Gemma 3n: per_layer_token_embd counts as token_embd, so with tied embeddings it is Q6_K; AltUp and LAuReL stay 16-bit', () => {
    expect(typeOf('gemma-3n-e4b-it', 'q4_k_m', 'per_layer_token_embd.weight')).toBe('q6_k')
    expect(typeOf('gemma-3n-e4b-it', 'q4_k_m', 'blk.0.laurel_l.weight')).toBe('f16')
    expect(typeOf('gemma-3n-e4b-it', 'q4_k_m', 'blk.0.altup_predict_coef.weight')).toBe('f32')
    const m = ggufMixBytes(loadModel('gemma-3n-e4b-it'), 'q4_k_m')
    expect(m.bytes.perLayerEmbeddings).toBe(((262_144 * 35 * 256) / 256) * 210) // 262144 rows of 35 x 256, Q6_K
  })
})

describe('every preset and mix', () => {
  it('counts each parameter once: the tensors of every class add up to the parameter breakdown', () => {
    for (const id of listModelIds()) {
      const spec = loadModel(id)
      const classes = weightClassValues(paramCounts(spec).breakdown, weightFormatsFor(spec))
      for (const mix of ggufMixNames) {
        const m = ggufMixBytes(spec, mix)
        const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
        expect({id, mix, params: m.params}).toEqual({id, mix, params: expected})
        // Under every mix the norms and routers are F32: 4 bytes each.
        expect(m.bytes.unquantized).toBe(expected.unquantized * 4)
      }
    }
  })
  it('orders the mixes by size as their names say', () => {
    const spec = loadModel('qwen3-8b')
    const size = (mix: (typeof ggufMixNames)[number]) => ggufMixBytes(spec, mix).totalBytes
    const order = ['gguf-q2_k', 'q3_k_s', 'q3_k_m', 'q3_k_l', 'gguf-q4_0', 'q4_k_s', 'q4_k_m', 'q5_k_s', 'q5_k_m', 'gguf-q6_k', 'gguf-q8_0'] as const
    for (let i = 1; i < order.length; i++) expect(size(order[i]!)).toBeGreaterThan(size(order[i - 1]!))
  })
})
