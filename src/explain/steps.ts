// What `archcost explain` shows: each figure as a formula, its symbols' values and the calculator's own result.
// The result of every step comes from the same calculator functions the tables use; the formula is checked
// against it with mathjs (src/explain/check.ts), so the text cannot drift from the code.
import {kvBytesPerElement} from '../calc/dtype.js'
import {attentionFlopsPerKey, decodeFlopsPerToken, linearMixerFlopsPerToken, matmulParamsPerToken, prefillFlops, type FlopsOptions} from '../calc/flops.js'
import {kvBytesPerTokenAt, kvCache, kvElementsPerTokenPerLayer, linearStateElements, modelStateBytes} from '../calc/kv.js'
import {layerCounts} from '../calc/layers.js'
import {activationBytes, memoryEstimate, type MemoryScenario} from '../calc/memory.js'
import {kvShareOfDevice} from '../calc/parallel.js'
import {attentionNormParams, attentionProjectionParams, linearAttentionProjectionParams, paramCounts} from '../calc/params.js'
import {costEstimate, decodeStepTime, perfEstimate, prefillTime, type PerfOptions, type PerfScenario} from '../calc/perf.js'
import {weightBytesPerElement} from '../calc/dtype.js'
import {weightBytes, weightFormatsFor} from '../calc/weights.js'
import type {HardwareSpec} from '../schema/hardware.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'

export interface ExplainStep {
  name: string
  /** A mathjs expression over the symbols in `values`. */
  formula: string
  values: Record<string, number>
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

export const explainQuantities = ['params', 'active', 'kv', 'flops', 'prefill', 'memory', 'ttft', 'tpot', 'tps', 'cost'] as const
export type ExplainQuantity = (typeof explainQuantities)[number]

const bit = (flag: boolean) => (flag ? 1 : 0)

/** Attention projections of one layer as a formula (LlamaAttention / DeepseekV3Attention), with its symbols. */
function attentionFormula(spec: ModelSpec): {formula: string; values: Record<string, number>} {
  const att = spec.attention
  const h = spec.hiddenSize
  if (att.mla) {
    const m = att.mla
    const values = {h, H: att.heads, rkv: m.kvLoraRank, dr: m.qkRopeHeadDim, dn: m.qkNopeHeadDim, dv: m.vHeadDim, b: bit(att.qkvBias), ob: bit(att.outputBias)}
    const query = m.qLoraRank === null ? 'h * H * (dn + dr)' : '(h + b) * rq + rq * H * (dn + dr)'
    return {
      formula: `${query} + (h + b) * (rkv + dr) + rkv * H * (dn + dv) + (H * dv + ob) * h`,
      values: m.qLoraRank === null ? values : {...values, rq: m.qLoraRank},
    }
  }
  return {
    formula: '(h + b) * (H * d * (1 + g) + Hkv * d + Hkv * dv) + (H * dv + ob) * h + s * H',
    values: {h, H: att.heads, Hkv: att.kvHeads, d: att.headDim, dv: att.valueHeadDim, g: bit(att.outputGate), b: bit(att.qkvBias), ob: bit(att.outputBias), s: bit(att.sinks)},
  }
}

function linearMixerFormula(spec: ModelSpec): {formula: string; values: Record<string, number>} {
  const la = spec.linearAttention!
  const h = spec.hiddenSize
  if (la.kind === 'kda')
    return {formula: '4 * h * H * d + 2 * (h * d + d * H * d) + h * H + H * d + H + 3 * H * d * K', values: {h, H: la.keyHeads, d: la.keyHeadDim, K: la.convKernel}}
  return {
    formula: 'h * (2 * Hk * dk + 2 * Hv * dv) + h * 2 * Hv + (2 * Hk * dk + Hv * dv) * K + 2 * Hv + Hv * dv * h',
    values: {h, Hk: la.keyHeads, dk: la.keyHeadDim, Hv: la.valueHeads, dv: la.valueHeadDim, K: la.convKernel},
  }
}

const ffnFormula = '(1 + gated) * (h + b) * I + (I + b) * h'
const paramsSource = 'Hugging Face transformers model classes (LlamaAttention, DeepseekV3Attention, LlamaMLP, the MoE blocks); src/calc/params.ts'

function paramSteps(spec: ModelSpec): ExplainStep[] {
  const p = paramCounts(spec)
  const b = p.breakdown
  const h = spec.hiddenSize
  const counts = layerCounts(spec)
  const steps: ExplainStep[] = []
  const add = (name: string, formula: string, values: Record<string, number>, result: number) =>
    steps.push({name, formula, values, result, unit: 'params', source: paramsSource, exact: true})
  const emb = spec.embeddings
  add('embedding (tokens + learned positions)', 'V * h + P * h', {V: emb.vocabSize, h, P: emb.learnedPositions}, b.embedding)
  if (emb.perLayer) add('per-layer embeddings (Gemma 3n)', 'Vp * L * p', {Vp: emb.perLayer.vocabSize, L: spec.layers, p: emb.perLayer.dim}, b.perLayerEmbedding)
  const attentionLayers = spec.layers - counts.linear
  const att = attentionFormula(spec)
  if (attentionLayers > 0) add('attention projections, one layer', att.formula, att.values, attentionProjectionParams(spec))
  if (counts.linear > 0) {
    const lin = linearMixerFormula(spec)
    add(`${spec.linearAttention!.kind} mixer, one layer`, lin.formula, lin.values, linearAttentionProjectionParams(spec))
    add('token mixers, all layers', 'na * A + nl * M', {na: attentionLayers, A: attentionLayers > 0 ? attentionProjectionParams(spec) : 0, nl: counts.linear, M: linearAttentionProjectionParams(spec)}, b.attention)
  } else {
    add('attention, all layers', `${attentionLayers} * (${att.formula})`, att.values, b.attention)
  }
  const ffn = spec.ffn
  const denseGroups = new Map<number, number>()
  for (const g of spec.layerGroups) if (g.ffn === 'dense') denseGroups.set(g.ffnIntermediateSize ?? ffn.intermediateSize, (denseGroups.get(g.ffnIntermediateSize ?? ffn.intermediateSize) ?? 0) + g.count)
  if (denseGroups.size) {
    const terms = [...denseGroups.entries()].map(([I, n], i) => ({n, I, i}))
    const formula = terms.map(({i}) => `n${i} * ((1 + gated) * (h + b) * I${i} + (I${i} + b) * h)`).join(' + ')
    const values: Record<string, number> = {gated: bit(ffn.gated), h, b: bit(ffn.bias)}
    for (const {n, I, i} of terms) Object.assign(values, {[`n${i}`]: n, [`I${i}`]: I})
    add('dense FFN, all dense layers (gate, up, down; plain MLP without gate)', formula, values, b.denseFfn)
  }
  if (spec.moe) {
    const moe = spec.moe
    const expertValues = {E: moe.routedExperts, gated: bit(ffn.gated), h, b: bit(moe.expertBias), I: moe.expertIntermediateSize, nm: counts.moe}
    add('routed experts, all MoE layers', `nm * E * (${ffnFormula})`, expertValues, b.routedExperts)
    if (b.sharedExperts > 0) add('shared experts (and their gate), all MoE layers', 'nm * ((1 + gated) * h * Is + Is * h + sg * h)', {nm: counts.moe, gated: bit(ffn.gated), h, Is: moe.sharedIntermediateSize, sg: bit(moe.sharedExpertGate)}, b.sharedExperts)
    add('routers, all MoE layers', 'nm * ((h + rb) * E + sc * E)', {nm: counts.moe, h, rb: bit(moe.routerBias), E: moe.routedExperts, sc: bit(moe.routerScoreCorrectionBias)}, b.router)
  }
  const normWidth = spec.norms.kind === 'layernorm' && spec.norms.bias ? 2 : 1
  const normValues: Record<string, number> = {na: attentionLayers, nl: counts.linear, n: spec.norms.perLayer, h, w: normWidth, an: attentionNormParams(spec), dvl: spec.linearAttention?.valueHeadDim ?? 0, f: bit(spec.norms.final)}
  let normFormula = 'na * (n * w * h + an) + nl * (n * w * h + dvl) + f * w * h'
  if (spec.gemma3n) {
    normFormula += ' + L * 2 * h + p'
    Object.assign(normValues, {L: spec.layers, p: spec.embeddings.perLayer!.dim})
  }
  add('norm weights (per layer, QK or latent norms, final)', normFormula, normValues, b.norms)
  if (spec.gemma3n) {
    const {altupInputs: n, laurelRank: r} = spec.gemma3n
    add(
      'Gemma 3n AltUp, LAuReL and per-layer projections',
      'L * (n * n + n^3 + h * n + 2 * h + 2 * h * r + 2 * h * p) + h * L * p + 2 * (n - 1) * h * h',
      {L: spec.layers, n, h, r, p: spec.embeddings.perLayer!.dim},
      b.other,
    )
  }
  add('LM head (0 when tied to the embedding)', 'untied * V * h', {untied: bit(!emb.tied), V: emb.vocabSize, h}, b.lmHead)
  const parts = ['embedding', 'perLayerEmbedding', 'attention', 'denseFfn', 'routedExperts', 'sharedExperts', 'router', 'norms', 'lmHead', 'other'] as const
  steps.push({
    name: 'total: the sum of the components',
    formula: parts.join(' + '),
    values: Object.fromEntries(parts.map((k) => [k, b[k]])),
    result: p.totalParams,
    unit: 'params',
    source: paramsSource,
    exact: true,
  })
  return steps
}

function activeSteps(spec: ModelSpec): ExplainStep[] {
  const p = paramCounts(spec)
  const steps = paramSteps(spec)
  if (!spec.moe) {
    steps.push({name: 'active: a dense model runs every parameter', formula: 'total', values: {total: p.totalParams}, result: p.activeParams, unit: 'params', source: paramsSource, exact: true})
    return steps
  }
  steps.push({
    name: 'active: all but the routed experts, plus top-k of them in each MoE layer',
    formula: 'total - routedExperts + routedExperts * k / E',
    values: {total: p.totalParams, routedExperts: p.breakdown.routedExperts, k: spec.moe.topK, E: spec.moe.routedExperts},
    result: p.activeParams,
    unit: 'params',
    source: 'MoE active parameters: Fedus et al. 2021 (Switch Transformer) counting; src/calc/params.ts',
    exact: true,
  })
  return steps
}

/** Layer groups merged by what the formula needs: mixer, window, whether they hold KV. */
function mergedGroups(spec: ModelSpec, cacheOnly: boolean): {mixer: LayerGroup['mixer']; window: number | undefined; count: number}[] {
  const merged = new Map<string, {mixer: LayerGroup['mixer']; window: number | undefined; count: number}>()
  for (const g of spec.layerGroups as LayerGroup[]) {
    if (g.mixer === 'linear' || (cacheOnly && g.kvSourceLayer !== undefined)) continue
    const key = `${g.mixer}:${g.windowTokens ?? ''}`
    const entry = merged.get(key) ?? {mixer: g.mixer, window: g.windowTokens, count: 0}
    entry.count += g.count
    merged.set(key, entry)
  }
  return [...merged.values()]
}

/** "10 * L + 52 * min(L, 1024)": keys (or cached tokens) over the attention layers at context L. */
function tokensFormula(spec: ModelSpec, variable: string, cacheOnly: boolean): string {
  const terms = mergedGroups(spec, cacheOnly).map(({mixer, window, count}) => {
    const t = mixer === 'full' ? variable : mixer === 'sliding' || cacheOnly ? `min(${variable}, ${window})` : `(mod(${variable} - 1, ${window}) + 1)`
    return `${count} * ${t}`
  })
  return terms.length ? `(${terms.join(' + ')})` : '0'
}

const kvSource = 'GQA: Ainslie et al. 2023; MLA latent: DeepSeek-V2 §2.1 (arXiv 2405.04434); sliding/chunked hold their window; src/calc/kv.ts'

function kvSteps(spec: ModelSpec, s: MemoryScenario): ExplainStep[] {
  const att = spec.attention
  const bytes = kvBytesPerElement(s.kvFormat)
  const e = kvElementsPerTokenPerLayer(spec, s.mlaCache)
  const steps: ExplainStep[] = []
  const elementFormula = att.mla ? (s.mlaCache === 'latent' ? 'rkv + dr' : 'H * (dqk + dv)') : 'Hkv * (d + dv)'
  const elementValues: Record<string, number> = att.mla
    ? s.mlaCache === 'latent'
      ? {rkv: att.mla.kvLoraRank, dr: att.mla.qkRopeHeadDim}
      : {H: att.heads, dqk: att.headDim, dv: att.valueHeadDim}
    : {Hkv: att.kvHeads, d: att.headDim, dv: att.valueHeadDim}
  steps.push({name: 'cached values per token per layer', formula: elementFormula, values: elementValues, result: e, unit: 'elements', source: kvSource, exact: true})
  const L = s.contextTokens
  let formula = `${tokensFormula(spec, 'L', true)} * e * bytes * B`
  const values: Record<string, number> = {L, e, bytes, B: s.batch}
  const counts = layerCounts(spec)
  if (counts.linear && spec.linearAttention) {
    const state = linearStateElements(spec, spec.linearAttention.convKernel)
    formula += ' + nl * (conv + rec) * sb * B'
    Object.assign(values, {nl: counts.linear, conv: state.convElements, rec: state.recurrentElements, sb: modelStateBytes(spec)})
  }
  steps.push({name: `KV cache of ${s.batch} sequence(s) at context L (theoretical)`, formula, values, result: kvCache(spec, L, s.batch, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes, unit: 'bytes', source: kvSource, exact: Number.isInteger(bytes)})
  const growing = spec.layerGroups.reduce((n, g) => n + (g.mixer !== 'linear' && g.kvSourceLayer === undefined && (g.mixer === 'full' || L < g.windowTokens!) ? g.count : 0), 0)
  steps.push({
    name: 'bytes one more token adds at context L (layers still growing)',
    formula: 'growing * e * bytes',
    values: {growing, e, bytes},
    result: kvBytesPerTokenAt(spec, L, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}),
    unit: 'bytes',
    source: kvSource,
    exact: Number.isInteger(bytes),
  })
  return steps
}

const flopsSource = 'Kaplan et al. 2020 Table 1 (2N per token + 2 n_ctx d_attn per attention term); absorbed MLA: DeepSeek-V2 §2.1.2; src/calc/flops.ts'

function matmulStep(spec: ModelSpec): ExplainStep {
  const a = paramCounts(spec).activeBreakdown
  const head = spec.embeddings.tied ? spec.embeddings.vocabSize * spec.hiddenSize : a.lmHead
  return {
    name: 'parameters each token multiplies (active matrices and the LM head; lookups and norm scales left out)',
    formula: 'attention + denseFfn + sharedExperts + routedExpertsActive + router + other + head',
    values: {attention: a.attention, denseFfn: a.denseFfn, sharedExperts: a.sharedExperts, routedExpertsActive: a.routedExperts, router: a.router, other: a.other, head},
    result: matmulParamsPerToken(spec),
    unit: 'params',
    source: flopsSource,
    exact: true,
  }
}

function perKeyStep(spec: ModelSpec, form: 'absorbed' | 'expanded'): ExplainStep {
  const att = spec.attention
  const absorbed = Boolean(att.mla) && form === 'absorbed'
  return {
    name: `FLOPs per key per attention layer (${att.mla ? `MLA ${form}` : 'QK^T and the weighted sum of V'})`,
    formula: absorbed ? '2 * H * (2 * rkv + dr)' : '2 * H * (dqk + dv)',
    values: absorbed ? {H: att.heads, rkv: att.mla!.kvLoraRank, dr: att.mla!.qkRopeHeadDim} : {H: att.heads, dqk: att.headDim, dv: att.valueHeadDim},
    result: attentionFlopsPerKey(spec, form),
    unit: 'FLOP',
    source: flopsSource,
    exact: true,
  }
}

function flopsSteps(spec: ModelSpec, contextTokens: number, o: FlopsOptions): ExplainStep[] {
  const n = matmulStep(spec)
  const key = perKeyStep(spec, o.mlaDecode)
  const linear = layerCounts(spec).linear
  return [
    n,
    key,
    {
      name: 'one decode step with L tokens in the cache (the new token at position L - 1)',
      formula: `2 * N + perKey * ${tokensFormula(spec, 'L', false)} + nl * lin`,
      values: {N: n.result, perKey: key.result, L: contextTokens, nl: linear, lin: linearMixerFlopsPerToken(spec)},
      result: decodeFlopsPerToken(spec, contextTokens, o),
      unit: 'FLOP',
      source: flopsSource,
      exact: false,
    },
  ]
}

function prefillSteps(spec: ModelSpec, tokens: number, o: FlopsOptions): ExplainStep[] {
  const n = matmulStep(spec)
  const key = perKeyStep(spec, o.mlaPrefill)
  const terms = mergedGroups(spec, false).map(({mixer, window: w, count}) => {
    const sum =
      mixer === 'full'
        ? 'P * (P + 1) / 2'
        : mixer === 'sliding'
          ? `min(P, ${w}) * (min(P, ${w}) + 1) / 2 + max(P - ${w}, 0) * ${w}`
          : `floor(P / ${w}) * ${w} * (${w} + 1) / 2 + mod(P, ${w}) * (mod(P, ${w}) + 1) / 2`
    return `${count} * (${sum})`
  })
  return [
    n,
    key,
    {
      name: 'prefill of P tokens, causal (position i sees i + 1 keys; the masked half is not counted)',
      formula: `P * (2 * N + nl * lin) + perKey * (${terms.join(' + ') || '0'})`,
      values: {P: tokens, N: n.result, perKey: key.result, nl: layerCounts(spec).linear, lin: linearMixerFlopsPerToken(spec)},
      result: prefillFlops(spec, tokens, o),
      unit: 'FLOP',
      source: flopsSource,
      exact: false,
    },
  ]
}

const memorySource = 'weights: params x bytes per element of each component format; activations: one prefill chunk (vLLM profile_run); src/calc/memory.ts'

function memorySteps(spec: ModelSpec, s: MemoryScenario): ExplainStep[] {
  const p = paramCounts(spec)
  const formats = weightFormatsFor(spec, s.weightFormats)
  const byClass = weightBytes(p.breakdown, formats, {int4GroupSize: s.int4GroupSize}).byClass
  const m = memoryEstimate(spec, s)
  const cls = (keys: (keyof typeof p.breakdown)[]) => keys.reduce((sum, k) => sum + p.breakdown[k], 0)
  const steps: ExplainStep[] = [
    {
      name: 'weights: parameters of each class x bytes per element of its format',
      formula: 'ceil(embParams * eb + linParams * lb + expParams * xb + unqParams * ub)',
      values: {
        embParams: cls(['embedding', 'perLayerEmbedding', 'lmHead']),
        eb: weightBytesPerElement(formats.embeddings, s.int4GroupSize),
        linParams: cls(['attention', 'denseFfn', 'sharedExperts', 'other']),
        lb: weightBytesPerElement(formats.linear, s.int4GroupSize),
        expParams: p.breakdown.routedExperts,
        xb: weightBytesPerElement(formats.experts, s.int4GroupSize),
        unqParams: cls(['norms', 'router']),
        ub: weightBytesPerElement(formats.unquantized, s.int4GroupSize),
      },
      result: Math.ceil(byClass.embeddings + byClass.linear + byClass.experts + byClass.unquantized),
      unit: 'bytes',
      source: memorySource,
      exact: true,
    },
  ]
  const att = spec.attention
  const moe = spec.moe
  const widestDense = Math.max(spec.ffn.intermediateSize, ...spec.layerGroups.map((g) => g.ffnIntermediateSize ?? 0))
  steps.push({
    name: 'activations of one prefill chunk of C tokens, per device, plus fp32 logits of the batch',
    formula: 'ceil(C * (2 * h + max(attnWidth, ffnWidth)) * 2 / tp + B * V * 4)',
    values: {
      C: s.prefillChunkTokens,
      h: spec.hiddenSize,
      attnWidth: att.heads * att.headDim * (att.outputGate ? 2 : 1) + 2 * att.kvHeads * att.headDim + att.heads * att.valueHeadDim,
      ffnWidth: moe ? Math.max(2 * (moe.topK * moe.expertIntermediateSize + moe.sharedIntermediateSize), 2 * widestDense) : 2 * widestDense,
      tp: s.layout.tp,
      B: s.batch,
      V: spec.embeddings.vocabSize,
    },
    result: Math.ceil(activationBytes(spec, s)),
    unit: 'bytes',
    source: memorySource,
    exact: true,
  })
  const devices = s.layout.tp * s.layout.pp
  steps.push({
    name: 'total: weights + KV cache + activations and overhead on every device',
    formula: 'weights + kv + devices * (activations + overhead)',
    values: {weights: m.weightsBytes, kv: m.engineKvBytes ?? m.kvBytes, devices, activations: m.perDevice.activationBytes, overhead: s.overheadBytesPerDevice},
    result: m.totalBytes,
    unit: 'bytes',
    source: memorySource,
    exact: true,
  })
  steps.push({
    name: 'per device: its shard of the weights, its share of the KV cache, activations, overhead',
    formula: 'deviceWeights + ceil(kv * kvShare) + activations + overhead',
    values: {deviceWeights: m.perDevice.weightsBytes, kv: m.engineKvBytes ?? m.kvBytes, kvShare: kvShareOfDevice(spec, s.layout), activations: m.perDevice.activationBytes, overhead: s.overheadBytesPerDevice},
    result: m.perDevice.totalBytes,
    unit: 'bytes',
    source: 'Megatron-LM tensor parallelism (Shoeybi et al. 2019); KV heads split over ranks, at least one per rank; src/calc/parallel.ts',
    exact: false,
  })
  return steps
}

const perfSource = 'roofline (Williams et al. 2009): time = max(FLOPs / compute rate, bytes / bandwidth); src/calc/perf.ts'

function phaseStep(name: string, t: ReturnType<typeof prefillTime>, peak: number, fraction: number, hw: HardwareSpec, mbu: number, tp: number): ExplainStep {
  return {
    name,
    formula: 'max(F / (peak * fc * tp), bytes / (bw * mbu * tp)) + comm',
    values: {F: t.flops, peak, fc: fraction, tp, bytes: t.bytes, bw: hw.memoryBandwidthBytesPerSecond, mbu, comm: t.commSeconds},
    result: t.seconds,
    unit: 's',
    source: perfSource,
    exact: false,
  }
}

function perfSteps(spec: ModelSpec, s: PerfScenario, hw: HardwareSpec, o: PerfOptions, quantity: 'ttft' | 'tpot' | 'tps' | 'cost', price: number | null): ExplainStep[] {
  const p = perfEstimate(spec, s, hw, o)
  const peak = hw.peakFlopsPerSecond[p.peakFormat]!
  const tp = s.layout.tp
  const prefill = phaseStep(`TTFT: prefill of ${s.batch} prompt(s) of ${s.promptTokens} tokens (peak ${p.peakFormat}, MFU ${o.prefillMfu})`, prefillTime(spec, s, hw, o), peak, o.prefillMfu, hw, o.bandwidthEfficiency, tp)
  const decode = phaseStep(`TPOT: one decode step of ${s.batch} sequence(s) at context ${p.decodeContextTokens} (compute at full peak)`, decodeStepTime(spec, s, hw, p.decodeContextTokens, o), peak, 1, hw, o.bandwidthEfficiency, tp)
  if (quantity === 'ttft') return [prefill]
  if (quantity === 'tpot') return [decode]
  if (quantity === 'tps')
    return [
      decode,
      {name: 'tokens per second, all sequences (per sequence: 1 / tpot)', formula: 'B / tpot', values: {B: s.batch, tpot: p.tpotSeconds}, result: p.aggregateTokensPerSecond, unit: 'tokens/s', source: perfSource, exact: false},
    ]
  const devices = s.layout.tp * s.layout.pp
  const c = costEstimate(p, s, hw, devices, price)
  const hourly = price ?? hw.pricePerHourUsd
  if (c.costPerMillionOutputTokens === null || hourly === null) return [decode]
  return [
    decode,
    {
      name: 'cost per million output tokens: all devices at the hourly price over the tokens they produce per hour',
      formula: 'price * devices / 3600 / (B / tpot) * 1e6',
      values: {price: hourly, devices, B: s.batch, tpot: p.tpotSeconds},
      result: c.costPerMillionOutputTokens,
      unit: 'USD',
      source: perfSource,
      exact: false,
    },
  ]
}

export interface ExplainContext {
  scenario: PerfScenario
  hardware: HardwareSpec | null
  perf: PerfOptions
  price: number | null
}

export function explain(spec: ModelSpec, quantity: ExplainQuantity, c: ExplainContext): Explanation {
  const s = c.scenario
  let steps: ExplainStep[]
  switch (quantity) {
    case 'params':
      steps = paramSteps(spec)
      break
    case 'active':
      steps = activeSteps(spec)
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
  const last = steps[steps.length - 1]!
  return {id: spec.id, quantity, result: last.result, unit: last.unit, steps}
}
