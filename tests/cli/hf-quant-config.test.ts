// A ModelOpt checkpoint that keeps its quantization in hf_quant_config.json (config.json has no quantization_config),
// as NVIDIA's NVFP4/FP8 repackagings do: vLLM reads that file (model_loader/weight_utils.py get_quant_config), so
// archcost does too, and memory costs the checkpoint as stored instead of at torch_dtype.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli, runCliAsync} from './run.js'

// The tiny Llama: h 64, 2 layers; q/o 64x64, k/v 64->32, SwiGLU 128; vocab 256, untied, fp16.
const config = {model_type: 'llama', hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 256, max_position_embeddings: 2048, torch_dtype: 'float16'}
const quantFile = {producer: {name: 'modelopt', version: '0.37.0'}, quantization: {quant_algo: 'FP8', kv_cache_quant_algo: null, exclude_modules: ['lm_head']}}

const linearElements = 2 * (64 * 64 + 64 * 32 + 64 * 32 + 64 * 64 + 64 * 128 + 64 * 128 + 128 * 64) // 73,728
const fp16Bytes = 2 * (256 * 64 /* embed_tokens */ + 256 * 64 /* lm_head, excluded */ + (2 * 2 * 64 + 64) /* norms */) // 66,176
// ModelOpt FP8: each linear weight in fp8 (1 byte) with an fp32 weight_scale and an fp32 input_scale (14 linears).
const fp8Bytes = linearElements * 1 + 14 * (4 + 4) // 73,840

function checkpoint(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'archcost-hfquant-'))
  for (const [name, value] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(value))
  return join(dir, 'config.json')
}
const weightsOf = (file: string) => JSON.parse(runCli(['memory', file, '--json']).stdout).models[0].perDevice.weightsBytes

describe('hf_quant_config.json beside a config.json without quantization_config', () => {
  it('is read as the ModelOpt quantization_config: memory costs fp8 linears with their scales', () => {
    expect(weightsOf(checkpoint({'config.json': config, 'hf_quant_config.json': quantFile}))).toBe(fp16Bytes + fp8Bytes) // 140,016
    expect(weightsOf(checkpoint({'config.json': config}))).toBe(fp16Bytes + linearElements * 2) // no file: fp16 throughout
  })
  it('a quantization_config in config.json wins over the file', () => {
    const stated = {...config, quantization_config: {quant_method: 'modelopt', quantization: {...quantFile.quantization, exclude_modules: ['lm_head', 'model.layers.*']}}}
    expect(weightsOf(checkpoint({'config.json': stated, 'hf_quant_config.json': quantFile}))).toBe(fp16Bytes + linearElements * 2) // every layer excluded
  })
  it('a file without its "quantization" section is one line, exit 2', () => {
    const r = runCli(['memory', checkpoint({'config.json': config, 'hf_quant_config.json': {producer: {name: 'modelopt'}}}), '--json'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/hf_quant_config\.json: no "quantization" section/)
  })
  it('import and validate read it too', () => {
    const file = checkpoint({'config.json': config, 'hf_quant_config.json': quantFile})
    const preset = JSON.parse(runCli(['import', file, '--json']).stdout).preset
    expect(preset.checkpointQuantization).toMatchObject({method: 'modelopt', layout: 'modelopt-fp8'})
    expect(runCli(['validate', file]).code).toBe(0)
  })
})

describe('import --hf fetches hf_quant_config.json too, from a local server standing in for the Hub', () => {
  let server: Server
  let endpoint = ''
  const seen: string[] = []
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '')
      const files: Record<string, unknown> = {
        '/nvidia/Tiny-FP8/resolve/main/config.json': config,
        '/nvidia/Tiny-FP8/resolve/main/hf_quant_config.json': quantFile,
        '/plain/Tiny/resolve/main/config.json': config,
        '/stated/Tiny/resolve/main/config.json': {...config, quantization_config: {quant_method: 'fp8', weight_block_size: [128, 128]}},
      }
      const body = files[req.url ?? '']
      if (body === undefined) res.writeHead(404).end()
      else res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(body))
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((done) => server.close(() => done())))

  it('a ModelOpt repository: the preset carries the quantization of its hf_quant_config.json, as a local import does', async () => {
    const r = await runCliAsync(['import', '--hf', 'nvidia/Tiny-FP8'], {HF_ENDPOINT: endpoint})
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).checkpointQuantization).toMatchObject({method: 'modelopt', layout: 'modelopt-fp8', bits: 8, exclude: ['lm_head']})
    const local = JSON.parse(runCli(['import', checkpoint({'config.json': config, 'hf_quant_config.json': quantFile})]).stdout)
    expect(JSON.parse(r.stdout).checkpointQuantization).toEqual(local.checkpointQuantization)
  })
  it('no hf_quant_config.json (404) imports as before; a config stating its quantization is not asked for one', async () => {
    const plain = await runCliAsync(['import', '--hf', 'plain/Tiny'], {HF_ENDPOINT: endpoint})
    expect(plain.code, plain.stderr).toBe(0)
    expect(JSON.parse(plain.stdout).checkpointQuantization).toBeUndefined()
    expect(seen).toContain('/plain/Tiny/resolve/main/hf_quant_config.json')
    const stated = await runCliAsync(['import', '--hf', 'stated/Tiny'], {HF_ENDPOINT: endpoint})
    expect(stated.code, stated.stderr).toBe(0)
    expect(seen).not.toContain('/stated/Tiny/resolve/main/hf_quant_config.json')
  })
})
