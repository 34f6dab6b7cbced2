// `archcost fit --train`: whether training fits, on how many devices, at which micro-batch and sequence length.
// Each answer is held to `archcost train` at the boundary: the reported micro-batch (sequence, device count) fits,
// and one more does not.
import {describe, expect, it} from 'vitest'
import {expectOneLineRefusal, runCli} from './run.js'

const trainJson = (args: string[]) => {
  const r = runCli(['train', ...args, '--json'])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout).models[0]
}
const fitJson = (args: string[]) => {
  const r = runCli(['fit', ...args, '--train', '--json'])
  expect(r.code, r.stderr).toBe(0)
  return JSON.parse(r.stdout).training
}

describe('archcost fit --train', () => {
  const qlora = ['qwen3-32b', '--lora-rank', '16', '--quantize-base', '4bit', '--seq', '2k']

  it('says QLoRA of Qwen3-32B fits one L40S and at which micro-batch: that one fits, one more does not', () => {
    const [row] = fitJson([...qlora, '--hardware', '1xl40s'])
    expect(row.devicesGiven).toBe(true)
    expect(row.devices).toBe(1)
    expect(row.fits).toBe(true)
    const m = row.maxMicroBatchSequences
    expect(m).toBeGreaterThanOrEqual(1)
    const at = trainJson([...qlora, '--gpus', '1xl40s', '--micro-batch', String(m)])
    const past = trainJson([...qlora, '--gpus', '1xl40s', '--micro-batch', String(m + 1)])
    expect(at.fits).toBe(true)
    expect(past.fits).toBe(false)
    // The row carries the run at that micro-batch, as `train` costs it.
    expect(row.train.memoryPerDeviceBytes).toEqual(at.memoryPerDeviceBytes)
    // Memory is a fixed part plus the same amount per sequence (every activation term of QLoRA with full
    // recomputation is per sequence), so the largest micro-batch is floor((capacity - fixed) / per sequence):
    const one = trainJson([...qlora, '--gpus', '1xl40s', '--micro-batch', '1'])
    const two = trainJson([...qlora, '--gpus', '1xl40s', '--micro-batch', '2'])
    const perSequence = two.memoryPerDeviceBytes.total - one.memoryPerDeviceBytes.total
    const fixed = one.memoryPerDeviceBytes.total - perSequence
    expect(m).toBe(Math.floor((47_803_596_800 - fixed) / perSequence)) // 47,803,596,800 bytes: the L40S as CUDA reports it
  })

  it('gives the longest sequence that fits alone: it fits, one token more does not', () => {
    const [row] = fitJson([...qlora, '--hardware', '1xl40s'])
    const L = row.longestSequenceTokens
    expect(L).toBeGreaterThan(2048)
    const base = ['qwen3-32b', '--lora-rank', '16', '--quantize-base', '4bit', '--gpus', '1xl40s']
    expect(trainJson([...base, '--seq', String(L)]).fits).toBe(true)
    expect(trainJson([...base, '--seq', String(L + 1)]).fits).toBe(false)
  })

  it('says by how much it falls short where one sequence does not fit', () => {
    const [row] = fitJson([...qlora, '--hardware', '1xrtx4090'])
    expect(row.fits).toBe(false)
    expect(row.maxMicroBatchSequences).toBe(0)
    expect(row.train.shortByBytes).toBeGreaterThan(0)
    expect(row.train.memoryPerDeviceBytes).toEqual(trainJson([...qlora, '--gpus', '1xrtx4090', '--micro-batch', '1']).memoryPerDeviceBytes)
    expect(runCli(['fit', ...qlora, '--hardware', '1xrtx4090', '--train']).stdout).toMatch(/DOES NOT FIT \(short by [\d.]+ [MG]iB at micro-batch 1\)/)
  })

  it('without a device count, finds the fewest power of two on which full training fits', () => {
    const [row] = fitJson(['llama-3.1-8b', '--seq', '8k', '--hardware', 'h100'])
    expect(row.devicesGiven).toBe(false)
    const n = row.devices
    expect(Number.isInteger(Math.log2(n))).toBe(true)
    expect(trainJson(['llama-3.1-8b', '--seq', '8k', '--gpus', `${n}xh100`]).fits).toBe(true)
    expect(trainJson(['llama-3.1-8b', '--seq', '8k', '--gpus', `${n / 2}xh100`]).fits).toBe(false)
  })

  it('compares hardware profiles in one table', () => {
    const r = runCli(['fit', ...qlora, '--hardware', '1xl40s,1xrtx4090', '--train'])
    expect(r.code, r.stderr).toBe(0)
    for (const label of ['Largest micro-batch', 'Longest sequence', 'l40s', 'rtx4090', 'DOES NOT FIT', 'fits, micro-batch']) expect(r.stdout).toContain(label)
  })

  it('refuses a flag of the other mode in one line with exit 2', () => {
    expectOneLineRefusal(runCli(['fit', 'qwen3-32b', '--hardware', 'h100', '--zero', '3']), /--zero is a training flag; add --train/)
    expectOneLineRefusal(runCli(['fit', 'qwen3-32b', '--hardware', 'h100', '--train', '--context', '8k']), /--seq/)
    expectOneLineRefusal(runCli(['fit', 'qwen3-32b', '--hardware', 'h100', '--train', '--batch', '4']), /micro-batch/)
    expectOneLineRefusal(runCli(['fit', 'qwen3-32b', '--hardware', 'h100', '--train', '--engine', 'vllm']), /--engine .*does not apply to fit --train/)
    expectOneLineRefusal(runCli(['fit', 'qwen3-32b', '--hardware', 'h100', '--train', '--tp', '3']), /tensor parallel 3/)
    expectOneLineRefusal(runCli(['fit', 'qwen3-32b', '--hardware', 'h100', '--train', '--quantize-base', '4bit']), /--lora-rank/)
  })
})
