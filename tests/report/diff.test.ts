// archcost diff: the comparisons the seed articles draw, with the consequences worked out by hand from the configs.
import {describe, expect, it} from 'vitest'
import {loadModel} from '../../src/presets/load.js'
import {alignLabels, diffDerivedView, diffFieldsView, diffResult, onlyDifferences, type DiffResult} from '../../src/report/diff.js'
import {gpt2Small} from '../helpers/spec.js'

const field = (r: DiffResult, name: string) => {
  const f = r.fields.find((x) => x.field === name)
  if (!f) throw new Error(`no field ${name}`)
  return f
}
const derived = (r: DiffResult, quantity: string) => {
  const d = r.derived.find((x) => x.quantity === quantity)
  if (!d) throw new Error(`no quantity ${quantity}`)
  return d
}
const triangle = (n: number) => (n * (n + 1)) / 2

describe('DeepSeek-V3 vs Kimi K2: the same MLA cache, half the heads, 1.5x the experts', () => {
  const r = diffResult([loadModel('deepseek-v3'), loadModel('kimi-k2-instruct')])
  // Both: h 7168, 61 layers, q_lora 1536, kv_lora 512, nope 128 + rope 64, v 128, experts of width 2048, top-8 + 1 shared.
  const expert = 3 * 7168 * 2048
  const dsAttention = 7168 * 1536 + 1536 * 128 * 192 + 7168 * 576 + 512 * 128 * 256 + 128 * 128 * 7168
  const kimiAttention = 7168 * 1536 + 1536 * 64 * 192 + 7168 * 576 + 512 * 64 * 256 + 64 * 128 * 7168
  const norms = 2 * 7168 + 1536 + 512
  const denseFfn = 3 * 7168 * 18432
  const dsRouter = 256 * 7168 + 256
  const kimiRouter = 384 * 7168 + 384

  it('defaults to 8k for both (maxima 163,840 and 131,072)', () => {
    expect(r.ids).toEqual(['deepseek-v3', 'kimi-k2-instruct'])
    expect(r.contextTokens).toEqual([8192, 8192])
    expect(r.kvFormats).toEqual(['bf16', 'bf16'])
  })

  it('marks heads (128 vs 64) and experts (256 vs 384) as different, layers and hidden size as equal', () => {
    expect(field(r, 'Attention')).toMatchObject({differs: true})
    expect(field(r, 'Attention').values[0]).toContain('MLA, 128 heads')
    expect(field(r, 'Attention').values[1]).toContain('MLA, 64 heads')
    expect(field(r, 'Experts').differs).toBe(true)
    expect(field(r, 'Experts').values[0]).toMatch(/^256 routed, top-8/)
    expect(field(r, 'Experts').values[1]).toMatch(/^384 routed, top-8/)
    expect(field(r, 'FFN').values).toEqual(['58 MoE + 3 dense layers (gated silu)', '60 MoE + 1 dense layers (gated silu)'])
    expect(field(r, 'Layers')).toEqual({field: 'Layers', values: ['61', '61'], differs: false})
    expect(field(r, 'Hidden size')).toEqual({field: 'Hidden size', values: ['7168', '7168'], differs: false})
    expect(field(r, 'Layer pattern')).toEqual({field: 'Layer pattern', values: ['all full', 'all full'], differs: false})
  })

  it('a card field only one model has shows — and differs (DeepSeek-V3 ships an MTP layer, Kimi K2 none)', () => {
    expect(field(r, 'Not run by default').values[1]).toBe('—')
    expect(field(r, 'Not run by default').differs).toBe(true)
  })

  it('KV per token is identical: (512 + 64) values x 61 layers x 2 bytes, ratio 1', () => {
    expect(derived(r, 'kvBytesPerToken')).toEqual({quantity: 'kvBytesPerToken', unit: 'bytes', values: [70_272, 70_272], ratios: [1, 1]})
    expect(576 * 61 * 2).toBe(70_272)
    expect(derived(r, 'kvCacheBytes').values).toEqual([8192 * 70_272, 8192 * 70_272])
    expect(derived(r, 'kvCacheBytes').ratios).toEqual([1, 1])
  })

  it('parameters: 58 MoE layers of 256 experts against 60 of 384', () => {
    const dsTotal = 2 * 129280 * 7168 + 3 * (dsAttention + norms + denseFfn) + 58 * (dsAttention + norms + 257 * expert + dsRouter) + 7168
    const kimiTotal = 2 * 163840 * 7168 + (kimiAttention + norms + denseFfn) + 60 * (kimiAttention + norms + 385 * expert + kimiRouter) + 7168
    const total = derived(r, 'totalParams')
    expect(total.values).toEqual([dsTotal, kimiTotal])
    expect(total.ratios[1]).toBeCloseTo(kimiTotal / dsTotal, 12)
    expect(total.ratios[1]).toBeCloseTo(1.53, 2)
    // active: 8 routed of each MoE layer's experts stay
    expect(derived(r, 'activeParams').values).toEqual([dsTotal - 58 * 248 * expert, kimiTotal - 60 * 376 * expert])
    // non-embedding: without the input embedding (the untied head stays)
    expect(derived(r, 'nonEmbeddingParams').values).toEqual([dsTotal - 129280 * 7168, kimiTotal - 163840 * 7168])
  })

  it('decode at 8k: 2 x params multiplied + absorbed MLA, 2 x heads x (2 x 512 + 64) per key; half the heads, half the attention', () => {
    // multiplied per token: attention, dense FFN, 8 routed + 1 shared expert, router, LM head (lookups and norms out)
    const dsMatmul = 3 * (dsAttention + denseFfn) + 58 * (dsAttention + 9 * expert + dsRouter) + 129280 * 7168
    const kimiMatmul = kimiAttention + denseFfn + 60 * (kimiAttention + 9 * expert + kimiRouter) + 163840 * 7168
    const dsDecode = 2 * dsMatmul + 61 * 8192 * 2 * 128 * (2 * 512 + 64)
    const kimiDecode = 2 * kimiMatmul + 61 * 8192 * 2 * 64 * (2 * 512 + 64)
    expect(derived(r, 'decodeFlopsPerToken').values).toEqual([dsDecode, kimiDecode])
    expect(derived(r, 'decodeFlopsPerToken').ratios[1]).toBeCloseTo(kimiDecode / dsDecode, 12)
    // prefill of 8k: the causal half, MLA expanded: 2 x heads x (192 + 128) per key
    const dsPrefill = 8192 * 2 * dsMatmul + 61 * triangle(8192) * 2 * 128 * 320
    const kimiPrefill = 8192 * 2 * kimiMatmul + 61 * triangle(8192) * 2 * 64 * 320
    expect(derived(r, 'prefillFlops').values).toEqual([dsPrefill, kimiPrefill])
  })
})

describe('Qwen3 0.6B vs Llama 3.2 1B: deep and narrow against shallow and wide', () => {
  // Qwen3 0.6B: h 1024, 28 layers, 16 heads / 8 KV x 128, FFN 3072, vocab 151936 tied, QK-norm per head.
  // Llama 3.2 1B: h 2048, 16 layers, 32 heads / 8 KV x 64, FFN 8192, vocab 128256 tied.
  const qwenAttention = 1024 * 2048 + 2 * 1024 * 1024 + 2048 * 1024
  const qwenFfn = 3 * 1024 * 3072
  const qwenLayer = qwenAttention + qwenFfn + 2 * 1024 + 2 * 128
  const qwenTotal = 151936 * 1024 + 28 * qwenLayer + 1024
  const llamaAttention = 2048 * 2048 + 2 * 2048 * 512 + 2048 * 2048
  const llamaFfn = 3 * 2048 * 8192
  const llamaLayer = llamaAttention + llamaFfn + 2 * 2048
  const llamaTotal = 128256 * 2048 + 16 * llamaLayer + 2048

  it('KV per token: 28 x 8 x 128 x 2 x 2 bytes against 16 x 8 x 64 x 2 x 2: ratio 3.5 with Llama first', () => {
    const r = diffResult([loadModel('llama-3.2-1b-instruct'), loadModel('qwen3-0.6b')])
    const qwenKv = 28 * 8 * 128 * 2 * 2 // 114,688
    const llamaKv = 16 * 8 * 64 * 2 * 2 // 32,768
    expect(derived(r, 'kvBytesPerToken')).toEqual({quantity: 'kvBytesPerToken', unit: 'bytes', values: [32_768, 114_688], ratios: [1, 3.5]})
    expect(qwenKv / llamaKv).toBe(3.5)
    expect(derived(r, 'kvCacheBytes').values).toEqual([8192 * llamaKv, 8192 * qwenKv])
    expect(derived(r, 'kvCacheBytes').ratios).toEqual([1, 3.5])
  })

  it('with Qwen first the ratio is 2/7; parameters and FLOPs worked out per layer', () => {
    const r = diffResult([loadModel('qwen3-0.6b'), loadModel('llama-3.2-1b-instruct')])
    expect(derived(r, 'kvBytesPerToken').ratios).toEqual([1, 2 / 7])
    expect(derived(r, 'totalParams').values).toEqual([qwenTotal, llamaTotal])
    expect([qwenTotal, llamaTotal]).toEqual([596_049_920, 1_235_814_400])
    expect(derived(r, 'totalParams').ratios[1]).toBeCloseTo(1_235_814_400 / 596_049_920, 12)
    expect(derived(r, 'activeParams').values).toEqual([qwenTotal, llamaTotal]) // dense
    expect(derived(r, 'nonEmbeddingParams').values).toEqual([qwenTotal - 151936 * 1024, llamaTotal - 128256 * 2048])
    // decode at 8k: 2 x (layers' matrices + the tied head) + layers x 8192 keys x 2 x heads x (d + d)
    const qwenDecode = 2 * (28 * (qwenAttention + qwenFfn) + 151936 * 1024) + 28 * 8192 * 2 * 16 * 256
    const llamaDecode = 2 * (16 * (llamaAttention + llamaFfn) + 128256 * 2048) + 16 * 8192 * 2 * 32 * 128
    expect(derived(r, 'decodeFlopsPerToken').values).toEqual([qwenDecode, llamaDecode])
    expect([qwenDecode, llamaDecode]).toEqual([3_071_016_960, 3_545_235_456])
    const qwenPrefill = 8192 * 2 * (28 * (qwenAttention + qwenFfn) + 151936 * 1024) + 28 * triangle(8192) * 2 * 16 * 256
    expect(derived(r, 'prefillFlops').values[0]).toBe(qwenPrefill)
  })

  it('aligns the cards by label: a field only the second card has goes where that card has it', () => {
    const r = diffResult([loadModel('llama-3.2-1b-instruct'), loadModel('qwen3-0.6b')])
    const labels = r.fields.map((f) => f.field)
    expect(labels.indexOf('Attention extras')).toBe(labels.indexOf('Attention') + 1)
    expect(field(r, 'Attention extras')).toEqual({field: 'Attention extras', values: ['—', 'QK-norm (per-head)'], differs: true})
    expect(field(r, 'Attention').values).toEqual(['GQA, 32 heads, 8 KV heads, head dim 64', 'GQA, 16 heads, 8 KV heads, head dim 128'])
    expect(field(r, 'Layers').values).toEqual(['16', '28'])
  })
})

describe('Gemma 3 27B vs Mistral Small 3.1: sliding windows against full attention', () => {
  const r = diffResult([loadModel('gemma-3-27b-it'), loadModel('mistral-small-3.1-24b-instruct-2503')])
  it('the layer pattern, norm placement and QK-norm differ; heads (32) do not differ but KV heads do', () => {
    expect(field(r, 'Layer pattern')).toEqual({field: 'Layer pattern', values: ['5 sliding(1024) : 1 full, repeated (last 2 cut)', 'all full'], differs: true})
    expect(field(r, 'Norms').values).toEqual(['rmsnorm, sandwich, 4 per layer + final', 'rmsnorm, pre, 2 per layer + final'])
    expect(field(r, 'Attention extras').values).toEqual(['QK-norm (per-head)', '—'])
    expect(field(r, 'Attention').values).toEqual(['GQA, 32 heads, 16 KV heads, head dim 128', 'GQA, 32 heads, 8 KV heads, head dim 128'])
    expect(field(r, 'Dtype').differs).toBe(false)
  })
  it('at 8k only Gemma\'s 10 global layers grow: KV per token 10 x 2 x 16 x 128 x 2 against 40 x 2 x 8 x 128 x 2, ratio 2', () => {
    const gemmaKv = 10 * 2 * 16 * 128 * 2 // 81,920
    const mistralKv = 40 * 2 * 8 * 128 * 2 // 163,840
    expect(derived(r, 'kvBytesPerToken').values).toEqual([gemmaKv, mistralKv])
    expect(derived(r, 'kvBytesPerToken').ratios).toEqual([1, 2])
    // the cache: Gemma's 52 local layers hold 1024 tokens, its 10 global layers all 8192
    const gemmaCache = (10 * 8192 + 52 * 1024) * 2 * 16 * 128 * 2 // 1,107,296,256
    const mistralCache = 40 * 8192 * 2 * 8 * 128 * 2 // 1,342,177,280
    expect(derived(r, 'kvCacheBytes').values).toEqual([gemmaCache, mistralCache])
    expect(derived(r, 'kvCacheBytes').ratios[1]).toBeCloseTo(40 / 33, 12) // 163,840 / 135,168
  })
  it('--context 32k applies to both: Gemma still grows in 10 layers, its cache 10 x 32k + 52 x 1k token-layers', () => {
    const at32k = diffResult([loadModel('gemma-3-27b-it'), loadModel('mistral-small-3.1-24b-instruct-2503')], 32768)
    expect(at32k.contextTokens).toEqual([32768, 32768])
    expect(derived(at32k, 'kvBytesPerToken').values).toEqual([81_920, 163_840])
    expect(derived(at32k, 'kvCacheBytes').values).toEqual([(10 * 32768 + 52 * 1024) * 8192, 40 * 32768 * 4096])
  })
})

describe('OLMo 2 7B vs Llama 3.1 8B: a 4k model keeps its own maximum as the default context', () => {
  const r = diffResult([loadModel('olmo-2-1124-7b'), loadModel('llama-3.1-8b')])
  it('contexts 4096 (OLMo 2 maximum) and 8192; OLMo 2 fp32 caches in bf16', () => {
    expect(r.contextTokens).toEqual([4096, 8192])
    expect(r.kvFormats).toEqual(['bf16', 'bf16'])
    expect(field(r, 'Norms').values).toEqual(['rmsnorm, post, 2 per layer + final', 'rmsnorm, pre, 2 per layer + final'])
    expect(field(r, 'Dtype')).toEqual({field: 'Dtype', values: ['fp32', 'bf16'], differs: true})
  })
  it('MHA (32 KV heads) against GQA (8): KV per token 32 x 2 x 32 x 128 x 2 vs 32 x 2 x 8 x 128 x 2', () => {
    expect(derived(r, 'kvBytesPerToken').values).toEqual([524_288, 131_072])
    expect(derived(r, 'kvBytesPerToken').ratios).toEqual([1, 0.25])
    expect(derived(r, 'kvCacheBytes').values).toEqual([4096 * 524_288, 8192 * 131_072]) // 2 GiB at 4k, 1 GiB at 8k
    expect(derived(r, 'kvCacheBytes').ratios).toEqual([1, 0.5])
  })
})

describe('alignment, --only-diff and views', () => {
  it('merges label lists in order, inserting a later card\'s new labels after their predecessor', () => {
    const card = (labels: string[]) => new Map(labels.map((l) => [l, l]))
    expect(alignLabels([card(['A', 'B', 'D']), card(['A', 'C', 'D', 'E']), card(['X', 'A'])])).toEqual(['X', 'A', 'C', 'B', 'D', 'E'])
  })

  it('a model against itself differs nowhere; ratios are all 1; --only-diff leaves no fields', () => {
    const q = loadModel('qwen3-0.6b')
    const r = diffResult([q, q])
    expect(r.fields.every((f) => !f.differs)).toBe(true)
    expect(r.derived.every((d) => d.ratios.every((x) => x === 1))).toBe(true)
    expect(onlyDifferences(r).fields).toEqual([])
    expect(onlyDifferences(r).derived).toEqual(r.derived)
    // the same id twice still gets two columns
    expect(diffFieldsView(r).columns.map((c) => c.key)).toEqual(['field', 'differs', 'qwen3-0.6b', 'qwen3-0.6b#2'])
  })

  it('the fields view marks differing rows with ≠ and leaves the rest blank', () => {
    const r = diffResult([loadModel('deepseek-v3'), loadModel('kimi-k2-instruct')])
    const rows = diffFieldsView(r).rows
    expect(rows.find((x) => x.field === 'Attention')).toMatchObject({differs: '≠', 'deepseek-v3': expect.stringContaining('128 heads')})
    expect(rows.find((x) => x.field === 'Layers')).toEqual({field: 'Layers', differs: '', 'deepseek-v3': '61', 'kimi-k2-instruct': '61'})
    expect(diffFieldsView(onlyDifferences(r)).rows.every((x) => x.differs === '≠')).toBe(true)
  })

  it('the derived view: raw numbers with a unit column for csv, formatted cells and b/a ratios for tables', () => {
    const r = diffResult([loadModel('llama-3.2-1b-instruct'), loadModel('qwen3-0.6b')])
    const machine = diffDerivedView(r, false)
    expect(machine.columns.map((c) => c.key)).toEqual(['quantity', 'unit', 'llama-3.2-1b-instruct', 'qwen3-0.6b', 'qwen3-0.6b/llama-3.2-1b-instruct'])
    expect(machine.rows.find((x) => x.quantity === 'kvBytesPerToken')).toEqual({
      quantity: 'kvBytesPerToken',
      unit: 'bytes',
      'llama-3.2-1b-instruct': 32_768,
      'qwen3-0.6b': 114_688,
      'qwen3-0.6b/llama-3.2-1b-instruct': 3.5,
    })
    const human = diffDerivedView(r, true)
    expect(human.columns.map((c) => c.header)).toEqual(['Quantity', 'llama-3.2-1b-instruct', 'qwen3-0.6b', 'b/a'])
    const kv = human.rows.find((x) => String(x.quantity).startsWith('KV per token'))
    expect(kv).toMatchObject({'llama-3.2-1b-instruct': '32.00 KiB', 'qwen3-0.6b': '112.00 KiB', 'qwen3-0.6b/llama-3.2-1b-instruct': 3.5})
    expect(human.notes.at(-1)).toBe('ratios: b/a = qwen3-0.6b / llama-3.2-1b-instruct')
  })

  it('a model with a short maximum (GPT-2, 1024 positions) gets its own default context', () => {
    const r = diffResult([gpt2Small(), loadModel('qwen3-0.6b')])
    expect(r.contextTokens).toEqual([1024, 8192])
    // GPT-2: 12 layers x 2 x 12 heads x 64 x 2 bytes (fp32 checkpoint, bf16 cache)
    expect(derived(r, 'kvBytesPerToken').values[0]).toBe(12 * 2 * 12 * 64 * 2)
    expect(derived(r, 'kvCacheBytes').values[0]).toBe(1024 * 12 * 2 * 12 * 64 * 2)
  })

  it('needs two models', () => {
    expect(() => diffResult([loadModel('qwen3-0.6b')])).toThrow(/two models/)
  })
})
