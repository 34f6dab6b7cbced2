// What `archcost explain` shows: each figure as an entry of the formula registry (src/calc/formulas), with its
// symbols' values as the calculators read them and the calculator's own result. Nothing is computed here: the
// steps pick registry entries, their readers and the calculator functions. mathjs is never loaded here;
// `explain --verify` evaluates the formulas with it (src/explain/check.ts).
import {kvBitsPerElement, kvBytesPerElement} from '../calc/dtype.js'
import {
  attentionFlopsAt,
  attentionFlopsPerKey,
  kindAttentionFlopsPerKey,
  attentionFlopsPrefill,
  decodeFlopsPerToken,
  forwardValues,
  keysSeenFormula,
  kindOwnPerKeyValues,
  layerAttentionValues,
  indexerFlopsPerKeyFormula,
  sparseAttendedKind,
  linearMixerFlopsPerToken,
  linearMixerFormulaFor,
  matmulParamsPerToken,
  matmulParamsValues,
  perKeyFormulaFor,
  prefillFlops,
  prefillValues,
  type FlopsOptions,
  type MlaAttentionForm,
} from '../calc/flops.js'
import {bytesPerElement} from '../calc/formulas/dtype.js'
import {
  decodePosition,
  forwardFlops,
  layerAttentionFlops,
  matmulParamsPerToken as matmulFormula,
  prefillFlops as prefillFormula,
} from '../calc/formulas/flops.js'
import {apply, sumOf, type Evaluated, type Formula, type SumTerm, type Values} from '../calc/formulas/formula.js'
import {
  kvBytesPerTokenAt as kvBytesPerTokenFormula,
  layerKvBytes,
  linearStateKvBytes,
  linearStateLayerBytes,
  windowTokensHeld,
} from '../calc/formulas/kv.js'
import {activationBytes, attentionActivationWidth, classWeightBytes, deviceWeightBytes, ffnActivationWidth, memoryTotal} from '../calc/formulas/memory.js'
import {
  allReduceSeconds,
  computeSeconds,
  decodeContextTokens,
  expectedExpertsHit,
  memorySeconds,
  tokensPerSecond,
  usdPerHour,
  usdPerMillionTokens,
  usdPerSecond,
  weightBytesRead,
} from '../calc/formulas/perf.js'
import {
  kvBytesPerTokenAt,
  kvBytesPerTokenValues,
  kindBytesPerTokenValues,
  kvCache,
  kvElementsFormula,
  kvElementsPerTokenPerLayer,
  kindKvElementsFormula,
  layerKvValues,
  perKindKv,
  linearConvStateFormula,
  linearRecurrentStateFormula,
  linearStateKvValues,
  linearStateLayerValues,
  theoreticalLinearState,
  type KvOptions,
} from '../calc/kv.js'
import {fullAttentionSpec, isMoe, layerPlan} from '../calc/layers.js'
import {compressedKinds, compressedKvValues, v4KvBytesPerTokenValues} from '../calc/kv.js'
import {v4CompressedValues, v4EntriesSeenValues} from '../calc/flops.js'
import {
  compressedEntriesHeld,
  compressedEntryElements,
  csaEntriesSeen,
  csaEntriesSeenPrefill,
  hcaEntriesSeen,
  hcaEntriesSeenPrefill,
  v4CompressedAttentionFlops,
  v4IndexerFlopsPerEntry,
  v4KvBytesPerToken,
} from '../calc/formulas/deepseek-v4.js'
import {hasMsa, hasOwnFullShape, hasOwnShape, slidingAttentionSpec} from '../calc/attention-shape.js'
import {collectiveLatencySeconds, deviceStepBytes, kernelFloorSeconds, kvTransferSeconds, stepSeconds, tokensPerVerifyStep, ttftPoolsSeconds, tpotSeconds as tpotFormula, ttftSeconds as ttftFormula} from '../calc/formulas/serving.js'
import type {StepTime} from '../calc/serving/step.js'
import {formatCount} from '../render/format.js'
import {memoryEstimate, type MemoryScenario} from '../calc/memory.js'
import {devicesOf} from '../calc/parallel.js'
import {paramComponents, paramCounts, paramDerivation} from '../calc/params.js'
import {
  costEstimate,
  devicePricePerHour,
  perfEstimate,
  weightBytesReadValues,
  type PerfEstimate,
  type PerfOptions,
  type PerfScenario,
} from '../calc/perf.js'
import {offloadedBytes, weightBytes, weightClassValues, weightFormatsFor} from '../calc/weights.js'
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'

export interface ExplainStep {
  /** Registry id of the formula ('kv.bytes.layers'); sums of a model's parts have ids ending in '.sum'. */
  id: string
  name: string
  /** A mathjs expression over the symbols in `values`: the registry entry's text. */
  formula: string
  values: Record<string, number>
  /** What each symbol stands for, with its unit. */
  symbols: Record<string, string>
  /** What the calculator returns for this step. */
  result: number
  unit: string
  source: string
  /** Integer quantities must match exactly; others to 1e-9 relative. */
  exact: boolean
}

export interface Explanation {
  id: string
  quantity: string
  result: number
  unit: string
  steps: ExplainStep[]
}

export const trainQuantities = ['train-memory', 'train-hours', 'train-cost'] as const
export const explainQuantities = ['params', 'active', 'kv', 'flops', 'prefill', 'memory', 'ttft', 'tpot', 'tps', 'cost', ...trainQuantities] as const
export type ExplainQuantity = (typeof explainQuantities)[number]
export type TrainQuantity = (typeof trainQuantities)[number]
export const isTrainQuantity = (q: ExplainQuantity): q is TrainQuantity => (trainQuantities as readonly string[]).includes(q)

export interface ExplainContext {
  scenario: PerfScenario
  hardware: HardwareSpec | null
  perf: PerfOptions
  price: number | null
}

/** A step from an evaluated entry; `result` is the calculator's figure when it has one (the check compares the two). */
export function step(e: Evaluated, o: {name?: string; result?: number} = {}): ExplainStep {
  const result = o.result ?? e.result
  const f = e.formula
  return {id: f.id, name: o.name ?? e.name ?? f.label, formula: f.expression, values: {...e.values}, symbols: {...f.symbols}, result, unit: f.unit, source: f.source, exact: f.integer && Number.isInteger(result)}
}

/** An entry whose symbols are all read from the spec. */
const fromSpec = (f: Formula<string, [ModelSpec]>, spec: ModelSpec) => apply(f, f.read!(spec))

/** A sum of one part only is that part: no step of its own. */
const isSinglePart = (sum: Evaluated) => Object.keys(sum.values).length === 1

/** Steps in order, each shown once (the same step can be reached twice, e.g. one expert's MLP by total and active counts). */
export class Steps {
  readonly list: ExplainStep[] = []
  private readonly seen = new Set<string>()
  add(s: ExplainStep): this {
    const key = `${s.id} ${s.name} ${JSON.stringify(s.values)}`
    if (!this.seen.has(key)) {
      this.seen.add(key)
      this.list.push(s)
    }
    return this
  }
}

function paramSteps(spec: ModelSpec, active: boolean): ExplainStep[] {
  const d = paramDerivation(spec)
  const counts = paramCounts(spec)
  const out = new Steps()
  for (const c of paramComponents) {
    const component = c === 'routedExperts' && active ? d.activeRoutedExperts : d.components[c]
    for (const s of component.steps) out.add(step(s))
    if (component.steps.length && !isSinglePart(component.total)) out.add(step(component.total))
  }
  if (active) out.add(step(d.active, {name: 'active: the sum of the components a token runs', result: counts.activeParams}))
  else out.add(step(d.total, {result: counts.totalParams}))
  return out.list
}

function kvSteps(spec: ModelSpec, s: MemoryScenario): ExplainStep[] {
  const o: KvOptions = {kvFormat: s.kvFormat, mlaCache: s.mlaCache}
  const L = s.contextTokens
  const plan = layerPlan(spec)
  const elements = fromSpec(kvElementsFormula(spec, s.mlaCache), spec)
  const bytes = apply(bytesPerElement, bytesPerElement.read!(kvBitsPerElement(s.kvFormat)))
  const out = new Steps()
  // Layers of different shapes (MSA index keys, MiMo-V2-Flash sliding layers, Gemma 4 full layers): one element count per kind.
  const perKind = perKindKv(spec)
  const kindElements = new Map(
    plan.attention.map((kind) => {
      const f = kindKvElementsFormula(spec, kind, s.mlaCache)
      return [kind, apply(f.formula, f.formula.read!(f.spec), `cached values per token in one ${kind.name} layer`)] as const
    }),
  )
  if (perKind) for (const e of kindElements.values()) out.add(step(e))
  else out.add(step(elements, {result: kvElementsPerTokenPerLayer(spec, s.mlaCache)}))
  out.add(step(bytes, {name: `bytes per cached value (${s.kvFormat})`, result: kvBytesPerElement(s.kvFormat)}))
  // DeepSeek-V4: compressed entries grow by one per ratio tokens, averaged over the ratio.
  if (spec.deepseekV4) out.add(step(apply(v4KvBytesPerToken, v4KvBytesPerTokenValues(spec, L, o)), {result: kvBytesPerTokenAt(spec, L, o)}))
  else if (!perKind) out.add(step(apply(kvBytesPerTokenFormula, kvBytesPerTokenValues(spec, L, o)), {result: kvBytesPerTokenAt(spec, L, o)}))
  else {
    const terms: SumTerm[] = []
    for (const kind of plan.attention) {
      const v = kindBytesPerTokenValues(spec, kind, L, o)
      if (!v) continue
      const part = apply(kvBytesPerTokenFormula, v)
      out.add(step(part, {name: `bytes one more token adds in the ${kind.name}-attention layers`}))
      terms.push({symbol: kind.name, doc: `bytes one more token adds in the ${kind.name}-attention layers (bytes)`, value: part.result})
    }
    if (terms.length > 1) out.add(step(sumOf('kv.bytesPerToken.sum', 'bytes one more token adds at context L (layers still growing)', 'bytes', true, terms), {result: kvBytesPerTokenAt(spec, L, o)}))
  }
  const parts: {steps: ExplainStep[]; term: SumTerm}[] = []
  for (const kind of plan.attention) {
    if (kind.kvLayers === 0) continue
    const held = kind.mixer === 'full' ? [] : [step(apply(windowTokensHeld, windowTokensHeld.read!(kind, L)), {name: `tokens a ${kind.name} layer holds at context L`})]
    const part = apply(layerKvBytes, layerKvValues(kind, L, perKind ? kindElements.get(kind)!.result : elements.result, bytes.result, s.batch))
    parts.push({steps: [...held, step(part, {name: `KV cache of the ${kind.name}-attention layers`})], term: {symbol: kind.name, doc: `KV cache of the ${kind.name}-attention layers (bytes)`, value: part.result}})
  }
  // DeepSeek-V4 CSA / HCA layers: one compressed entry per ratio tokens (CSA: with the indexer's key).
  for (const c of compressedKinds(spec)) {
    const v = compressedKvValues(spec, c, L, bytes.result, s.batch)
    const part = apply(layerKvBytes, v)
    const label = c.kind.toUpperCase()
    parts.push({
      steps: [
        step(apply(compressedEntriesHeld, {L, r: c.ratio}), {name: `compressed entries a ${label} layer holds at context L`}),
        step(apply(compressedEntryElements, compressedEntryElements.read!(spec, c.kind)), {name: `cached values per ${label} entry`}),
        step(part, {name: `KV cache of the ${label} layers' compressed entries`}),
      ],
      term: {symbol: c.kind, doc: `compressed entries of the ${label} layers (bytes)`, value: part.result},
    })
  }
  if (plan.linearLayers) {
    const state = theoreticalLinearState(spec)
    const part = apply(linearStateKvBytes, linearStateKvValues(spec, s.batch))
    parts.push({
      steps: [
        step(apply(linearConvStateFormula(spec), linearConvStateFormula(spec).read!(spec, state.convWindow))),
        ...(linearRecurrentStateFormula(spec) ? [step(apply(linearRecurrentStateFormula(spec)!, linearRecurrentStateFormula(spec)!.read!(spec)))] : []),
        step(apply(linearStateLayerBytes, linearStateLayerValues(spec, state.convWindow, state.bytes))),
        step(part),
      ],
      term: {symbol: 'linear', doc: 'state of the linear-attention layers (bytes)', value: part.result},
    })
  }
  const total = kvCache(spec, L, s.batch, o).totalBytes
  const name = `KV cache of ${s.batch} sequence(s) at context L = ${L} (theoretical)`
  for (const p of parts) for (const s of p.steps) out.add(s)
  if (parts.length === 1) out.list.splice(-1, 1, {...out.list.at(-1)!, name, result: total})
  else out.add(step(sumOf('kv.bytes.sum', name, 'bytes', true, parts.map((p) => p.term)), {result: total}))
  return out.list
}

/** The FLOPs every token pays whatever its position: the multiplied parameters, the cost of one key, the linear mixers. */
function tokenFlopsSteps(spec: ModelSpec, form: MlaAttentionForm): {steps: ExplainStep[]; perKey: number} {
  const n = apply(matmulFormula, matmulParamsValues(spec))
  const perKey = fromSpec(perKeyFormulaFor(spec, form), spec)
  const steps = [step(n, {result: matmulParamsPerToken(spec)}), step(perKey, {result: attentionFlopsPerKey(spec, form)})]
  if (layerPlan(spec).linearLayers) steps.push(step(fromSpec(linearMixerFormulaFor(spec), spec), {result: linearMixerFlopsPerToken(spec)}))
  return {steps, perKey: perKey.result}
}

/** Attention FLOPs kind by kind and their sum: at one position (decode) or over a prompt (prefill). */
function attentionSteps(spec: ModelSpec, phase: 'decode' | 'prefill', at: number, perKey: number, total: number, form: MlaAttentionForm): ExplainStep[] {
  const out = new Steps()
  const parts: {step: ExplainStep; term: SumTerm}[] = []
  for (const kind of layerPlan(spec).attention) {
    const keysFormula = keysSeenFormula(kind, phase)
    const keys = apply(keysFormula, keysFormula.read!(kind, at))
    out.add(step(keys, {name: `${keys.formula.label} (${kind.name}, ${kind.layers} layers)`}))
    if (kind.sparse) {
      // Sparse attention (MSA, DSA): attention over the top-k keys, and the indexer scoring every key; a layer reusing
      // an earlier layer's top-k (GLM-5 IndexShare) runs no indexer.
      const selected = hasMsa(spec) ? 'top-k blocks' : 'top-k keys'
      const attendedKind = sparseAttendedKind(spec)
      const attendedFormula = keysSeenFormula(attendedKind, phase)
      const attended = apply(attendedFormula, attendedFormula.read!(attendedKind, at), `keys attended in the ${selected} (${kind.name}, at most ${attendedKind.windowTokens})`)
      out.add(step(attended))
      const main = apply(layerAttentionFlops, layerAttentionValues(kind, attended.result, perKey), `attention FLOPs of the ${kind.name} layers over their ${selected}`)
      parts.push({step: step(main), term: {symbol: `${kind.name}_attention`, doc: `attention FLOPs of the ${kind.name} layers (FLOP)`, value: main.result}})
      if (kind.sharedIndex) continue
      const indexPerKey = fromSpec(indexerFlopsPerKeyFormula(spec), spec)
      out.add(step(indexPerKey))
      const index = apply(layerAttentionFlops, layerAttentionValues(kind, keys.result, indexPerKey.result), `indexer FLOPs of the ${kind.name} layers over every key`)
      parts.push({step: step(index), term: {symbol: `${kind.name}_indexer`, doc: `indexer FLOPs of the ${kind.name} layers (FLOP)`, value: index.result}})
      continue
    }
    // A kind with heads of its own pays its own cost per key: Gemma 4's full-attention layers (their own heads and
    // head dim), MiMo-V2-Flash's sliding layers (their own shape), Step 3.5/3.7's sliding layers (their own query heads).
    let kindPerKey = perKey
    const ownValues = kindOwnPerKeyValues(spec, kind, form)
    if (kind.mixer === 'full' && hasOwnFullShape(spec)) {
      out.add(step(fromSpec(perKeyFormulaFor(spec, form), fullAttentionSpec(spec)), {name: 'attention FLOPs per key in one full-attention layer (its own heads)'}))
      kindPerKey = kindAttentionFlopsPerKey(spec, kind, form)
    } else if (hasOwnShape(spec, kind.mixer)) {
      kindPerKey = kindAttentionFlopsPerKey(spec, kind, form)
      out.add(step(fromSpec(perKeyFormulaFor(spec, form), slidingAttentionSpec(spec)), {name: `FLOPs per key of one ${kind.name} layer (its own heads and head dims)`, result: kindPerKey}))
    } else if (ownValues) {
      const own = apply(perKeyFormulaFor(spec, form), ownValues as never)
      out.add(step(own, {name: `${own.formula.label} (${kind.name}, ${kind.heads} heads)`}))
      kindPerKey = own.result
    }
    const part = apply(layerAttentionFlops, layerAttentionValues(kind, keys.result, kindPerKey))
    parts.push({step: step(part, {name: `attention FLOPs of the ${kind.name}-attention layers`}), term: {symbol: kind.name, doc: `attention FLOPs of the ${kind.name}-attention layers (FLOP)`, value: part.result}})
  }
  // DeepSeek-V4: the compressed entries the CSA (top-k) and HCA layers read, and the indexer scoring every CSA entry.
  if (spec.deepseekV4) {
    const v = v4CompressedValues(spec, phase, at)
    const e = v4EntriesSeenValues(spec, phase, at)
    const decode = phase === 'decode'
    const entries = (f: Formula<string, never>, values: Values<string>, name: string) => out.add(step(apply(f, values), {name}))
    entries(decode ? csaEntriesSeen : csaEntriesSeenPrefill, e.csa, decode ? 'compressed entries a query reads, CSA layer' : 'compressed entries the prompt reads, CSA layer')
    entries(decode ? hcaEntriesSeen : hcaEntriesSeenPrefill, e.hca, decode ? 'compressed entries a query reads, HCA layer' : 'compressed entries the prompt reads, HCA layer')
    entries(decode ? hcaEntriesSeen : hcaEntriesSeenPrefill, e.scored, decode ? 'closed CSA entries the indexer scores' : 'closed CSA entries the indexer scores over the prompt')
    if (v.nc > 0) out.add(step(fromSpec(v4IndexerFlopsPerEntry, spec)))
    const part = apply(v4CompressedAttentionFlops, v)
    parts.push({step: step(part), term: {symbol: 'compressed', doc: 'compressed-entry attention and indexer FLOPs of the CSA and HCA layers (FLOP)', value: part.result}})
  }
  const name = phase === 'decode' ? 'attention FLOPs of the token, all layers' : 'attention FLOPs of the prompt, all layers'
  if (parts.length === 1) out.add({...parts[0]!.step, name, result: total})
  else if (parts.length > 1) {
    for (const p of parts) out.add(p.step)
    out.add(step(sumOf(`flops.attention.${phase}.sum`, name, 'FLOP', false, parts.map((p) => p.term)), {result: total}))
  }
  return out.list
}

function flopsSteps(spec: ModelSpec, contextTokens: number, o: FlopsOptions): ExplainStep[] {
  const form = o.mlaDecode
  const token = tokenFlopsSteps(spec, form)
  const position = apply(decodePosition, decodePosition.read!(contextTokens))
  return [
    ...token.steps,
    step(position),
    ...attentionSteps(spec, 'decode', position.result, token.perKey, attentionFlopsAt(spec, position.result, form), form),
    step(apply(forwardFlops, forwardValues(spec, position.result, form)), {
      name: `one decode step with L = ${contextTokens} tokens in the cache`,
      result: decodeFlopsPerToken(spec, contextTokens, o),
    }),
  ]
}

function prefillSteps(spec: ModelSpec, tokens: number, o: FlopsOptions): ExplainStep[] {
  const form = o.mlaPrefill
  const token = tokenFlopsSteps(spec, form)
  return [
    ...token.steps,
    ...attentionSteps(spec, 'prefill', tokens, token.perKey, attentionFlopsPrefill(spec, tokens, form), form),
    step(apply(prefillFormula, prefillValues(spec, tokens, form)), {name: `prefill of P = ${tokens} tokens, causal (the masked half is not counted)`, result: prefillFlops(spec, tokens, o)}),
  ]
}

function memorySteps(spec: ModelSpec, s: MemoryScenario): ExplainStep[] {
  const m = memoryEstimate(spec, s)
  const breakdown = paramCounts(spec).breakdown
  const formats = weightFormatsFor(spec, s.weightFormats)
  const weights = weightBytes(breakdown, formats, {int4GroupSize: s.int4GroupSize, offloadPerLayerEmbeddings: s.offloadPerLayerEmbeddings})
  const classes = weightClassValues(breakdown, formats, s.int4GroupSize)
  const out = new Steps()
  out.add(step(apply(classWeightBytes, classes.embeddings), {name: `weights: embeddings and LM head (${formats.embeddings})`}))
  if (classes.perLayerEmbeddings.x) out.add(step(apply(classWeightBytes, classes.perLayerEmbeddings), {name: `weights: per-layer embeddings (${formats.embeddings})`, result: weights.offloadableBytes}))
  out.add(step(apply(classWeightBytes, classes.linear), {name: `weights: attention, dense MLP, shared-expert and other matrices (${formats.linear})`, result: weights.byClass.linear}))
  if (classes.experts.x) out.add(step(apply(classWeightBytes, classes.experts), {name: `weights: routed experts (${formats.experts})`, result: weights.byClass.experts}))
  out.add(step(apply(classWeightBytes, classes.unquantized), {name: `weights: norms and routers (${formats.unquantized})`, result: weights.byClass.unquantized}))
  out.add(step(apply(deviceWeightBytes, deviceWeightBytes.read!(weights.byClass, offloadedBytes(weights.offloadableBytes, s.offloadPerLayerEmbeddings))), {result: weights.deviceBytes}))
  const kv = kvSteps(spec, s)
  out.add(kv.at(-1)!)
  const attention = fromSpec(attentionActivationWidth, spec)
  const ffn = fromSpec(ffnActivationWidth, spec)
  out.add(step(attention))
  out.add(step(ffn))
  out.add(step(apply(activationBytes, activationBytes.read!(spec, s, attention.result, ffn.result)), {result: m.perDevice.activationBytes}))
  out.add(step(apply(memoryTotal, memoryTotal.read!(m.perDevice)), {name: 'per device: its weights, its share of the KV cache, activations, overhead', result: m.perDevice.totalBytes}))
  out.add(step(apply(memoryTotal, memoryTotal.read!(m)), {name: 'total: weights, KV cache, activations and overhead of every device', result: m.totalBytes}))
  return out.list
}

/**
 * One engine step as the serving model times it (src/calc/serving/step.ts): its compute and memory time, the
 * collectives' bytes and latency, the kernels' fixed time, and the step. Every value is the step's own.
 */
function engineStepSteps(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions, t: StepTime, name: string, context: string): ExplainStep[] {
  const out = new Steps()
  const p = t.parts
  if (isMoe(spec)) out.add(step(apply(expectedExpertsHit, expectedExpertsHit.read!(spec, p.expertTokens)), {name: `distinct experts ${formatCount(p.expertTokens)} tokens hit, one MoE layer`}))
  out.add(step(apply(weightBytesRead, weightBytesReadValues(spec, s, p.expertTokens)), {result: p.weightBytesRead}))
  out.add(step(apply(deviceStepBytes, deviceStepBytes.read!(p.sharedBytes, p.tp, p.expertBytes, p.expertRanks, p.kvBytes, p.kvShare)), {result: p.bytesPerDevice}))
  out.add(step(apply(computeSeconds, computeSeconds.read!(p.matmulFlops, p.peakFlopsPerSecond, o.prefillMfu, p.tp)), {name: `compute time of the products with the weights (${context})`}))
  if (p.attentionFlops > 0) out.add(step(apply(computeSeconds, computeSeconds.read!(p.attentionFlops, p.attentionPeakFlopsPerSecond, o.prefillMfu, p.tp)), {name: 'compute time of attention, at the 16-bit peak'}))
  out.add(step(apply(memorySeconds, memorySeconds.read!(p.bytesPerDevice, hw, o.bandwidthEfficiency, 1)), {name: 'memory time: weights read and KV cache, per device', result: t.memorySeconds}))
  if (p.allReduceSeconds > 0 && p.linkBytesPerSecond !== null) out.add(step(apply(allReduceSeconds, allReduceSeconds.read!(spec, p.tp, p.tokens, p.linkBytesPerSecond)), {result: p.allReduceSeconds}))
  for (const c of p.collectives) out.add(step(apply(collectiveLatencySeconds, collectiveLatencySeconds.read!(c.count, c.alphaSeconds)), {name: `latency of the ${c.what}`}))
  for (const k of p.kernels) out.add(step(apply(kernelFloorSeconds, kernelFloorSeconds.read!(k.layers, k.kernelsPerLayer, k.kernelSeconds)), {name: `fixed kernel time, ${k.what}${p.eager ? ' (eager: launches the GPU waits on beyond its work)' : ''}`}))
  out.add(step(apply(stepSeconds, stepSeconds.read!(t.computeSeconds, t.memorySeconds, t.commSeconds, t.latencySeconds, t.kernelSeconds, t.hostSeconds)), {name, result: t.seconds}))
  return out.list
}

function perfSteps(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions, quantity: 'ttft' | 'tpot' | 'tps' | 'cost', price: number | null): ExplainStep[] {
  const p: PerfEstimate = perfEstimate(spec, s, hw, o)
  const e = p.serving
  if (quantity === 'ttft') {
    if (e.prefillStep === null) throw new RangeError('no prefill in this workload')
    const prefill = engineStepSteps(spec, s, hw, o, e.prefillStep, `one prefill step (peak ${p.peakFormat}, MFU ${o.prefillMfu})`, 'decodes beside the prompt')
    const d = e.disaggregation
    const own = step(apply(ttftFormula, ttftFormula.read!(e.queueWaitSeconds, e.prefillStepCount, e.prefillStep.seconds, e.prefillDraftSeconds)), {
      name: `${d ? 'TTFT in the prefill pool' : 'TTFT'}: ${formatCount(e.prefillStepCount)} step(s) of prefill${e.queueWaitSeconds > 0 ? ' after the wait for a slot' : ''}`,
      result: d ? d.prefillTtftSeconds : p.ttftSeconds,
    })
    if (!d) return [...prefill, own]
    const transfer = step(apply(kvTransferSeconds, kvTransferSeconds.read!(d.kvTransferBytes, d.kvTransferBytesPerSecond)), {result: d.kvTransferSeconds})
    return [...prefill, own, transfer, step(apply(ttftPoolsSeconds, ttftPoolsSeconds.read!(d.prefillTtftSeconds, d.kvTransferSeconds)), {result: p.ttftSeconds})]
  }
  const context = step(apply(decodeContextTokens, decodeContextTokens.read!(s)), {result: p.decodeContextTokens})
  const decode = [context, ...engineStepSteps(spec, s, hw, o, e.step, `one decode step at context ${p.decodeContextTokens} (peak ${p.peakFormat})`, `${formatCount(e.runningSequences)} sequence(s)`)]
  if (e.tokensPerStep !== 1) decode.push(step(apply(tokensPerVerifyStep, tokensPerVerifyStep.read!(s.serving!.speculation!.acceptanceRate, s.serving!.speculation!.draftTokens)), {result: e.tokensPerStep}))
  decode.push(step(apply(tpotFormula, tpotFormula.read!(e.step.seconds, e.draftSecondsPerStep, e.tokensPerStep)), {result: p.tpotSeconds}))
  if (quantity === 'tpot') return decode
  const rate = step(apply(tokensPerSecond, tokensPerSecond.read!(1, p.tpotSeconds)), {name: 'tokens per second of one user', result: p.tokensPerSecond})
  if (quantity === 'tps') return [...decode, rate]
  const devices = devicesOf(s.layout)
  const c = costEstimate(p, s, hw, devices, price)
  const pricePerDevice = devicePricePerHour(hw, price)
  if (c.costPerMillionOutputTokens === null || c.pricePerHourUsd === null || pricePerDevice === null) return [...decode, rate]
  const hourly = apply(usdPerHour, usdPerHour.read!(pricePerDevice, devices))
  const perSecond = apply(usdPerSecond, usdPerSecond.read!(c.pricePerHourUsd))
  return [
    ...decode,
    rate,
    step(hourly, {result: c.pricePerHourUsd}),
    step(perSecond),
    step(apply(usdPerMillionTokens, usdPerMillionTokens.read!(perSecond.result, p.aggregateTokensPerSecond)), {name: `cost per million output tokens (every request's output, ${formatCount(p.aggregateTokensPerSecond)} tokens/s)`, result: c.costPerMillionOutputTokens}),
  ]
}

/** The steps behind one figure; the explanation's result is the last step's, the figure the tables print. Training figures: explainTrain (train-steps.ts), loaded only when asked for. */
export function explain(spec: ModelSpec, quantity: ExplainQuantity, c: ExplainContext): Explanation {
  let steps: ExplainStep[]
  if (isTrainQuantity(quantity)) throw new RangeError(`${quantity}: explainTrain (src/explain/train-steps.ts) explains training figures`)
  const s = c.scenario
  switch (quantity) {
    case 'params':
    case 'active':
      steps = paramSteps(spec, quantity === 'active')
      break
    case 'kv':
      steps = kvSteps(spec, s)
      break
    case 'flops':
      steps = flopsSteps(spec, s.contextTokens, c.perf.flops)
      break
    case 'prefill':
      steps = prefillSteps(spec, s.contextTokens, c.perf.flops)
      break
    case 'memory':
      steps = memorySteps(spec, s)
      break
    case 'ttft':
    case 'tpot':
    case 'tps':
    case 'cost':
      if (!c.hardware) throw new RangeError('needs hardware')
      steps = perfSteps(spec, s, c.hardware, c.perf, quantity, c.price)
      break
  }
  const last = steps.at(-1)!
  return {id: spec.id, quantity, result: last.result, unit: last.unit, steps}
}
