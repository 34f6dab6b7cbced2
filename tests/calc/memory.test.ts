// Weight bytes by format and the memory total, from the parameter breakdown and hand-worked byte widths.
import {describe, expect, it} from 'vitest'
import {defaultScenario, memoryEstimate} from '../../src/calc/memory.js'
import {paramCounts} from '../../src/calc/params.js'
import {paramsPerDevice} from '../../src/calc/parallel.js'
import {weightBytes, weightFormatsFor} from '../../src/calc/weights.js'
import {loadModel} from '../../src/presets/load.js'

describe('weight bytes', () => {
  it('gpt-oss ships expert matrices in MXFP4 (4 bits + one 8-bit scale per 32), their biases and the rest in bf16: the published checkpoint\'s bytes', () => {
    const spec = loadModel('gpt-oss-120b')
    const p = paramCounts(spec)
    const w = weightBytes(p.breakdown, weightFormatsFor(spec))
    // 36 layers of 128 experts: gate and up 2880 -> 2880, down 2880 -> 2880, with biases 2 x 2880 + 2880 (bf16 tensors of their own)
    const expertMatrices = 36 * 128 * 3 * 2880 * 2880
    const experts = (expertMatrices * (4 + 8 / 32)) / 8
    const rest = (p.totalParams - expertMatrices) * 2
    expect(w.deviceBytes).toBe(experts + rest)
    // openai/gpt-oss-120b's 15 safetensors files hold 65,248,815,744 bytes of tensors (a deployment test asserting
    // tensor_bytes of that revision, search index id 59724567210; a size test using it for openai/gpt-oss-120b, id 57403603525)
    expect(w.deviceBytes).toBe(65_248_815_744)
  })
  it('gpt-oss-20b: model.safetensors.index.json total_size 13,761,264,768', () => {
    // the published index's metadata.total_size (a copy of the repository's files, search index id 31112482743)
    const spec = loadModel('gpt-oss-20b')
    expect(weightBytes(paramCounts(spec).breakdown, weightFormatsFor(spec)).deviceBytes).toBe(13_761_264_768)
  })
  it('DeepSeek-V3 FP8 keeps embeddings, LM head, norms and router in bf16, with one fp32 scale_inv per 128x128 block', () => {
    const spec = loadModel('deepseek-v3')
    const p = paramCounts(spec)
    const b = p.breakdown
    const bf16Params = b.embedding + b.lmHead + b.norms + b.router
    // blocks: MLA q_a 12x56, q_b 192x12, kv_a 5x56, kv_b 256x4, o 56x128 in all 61 layers; a dense MLP 3 x 144x56 in 3;
    // 256 routed + 1 shared expert of 3 x 16x56 in 58
    const blocks = 61 * (672 + 2304 + 280 + 1024 + 7168) + 3 * 3 * 8064 + 58 * 257 * 3 * 896
    expect(blocks).toBe(40_838_232)
    expect(weightBytes(b, weightFormatsFor(spec)).deviceBytes).toBe(bf16Params * 2 + (p.totalParams - bf16Params) * 1 + blocks * 4)
  })
  it('int4 with group 128: 4 bits + fp16 scale and zero per group = 4.25 bits', () => {
    const spec = loadModel('llama-3.1-8b')
    const b = paramCounts(spec).breakdown
    const w = weightBytes(b, weightFormatsFor(spec, {linear: 'int4', experts: 'int4'}), {int4GroupSize: 128})
    const linear = b.attention + b.denseFfn
    expect(w.byClass.linear).toBe((linear * 4.25) / 8)
    expect(w.byClass.embeddings).toBe((b.embedding + b.lmHead) * 2)
  })
  it('Gemma 3n per-layer embeddings can live in host memory', () => {
    const spec = loadModel('gemma-3n-e4b-it')
    const b = paramCounts(spec).breakdown
    const onDevice = weightBytes(b, weightFormatsFor(spec), {offloadPerLayerEmbeddings: true})
    expect(onDevice.offloadableBytes).toBe(262144 * 35 * 256 * 2) // vocab_size_per_layer_input x layers x 256, bf16
    expect(onDevice.deviceBytes).toBe(paramCounts(spec).totalParams * 2 - onDevice.offloadableBytes)
  })
})

describe('memory total', () => {
  it('is the sum of its terms', () => {
    const spec = loadModel('qwen3-32b')
    const s = {...defaultScenario(spec), contextTokens: 32768, batch: 4}
    const m = memoryEstimate(spec, s)
    expect(m.totalBytes).toBe(m.weightsBytes + m.kvBytes + m.activationBytes + m.overheadBytes)
    // Qwen3-32B: 64 layers, 8 KV heads x 128, bf16
    expect(m.kvBytes).toBe(4 * 32768 * 64 * 2 * 8 * 128 * 2)
    expect(m.weightsBytes).toBe(paramCounts(spec).totalParams * 2)
  })
  it('tensor parallel over 8 splits weights about 8 ways (norms and routers replicated)', () => {
    const spec = loadModel('llama-3.1-70b')
    const b = paramCounts(spec).breakdown
    const perDevice = paramsPerDevice(b, {tp: 8, ep: 1, pp: 1})
    expect(perDevice.attention).toBe(b.attention / 8)
    expect(perDevice.norms).toBe(b.norms)
    const s = {...defaultScenario(spec), layout: {tp: 8, ep: 1, pp: 1}}
    const m = memoryEstimate(spec, s)
    expect(m.perDevice.kvBytes).toBe(m.kvBytes / 8) // 8 KV heads over 8 ranks
  })
})

describe('weight bytes by class', () => {
  it('the fast kernel groups components exactly as componentClass says', async () => {
    const {componentClass, weightBytes} = await import('../../src/calc/weights.js')
    const {paramCounts} = await import('../../src/calc/params.js')
    const {loadModel} = await import('../../src/presets/load.js')
    const spec = loadModel('gemma-3n-e4b-it')
    const b = paramCounts(spec).breakdown
    const formats = {embeddings: 'q8_0', linear: 'int4', experts: 'mxfp4', unquantized: 'fp32'} as const
    const bytes = {embeddings: 34 / 32, linear: (4 + 32 / 128) / 8, experts: 4.25 / 8, unquantized: 4}
    const expected = {embeddings: 0, linear: 0, experts: 0, unquantized: 0}
    for (const key of Object.keys(b) as (keyof typeof b)[]) expected[componentClass[key]] += b[key] * bytes[componentClass[key]]
    const got = weightBytes(b, formats).byClass
    for (const cls of Object.keys(expected) as (keyof typeof expected)[]) expect(got[cls]).toBeCloseTo(expected[cls], 0)
  })
})
