// `archcost train`: the two done-when commands of issue #17 and bad input.
import {describe, expect, it} from 'vitest'
import {expectOneLineRefusal, runCli} from './run.js'

describe('archcost train', () => {
  it('llama-3.1-405b --tokens 15.6T --gpus 16384xh100 --mfu 0.4 prints GPU-hours, days and cost; --json has each memory term', () => {
    const args = ['train', 'llama-3.1-405b', '--tokens', '15.6T', '--gpus', '16384xh100', '--mfu', '0.4']
    const table = runCli(args)
    expect(table.code, table.stderr).toBe(0)
    for (const label of ['GPU-hours', 'Wall-clock days', 'Cost', 'Activations', 'Optimizer states', 'Fits']) expect(table.stdout).toContain(label)
    const json = runCli([...args, '--json'])
    expect(json.code, json.stderr).toBe(0)
    const [r] = JSON.parse(json.stdout).models
    // GPU-hours = devices x seconds / 3600 and cost = GPU-hours x $3.99 (the h100 profile); days = seconds / 86400.
    expect(r.gpuHours).toBeCloseTo((16_384 * r.wallClockSeconds) / 3600, 0)
    expect(r.wallClockDays).toBeCloseTo(r.wallClockSeconds / 86_400, 9)
    expect(r.costUsd).toBeCloseTo(r.gpuHours * 3.99, 0)
    expect(r.tokensPerSecondPerDevice).toBeCloseTo((989.4e12 * 0.4) / r.trainFlopsPerToken, 6)
    expect(r.trainFlops).toBeCloseTo(r.trainFlopsPerToken * 15.6e12, -12)
    expect(Object.keys(r.memoryPerDeviceBytes).sort()).toEqual(['activations', 'framework', 'gatheredWeights', 'gradients', 'masterWeights', 'optimizerStates', 'total', 'weights'].sort())
    const m = r.memoryPerDeviceBytes
    expect(m.total).toBeCloseTo(m.weights + m.gradients + m.masterWeights + m.optimizerStates + m.gatheredWeights + m.activations + m.framework, 0)
    expect(typeof r.fits).toBe('boolean')
    expect(r.layout).toEqual({tp: 8, cp: 1, pp: 16, dp: 128, ep: 1})
  })

  it('qwen3-32b --lora-rank 16 --quantize-base 4bit --gpus 1xl40s --seq 2k --micro-batch 1 says it fits and by how much', () => {
    const args = ['train', 'qwen3-32b', '--lora-rank', '16', '--quantize-base', '4bit', '--gpus', '1xl40s', '--seq', '2k', '--micro-batch', '1']
    const table = runCli(args)
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/fits \([\d.]+ GiB spare\)/)
    const [r] = JSON.parse(runCli([...args, '--json']).stdout).models
    expect(r.mode).toBe('qlora')
    expect(r.recompute).toBe('full') // gradient checkpointing by default for LoRA and QLoRA
    expect(r.loraAdapterParams).toBe(64 * (16 * (5120 + 8192) * 2 + 16 * (5120 + 1024) * 2 + 16 * (5120 + 25600) * 3))
    expect(r.fits).toBe(true)
    expect(r.spareBytes).toBeCloseTo(47_803_596_800 - r.memoryPerDeviceBytes.total, 0)
    expect(r.shortByBytes).toBe(0)
    // Without recomputation it does not fit, and says by how much.
    const none = JSON.parse(runCli([...args, '--recompute', 'none', '--json']).stdout).models[0]
    expect(none.fits).toBe(false)
    expect(none.shortByBytes).toBeCloseTo(none.memoryPerDeviceBytes.total - 47_803_596_800, 0)
    expect(runCli([...args, '--recompute', 'none']).stdout).toMatch(/DOES NOT FIT \(short by [\d.]+ GiB\)/)
  })

  it('context parallelism: each rank holds 1/cp of every sequence, and the optimizer shards over dp x cp', () => {
    const run = (extra: string[]) => JSON.parse(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--seq', '8k', '--tp', '1', '--pp', '1', ...extra, '--json']).stdout).models[0]
    const cp2 = run(['--cp', '2'])
    expect(cp2.layout).toEqual({tp: 1, cp: 2, pp: 1, dp: 4, ep: 1})
    // Selective recompute with flash: per token and layer 36,992 (attention) + 102,400 (SwiGLU MLP) bytes, 32 layers, 8192 / 2 tokens.
    const attention = 2 * (2 * 4096 + (32 * 128 + 8 * (128 + 128) + 32 * 128)) + 4 * 32
    const mlp = 2 * (2 * 4096 + 3 * 14_336)
    const head = 2 * 2 * 4096 + 6 * 128_256
    expect(cp2.memoryPerDeviceBytes.activations).toBe((32 * (attention + mlp) + head) * (8192 / 2))
    // fp32 master weights (4 bytes) and AdamW moments (8 bytes) of all 8,030,261,248 parameters over dp 4 x cp 2 = 8 ranks.
    expect(cp2.memoryPerDeviceBytes.masterWeights).toBeCloseTo((8_030_261_248 * 4) / 8, 0)
    expect(cp2.memoryPerDeviceBytes.optimizerStates).toBeCloseTo((8_030_261_248 * 8) / 8, 0)
    expect(run([]).memoryPerDeviceBytes.activations).toBe((32 * (attention + mlp) + head) * 8192)
    // The Llama 3 paper's 128K stage: tp 8, cp 16, pp 16, dp 8 on 16,384 H100s holds the 8K stage's activations.
    const long = JSON.parse(runCli(['train', 'llama-3.1-405b', '--gpus', '16384xh100', '--seq', '128k', '--tp', '8', '--cp', '16', '--pp', '16', '--json']).stdout).models[0]
    const short = JSON.parse(runCli(['train', 'llama-3.1-405b', '--gpus', '16384xh100', '--seq', '8k', '--tp', '8', '--pp', '16', '--dp', '128', '--json']).stdout).models[0]
    expect(long.layout).toEqual({tp: 8, cp: 16, pp: 16, dp: 8, ep: 1})
    expect(long.memoryPerDeviceBytes.activations).toBe(short.memoryPerDeviceBytes.activations)
    expect(long.fits).toBe(true)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--seq', '1000', '--cp', '8']), /--cp 8 needs a sequence length divisible by 2 x cp = 16/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--tp', '2', '--cp', '2', '--pp', '4']), /devices = tp x cp x pp x dp/)
  })

  it('--grad-dtype fp32: gradients of 4 bytes, as Megatron-LM keeps them for bf16 training (6 + 12/d bytes per parameter)', () => {
    const run = (extra: string[]) => JSON.parse(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--tp', '1', '--pp', '1', ...extra, '--json']).stdout).models[0]
    const fp32 = run(['--grad-dtype', 'fp32'])
    const bf16 = run([])
    expect(fp32.gradientDtype).toBe('fp32')
    expect(bf16.gradientDtype).toBe('bf16')
    // ZeRO-1 shards neither: every one of the 8,030,261,248 parameters' gradients on every rank.
    expect(fp32.memoryPerDeviceBytes.gradients).toBe(8_030_261_248 * 4)
    expect(bf16.memoryPerDeviceBytes.gradients).toBe(8_030_261_248 * 2)
    // Megatron's docs count 6 + 12/d bytes per parameter with the distributed optimizer: weights 2 + gradients 4, master and moments 12 / 8.
    const m = fp32.memoryPerDeviceBytes
    expect(m.weights + m.gradients + m.masterWeights + m.optimizerStates).toBeCloseTo(8_030_261_248 * (6 + 12 / 8), 0)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '1xh100', '--lora-rank', '8', '--grad-dtype', 'fp32']), /--adapter-precision/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--precision', 'fp32', '--grad-dtype', 'fp32']), /keeps fp32 gradients already/)
  })

  it('refuses bad input in one line with exit 2', () => {
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b']), /--gpus/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--tp', '3']), /tensor parallel 3|no legal layout/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--quantize-base', '4bit']), /--lora-rank/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--lora-rank', '8', '--lora-targets', 'nope']), /--lora-targets/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--tokens', 'lots']), /--tokens/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--mfu', '1.5']), /--mfu/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--global-batch', '1000']), /--global-batch/)
    expectOneLineRefusal(runCli(['train', 'deepseek-v3', '--gpus', '64xh800', '--tp', '1', '--pp', '16', '--ep', '3']), /expert parallel 3/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xrtx3090', '--precision', 'fp8']), /fp8/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '1xh100', '--lora-rank', '99999']), /--lora-rank 99999 is larger than Llama-3.1-8B's hidden size 4096/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--loss', 'sparse']), /--loss/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--adapter-precision', 'bf16']), /--lora-rank/)
    expectOneLineRefusal(runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--recompute', 'some']), /--recompute/)
  })

  it('--loss and --adapter-precision reach the result and its notes', () => {
    const json = runCli(['train', 'llama-3.1-8b', '--gpus', '1xrtx4090', '--seq', '2k', '--lora-rank', '8', '--loss', 'chunked', '--adapter-precision', 'bf16', '--json'])
    expect(json.code, json.stderr).toBe(0)
    const [r] = JSON.parse(json.stdout).models
    expect([r.loss, r.adapterPrecision]).toEqual(['chunked', 'bf16'])
    const table = runCli(['train', 'llama-3.1-8b', '--gpus', '8xh100', '--loss', 'eager', '--recompute', 'op'])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toContain('--loss eager')
    expect(table.stdout).toContain('torchtitan op policy')
  })
})
