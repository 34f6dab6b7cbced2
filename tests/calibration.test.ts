// The calibration tables in the docs are what the code predicts for the published measurements.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {calibrate, calibrationMarkdown, calibrationSchema, servingSummary, speedRatio} from '../src/report/calibration.js'
import {calibrateKv, kvCalibrationMarkdown, meanAbsoluteError} from '../src/report/kv-calibration.js'
import {calibrateTrain, trainCalibrationMarkdown, trainMeanAbsoluteError} from '../src/report/train-calibration.js'

const {serving, kvCapacity, training} = calibrationSchema.parse(JSON.parse(readFileSync('docs/calibration.json', 'utf8')))
const kvRows = kvCapacity.map(calibrateKv)
const trainRows = training.map(calibrateTrain)
const speedRows = serving.map(calibrate)
const predicted = speedRows.filter((r) => r.predicted !== null)
const independent = predicted.filter((r) => !r.setsConstant)

describe('speed against published serving measurements', () => {
  it('at least 60 cases across batch-1 decode, TTFT, fixed batches, concurrency, speculation and disaggregation, each quoted', () => {
    expect(predicted.length).toBeGreaterThanOrEqual(60)
    for (const r of speedRows) expect(r.quote.length, r.id).toBeGreaterThan(10)
    const kinds = new Set(predicted.map((r) => (r.speculative ? 'speculative' : r.disaggregation ? 'disaggregated' : r.metric === 'ttftSeconds' ? 'ttft' : r.workload.kind === 'batch' && r.workload.batch === 1 ? 'batch-1' : r.workload.kind)))
    for (const kind of ['speculative', 'disaggregated', 'ttft', 'batch-1', 'batch', 'concurrency']) expect(kinds, kind).toContain(kind)
    // Cases the model does not predict say why.
    for (const r of speedRows.filter((row) => row.predicted === null)) expect(r.skipped, r.id).toBeTruthy()
  })
  it('docs/CALIBRATION.md is what the code gives (run `npm run calibrate` after changing the model)', () => {
    expect(readFileSync('docs/CALIBRATION.md', 'utf8')).toBe(`${calibrationMarkdown(speedRows)}\n${kvCalibrationMarkdown(kvRows)}\n${trainCalibrationMarkdown(trainRows)}`)
  })
  it('independent cases: median speed ratio within 0.85-1.15 and typical error under 1.4x (goal: 0.9-1.1 and 1.25x; docs/CALIBRATION.md says where it stands)', () => {
    const s = servingSummary(independent)
    expect(s.median).toBeGreaterThan(0.85)
    expect(s.median).toBeLessThan(1.15)
    expect(s.typical).toBeLessThan(1.4)
  })
  it('multi-GPU batch-1 decode, independent cases: typical error within 25%', () => {
    const rows = independent.filter((r) => r.devices > 1 && r.workload.kind === 'batch' && r.workload.batch === 1 && r.layout.pp === 1)
    expect(rows.length).toBeGreaterThanOrEqual(10)
    expect(servingSummary(rows).typical).toBeLessThan(1.25)
  })
  it('the done-when case: DeepSeek-R1 on 8 B200 (TensorRT-LLM, FP4 experts) within 30% of 111 tok/s, and of 253 with three MTP tokens', () => {
    const at = (id: string) => speedRatio(speedRows.find((r) => r.id === id)!)!
    expect(Math.abs(at('trtllm-blog1-dsr1-fp4-b200x8-bs1-mtp0') - 1)).toBeLessThan(0.3)
    expect(Math.abs(at('trtllm-blog1-dsr1-fp4-b200x8-bs1-mtp3') - 1)).toBeLessThan(0.3)
  })
})

describe('engine KV capacity against published start-up logs', () => {
  const independent = kvRows.filter((r) => r.role === 'independent')
  it('every case quotes its log; the cases that set a constant say which', () => {
    expect(kvRows.length).toBeGreaterThanOrEqual(30)
    for (const r of kvRows) expect(r.quote.length, r.id).toBeGreaterThan(20)
    for (const r of kvRows.filter((row) => row.role === 'sets-constant')) expect(r.constant, r.id).toBeTruthy()
    expect(independent.length).toBeGreaterThan(kvRows.length / 2)
  })
  it('vLLM V1 0.19 on H100, the independent cases of the public sweep: within 3% mean absolute error', () => {
    const sweep = independent.filter((r) => r.id.startsWith('vllm-v1-0.19-'))
    expect(sweep.length).toBeGreaterThanOrEqual(15)
    expect(meanAbsoluteError(sweep)).toBeLessThan(0.03)
  })
  it('every independent case: within 5% mean absolute error (the outliers are named in docs/CALIBRATION.md)', () => {
    expect(meanAbsoluteError(independent)).toBeLessThan(0.05)
  })
  it("llama.cpp's KV buffers, to the byte (n_ctx padded to 256, iSWA windows, slots sharing a unified cache)", () => {
    const llamacpp = kvRows.filter((r) => r.flags.engine === 'llama.cpp')
    expect(llamacpp.length).toBeGreaterThanOrEqual(5)
    for (const r of llamacpp) expect(r.predicted, r.id).toBe(r.measured)
  })
  it('the done-when cases: vLLM V0, Llama 3.1 8B on an RTX 3090 at 29,000 and 20,000 tokens, within 5%', () => {
    const at = (id: string) => kvRows.find((r) => r.id === id)!
    expect(Math.abs(at('vllm-v0-llama-3.1-8b-rtx3090-len29k').ratio - 1)).toBeLessThan(0.05)
    expect(Math.abs(at('vllm-v0-llama-3.1-8b-rtx3090-len20k').ratio - 1)).toBeLessThan(0.05)
  })
})

describe('training against published runs', () => {
  const hours = trainRows.filter((r) => r.metric === 'gpuHours' && r.role === 'independent')
  it('every case quotes its source; the cases that set the default MFU say so', () => {
    expect(trainRows.length).toBeGreaterThanOrEqual(8)
    for (const r of trainRows) expect(r.quote.length, r.id).toBeGreaterThan(40)
    for (const r of trainRows.filter((row) => row.role === 'sets-constant')) expect(r.constant, r.id).toBeTruthy()
    expect(hours.length).toBeGreaterThanOrEqual(5)
  })
  it('GPU-hours at the default MFU within 35% of Llama 3.1 405B and 70B, DeepSeek-V3 and SmolLM3 (the 8B is the named outlier)', () => {
    for (const id of ['llama31-405b-model-card-gpu-hours', 'llama31-70b-model-card-gpu-hours', 'deepseek-v3-pretraining-h800-hours', 'smollm3-3b-pretraining-h100-days']) {
      const r = trainRows.find((row) => row.id === id)!
      expect(Math.abs(r.ratio - 1), id).toBeLessThan(0.35)
    }
    expect(trainRows.find((r) => r.id === 'llama31-8b-model-card-gpu-hours')!.caveat).toMatch(/below 40% MFU/)
  })
  it("peak memory per device: 8+ independent torchtune and torchtitan measurements, allocated or reserved, within issue #17's 15% on average", () => {
    const memory = trainRows.filter((r) => (r.metric === 'peakMemoryBytes' || r.metric === 'peakAllocatedBytes') && r.role === 'independent')
    expect(memory.length).toBeGreaterThanOrEqual(8)
    // 14.7% over the twelve cases, 7 of 12 within 15% each: the mean meets the goal, not every case (the Llama 2 7B
    // QLoRA figure is the loading peak kept by the allocator, the torchtitan 70B 2D run reads 25% above the model).
    expect(trainMeanAbsoluteError(memory)).toBeLessThan(0.15)
  })
})
