// Serving: the latency terms a real engine step pays beyond the roofline, continuous batching in steady state,
// speculative decoding and queueing. Constants (per-collective latency, per-kernel gap, step overhead) live in
// src/calc/serving/latency.ts with their sources; these entries only combine them.
import {formula} from './formula.js'

// Latency of the collectives one step runs: each all-reduce (or dispatch/combine) pays a fixed start-up time
// before its bytes move (the alpha of the alpha-beta model; Hockney 1994; NCCL src/graph/tuning.cc baseLat + hwLat).
export const collectiveLatencySeconds = formula({
  id: 'serving.collectiveLatency',
  label: 'fixed latency of the step\'s collectives',
  expression: 'n * alpha',
  symbols: {n: 'collectives in the step: 2 all-reduces per layer under tensor parallelism, 2 all-to-alls (dispatch, combine) per MoE layer under expert parallelism, one send per pipeline boundary', alpha: 'latency of one collective on this interconnect and group size (s)'},
  unit: 's',
  integer: false,
  source: 'alpha-beta model (Hockney 1994); all-reduce latency per NCCL src/graph/tuning.cc (baseLat, hwLat) and published nccl-tests',
  evaluate: (v) => v.n * v.alpha,
  read: (collectives: number, alphaSeconds: number) => ({n: collectives, alpha: alphaSeconds}),
})

// Kernels cost a fixed time each beyond their roofline (launch, ramp-up and tail; with CUDA graphs the gap between
// graph nodes). A step launches a fixed number per layer, so this is a per-layer floor.
export const kernelFloorSeconds = formula({
  id: 'serving.kernelFloor',
  label: 'fixed per-kernel time of the step',
  expression: 'L * kpl * gap',
  symbols: {L: 'decoder layers the step runs (layers)', kpl: 'kernels per layer', gap: 'fixed time per kernel: the CUDA-graph node gap, or the launch time when eager (s)'},
  unit: 's',
  integer: false,
  source: 'kernel launch and graph-node overheads (NVIDIA CUDA Programming Guide, CUDA Graphs); see src/calc/serving/latency.ts',
  evaluate: (v) => v.L * v.kpl * v.gap,
  read: (layers: number, kernelsPerLayer: number, gapSeconds: number) => ({L: layers, kpl: kernelsPerLayer, gap: gapSeconds}),
})

// Bytes one device moves in a step, summed along the pipeline: its share of the weights read (experts over the
// expert-parallel ranks) and of the KV cache the step reads or writes.
export const deviceStepBytes = formula({
  id: 'serving.deviceBytes',
  label: 'bytes one device moves in the step, every pipeline stage in turn',
  expression: 'shared / tp + experts / ep + kv * share',
  symbols: {
    shared: 'weight bytes read outside the routed experts (bytes)',
    tp: 'tensor-parallel ranks',
    experts: 'routed-expert bytes the step\'s tokens hit, every replica\'s tokens when experts span replicas (bytes)',
    ep: 'ranks the experts split over (the larger of ep and tp)',
    kv: 'KV cache the step reads (decodes) or attends (prompt chunks) (bytes)',
    share: 'share of the KV cache on one device times the pipeline stages (KV heads split over tp, at least one each)',
  },
  unit: 'bytes',
  integer: false,
  source: 'Megatron-LM tensor parallelism (Shoeybi et al. 2019); vLLM KV head replication when kv heads < tp (num_kv_heads // tp, min 1)',
  evaluate: (v) => v.shared / v.tp + v.experts / v.ep + v.kv * v.share,
  read: (shared: number, tp: number, experts: number, ep: number, kv: number, share: number) => ({shared, tp, experts, ep, kv, share}),
})

// One engine step: the roofline (the longer of compute and memory), then the collectives' bytes and latency, the
// kernels' fixed time and the engine's per-step host work (scheduling, sampling, input preparation).
export const stepSeconds = formula({
  id: 'serving.stepSeconds',
  label: 'engine step time',
  expression: 'max(compute, memory) + comm + latency + kernels + host',
  symbols: {
    compute: 'compute time (s)',
    memory: 'memory time (s)',
    comm: 'collective bytes over the interconnect (s)',
    latency: 'collective latency (s)',
    kernels: 'per-kernel fixed time (s)',
    host: "engine's per-step host time (s)",
  },
  unit: 's',
  integer: false,
  source: 'Williams et al. 2009 (Roofline) plus the latency terms of src/calc/serving/latency.ts',
  evaluate: (v) => Math.max(v.compute, v.memory) + v.comm + v.latency + v.kernels + v.host,
  read: (compute: number, memory: number, comm: number, latency: number, kernels: number, host: number) => ({compute, memory, comm, latency, kernels, host}),
})

// Speculative decoding: with k draft tokens each accepted with probability a (independently), a verification step
// yields (1 - a^(k+1)) / (1 - a) tokens on average, the bonus token included (Leviathan et al. 2023, eq. 1).
export const tokensPerVerifyStep = formula({
  id: 'serving.specTokensPerStep',
  label: 'tokens a speculative step yields per sequence',
  expression: '(1 - a ^ (k + 1)) / (1 - a)',
  symbols: {a: 'acceptance rate of one draft token', k: 'draft tokens per step'},
  unit: 'tokens',
  integer: false,
  source: 'Leviathan, Kalman and Matias 2023, Fast Inference from Transformers via Speculative Decoding, eq. (1)',
  evaluate: (v) => (1 - v.a ** (v.k + 1)) / (1 - v.a),
  read: (acceptanceRate: number, draftTokens: number) => ({a: acceptanceRate, k: draftTokens}),
})

// Time to first token: the wait for a slot (and for budget), then the steps that prefill the prompt, each with the
// draft passes that ride along when decodes share the step.
export const ttftSeconds = formula({
  id: 'serving.ttft',
  label: 'time to first token',
  expression: 'wait + n * (step + draft)',
  symbols: {wait: 'queueing before the prompt is admitted (s)', n: 'engine steps that prefill the prompt', step: 'one such step (s)', draft: 'draft passes in that step (s)'},
  unit: 's',
  integer: false,
  source: 'chunked prefill (Agrawal et al. 2024, Sarathi-Serve); vLLM V1 scheduler: a prompt advances by up to the step\'s token budget',
  evaluate: (v) => v.wait + v.n * (v.step + v.draft),
  read: (wait: number, steps: number, step: number, draft: number) => ({wait, n: steps, step, draft}),
})

// Time per output token as a user sees it: a step (with its draft passes) over the tokens it yields per sequence.
export const tpotSeconds = formula({
  id: 'serving.tpot',
  label: 'time per output token',
  expression: '(step + draft) / tau',
  symbols: {step: 'one decode step (s)', draft: 'draft passes in the step (s)', tau: 'tokens a step yields per sequence (1 without speculation)'},
  unit: 's',
  integer: false,
  source: 'continuous batching: every running sequence advances once per step (Yu et al. 2022, Orca); speculative decoding yields tau tokens per step (Leviathan et al. 2023)',
  evaluate: (v) => (v.step + v.draft) / v.tau,
  read: (step: number, draft: number, tau: number) => ({step, draft, tau}),
})

// Little's law: requests in the system = arrival rate x time in the system; in steady state the completion rate
// equals the arrival rate.
export const requestsPerSecond = formula({
  id: 'serving.requestsPerSecond',
  label: 'requests completed per second (Little\'s law)',
  expression: 'n / t',
  symbols: {n: 'requests being served at once', t: 'time each spends being served (s)'},
  unit: 'requests/s',
  integer: false,
  source: 'Little 1961, A Proof for the Queuing Formula L = lambda W',
  evaluate: (v) => v.n / v.t,
  read: (inSystem: number, seconds: number) => ({n: inSystem, t: seconds}),
})

// Waiting time of Poisson arrivals at a server with a fixed service time (M/D/1, Pollaczek-Khinchine):
// rho / (2 mu (1 - rho)), with rho = lambda / mu.
export const poissonWaitSeconds = formula({
  id: 'serving.poissonWait',
  label: 'mean queueing delay of Poisson arrivals (M/D/1)',
  expression: 'rho / (2 * mu * (1 - rho))',
  symbols: {rho: 'utilization of the prefill capacity (arrival rate / service rate)', mu: 'requests the engine can admit per second at most'},
  unit: 's',
  integer: false,
  source: 'Pollaczek-Khinchine formula for M/D/1 (Kleinrock 1975, Queueing Systems vol. 1, §5.7)',
  evaluate: (v) => v.rho / (2 * v.mu * (1 - v.rho)),
  read: (utilization: number, serviceRate: number) => ({rho: utilization, mu: serviceRate}),
})

// KV cache a disaggregated deployment moves from the prefill pool to the decode pool, over the link between them.
export const kvTransferSeconds = formula({
  id: 'serving.kvTransfer',
  label: 'KV transfer from the prefill to the decode pool',
  expression: 'bytes / link',
  symbols: {bytes: 'KV cache of one prompt (bytes)', link: 'bandwidth between the pools, per device times the devices sending (bytes/s)'},
  unit: 's',
  integer: false,
  source: 'DistServe (Zhong et al. 2024) §3: KV transfer time = KV size / bandwidth',
  evaluate: (v) => v.bytes / v.link,
  read: (bytes: number, linkBytesPerSecond: number) => ({bytes, link: linkBytesPerSecond}),
})

// Disaggregated serving: a request's first token waits for the prefill pool, then for its KV to reach a decode replica.
export const ttftPoolsSeconds = formula({
  id: 'serving.ttftPools',
  label: 'time to first token, disaggregated',
  expression: 'prefill + transfer',
  symbols: {prefill: 'TTFT in the prefill pool: its wait and prefill steps (s)', transfer: 'the KV hand-over to the decode pool (s)'},
  unit: 's',
  integer: false,
  source: 'DistServe (Zhong et al. 2024) §3: TTFT = prefill queueing and execution + KV transmission',
  evaluate: (v) => v.prefill + v.transfer,
  read: (prefill: number, transfer: number) => ({prefill, transfer}),
})

export const servingFormulas = [ttftPoolsSeconds, deviceStepBytes, collectiveLatencySeconds, kernelFloorSeconds, stepSeconds, ttftSeconds, tpotSeconds, tokensPerVerifyStep, requestsPerSecond, poissonWaitSeconds, kvTransferSeconds]
