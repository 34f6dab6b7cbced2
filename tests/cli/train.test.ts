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
    expect(r.layout).toEqual({tp: 8, pp: 16, dp: 128, ep: 1})
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
