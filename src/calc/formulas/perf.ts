// Roofline speed and cost: a step takes the longer of its compute time and its memory time, plus the tensor-parallel
// all-reduce (Williams et al. 2009, Roofline); cost is the price of the devices over the tokens they produce.
import type {ModelSpec} from '../../schema/model.js'
import {formula} from './formula.js'

// Expected distinct experts T tokens route to in one MoE layer with uniform top-k routing: E (1 - (1 - k/E)^T).
export const expectedExpertsHit = formula({
  id: 'perf.expertsHit',
  label: 'distinct experts the tokens of one step route to, one MoE layer (uniform routing)',
  expression: 'E * (1 - (1 - k / E) ^ T)',
  symbols: {E: 'routed experts', k: 'experts per token (top-k)', T: 'tokens in the step'},
  unit: 'experts',
  integer: false,
  source: 'occupancy of E bins by T draws of k (uniform routing); cf. Fedus et al. 2021 load balancing',
  evaluate: (v) => v.E * (1 - (1 - v.k / v.E) ** v.T),
  read: (spec: ModelSpec, tokens: number) => ({E: spec.moe!.routedExperts, k: spec.moe!.topK, T: tokens}),
})

// Weight bytes one forward step reads: every multiplied matrix once, routed experts only for the experts hit.
export const weightBytesRead = formula({
  id: 'perf.weightBytesRead',
  label: 'weight bytes one step reads (routed experts: only those hit)',
  expression: 'head * eb + lin * lb + R * hit / E * xb + unq * ub',
  symbols: {
    head: 'LM head parameters, the embedding matrix when tied (params)',
    eb: 'bytes per embedding/head element (bytes/element)',
    lin: 'attention, dense MLP, shared-expert and other parameters (params)',
    lb: 'bytes per linear-layer element (bytes/element)',
    R: 'routed-expert parameters, all layers, 0 for a dense model (params)',
    hit: 'distinct experts hit per MoE layer (experts)',
    E: 'routed experts, 1 for a dense model',
    xb: 'bytes per expert element (bytes/element)',
    unq: 'norm and router parameters (params)',
    ub: 'bytes per unquantized element (bytes/element)',
  },
  unit: 'bytes',
  integer: false,
  source: 'memory-bound decode reads the weights once per step (Pope et al. 2022, Efficiently Scaling Transformer Inference)',
  evaluate: (v) => v.head * v.eb + v.lin * v.lb + ((v.R * v.hit) / v.E) * v.xb + v.unq * v.ub,
})

// Tokens one step processes: B sequences of n tokens each (a prefill: the prompts; a decode step: one token each).
export const stepTokens = formula({
  id: 'perf.stepTokens',
  label: 'tokens in the step, all sequences',
  expression: 'B * n',
  symbols: {B: 'sequences (batch)', n: 'tokens of each sequence in the step: the prompt in prefill, 1 in decode (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'batched inference: every sequence of the batch advances in the step',
  evaluate: (v) => v.B * v.n,
  read: (batch: number, tokensPerSequence: number) => ({B: batch, n: tokensPerSequence}),
})

// A step over B sequences does B times one sequence's FLOPs.
export const stepFlops = formula({
  id: 'perf.stepFlops',
  label: 'FLOPs of the step, all sequences',
  expression: 'B * f',
  symbols: {B: 'sequences (batch)', f: 'FLOPs of one sequence (FLOP)'},
  unit: 'FLOP',
  integer: false,
  source: 'batched matmuls do the work of each sequence',
  evaluate: (v) => v.B * v.f,
  read: (batch: number, flopsPerSequence: number) => ({B: batch, f: flopsPerSequence}),
})

// Bytes a step moves: weights read plus the KV cache read (decode) or written (prefill).
export const stepBytes = formula({
  id: 'perf.stepBytes',
  label: 'bytes the step moves: weights read + KV cache',
  expression: 'weights + kv',
  symbols: {weights: 'weight bytes read (bytes)', kv: 'KV cache of all sequences (bytes)'},
  unit: 'bytes',
  integer: false,
  source: 'Williams et al. 2009 (Roofline) operational intensity; Pope et al. 2022',
  evaluate: (v) => v.weights + v.kv,
  read: (weightBytes: number, kvBytes: number) => ({weights: weightBytes, kv: kvBytes}),
})

// Compute time: FLOPs over the peak of the compute format, the achieved share of it, and the tensor-parallel ranks.
export const computeSeconds = formula({
  id: 'perf.computeSeconds',
  label: 'compute time',
  expression: 'F / (peak * u * tp)',
  symbols: {F: 'FLOPs of the step (FLOP)', peak: 'peak FLOP/s of one device in the compute format (FLOP/s)', u: 'achieved share of peak: MFU in prefill, 1 in decode', tp: 'tensor-parallel ranks'},
  unit: 's',
  integer: false,
  source: 'Williams et al. 2009 (Roofline); MFU as in Chowdhery et al. 2022 (PaLM)',
  evaluate: (v) => v.F / (v.peak * v.u * v.tp),
  read: (flops: number, peakFlopsPerSecond: number, share: number, tp: number) => ({F: flops, peak: peakFlopsPerSecond, u: share, tp}),
})

// Memory time: bytes over the bandwidth, the achieved share of it (MBU) and the tensor-parallel ranks.
export const memorySeconds = formula({
  id: 'perf.memorySeconds',
  label: 'memory time',
  expression: 'bytes / (bw * mbu * tp)',
  symbols: {bytes: 'bytes the step moves (bytes)', bw: 'memory bandwidth of one device (bytes/s)', mbu: 'achieved share of bandwidth (MBU)', tp: 'tensor-parallel ranks'},
  unit: 's',
  integer: false,
  source: 'Williams et al. 2009 (Roofline); MBU as in Databricks "LLM inference performance engineering" (2023)',
  evaluate: (v) => v.bytes / (v.bw * v.mbu * v.tp),
  read: (bytes: number, hw: {memoryBandwidthBytesPerSecond: number}, bandwidthShare: number, tp: number) => ({bytes, bw: hw.memoryBandwidthBytesPerSecond, mbu: bandwidthShare, tp}),
})

// Two all-reduces per layer (after attention and after the MLP, Megatron-LM) of T x h 16-bit activations; a ring
// all-reduce sends 2 (tp - 1) / tp of the buffer over each device's link. Latency of small messages is left out.
export const allReduceSeconds = formula({
  id: 'perf.allReduceSeconds',
  label: 'tensor-parallel all-reduce time',
  expression: '2 * (tp - 1) / tp * (2 * L * T * h * 2) / link',
  symbols: {tp: 'tensor-parallel ranks', L: 'decoder layers', T: 'tokens in the step', h: 'hidden size (elements)', link: 'interconnect bandwidth of one device (bytes/s)'},
  unit: 's',
  integer: false,
  source: 'Shoeybi et al. 2019 (Megatron-LM) §3; ring all-reduce cost (Patarasuk and Yuan 2009)',
  evaluate: (v) => (((2 * (v.tp - 1)) / v.tp) * (2 * v.L * v.T * v.h * 2)) / v.link,
  read: (spec: ModelSpec, tp: number, tokens: number, linkBytesPerSecond: number) => ({tp, L: spec.layers, T: tokens, h: spec.hiddenSize, link: linkBytesPerSecond}),
})

// Roofline: the step takes the longer of compute and memory, then the all-reduce.
export const phaseSeconds = formula({
  id: 'perf.phaseSeconds',
  label: 'step time: the longer of compute and memory, plus communication',
  expression: 'max(compute, memory) + comm',
  symbols: {compute: 'compute time (s)', memory: 'memory time (s)', comm: 'all-reduce time, 0 on one device or with no link in the profile (s)'},
  unit: 's',
  integer: false,
  source: 'Williams et al. 2009 (Roofline)',
  evaluate: (v) => Math.max(v.compute, v.memory) + v.comm,
  read: (computeSeconds: number, memorySeconds: number, commSeconds: number) => ({compute: computeSeconds, memory: memorySeconds, comm: commSeconds}),
})

// The context of the representative decode step: the prompt plus half the output (the mean over the output).
export const decodeContextTokens = formula({
  id: 'perf.decodeContext',
  label: 'context of the representative decode step',
  expression: 'P + max(1, round(O / 2))',
  symbols: {P: 'prompt (tokens)', O: 'output (tokens)'},
  unit: 'tokens',
  integer: true,
  source: 'mean decode context over the output tokens',
  evaluate: (v) => v.P + Math.max(1, Math.round(v.O / 2)),
  read: (s: {promptTokens: number; outputTokens: number}) => ({P: s.promptTokens, O: s.outputTokens}),
})

// Tokens per second of B sequences decoding together, one token each per step.
export const tokensPerSecond = formula({
  id: 'perf.tokensPerSecond',
  label: 'tokens per second, all sequences (per sequence: 1 / tpot)',
  expression: 'B / t',
  symbols: {B: 'sequences (batch), or tokens per step', t: 'step time (s)'},
  unit: 'tokens/s',
  integer: false,
  source: 'throughput = tokens per step / step time',
  evaluate: (v) => v.B / v.t,
  read: (tokensPerStep: number, stepSeconds: number) => ({B: tokensPerStep, t: stepSeconds}),
})

// Price of all devices per hour.
export const usdPerHour = formula({
  id: 'cost.usdPerHour',
  label: 'price of all devices per hour',
  expression: 'price * devices',
  symbols: {price: 'hourly price of one device (USD)', devices: 'devices'},
  unit: 'USD',
  integer: false,
  source: 'hourly on-demand price of the hardware profile or --price-per-hour',
  evaluate: (v) => v.price * v.devices,
  read: (pricePerDevice: number, devices: number) => ({price: pricePerDevice, devices}),
})

// Price of all devices per second.
export const usdPerSecond = formula({
  id: 'cost.usdPerSecond',
  label: 'price of all devices per second',
  expression: 'hourly / 3600',
  symbols: {hourly: 'price of all devices per hour (USD)'},
  unit: 'USD/s',
  integer: false,
  source: 'an hour is 3600 s',
  evaluate: (v) => v.hourly / 3600,
  read: (hourly: number) => ({hourly}),
})

// USD per million tokens: the price per second over the tokens per second.
export const usdPerMillionTokens = formula({
  id: 'cost.perMillionTokens',
  label: 'cost per million tokens',
  expression: 'usd / rate * 1e6',
  symbols: {usd: 'price of all devices per second (USD/s)', rate: 'tokens per second (tokens/s)'},
  unit: 'USD',
  integer: false,
  source: 'serving cost while the devices run this workload continuously',
  evaluate: (v) => (v.usd / v.rate) * 1e6,
  read: (usdPerSecond: number, tokensPerSecond: number) => ({usd: usdPerSecond, rate: tokensPerSecond}),
})

// Tokens one dollar buys.
export const tokensPerUsd = formula({
  id: 'cost.tokensPerUsd',
  label: 'output tokens per dollar',
  expression: 'rate / usd',
  symbols: {rate: 'tokens per second (tokens/s)', usd: 'price of all devices per second (USD/s)'},
  unit: 'tokens/USD',
  integer: false,
  source: 'serving cost while the devices run this workload continuously',
  evaluate: (v) => v.rate / v.usd,
})

// Energy per token: board power of all devices over tokens per second.
export const joulesPerToken = formula({
  id: 'energy.joulesPerToken',
  label: 'energy per output token',
  expression: 'W * devices / rate',
  symbols: {W: 'board power of one device (W)', devices: 'devices', rate: 'tokens per second (tokens/s)'},
  unit: 'J',
  integer: false,
  source: 'board power (TDP) of the hardware profile over throughput',
  evaluate: (v) => (v.W * v.devices) / v.rate,
})

export const perfFormulas = [
  stepTokens,
  expectedExpertsHit,
  weightBytesRead,
  stepFlops,
  stepBytes,
  computeSeconds,
  memorySeconds,
  allReduceSeconds,
  phaseSeconds,
  decodeContextTokens,
  tokensPerSecond,
  usdPerHour,
  usdPerSecond,
  usdPerMillionTokens,
  tokensPerUsd,
  joulesPerToken,
] as const
