// ernie4_5_moe: Ernie4_5_MoeConfig (configuration_ernie4_5_moe.py @ 001f85b3; modular_ernie4_5_moe.py). No verbatim
// copy of baidu/ERNIE-4.5-21B-A3B-PT's config.json was found, so the fixture is the class defaults, which the class
// documents as "similar to" that checkpoint: h 2560, 28 layers, 20/4 heads x 128, dense FFN 12288 in layer 0, 64
// experts of 1536 (top-6) plus 2 shared in layers 1..27, vocab 103424, tied. Published: "21B total, 3B activated";
// computed 21,825,437,888 total, 3,352,150,208 active (the embedding included).
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufTensors} from '../../src/calc/gguf-mix.js'
import {kvBytesPerTokenAt} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/ernie-4.5-moe-defaults.json', 'utf8'))
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'ernie-4.5-21b-a3b'}), 'ernie4_5_moe')

describe('ernie4_5_moe (Ernie4_5_MoeConfig defaults, the ERNIE-4.5-21B-A3B shape)', () => {
  const h = 2560
  const attention = h * (20 * 128) + 2 * h * (4 * 128) + (20 * 128) * h // use_bias false
  const expert = 3 * h * 1536
  const shared = 3 * h * (2 * 1536) // one MLP of moe_intermediate_size x moe_num_shared_experts
  const router = 64 * h + 64 // gate + moe_statics.e_score_correction_bias (1, 64)
  const dense = attention + 2 * h + 3 * h * 12288
  const moe = attention + 2 * h + 64 * expert + shared + router
  const total = 103424 * h /* tied */ + dense + 27 * moe + h

  it('total and active (6 of 64 experts; layer 0 dense)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(total).toBe(21_825_437_888)
    expect(p.activeParams).toBe(total - 27 * 58 * expert)
    expect(p.activeParams).toBe(3_352_150_208)
  })
  it('moe_layer_start_index / end_index / interval pick the MoE layers', () => {
    // interval 2: layers with (i + 1) % 2 == 0 and 1 <= i <= 20 are MoE: 1, 3, ..., 19 (10 layers); 18 dense.
    const s = spec({...raw(), moe_layer_interval: 2, moe_layer_end_index: 20})
    expect(paramCounts(s).totalParams).toBe(103424 * h + 18 * dense + 10 * moe + h)
  })
  it('use_bias adds biases to q/k/v/o, every MLP (experts and shared included) and the LM head, tied or not', () => {
    const biases = (20 * 128 + 2 * 4 * 128 + h) /* q, k, v, o */ + 2 * 1536 + h /* an expert */ + 2 * 3072 + h /* shared */
    const denseBiases = 20 * 128 + 2 * 4 * 128 + h + 2 * 12288 + h
    const s = spec({...raw(), use_bias: true})
    expect(paramCounts(s).totalParams).toBe(total + denseBiases + 27 * (biases + 63 * (2 * 1536 + h)) + 103424)
    expect(paramCounts(s).breakdown.lmHead).toBe(103424)
    // the GGUF enumeration writes the same biases (output.bias, ffn_*_shexp.bias)
    const names = ggufTensors(s, 'gguf-q8_0').map((t) => t.name)
    expect(names).toContain('output.bias')
    expect(names).toContain('blk.1.ffn_down_shexp.bias')
  })
  it('KV per token: 2 x 4 KV heads x 128 x 28 layers x 2 bytes (bf16)', () => {
    expect(kvBytesPerTokenAt(spec(raw()), 1024, {kvFormat: 'bf16', mlaCache: 'latent'})).toBe(2 * 4 * 128 * 28 * 2)
  })
  it("Baidu's own keys: capacity, gate name and aux-free switch change nothing; LayerNorm or a quantized file is refused", () => {
    expect(paramCounts(spec({...raw(), use_rmsnorm: true, moe_capacity: [64, 64, 64], moe_gate: 'topk', moe_use_aux_free: true})).totalParams).toBe(total)
    expect(() => spec({...raw(), use_rmsnorm: false})).toThrow(/use_rmsnorm/)
    expect(() => spec({...raw(), is_quantized: true})).toThrow(/is_quantized/)
  })
  it('num_nextn_predict_layers is noted (the MTP weights are skipped on load), not counted', () => {
    const s = spec({...raw(), num_nextn_predict_layers: 1})
    expect(paramCounts(s).totalParams).toBe(total)
    expect(s.notes?.join(' ')).toMatch(/multi-token-prediction/)
  })
})
