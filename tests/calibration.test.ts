// The calibration tables in the docs are what the code predicts for the published measurements.
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {calibrate, calibrationMarkdown, calibrationSchema, servingSummary, speedRatio} from '../src/report/calibration.js'
import {calibrateKv, kvCalibrationMarkdown, meanAbsoluteError} from '../src/report/kv-calibration.js'
import {defaultMfuBands} from '../src/calc/training/time.js'
import {calibrateTrain, isMemory, timeRatio, timeRows, trainCalibrationMarkdown, trainMeanAbsoluteError, trainTimeMeanAbsoluteError, withinAtDefault} from '../src/report/train-calibration.js'

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
  const time = timeRows(trainRows)
  const hours = time.filter((r) => r.role === 'independent')
  it('every case quotes its source; the cases that set a default MFU say which band', () => {
    expect(trainRows.length).toBeGreaterThanOrEqual(30)
    for (const r of trainRows) expect(r.quote.length, r.id).toBeGreaterThan(40)
    for (const r of trainRows.filter((row) => row.role === 'sets-constant')) expect(r.constant, r.id).toMatch(/^default MFU (0\.20|0\.11|0\.50|0\.40)[, ]/)
    // Each band is set by named cases, and its value is the one the constant names.
    for (const [band, value] of [['mixture-of-experts models in BF16', defaultMfuBands.moeBf16], ['mixture-of-experts models in FP8', defaultMfuBands.moeFp8], ['Ampere-class', defaultMfuBands.ampereDense], ['Hopper-class', defaultMfuBands.hopperDense]] as const) {
      const setters = trainRows.filter((r) => r.role === 'sets-constant' && r.constant!.includes(band))
      expect(setters.length, band).toBeGreaterThanOrEqual(3)
      for (const r of setters) expect(r.constant, r.id).toContain(`default MFU ${value.toFixed(2)}`)
    }
    expect(hours.length).toBeGreaterThanOrEqual(20)
    // Sizes from GPT-2 124M to 405B, on A100, H100 and B200.
    const devices = new Set(time.map((r) => r.flags.gpus!.replace(/^\d+x/, '')))
    for (const d of ['a100-80gb', 'a100-40gb', 'h100', 'b200']) expect(devices, d).toContain(d)
  })
  it('time at the default MFU: every independent case within 35% but the two named outliers (Llama 3.1 8B card, DeepSeek-V3), mean absolute error under 25%', () => {
    const outliers = ['llama31-8b-model-card-gpu-hours', 'deepseek-v3-pretraining-h800-hours']
    const within = withinAtDefault(hours, 0.35)
    for (const r of hours.filter((row) => !within.includes(row))) expect(outliers, r.id).toContain(r.id)
    expect(within.length).toBeGreaterThanOrEqual(hours.length - outliers.length)
    expect(trainRows.find((r) => r.id === 'llama31-8b-model-card-gpu-hours')!.caveat).toMatch(/below 40% MFU/)
    expect(trainRows.find((r) => r.id === 'deepseek-v3-pretraining-h800-hours')!.caveat).toMatch(/over-costs it/)
    expect(trainTimeMeanAbsoluteError(hours)).toBeLessThan(0.25)
    for (const id of ['llama31-405b-model-card-gpu-hours', 'llama31-70b-model-card-gpu-hours', 'smollm3-3b-pretraining-h100-days', 'llama2-70b-model-card-gpu-hours', 'llmc-gpt2-124m-a100-gpu-hours']) {
      expect(Math.abs(trainRows.find((row) => row.id === id)!.ratio - 1), id).toBeLessThan(0.35)
    }
  })
  it("time at the run's own MFU within 20% wherever the source states it (Megatron-Bridge's GPT-OSS rows, whose FLOP count is below archcost's, are the named exception)", () => {
    const given = time.filter((r) => r.runMfu !== undefined)
    expect(given.length).toBeGreaterThanOrEqual(15)
    for (const r of given) {
      const error = Math.abs(timeRatio(r, r.ratioAtRunMfu!) - 1)
      if (r.model === 'gpt-oss-120b') expect(r.caveat).toMatch(/FLOP count/)
      else expect(error, r.id).toBeLessThan(0.2)
    }
  })
  it('a throughput case is costed as tokens/s per device; its time ratio is the inverse', () => {
    const r = trainRows.find((row) => row.id === 'tinyllama-1.1b-a100-40gb-throughput')!
    expect(r.metric).toBe('tokensPerSecondPerDevice')
    expect(timeRatio(r, r.ratio)).toBeCloseTo(r.published / r.predicted, 12)
  })
  it("peak memory per device: 8+ independent torchtune and torchtitan measurements, allocated or reserved, within issue #17's 15% on average", () => {
    const memory = trainRows.filter((r) => isMemory(r) && r.role === 'independent')
    expect(memory.length).toBeGreaterThanOrEqual(8)
    // 14.7% over the twelve cases, 7 of 12 within 15% each: the mean meets the goal, not every case (the Llama 2 7B
    // QLoRA figure is the loading peak kept by the allocator, the torchtitan 70B 2D run reads 25% above the model).
    expect(trainMeanAbsoluteError(memory)).toBeLessThan(0.15)
  })
})
