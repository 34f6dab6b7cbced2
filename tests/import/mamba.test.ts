// mamba: MambaConfig (configuration_mamba.py) and MambaMixer / MambaBlock (modeling_mamba.py). The fixture is
// state-spaces/mamba-2.8b-hf's config.json as a README quotes it (SOURCES.md): h 2560, 64 layers, expand 2
// (d_inner 5120), d_state 16, dt rank 160, conv 4 with bias, no in/out bias, vocab 50280, tied (the class default).
// Each block is one RMSNorm and one mixer, no FFN; the total, 2,768,345,600, is the "2.77B" of the Hub page.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {enginePages} from '../../src/calc/engines.js'
import {decodeFlopsPerToken, matmulParamsPerToken} from '../../src/calc/flops.js'
import {kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {parseModelSpec} from '../../src/presets/load.js'

const raw = () => JSON.parse(readFileSync('tests/fixtures/hf/mamba-2.8b-hf.json', 'utf8'))
const spec = (config: unknown = raw()) => parseModelSpec(importHfConfig(config, {id: 'mamba-2.8b-hf'}), 'mamba')

describe('mamba (mamba-2.8b-hf)', () => {
  const h = 2560
  const di = 2 * h // expand x hidden
  // in_proj (h, 2 di), conv1d (di x 4 + di bias), x_proj (di, 160 + 2 x 16), dt_proj (160, di) + bias, A_log (di, 16), D (di), out_proj (di, h)
  const mixer = h * 2 * di + di * 4 + di + di * (160 + 2 * 16) + 160 * di + di + di * 16 + di + di * h
  const total = 50280 * h + 64 * (mixer + h) + h // tied embedding, 64 x (mixer + norm), norm_f

  it('total parameters: every block a mixer and one norm, tied head', () => {
    const p = paramCounts(spec())
    expect(mixer).toBe(41_241_600)
    expect(p.totalParams).toBe(total)
    expect(total).toBe(2_768_345_600) // the Hub page's "2.77B"
    // Exact: loading state-spaces/mamba-2.8b prints "Number of parameters: 2768345600" (search-index file id
    // 26211555743), and a parameter table lists "mamba-2_8b-hf"="2768345600" (file id 49071488734)
    expect(p.breakdown.denseFfn).toBe(0)
    expect(p.breakdown.lmHead).toBe(0)
  })
  it('the fixed state per sequence: d_inner x conv window plus d_inner x d_state, no KV', () => {
    const s = spec()
    // transformers keeps the whole kernel window (4), bf16: (5120 x 4 + 5120 x 16) x 2 bytes x 64 layers
    const kv = kvCache(s, 100_000, 1, {kvFormat: 'bf16', mlaCache: 'latent'})
    expect(kv.linearStateBytes).toBe((di * 4 + di * 16) * 2 * 64)
    expect(kv.fullBytes + kv.windowedBytes).toBe(0)
    expect(kvCache(s, 10, 3, {kvFormat: 'bf16', mlaCache: 'latent'}).totalBytes).toBe(3 * kv.totalBytes)
    // vLLM keeps K - 1 taps and, with no attention page to match, the state as it is
    expect(enginePages(s, 'vllm', {kvFormat: 'bf16'}).linearStateBytesPerLayer).toBe((di * 3 + di * 16) * 2)
  })
  it('decode FLOPs: 2 per multiplied weight plus 5 per state element, the same at every context', () => {
    const s = spec()
    expect(matmulParamsPerToken(s)).toBe(64 * mixer + 50280 * h) // the tied head multiplies the embedding
    const flops = 2 * (64 * mixer + 50280 * h) + 64 * 5 * di * 16
    expect(decodeFlopsPerToken(s, 10)).toBeCloseTo(flops, -1)
    expect(decodeFlopsPerToken(s, 100_000)).toBeCloseTo(flops, -1)
  })
  it('time_step_rank "auto" is ceil(hidden / 16); use_bias adds in_proj and out_proj biases', () => {
    const auto = paramCounts(spec({...raw(), time_step_rank: 'auto'})).totalParams
    expect(auto).toBe(total) // ceil(2560 / 16) = 160
    const biased = paramCounts(spec({...raw(), use_bias: true})).totalParams
    expect(biased - total).toBe(64 * (2 * di + h))
  })
})
