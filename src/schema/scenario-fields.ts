// The scenario a command is asked about: every field's flag, description and default, in one table. The zod
// schema (src/schema/scenario.ts, for validation and the published JSON Schema) and every command's flags are
// built from this table, so a default exists once. No zod here: the commands read it at start-up.
import {ggufMixNames, kvFormatNames, plainWeightFormatNames, weightFormatNames, type KvFormat, type WeightFormat} from '../calc/dtype.js'
import {engineNames, type EngineName} from '../calc/engines.js'
import {computeFormats, type ComputeFormat} from '../calc/perf.js'
import type {BooleanFlag, OptionFlag} from '../cli/definition.js'
import {UserError} from '../errors.js'
import {scenarioDefaults} from './scenario-defaults.js'
import {parseBytes, parseFraction, parseShare, parseNonNegativeInteger, parsePositiveInteger, parsePositiveNumber, parseTokenCount} from '../flags/quantity.js'
import {acceptanceRateForLength, defaultAcceptanceRate, speculativeMethods, type Speculation, type SpeculativeMethod} from '../calc/serving/speculative.js'
import type {ServingRequest} from '../calc/serving/workload.js'

export {scenarioDefaults}

const option = (description: string, extra: Partial<OptionFlag> = {}): OptionFlag => ({kind: 'option', description, ...extra})
const boolean = (description: string): BooleanFlag => ({kind: 'boolean', description})
const k = (tokens: number) => `${tokens / 1024}k`

/** The scenario's flags, as commands pick them (`pick(scenarioFlags, 'context', 'batch')`). */
export const scenarioFlags = {
  context: option(`Context length per sequence in tokens (k = 1024: 32k = 32768) [default: ${k(scenarioDefaults.contextTokens)} or the model maximum]`, {char: 'c'}),
  batch: option('Concurrent sequences', {char: 'b', default: String(scenarioDefaults.batch)}),
  prompt: option(`Prompt tokens per sequence for the speed figures [default: --context, else ${k(scenarioDefaults.promptTokens)} or the model maximum]`),
  output: option(`Output tokens per sequence for the speed figures [default: ${scenarioDefaults.outputTokens}]`),
  isl: option('Input sequence length: the same as --prompt, as serving benchmarks name it (a fixed length, or the mean of varying ones)'),
  osl: option('Output sequence length: the same as --output, as serving benchmarks name it (a fixed length, or the mean of varying ones)'),
  concurrency: option('Users in a closed loop, each sending its next request when the last one ends (benchmark_serving --max-concurrency): continuous batching instead of one static batch'),
  'request-rate': option('Requests per second arriving at random (Poisson), instead of a fixed number of users'),
  speculative: option('Speculative decoding: mtp (the model\'s own multi-token-prediction layers), eagle (one draft layer) or draft (a smaller model: --draft-model)', {options: speculativeMethods}),
  'draft-model': option('The draft model of --speculative draft: a preset id or a preset file, e.g. llama-3.2-1b-instruct'),
  'draft-tokens': option(`Draft tokens proposed per step with --speculative [default: ${scenarioDefaults.draftTokens}]`),
  'acceptance-rate': option('Probability that one draft token is accepted [default: 0.85 for mtp (DeepSeek-V3 report); eagle needs it or --acceptance-length]'),
  'acceptance-length': option('Mean tokens accepted per step, the bonus token included (what engines log), instead of --acceptance-rate'),
  disaggregate: option('Disaggregated prefill and decode, as xPyD: 1p3d runs prompts on 1 replica and decoding on 3 others (the devices split into x + y replicas)'),
  'num-prompts': option('Report a benchmark of this many prompts started at once, as benchmark_serving runs them: the first wave\'s prefill burst counts in TTFT and throughput [default: steady state]'),
  'prefix-hit-rate': option('Share of each prompt already in the prefix cache, whose prefill is skipped (0 to 1) [default: 0]'),
  weights: option(`Weight format of the linear layers and experts (${plainWeightFormatNames.join('|')}), or a GGUF file type as llama-quantize mixes it per tensor, for the whole model (${ggufMixNames.join('|')}) [default: the checkpoint's]`),
  'expert-weights': option('Weight format of the routed experts only (overrides --weights for them)'),
  'embedding-weights': option('Weight format of the embeddings and LM head'),
  'int4-group-size': option('Group size of int4 scales', {default: String(scenarioDefaults.int4GroupSize)}),
  'kv-dtype': option(`KV-cache format (${kvFormatNames.join('|')}) [default: the model's dtype]`),
  'mla-cache': option('How MLA is cached: latent (kv_lora_rank + rope dim) or expanded per-head K and V', {options: ['latent', 'expanded'], default: scenarioDefaults.mlaCache}),
  engine: option('Also show what this serving engine reserves', {options: engineNames}),
  'memory-utilization': option(`Share of device memory the engine may use (vLLM's gpu_memory_utilization) [default: ${scenarioDefaults.engineMemoryUtilization} with --engine vllm, else ${scenarioDefaults.memoryUtilization}]`),
  'prefill-chunk': option('Tokens per prefill chunk, for activation memory', {default: String(scenarioDefaults.prefillChunkTokens)}),
  overhead: option('Runtime overhead per device (CUDA context, NCCL, allocator)', {default: '1GiB'}),
  'offload-per-layer-embeddings': boolean('Keep per-layer embeddings (Gemma 3n) in host memory'),
  hardware: option('Hardware profile, with a device count: h100, 8xh100, or a list h100,h200,mi300x', {char: 'H'}),
  mfu: option('Achievable share of peak FLOP/s in prefill', {default: String(scenarioDefaults.prefillMfu)}),
  mbu: option('Achievable share of peak memory bandwidth in decode', {default: String(scenarioDefaults.bandwidthEfficiency)}),
  'compute-dtype': option('Peak FLOP/s column to use [default: fp8 for fp8 weights where the device has it, else bf16]', {options: computeFormats}),
  'price-per-hour': option("Hourly price of one device in USD [default: the profile's]"),
  tp: option('Tensor-parallel degree [default: archcost picks the smallest legal layout that fits]'),
  pp: option('Pipeline-parallel degree [default: archcost picks]'),
  dp: option('Data-parallel replicas (each holds the whole model on tp x pp devices) [default: 1]'),
  ep: option('Expert-parallel degree for MoE experts [default: the tensor-parallel degree, as vLLM --enable-expert-parallel]'),
  'engine-version': option(`vLLM engine: v1 (0.10 and later) or v0 (older start-up logs) [default: ${scenarioDefaults.vllmEngineVersion}]`, {options: ['v1', 'v0']}),
  'vllm-sampler': option(`vLLM's top-k/top-p sampler, whose warm-up on max_num_seqs x vocabulary logits can be the profiling run's peak: triton (0.17 and later) or sort (V1 before 0.17 without FlashInfer: a PyTorch sort over the vocabulary) [default: ${scenarioDefaults.vllmSampler}]`, {options: ['triton', 'sort']}),
  'max-num-batched-tokens': option("vLLM's max_num_batched_tokens (TensorRT-LLM's max_num_tokens): tokens of the memory-profiling run and of each scheduler step [default: vLLM's rule for the version, GPU and context; TensorRT-LLM 8192]"),
  'max-num-seqs': option("vLLM's max_num_seqs: sequences sampled in the profiling run [default: vLLM's rule for the version and GPU]"),
  'enforce-eager': boolean('Without CUDA graphs: SGLang then reserves no memory for them (vLLM captures its graphs after sizing the KV pool, so its pool is the same either way)'),
  'mem-fraction-static': option("SGLang's mem_fraction_static: share of device memory for weights and KV pool [default: SGLang's rule for the GPU and TP]"),
  'swa-full-tokens-ratio': option(`SGLang's --swa-full-tokens-ratio: sliding-window pool tokens per full-attention pool token, for the models SGLang gives a hybrid SWA pool (gpt-oss, Llama 4) [default: ${scenarioDefaults.swaFullTokensRatio}]`),
  'mamba-full-memory-ratio': option(`SGLang's --mamba-full-memory-ratio: memory of the linear-attention/SSM state pool per byte of the KV pool, for hybrid linear models [default: ${scenarioDefaults.mambaFullMemoryRatio}]`),
  'kv-cache-free-fraction': option(`TensorRT-LLM's kv_cache_free_gpu_mem_fraction: share of the memory still free after the engine loads [default: ${scenarioDefaults.kvCacheFreeFraction}]`),
  'n-gpu-layers': option('llama.cpp --n-gpu-layers: layers offloaded to the GPU; the rest and their KV stay in host memory [default: all]'),
  'cache-type-k': option(`llama.cpp --cache-type-k (${kvFormatNames.join('|')}) [default: --kv-dtype, else f16]`),
  'cache-type-v': option(`llama.cpp --cache-type-v (${kvFormatNames.join('|')}) [default: --kv-dtype, else f16]`),
  ubatch: option(`llama.cpp --ubatch-size: tokens per compute pass, which sizes its compute buffers [default: ${scenarioDefaults.ubatch}]`),
  'wired-limit': option('Apple silicon: GPU memory limit as set with `sysctl iogpu.wired_limit_mb`, e.g. 120GiB [default: the profile\'s default working set, about 75% of RAM]'),
} as const

export type ScenarioFlagName = keyof typeof scenarioFlags

/** Some of the scenario's flags, for a command's flag table. */
export function pick<N extends ScenarioFlagName>(...names: N[]): {[K in N]: (typeof scenarioFlags)[K]} {
  return Object.fromEntries(names.map((name) => [name, scenarioFlags[name]])) as {[K in N]: (typeof scenarioFlags)[K]}
}

/** The scenario as typed values; null where the default depends on the model or the engine. */
export interface ScenarioInput {
  contextTokens: number | null
  batch: number
  promptTokens: number | null
  outputTokens: number
  weightFormats: {linear?: WeightFormat; experts?: WeightFormat; embeddings?: WeightFormat}
  int4GroupSize: number
  kvFormat: KvFormat | null
  mlaCache: 'latent' | 'expanded'
  engine: EngineName | null
  memoryUtilization: number | null
  prefillChunkTokens: number
  overheadBytesPerDevice: number
  offloadPerLayerEmbeddings: boolean
  prefillMfu: number
  bandwidthEfficiency: number
  computeFormat: ComputeFormat | null
  pricePerHourUsd: number | null
  /** How requests arrive (a static batch, a closed loop of users, or a rate), speculation and prefix caching. */
  serving: ServingRequest
  /** Parallel layout as given; null where archcost chooses. */
  parallel: {tp: number | null; pp: number | null; dp: number | null; ep: number | null}
  /** Engine settings as given; null where the engine's own default rule applies. */
  engineSettings: EngineSettings
}

export interface EngineSettings {
  vllmVersion: 'v1' | 'v0'
  /** vLLM's top-k/top-p sampler: Triton kernel (0.17+) or the PyTorch sort of earlier V1 releases. */
  vllmSampler: 'triton' | 'sort'
  maxNumBatchedTokens: number | null
  maxNumSeqs: number | null
  enforceEager: boolean
  memFractionStatic: number | null
  swaFullTokensRatio: number
  mambaFullMemoryRatio: number
  kvCacheFreeFraction: number
  nGpuLayers: number | null
  cacheTypeK: KvFormat | null
  cacheTypeV: KvFormat | null
  ubatch: number
  wiredLimitBytes: number | null
}

type ScenarioText = Partial<Record<ScenarioFlagName, string | boolean | undefined>>

function weightFormat(text: string | boolean | undefined, flag: string): WeightFormat | undefined {
  if (typeof text !== 'string') return undefined
  if (!(weightFormatNames as readonly string[]).includes(text)) throw new UserError(`--${flag} "${text}" is not a weight format; use one of ${weightFormatNames.join(', ')}`)
  return text as WeightFormat
}

const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined)

function kvFormat(text: string | undefined, flag: string): KvFormat | null {
  if (text === undefined) return null
  if (!(kvFormatNames as readonly string[]).includes(text)) throw new UserError(`--${flag} "${text}" is not a KV-cache format; use one of ${kvFormatNames.join(', ')}`)
  return text as KvFormat
}

const optionalInteger = (value: string | boolean | undefined, flag: string) => (typeof value === 'string' ? parsePositiveInteger(value, flag) : null)

/** Flag text -> typed scenario; a flag a command does not take reads as its default. */
export function scenarioInput(flags: ScenarioText): ScenarioInput {
  const kvText = kvFormat(text(flags['kv-dtype']), 'kv-dtype')
  const weights = weightFormat(flags.weights, 'weights')
  const experts = weightFormat(flags['expert-weights'], 'expert-weights') ?? weights
  const embeddings = weightFormat(flags['embedding-weights'], 'embedding-weights')
  const context = text(flags.context)
  if (text(flags.prompt) !== undefined && text(flags.isl) !== undefined) throw new UserError('--prompt and --isl are the same setting; give one of them')
  if (text(flags.output) !== undefined && text(flags.osl) !== undefined) throw new UserError('--output and --osl are the same setting; give one of them')
  const prompt = text(flags.prompt) ?? text(flags.isl)
  const output = text(flags.output) ?? text(flags.osl)
  const utilization = text(flags['memory-utilization'])
  const price = text(flags['price-per-hour'])
  return {
    contextTokens: context === undefined ? null : parseTokenCount(context, 'context'),
    batch: parsePositiveInteger(text(flags.batch) ?? String(scenarioDefaults.batch), 'batch'),
    promptTokens: prompt === undefined ? null : parseTokenCount(prompt, text(flags.isl) !== undefined ? 'isl' : 'prompt'),
    outputTokens: parseTokenCount(output ?? String(scenarioDefaults.outputTokens), text(flags.osl) !== undefined ? 'osl' : 'output'),
    serving: servingRequest(flags),
    weightFormats: {...(weights && {linear: weights}), ...(experts && {experts}), ...(embeddings && {embeddings})},
    int4GroupSize: parsePositiveInteger(text(flags['int4-group-size']) ?? String(scenarioDefaults.int4GroupSize), 'int4-group-size'),
    kvFormat: kvText,
    mlaCache: text(flags['mla-cache']) === 'expanded' ? 'expanded' : 'latent',
    engine: (text(flags.engine) as EngineName | undefined) ?? null,
    memoryUtilization: utilization === undefined ? null : parseFraction(utilization, 'memory-utilization'),
    prefillChunkTokens: parseTokenCount(text(flags['prefill-chunk']) ?? String(scenarioDefaults.prefillChunkTokens), 'prefill-chunk'),
    overheadBytesPerDevice: text(flags.overhead) === undefined ? scenarioDefaults.overheadBytesPerDevice : parseBytes(text(flags.overhead)!, 'overhead'),
    offloadPerLayerEmbeddings: flags['offload-per-layer-embeddings'] === true,
    prefillMfu: parseFraction(text(flags.mfu) ?? String(scenarioDefaults.prefillMfu), 'mfu'),
    bandwidthEfficiency: parseFraction(text(flags.mbu) ?? String(scenarioDefaults.bandwidthEfficiency), 'mbu'),
    computeFormat: (text(flags['compute-dtype']) as ComputeFormat | undefined) ?? null,
    pricePerHourUsd: price === undefined ? null : parsePositiveNumber(price, 'price-per-hour'),
    parallel: parallelOf(flags),
    engineSettings: {
      vllmVersion: text(flags['engine-version']) === 'v0' ? 'v0' : 'v1',
      vllmSampler: text(flags['vllm-sampler']) === 'sort' ? 'sort' : scenarioDefaults.vllmSampler,
      maxNumBatchedTokens: typeof flags['max-num-batched-tokens'] === 'string' ? parseTokenCount(flags['max-num-batched-tokens'], 'max-num-batched-tokens') : null,
      maxNumSeqs: optionalInteger(flags['max-num-seqs'], 'max-num-seqs'),
      enforceEager: flags['enforce-eager'] === true,
      memFractionStatic: typeof flags['mem-fraction-static'] === 'string' ? parseFraction(flags['mem-fraction-static'], 'mem-fraction-static') : null,
      swaFullTokensRatio: parseFraction(text(flags['swa-full-tokens-ratio']) ?? String(scenarioDefaults.swaFullTokensRatio), 'swa-full-tokens-ratio'),
      mambaFullMemoryRatio: parsePositiveNumber(text(flags['mamba-full-memory-ratio']) ?? String(scenarioDefaults.mambaFullMemoryRatio), 'mamba-full-memory-ratio'),
      kvCacheFreeFraction: parseFraction(text(flags['kv-cache-free-fraction']) ?? String(scenarioDefaults.kvCacheFreeFraction), 'kv-cache-free-fraction'),
      nGpuLayers: typeof flags['n-gpu-layers'] === 'string' ? parseNonNegativeInteger(flags['n-gpu-layers'], 'n-gpu-layers') : null,
      cacheTypeK: kvFormat(text(flags['cache-type-k']), 'cache-type-k'),
      cacheTypeV: kvFormat(text(flags['cache-type-v']), 'cache-type-v'),
      ubatch: parsePositiveInteger(text(flags.ubatch) ?? String(scenarioDefaults.ubatch), 'ubatch'),
      wiredLimitBytes: typeof flags['wired-limit'] === 'string' ? parseBytes(flags['wired-limit'], 'wired-limit') : null,
    },
  }
}

/** --concurrency / --request-rate / --speculative / --prefix-hit-rate -> the serving request (a static batch by default). */
function servingRequest(flags: ScenarioText): ServingRequest {
  const concurrency = text(flags.concurrency)
  const rate = text(flags['request-rate'])
  if (concurrency !== undefined && rate !== undefined) throw new UserError('--concurrency and --request-rate describe the load two ways; give one of them')
  const method = text(flags.speculative) as SpeculativeMethod | undefined
  const draftTokens = parsePositiveInteger(text(flags['draft-tokens']) ?? String(scenarioDefaults.draftTokens), 'draft-tokens')
  // archcost models a chain of drafts (MTP, EAGLE without a tree), which engines run a few tokens deep.
  if (draftTokens > 16) throw new UserError(`--draft-tokens ${draftTokens}: archcost models a chain of 1 to 16 draft tokens; give at most 16`)
  const rateText = text(flags['acceptance-rate'])
  const lengthText = text(flags['acceptance-length'])
  if (method === undefined && (rateText !== undefined || lengthText !== undefined || text(flags['draft-tokens']) !== undefined || text(flags['draft-model']) !== undefined))
    throw new UserError('--draft-tokens, --draft-model, --acceptance-rate and --acceptance-length need --speculative mtp, eagle or draft')
  if (method === 'draft' && text(flags['draft-model']) === undefined) throw new UserError('--speculative draft needs --draft-model, the preset of the smaller model that drafts, e.g. --draft-model llama-3.2-1b-instruct')
  if (method !== undefined && method !== 'draft' && text(flags['draft-model']) !== undefined) throw new UserError(`--draft-model goes with --speculative draft, not ${method}`)
  let speculation: Speculation | null = null
  if (method !== undefined) {
    if (rateText !== undefined && lengthText !== undefined) throw new UserError('--acceptance-rate and --acceptance-length are the same setting two ways; give one of them')
    let acceptanceRate: number
    if (lengthText !== undefined) {
      const length = parsePositiveNumber(lengthText, 'acceptance-length')
      if (length < 1 || length > draftTokens + 1) throw new UserError(`--acceptance-length ${lengthText}: with ${draftTokens} draft token(s) a step yields between 1 and ${draftTokens + 1} tokens`)
      acceptanceRate = length === draftTokens + 1 ? 1 : acceptanceRateForLength(length, draftTokens)
    } else if (rateText !== undefined) acceptanceRate = parseFraction(rateText, 'acceptance-rate')
    else {
      const fallback = defaultAcceptanceRate[method]
      if (fallback === undefined) throw new UserError(`--speculative ${method} needs --acceptance-rate (0 to 1) or --acceptance-length (tokens per step): archcost has no published default for it`)
      acceptanceRate = fallback
    }
    speculation = {method, draftTokens, acceptanceRate, ...(method === 'draft' && {draftModelRef: text(flags['draft-model'])!})}
  }
  const disaggregation = disaggregationOf(flags)
  const numPromptsText = text(flags['num-prompts'])
  const numPrompts = numPromptsText === undefined ? null : parsePositiveInteger(numPromptsText, 'num-prompts')
  const prefixText = text(flags['prefix-hit-rate'])
  const prefixHitRate = prefixText === undefined ? 0 : parseShare(prefixText, 'prefix-hit-rate')
  const common = {prefixHitRate, speculation, phase: 'both' as const, disaggregation, numPrompts}
  if (concurrency !== undefined) return {mode: 'concurrency', users: parsePositiveInteger(concurrency, 'concurrency'), requestsPerSecond: null, ...common}
  if (rate !== undefined) {
    if (numPrompts !== null) throw new UserError('--num-prompts describes a closed-loop or offline benchmark; with --request-rate the arrivals are already spread out')
    return {mode: 'rate', users: 0, requestsPerSecond: parsePositiveNumber(rate, 'request-rate'), ...common}
  }
  if (numPrompts !== null) throw new UserError('--num-prompts needs --concurrency (the users that run the prompts)')
  return {mode: 'batch', users: 0, requestsPerSecond: null, ...common}
}

/** --tp/--pp/--dp/--ep; with --disaggregate xPyD the replicas are x + y. */
function parallelOf(flags: ScenarioText): ScenarioInput['parallel'] {
  const dp = optionalInteger(flags.dp, 'dp')
  const pd = disaggregationOf(flags)
  const replicas = pd ? pd.prefillReplicas + pd.decodeReplicas : null
  if (replicas !== null && dp !== null && dp !== replicas) throw new UserError(`--dp ${dp} and --disaggregate ${text(flags.disaggregate)} disagree: that is ${replicas} replicas; drop --dp`)
  return {tp: optionalInteger(flags.tp, 'tp'), pp: optionalInteger(flags.pp, 'pp'), dp: dp ?? replicas, ep: optionalInteger(flags.ep, 'ep')}
}

/** --disaggregate xPyD -> x prefill and y decode replicas; null without the flag. */
function disaggregationOf(flags: ScenarioText): ServingRequest['disaggregation'] {
  const pd = text(flags.disaggregate)
  if (pd === undefined) return null
  const m = /^\s*(\d+)\s*p\s*(\d+)\s*d\s*$/i.exec(pd)
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) + Number(m[2]) > 4096)
    throw new UserError(`--disaggregate "${pd}": give prefill and decode replicas as xPyD, e.g. 1p3d (at least one of each)`)
  return {prefillReplicas: Number(m[1]), decodeReplicas: Number(m[2])}
}
