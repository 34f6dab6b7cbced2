// The formula registry: every entry documented and sourced, its text over exactly its declared symbols, its text
// (evaluated with mathjs) equal to the function the calculators call; hand-worked values for a few entries; and no
// formula text in src/explain, which only picks entries.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {weightBytesPerElement} from '../../src/calc/dtype.js'
import {bytesPerElement, int4BitsPerElement} from '../../src/calc/formulas/dtype.js'
import {chunkedKeysSeenPrefill, slidingKeysSeen} from '../../src/calc/formulas/flops.js'
import {sumOf} from '../../src/calc/formulas/formula.js'
import {formulaRegistry, type Formula} from '../../src/calc/formulas/index.js'
import {layerKvBytes, mlaLatentKvElements} from '../../src/calc/formulas/kv.js'
import {activationBytes, attentionActivationWidth, ffnActivationWidth} from '../../src/calc/formulas/memory.js'
import {gqaAttentionParams, kdaParams, mtpParams} from '../../src/calc/formulas/params.js'
import {allReduceSeconds, computeSeconds, expectedExpertsHit, usdPerMillionTokens} from '../../src/calc/formulas/perf.js'
import {activationBytes as memoryActivationBytes, defaultScenario} from '../../src/calc/memory.js'
import {layerParams, paramCounts} from '../../src/calc/params.js'
import {safeMath} from '../../src/explain/check.js'
import {loadModel} from '../../src/presets/load.js'
import {kdaHybrid} from '../helpers/spec.js'

const units = ['params', 'elements', 'tokens', 'layers', 'experts', 'bits', 'bytes', 'bytes/element', 'FLOP', 'FLOP/key', 's', 'tokens/s', 'requests/s', 'tokens/USD', 'USD', 'USD/s', 'J', 'h', 'micro-batches']
const math = await safeMath()

/** The symbols an expression reads (function names such as min and mod excluded). */
function symbolsOf(expression: string): string[] {
  const names = new Set<string>()
  const functions = new Set<string>()
  math.parse(expression).traverse((node) => {
    const n = node as unknown as {type: string; name?: string; fn?: {name: string}}
    if (n.type === 'FunctionNode') functions.add(n.fn!.name)
    if (n.type === 'SymbolNode') names.add(n.name!)
  })
  return [...names].filter((n) => !functions.has(n)).sort()
}

describe('every registry entry', () => {
  it('has a unique id, a label, a source, a known unit', () => {
    expect(new Set(formulaRegistry.map((f) => f.id)).size).toBe(formulaRegistry.length)
    for (const f of formulaRegistry) {
      expect(f.id, f.id).toMatch(/^[a-z0-9]+(\.[a-zA-Z0-9]+)+$/)
      expect(f.label.length, f.id).toBeGreaterThan(3)
      expect(f.source.length, f.id).toBeGreaterThan(10)
      expect(units, f.id).toContain(f.unit)
    }
  })
  it('documents each symbol, and its text uses exactly the symbols it declares', () => {
    for (const f of formulaRegistry) {
      for (const [symbol, doc] of Object.entries(f.symbols)) expect(String(doc).length, `${f.id} ${symbol}`).toBeGreaterThan(2)
      expect(symbolsOf(f.expression), f.id).toEqual(Object.keys(f.symbols).sort())
    }
  })
  it('evaluates with mathjs to what its function returns (on sample values)', () => {
    for (const f of formulaRegistry as readonly Formula<string, never>[]) {
      // Small positive integers, different per symbol: every formula is defined on them (no zero divisors).
      const values = Object.fromEntries(Object.keys(f.symbols).map((s, i) => [s, 2 + ((i * 5) % 11)]))
      const expected = f.evaluate(values)
      const evaluated = Number(math.evaluate(f.expression, values))
      if (f.integer && Number.isInteger(expected)) expect(evaluated, f.id).toBe(expected)
      else expect(Math.abs(evaluated - expected), f.id).toBeLessThanOrEqual(1e-12 * Math.abs(expected))
    }
  })
})

describe('hand-worked entries', () => {
  it('Llama 3.1 8B attention projections: q 4096 x (32 x 128), k and v 4096 x (8 x 128), o (32 x 128) x 4096', () => {
    const v = gqaAttentionParams.read!(loadModel('llama-3.1-8b'))
    expect(gqaAttentionParams.evaluate(v)).toBe(4096 * 32 * 128 + 2 * 4096 * 8 * 128 + 32 * 128 * 4096)
    expect(gqaAttentionParams.evaluate(v)).toBe(41_943_040)
  })
  it('DeepSeek-V3 MLA caches the 512-wide latent and the 64-wide RoPE key: 576 values per token per layer', () => {
    expect(mlaLatentKvElements.evaluate(mlaLatentKvElements.read!(loadModel('deepseek-v3')))).toBe(512 + 64)
  })
  it('Kimi Delta Attention of the 12-head x 64, h 768 test model (conv 4)', () => {
    const kda = kdaHybrid()
    // q, k, v, o: 4 x 768 x 768; f_a, g_a (768, 64) and f_b, g_b (64, 768); b_proj (768, 12); dt_bias 768; A_log 12; convs 3 x 768 x 4
    const expected = 4 * 768 * 768 + 2 * (768 * 64 + 64 * 768) + 768 * 12 + 768 + 12 + 3 * 768 * 4
    expect(kdaParams.evaluate(kdaParams.read!(kda))).toBe(expected)
    expect(expected).toBe(2_575_116)
    expect(layerParams(kda, kda.layerGroups[0]!).attention).toBe(expected)
  })
  it('KV of 10 full layers at 32k in bf16, 16 KV heads x (128 + 128): 10 x 32768 x 4096 x 2 bytes', () => {
    expect(layerKvBytes.evaluate({n: 10, T: 32768, e: 16 * (128 + 128), bytes: 2, B: 1})).toBe(10 * 32768 * 4096 * 2)
  })
  it('sliding keys at position 5000 with a 1024 window: 1024; chunked prefill of 20000 in chunks of 8192: two whole triangles and one of 3616', () => {
    expect(slidingKeysSeen.evaluate({p: 5000, w: 1024})).toBe(1024)
    expect(chunkedKeysSeenPrefill.evaluate({P: 20000, w: 8192})).toBe(2 * ((8192 * 8193) / 2) + (3616 * 3617) / 2)
  })
  it('int4 with groups of 128: 4 + 32 / 128 = 4.25 bits = 0.53125 bytes per weight', () => {
    expect(int4BitsPerElement.evaluate({g: 128})).toBe(4.25)
    expect(bytesPerElement.evaluate({bits: 4.25})).toBe(0.53125)
    expect(weightBytesPerElement('int4', 128)).toBe(0.53125)
    expect(weightBytesPerElement('int4', 32)).toBe((4 + 32 / 32) / 8)
  })
  it('roofline pieces: 1e12 FLOP at 1e15 FLOP/s x MFU 0.5 on 2 ranks = 1 ms; ring all-reduce of 2 x 32 x 1 x 4096 x 2 bytes on 2 ranks over 450 GB/s', () => {
    expect(computeSeconds.evaluate({F: 1e12, peak: 1e15, u: 0.5, tp: 2})).toBeCloseTo(1e-3, 15)
    expect(allReduceSeconds.evaluate({tp: 2, L: 32, T: 1, h: 4096, link: 450e9})).toBeCloseTo(((2 * 1) / 2) * (2 * 32 * 1 * 4096 * 2) / 450e9, 20)
    expect(expectedExpertsHit.evaluate({E: 128, k: 8, T: 1})).toBeCloseTo(8, 12)
    expect(usdPerMillionTokens.evaluate({usd: 2 / 3600, rate: 1000})).toBeCloseTo((2 / 3600 / 1000) * 1e6, 12)
  })
  it('DeepSeek-V3 MTP: one MoE layer plus enorm, hnorm, shared_head.norm (3 x 7168) and eh_proj (2 x 7168 x 7168)', () => {
    const ds = loadModel('deepseek-v3')
    const layer = 187_105_280 + 16_384 + 256 * 44_040_192 + 44_040_192 + (7168 * 256 + 256) // MLA + norms + experts + shared + router
    expect(mtpParams.evaluate({m: 1, layer, h: 7168, o: 0})).toBe(layer + 3 * 7168 + 2 * 7168 * 7168)
    expect(paramCounts(ds).mtpParams).toBe(layer + 3 * 7168 + 2 * 7168 * 7168)
  })
  it('activations: the registry entry gives what memory.ts computes, rounded up (vLLM profile_run)', () => {
    for (const id of ['llama-3.1-8b', 'qwen3-30b-a3b', 'deepseek-v3', 'gemma-3n-e4b-it']) {
      const spec = loadModel(id)
      const s = defaultScenario(spec)
      const attention = attentionActivationWidth.evaluate(attentionActivationWidth.read!(spec))
      const ffn = ffnActivationWidth.evaluate(ffnActivationWidth.read!(spec))
      expect(activationBytes.evaluate(activationBytes.read!(spec, s, attention, ffn)), id).toBe(Math.ceil(memoryActivationBytes(spec, s)))
    }
  })
  it('sums name their parts: n_full * full + sliding', () => {
    const sum = sumOf('kv.bytes.sum', 'test', 'bytes', true, [
      {symbol: 'full', doc: 'full layers', value: 100, count: {symbol: 'n_full', doc: 'layers', value: 3}},
      {symbol: 'sliding', doc: 'sliding layers', value: 7},
    ])
    expect(sum.formula.expression).toBe('n_full * full + sliding')
    expect(sum.result).toBe(3 * 100 + 7)
    expect(Number(math.evaluate(sum.formula.expression, sum.values))).toBe(sum.result)
  })
})

describe('src/explain holds no formula', () => {
  /** The source without comments, and its string and template literals apart. */
  function split(file: string): {code: string; strings: string[]} {
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\s\/\/ .*$/gm, '')
    const strings: string[] = []
    const code = text.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, (s) => {
      strings.push(s)
      return '""'
    })
    return {code, strings}
  }
  it('steps.ts does no arithmetic: it picks registry entries, their readers and calculator functions', () => {
    const {code, strings} = split('src/explain/steps.ts')
    expect(code).not.toMatch(/Math\./)
    expect(code.match(/[\w)\]]\s*(\*\*|[-+*/%])\s*[\w(]/g) ?? []).toEqual([])
    expect(code).not.toMatch(/spec\.(hiddenSize|layers|attention|ffn|moe|embeddings|norms|linearAttention|layerGroups)/)
    // No formula text in its strings either (step names only).
    expect(strings.filter((s) => /[\w)]\s+[-+*/^]\s+[\w(]/.test(s.replace(/\$\{[^}]*\}/g, 'x')))).toEqual([])
  })
  it('check.ts and substitute.ts only evaluate and print the registry text they are given', () => {
    for (const file of ['src/explain/check.ts', 'src/explain/substitute.ts']) {
      const {strings} = split(file)
      expect(strings.filter((s) => /^['"`][\w\s]*[*/^][\w\s]*['"`]$/.test(s)), file).toEqual([])
    }
  })
})
