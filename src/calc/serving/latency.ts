// The latency constants of an engine step, each from a published microbenchmark or the library's own model (never
// fitted to an end-to-end serving result; docs/CALIBRATION.md holds those against the whole model).
import type {HardwareSpec} from '../../schema/hardware.js'
import type {EngineName} from '../engines.js'

/** GPUs one node holds (HGX/DGX baseboards, MI300X platforms): a layout wider than this crosses the network. */
export const devicesPerNodeForLatency = 8

/**
 * Network between nodes when a layout spans more than one: 400 Gb/s InfiniBand NDR (ConnectX-7) per GPU, as on
 * DGX H100/B200 (NVIDIA DGX H100 user guide: "8x single-port ConnectX-7 VPI, 400 Gb/s InfiniBand").
 */
export const interNodeBytesPerSecond = 50e9

export interface Link {
  kind: 'nvswitch' | 'nvlink-bridge' | 'xgmi' | 'pcie' | 'ethernet' | 'ici' | 'thunderbolt'
  /** Bytes/s per device, one direction; null when the profile does not know it. */
  bytesPerSecond: number | null
  /** Nodes the group spans (1 within a node). */
  nodes: number
}

/**
 * The link a collective over `groupDevices` devices uses: the device's own within a node, the network once the
 * group spans nodes (a tensor-parallel group of 8 stays in its node however many replicas there are; an expert-
 * parallel group of 72 spans nine).
 */
export function interconnectOf(hw: HardwareSpec, groupDevices: number): Link {
  const nodes = Math.max(1, Math.ceil(groupDevices / devicesPerNodeForLatency))
  const kind = hw.interconnectKind ?? 'pcie' // consumer cards with no link in their profile talk over PCIe
  const own = hw.interconnectBytesPerSecond
  return {kind, bytesPerSecond: nodes > 1 ? Math.min(own ?? interNodeBytesPerSecond, interNodeBytesPerSecond) : own, nodes}
}

// NCCL's latency model for small messages (NVIDIA/nccl src/graph/tuning.cc @ v2.30.7-1, ncclTopoTuneModel and the
// default tuner constants): the LL protocol, ring or tree, whichever is lower. Microseconds.
const ncclBaseLatencyUs = {ring: 6.6, tree: 6.8} // baseLatencies[Ring|Tree][LL]
const ncclHwLatencyUs = {nvlink: {ring: 0.6, tree: 0.6}, pci: {ring: 1.0, tree: 1.0}, net: {ring: 2.7, tree: 5.0}} // hwLatencies[NVLINK|PCI|NET][algo][LL]
// RCCL's own constants on AMD Infinity Fabric (ROCm/rccl src/graph/tuning.cc @ 0cbce2a, tuning model 5, MI300X):
// baseLat 12.0 and a 0.8 us hop for ring LL.
const rcclXgmiUs = {base: 12.0, hop: 0.8}

/** NCCL's (RCCL's on xGMI) predicted latency of one small all-reduce over `ranks` GPUs on `link` (seconds). */
export function ncclAllReduceLatencySeconds(link: Link, ranks: number): number {
  if (ranks <= 1) return 0
  const nodes = link.nodes
  const perNode = Math.max(1, Math.round(ranks / nodes))
  if (link.kind === 'xgmi' && nodes === 1) return (rcclXgmiUs.base + 2 * (ranks - 1) * rcclXgmiUs.hop) * 1e-6
  const intra = link.kind === 'nvswitch' || link.kind === 'nvlink-bridge' || link.kind === 'xgmi' ? ncclHwLatencyUs.nvlink : ncclHwLatencyUs.pci
  // Ring: baseLat + (nsteps - interSteps) intraLat + interSteps interLat, nsteps = 2 (ranks - 1) for all-reduce.
  const nsteps = 2 * (ranks - 1)
  const interSteps = nodes === 1 ? 0 : 2 * (nodes - 1)
  const interLat = perNode === 1 ? ncclHwLatencyUs.net.tree : ncclHwLatencyUs.net.ring // one GPU per node: the tree's net latency
  const ring = ncclBaseLatencyUs.ring + (nsteps - interSteps) * intra.ring + interSteps * interLat
  // Tree: baseLat + 2 ((ranks/nodes - 1) intraLat + log2(nodes) interLat).
  const tree = ncclBaseLatencyUs.tree + 2 * ((perNode - 1) * intra.tree + Math.floor(Math.log2(nodes)) * ncclHwLatencyUs.net.tree)
  return Math.min(ring, tree) * 1e-6
}

/** How an engine's step is timed beyond the roofline. */
export interface EngineTiming {
  engine: EngineName | 'default' | 'gpt-fast'
  /** Host launches each kernel one by one (no CUDA graphs): the GPU waits when launches outpace the work. */
  eager: boolean
  /** Kernels one decoder layer launches, by part (an eager engine launches one per op instead). */
  kernelsPerLayer: {attention: number; mlaAttention: number; denseFfn: number; moeFfn: number}
  /** Fixed time per kernel: its ramp-up and tail with CUDA graphs, the host launch time when eager (s). */
  kernelSeconds: number
  /** Host work per engine step not hidden behind the GPU (s). */
  hostSecondsPerStep: number
  /** The engine's own one-shot all-reduce within an NVLink node (vLLM, SGLang, TensorRT-LLM), else NCCL's. */
  customAllReduce: boolean
}

/** Latency of one tensor-parallel all-reduce of a decode-sized message. */
export function allReduceAlphaSeconds(link: Link, ranks: number, engine: EngineTiming): number {
  if (ranks <= 1) return 0
  const nccl = ncclAllReduceLatencySeconds(link, ranks)
  // vLLM csrc/custom_all_reduce.cuh: one-shot for 2 GPUs, or on a fully connected NVLink node; else NCCL.
  const custom = engine.customAllReduce && link.nodes === 1 && (link.kind === 'nvswitch' || (link.kind === 'nvlink-bridge' && ranks === 2))
  return custom ? Math.min(nccl, customAllReduceSeconds) : nccl
}

/** Latency of one expert-parallel dispatch or combine (all-to-all of a decode batch). */
export function allToAllAlphaSeconds(link: Link, ranks: number): number {
  if (ranks <= 1) return 0
  if (link.nodes > 1) return allToAllNetworkSeconds
  // NVLink 5 (900 GB/s per direction) has its own published figure; slower links take Hopper's.
  return link.bytesPerSecond !== null && link.bytesPerSecond >= 900e9 ? allToAllNvlink5Seconds : allToAllNvlinkSeconds
}

/** Latency of one pipeline-stage send (point to point): NCCL's base plus one hop. */
export function pointToPointAlphaSeconds(link: Link): number {
  const hop = link.nodes > 1 ? ncclHwLatencyUs.net.ring : link.kind === 'pcie' ? ncclHwLatencyUs.pci.ring : ncclHwLatencyUs.nvlink.ring
  return (ncclBaseLatencyUs.ring + hop) * 1e-6
}

// --- Constants from published microbenchmarks (see the comment on each) ---------------------------------------

/**
 * One-shot custom all-reduce of a decode-sized message within an NVLink node, under CUDA graphs: 6.00 us at 8 KiB on
 * 8 H200 (sgl-project/sglang PR 22734, MSCCL++ one-shot, graph); 5.7 us at 4096 elements on 8 H100 without graphs
 * (sglang PR 2904); 6.98 us for TensorRT-LLM's one-shot all-reduce + RMSNorm on 2 H100 (FlagGems-vllm PR 773).
 */
export const customAllReduceSeconds = 6e-6

/**
 * Expert-parallel dispatch or combine of a few tokens per rank (half of a dispatch + combine pair):
 * NVLink Hopper 41.6 us dispatch, 41.7 us combine at EP8, 1 token (perplexityai/pplx-kernels README);
 * NVLink 5 (GB200 NVL72) 18.9 + 31.0 us at EP8, 1 token (TensorRT-LLM tech blog 18, one-sided all-to-all);
 * across nodes over 400 Gb/s InfiniBand 102.7-125.9 us dispatch, 55-63 us combine at EP16-128 (pplx-kernels, IBGDA).
 */
export const allToAllNvlinkSeconds = 41.6e-6
export const allToAllNvlink5Seconds = 25e-6
export const allToAllNetworkSeconds = 90e-6

/**
 * Fixed time per kernel with CUDA graphs: each kernel's set-up and tail, when no useful work is done. vLLM and
 * SGLang run Llama-3.2-1B (16 layers) as "around a hundred separate kernels" at "at most 50%" of H100 bandwidth
 * (Hazy Research, "Look Ma, No Bubbles", 2025-05-27): at 90% achievable bandwidth the 2.47 GB of weights take
 * 0.82 ms, the 1.48 ms measured leave 0.66 ms over ~100 kernels, 6.5 us each.
 */
export const graphKernelSeconds = 6.5e-6

/**
 * Kernels per decoder layer, by part. A Llama layer in vLLM/SGLang is ~6 kernels (~100 for Llama-3.2-1B's 16 layers,
 * Hazy Research above): 3 for attention (QKV+RoPE, attention, output projection with its all-reduce and norm) and 3
 * for the MLP (gate/up, activation, down). TensorRT-LLM's minimum-latency DeepSeek-R1 layer (tech blog 1, "Everything
 * in One Diagram") runs MLA as modules 1-9, 10 kernels (module 2 is two RMSNorms), and the MoE as modules 10-13,
 * 8 kernels (router GEMM and top-k; the shared expert's two GEMMs; the sparse experts' dispatch and two grouped
 * GEMMs; the fused all-reduce + norm).
 */
export const kernelsPerLayer = {attention: 3, mlaAttention: 10, denseFfn: 3, moeFfn: 8}

/**
 * PyTorch eager launch per op (Python dispatch + cudaLaunchKernel): Llama-2-7B on an A100 decodes at 25.5 tok/s
 * eager and 104.9 tok/s compiled (PyTorch blog "Accelerating Generative AI 2", gpt-fast README): 29.7 ms over 32
 * layers of ~45 ops (RMSNorm, RoPE and SiLU each several ops in eager) is ~20 us per op.
 */
export const eagerLaunchSeconds = 20e-6
/** Ops per decoder layer in transformers eager (the ~45 above), split as the kernels are. */
export const eagerOpsPerLayer = 45
const eagerOps = {attention: eagerOpsPerLayer / 2, mlaAttention: eagerOpsPerLayer / 2, denseFfn: eagerOpsPerLayer / 2, moeFfn: eagerOpsPerLayer / 2}

/** An engine that replays CUDA graphs: the per-kernel floor, its host work hidden, its own all-reduce or NCCL's. */
function graphEngine(engine: EngineTiming['engine'], customAllReduce: boolean): EngineTiming {
  return {engine, eager: false, kernelsPerLayer, kernelSeconds: graphKernelSeconds, hostSecondsPerStep: 0, customAllReduce}
}

/** Timing of each engine, and of archcost's default (a CUDA-graph engine like vLLM). */
export const engineTimings: Record<EngineName | 'default', EngineTiming> = {
  // CUDA graphs and an overlapped (async) scheduler: the host's per-step work hides behind the GPU (SGLang v0.4
  // overlap scheduler; TensorRT-LLM overlap scheduler, on by default; vLLM V1 async scheduling).
  default: graphEngine('default', true),
  vllm: graphEngine('vllm', true),
  sglang: graphEngine('sglang', true),
  'tensorrt-llm': graphEngine('tensorrt-llm', true),
  // llama.cpp's CUDA backend captures each token's graph too (ggml-cuda CUDA graphs); its multi-GPU split is by layer.
  'llama.cpp': graphEngine('llama.cpp', false),
  transformers: {engine: 'transformers', eager: true, kernelsPerLayer: eagerOps, kernelSeconds: eagerLaunchSeconds, hostSecondsPerStep: 0, customAllReduce: false},
}

/** The timing of the engine a scenario names (--engine), eager when --enforce-eager. */
export function engineTimingOf(engine: EngineName | null, enforceEager = false): EngineTiming {
  const base = engineTimings[engine ?? 'default']
  return enforceEager && !base.eager ? {...base, eager: true, kernelsPerLayer: eagerOps, kernelSeconds: eagerLaunchSeconds} : base
}

/** Timing of engines archcost does not model the memory of (gpt-fast), by the name a calibration case gives. */
export function timingForEngineLabel(label: string): EngineTiming | null {
  return label === 'gpt-fast' ? gptFastTiming : null
}

/** gpt-fast: torch.compile with CUDA graphs ("reduce-overhead"), PyTorch's intra-node one-shot all-reduce, no scheduler. */
export const gptFastTiming: EngineTiming = graphEngine('gpt-fast', true)
