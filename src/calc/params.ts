// Parameter counts, exact to the parameter, of what the Hugging Face transformers model class builds for the text
// model. Every module's count is a registry entry (src/calc/formulas/params.ts); each component of the breakdown is
// the sum over the kinds of layers of count x per-layer part, plus its model-level parts; totals are sums of the
// breakdown's leaves, never a second formula. The whole derivation is kept (explain shows it) and cached per spec.
import {perSpec} from './per-spec.js'
import type {LayerGroup, ModelSpec} from '../schema/model.js'
import {totalEncoderParams} from './encoders.js'
import {assertSafeInteger} from './exact.js'
import {apply, bit, sumOf, type Evaluated, type Formula, type SumTerm} from './formulas/formula.js'
import {
  acrossHeadsQkNormParams,
  activationParams,
  activeRoutedExpertParams,
  embeddingNormParams,
  embeddingParams,
  embeddingProjectionParams,
  projectedEmbeddingParams,
  ffnParams,
  finalNormParams,
  gatedDeltaNetParams,
  gemma3nLayerNormParams,
  gemma3nLayerParams,
  gemma3nModelNormParams,
  gemma3nModelParams,
  gqaAttentionParams,
  gqaNoKvAttentionParams,
  headGateParams,
  linearMixerParams,
  gqaKeyIsValueAttentionParams,
  indexerParams as indexerFormula,
  msaIndexerParams,
  msaQkNormParams,
  kdaParams,
  kdaFullRankGateParams,
  layerNormParams,
  mamba2Params,
  mambaParams,
  shortConvParams,
  ssmNormParams,
  lmHeadBiasParams,
  lmHeadParams,
  mlaAttentionParams,
  mlaFullRankQueryAttentionParams,
  mlaNormParams,
  mlaOutputGateParams,
  mtpParams as mtpFormula,
  paramComponents,
  perHeadQkNormBiasParams,
  perHeadQkNormParams,
  queryNormParams,
  perLayerEmbeddingParams,
  perLayerInputLayerNormParams,
  perLayerInputLayerParams,
  perLayerInputModelNormParams,
  perLayerInputModelParams,
  routedExpertParams,
  routerParams,
  routerScaleParams,
  layerScalarParams,
  latentProjectionParams,
  latentNormParams,
  attnResLayerParams,
  attnResOutputParams,
  attnResOutputNormParams,
  sharedBlockAdapterParams,
  sharedBlockAttentionParams,
  sharedBlockMlpParams,
  sharedBlockNormParams,
  sharedExpertParams,
  storedRopeParams,
  totalParams as totalFormula,
  type ParamBreakdown,
  type ParamComponent,
} from './formulas/params.js'
import {layerPlan} from './layers.js'
import {
  hashRouterParams,
  hyperConnectionParams,
  hyperHeadParams,
  v4AttentionParams,
  v4CompressorParams,
  v4IndexerParams,
  v4LayerNormParams,
  v4MtpParams,
} from './formulas/deepseek-v4.js'
import {fullAttentionSpec, fullValueFromKey, groupAttentionSpec, hasMsa, hasOwnFullShape, hasOwnShape, isFullAttentionGroup, layersByOwnHeads, ownAttentionForm, slidingAttentionSpec, withKvHeads} from './attention-shape.js'

export {paramComponents, type ParamBreakdown, type ParamComponent}

export interface ParamCounts {
  totalParams: number
  activeParams: number
  embeddingParams: number
  nonEmbeddingParams: number
  /** Gemma 3n: total without per-layer embeddings, which the runtime can keep off the accelerator. */
  effectiveParams: number
  /** Modules the checkpoint ships but inference does not run by default (DeepSeek MTP). */
  mtpParams: number
  encoderParams: number
  breakdown: ParamBreakdown
  activeBreakdown: ParamBreakdown
}

/** The entries one component is made of (per-layer modules, then model-level ones) and their sum. */
export interface ComponentDerivation {
  steps: readonly Evaluated[]
  total: Evaluated
}

/** Every registry entry the counts of a spec come from, by component; active differs only in the routed experts. */
export interface ParamDerivation {
  components: Readonly<Record<ParamComponent, ComponentDerivation>>
  activeRoutedExperts: ComponentDerivation
  total: Evaluated
  active: Evaluated
}

/** An entry whose symbols are all read from the spec, evaluated. */
const on = <S extends string>(f: Formula<S, [ModelSpec]>, spec: ModelSpec): Evaluated<S> => apply(f, f.read!(spec))

/** Self-attention projections of one layer (GQA/MHA/MQA or MLA), without its norms. */
export function attentionProjectionStep(spec: ModelSpec): Evaluated {
  const mla = spec.attention.mla
  const f: Formula<string, [ModelSpec]> = !mla ? gqaAttentionParams : mla.qLoraRank === null ? mlaFullRankQueryAttentionParams : mlaAttentionParams
  return on(f, spec)
}

/** Projections of one full-attention layer with its own heads (Gemma 4 global layers), k/v or not; values from k_proj when valueFromKey. */
function fullAttentionProjectionStep(spec: ModelSpec, kvProjections: boolean): Evaluated {
  const g = fullAttentionSpec(spec)
  if (!kvProjections) return on(gqaNoKvAttentionParams, g)
  return on(fullValueFromKey(spec) ? gqaKeyIsValueAttentionParams : gqaAttentionParams, g)
}

/** Norm weights inside attention: QK-norm, or MLA's latent norms and the DSA indexer's k_norm; null when there are none. */
export function attentionNormStep(spec: ModelSpec): Evaluated | null {
  const att = spec.attention
  if (att.mla) return on(mlaNormParams, spec)
  if (att.indexer?.kind === 'msa') return on(msaQkNormParams, spec)
  if (att.qkNorm === 'per-head') return on(att.qkNormBias ? perHeadQkNormBiasParams : perHeadQkNormParams, spec)
  if (att.qkNorm === 'across-heads') return on(acrossHeadsQkNormParams, spec)
  return null
}

/** The linear-attention mixer of one layer (Gated DeltaNet or KDA); its output norm is counted with the norms. */
export function linearMixerStep(spec: ModelSpec): Evaluated {
  const la = spec.linearAttention
  if (!la) throw new Error('linear attention layer without a linearAttention block')
  const f: Formula<string, [ModelSpec]> =
    la.kind === 'kda' ? (la.fullRankGate ? kdaFullRankGateParams : kdaParams) : la.kind === 'mamba' ? mambaParams : la.kind === 'mamba2' ? mamba2Params : la.kind === 'short-conv' ? shortConvParams : gatedDeltaNetParams
  return on(f, spec)
}

const isSsm = (spec: ModelSpec) => ['mamba', 'mamba2', 'short-conv'].includes(spec.linearAttention!.kind)

/** DSA lightning indexer matrices of one attention layer; null without an indexer. */
export function indexerStep(spec: ModelSpec): Evaluated | null {
  if (!spec.attention.indexer) return null
  if (hasMsa(spec)) return on(msaIndexerParams, spec)
  if (!spec.attention.mla?.qLoraRank) throw new Error('DSA indexer without an MLA query latent')
  return on(indexerFormula, spec)
}

export const attentionProjectionParams = (spec: ModelSpec): number => attentionProjectionStep(spec).result
export const attentionNormParams = (spec: ModelSpec): number => attentionNormStep(spec)?.result ?? 0
export const linearAttentionProjectionParams = (spec: ModelSpec): number => linearMixerStep(spec).result
export const indexerParams = (spec: ModelSpec): number => indexerStep(spec)?.result ?? 0

/** Dense MLP: gate/up/down (gated) or up/down (plain), LlamaMLP / GPT2MLP. */
export function denseFfnParams(hidden: number, intermediate: number, gated: boolean, bias: boolean): number {
  return ffnParams.evaluate({gated: bit(gated), h: hidden, b: bit(bias), I: intermediate})
}

const ffnStep = (spec: ModelSpec, intermediate: number, bias: boolean, name?: string) => apply(ffnParams, ffnParams.read!(spec, intermediate, bias), name)
// Gated RMSNorm (dv) of a delta-rule mixer's output; a state-space mixer's own norms (ssmNormParams).
const linearNorms = (spec: ModelSpec) => (isSsm(spec) ? on(ssmNormParams, spec).result : spec.linearAttention!.valueHeadDim)
const layerNormStep = (spec: ModelSpec, mixerNorms: number, name?: string) => apply(layerNormParams, layerNormParams.read!(spec, mixerNorms), name)
// A layer whose run states its own hidden-size norm count (DeciLM no_op sublayers build no norm); non-parametric norms stay 0.
const layerNormOverrideStep = (spec: ModelSpec, mixerNorms: number, n: number, name?: string) => {
  const values = layerNormParams.read!(spec, mixerNorms)
  return apply(layerNormParams, {...values, n: values.n === 0 ? 0 : n}, name)
}

/** Layers whose run overrides norms.perLayer, by token mixer (attention or none) and norm count. */
function normOverrides(spec: ModelSpec): {attention: Map<number, number>; noMixer: Map<number, number>} {
  const out = {attention: new Map<number, number>(), noMixer: new Map<number, number>()}
  for (const g of spec.layerGroups) {
    if (g.norms === undefined || g.mixer === 'linear' || g.mixer === 'parallel') continue
    const m = g.mixer === 'none' ? out.noMixer : out.attention
    m.set(g.norms, (m.get(g.norms) ?? 0) + g.count)
  }
  return out
}
// One routed expert MLP: at the latent width when the MoE is latent (its up/down read L, not h).
const expertStep = (spec: ModelSpec, name?: string) => {
  const moe = spec.moe!
  return apply(ffnParams, {...ffnParams.read!(spec, moe.expertIntermediateSize, moe.expertBias), h: moe.latentSize ?? spec.hiddenSize}, name)
}
const latentStep = (spec: ModelSpec) => (spec.moe!.latentSize ? on(latentProjectionParams, spec) : null)
// Kimi K3: the latent norm (routed_expert_norm), the gated-MLA g_proj and the attention-residual pseudo-queries.
const latentNormStep = (spec: ModelSpec) => (spec.moe?.latentSize && spec.moe.latentNorm ? on(latentNormParams, spec) : null)
const mlaGateStep = (spec: ModelSpec) => (spec.attention.mla?.outputGate ? on(mlaOutputGateParams, spec) : null)
const attnResStep = (spec: ModelSpec) => (spec.attnResiduals ? on(attnResLayerParams, spec) : null)
const sharedMlp = (spec: ModelSpec) => (spec.moe!.sharedIntermediateSize > 0 ? ffnStep(spec, spec.moe!.sharedIntermediateSize, spec.moe!.sharedExpertBias ?? false, 'shared expert MLP, one MoE layer') : null)

interface LayerParams {
  attention: number
  norms: number
  denseFfn: number
  routedExperts: number
  routedExpertsActive: number
  sharedExperts: number
  router: number
  perLayerEmbedding: number
  other: number
}

// A layer that reuses an earlier layer's top-k (GLM-5 IndexShare, GlmMoeDsaAttention with indexer_types "shared")
// builds no indexer: neither its matrices nor its k_norm.
function withoutIndexer(spec: ModelSpec): ModelSpec {
  const {indexer: _, ...attention} = spec.attention
  return {...spec, attention}
}

// A run with its own query heads (Step 3.5/3.7 sliding layers): the spec's attention with those heads.
const withHeads = (spec: ModelSpec, heads: number): ModelSpec => ({...spec, attention: {...spec.attention, heads}})

/** One decoder layer of a group. */
export function layerParams(full: ModelSpec, group: LayerGroup): LayerParams {
  if (group.kNorm === false) {
    // Gemma 4 kv-shared layer: q_norm only (queryNormParams), as the group's heads see it.
    const out = layerParams(full, {...group, kNorm: undefined})
    const g = groupAttentionSpec(full, group)
    out.norms -= on(perHeadQkNormParams, g).result - on(queryNormParams, g).result
    return out
  }
  if (ownAttentionForm(group) === 'shape' && isFullAttentionGroup(group)) {
    // Gemma 4 global layer: its own heads (and no v_proj with valueFromKey); the rest as any layer.
    const out = layerParams(full, {...group, attention: undefined})
    const g = groupAttentionSpec(full, group)
    out.attention = fullAttentionProjectionStep(full, group.kvProjections !== false).result
    out.norms = layerNormStep(g, attentionNormParams(g)).result + (full.gemma3n ? on(gemma3nLayerNormParams, full).result : 0) + (hasPerLayerInputs(full) ? on(perLayerInputLayerNormParams, full).result : 0) + (full.norms.layerScalar ? 1 : 0)
    return out
  }
  // A run's own attention (groupAttentionSpec): MiMo-V2-Flash sliding layers (heads, head dims and sinks), Step 3.5/3.7
  // query heads, DeciLM / Nemotron-NAS KV heads (num_attention_heads / n_heads_in_group).
  const own = group.mixer !== 'linear' && group.mixer !== 'none' ? groupAttentionSpec(full, group) : full
  const spec = group.indexer === false ? withoutIndexer(own) : own
  const isLinear = group.mixer === 'linear'
  const noMixer = group.mixer === 'none'
  const parallel = group.mixer === 'parallel' // attention and the linear mixer side by side (Falcon-H1)
  const mixerNorms = noMixer ? 0 : isLinear ? linearNorms(spec) : attentionNormParams(spec) + (parallel ? linearNorms(spec) : 0)
  const out: LayerParams = {
    attention: group.linearMixer ? on(linearMixerParams, spec).result : noMixer ? 0 : isLinear ? linearAttentionProjectionParams(spec) : (group.kvProjections === false ? on(gqaNoKvAttentionParams, spec).result : attentionProjectionParams(spec)) + (parallel ? linearAttentionProjectionParams(spec) : 0) + (spec.attention.headGate ? on(headGateParams, spec).result : 0),
    norms: (group.norms === undefined ? layerNormStep(spec, mixerNorms) : layerNormOverrideStep(spec, mixerNorms, group.norms)).result,
    denseFfn: 0,
    routedExperts: 0,
    routedExpertsActive: 0,
    sharedExperts: 0,
    router: 0,
    perLayerEmbedding: 0,
    other: (isLinear || noMixer ? 0 : indexerParams(spec)) + (attnResStep(spec)?.result ?? 0),
  }
  if (!isLinear && !noMixer) out.attention += mlaGateStep(spec)?.result ?? 0
  if (group.ffn === 'dense') {
    out.denseFfn = ffnStep(spec, group.ffnIntermediateSize ?? spec.ffn.intermediateSize, spec.ffn.bias).result + on(activationParams, spec).result
  } else if (group.ffn === 'moe') {
    const moe = spec.moe!
    const expert = expertStep(spec).result
    const latent = latentStep(spec)?.result ?? 0
    out.routedExperts = routedExpertParams.evaluate({E: moe.routedExperts, F: expert}) + latent
    out.routedExpertsActive = activeRoutedExpertParams.evaluate({k: moe.topK, F: expert}) + latent
    out.sharedExperts = sharedExpertParams.evaluate(sharedExpertParams.read!(spec, sharedMlp(spec)?.result ?? 0))
    out.router = on(routerParams, spec).result + (moe.routerScales ? on(routerScaleParams, spec).result : 0)
    out.norms += latentNormStep(spec)?.result ?? 0
  }
  if (spec.norms.layerScalar) out.norms += 1
  if (spec.gemma3n) {
    out.other += on(gemma3nLayerParams, spec).result
    out.norms += on(gemma3nLayerNormParams, spec).result
  }
  if (hasPerLayerInputs(spec)) {
    out.other += on(perLayerInputLayerParams, spec).result
    out.norms += on(perLayerInputLayerNormParams, spec).result
  }
  return out
}

/** Gemma 4 E2B/E4B: per-layer embeddings without Gemma 3n's AltUp and LAuReL (no gemma3n block). */
const hasPerLayerInputs = (spec: ModelSpec) => spec.embeddings.perLayer != null && spec.gemma3n === undefined

const componentLabels: Record<ParamComponent, string> = {
  embedding: 'embedding',
  perLayerEmbedding: 'per-layer embeddings',
  attention: 'token mixers, all layers',
  denseFfn: 'dense MLPs, all dense layers',
  routedExperts: 'routed experts, all MoE layers',
  sharedExperts: 'shared experts, all MoE layers',
  router: 'routers, all MoE layers',
  norms: 'norm weights, all layers and the final norm',
  lmHead: 'LM head',
  other: 'other matrices (indexers, AltUp, LAuReL, per-layer input projections), all layers',
}

/** Builds one component: its steps, and the sum of its terms (each term one of the steps, times a layer count). */
function component(name: ParamComponent, parts: readonly {steps: readonly (Evaluated | null)[]; term?: SumTerm}[], label = componentLabels[name]): ComponentDerivation {
  const steps = parts.flatMap((p) => p.steps.filter((s): s is Evaluated => s !== null))
  const terms = parts.flatMap((p) => (p.term ? [p.term] : []))
  return {steps, total: sumOf(`params.${name}.sum`, label, 'params', true, terms)}
}

const layers = (symbol: string, doc: string, value: number) => ({symbol, doc, value})

function derive(spec: ModelSpec): ParamDerivation {
  const plan = layerPlan(spec)
  // Shared-block invocations are attention layers of the KV and FLOP sums; their weights are counted per block below.
  const na = plan.attentionLayers - plan.sharedInvocations
  const nl = plan.linearLayers
  const nm = plan.moeLayers
  const nAttention = layers('n_attention', 'attention layers', na)
  const nLinear = layers('n_linear', 'linear-attention layers', nl)
  const nMoe = layers('n_moe', 'MoE layers', nm)
  const nNoMixer = layers('n_ffn_only', 'FFN-only blocks (no token mixer)', plan.noMixerLayers)
  const np = plan.parallelLayers
  // A parallel layer's hidden-size norms are counted with the attention layers; only its linear mixer's norms here.
  const nLinearOnly = layers('n_linear_only', 'linear-attention layers without attention', nl - np)
  const nParallel = layers('n_parallel', 'layers with attention and a linear mixer side by side', np)
  const nLayers = layers('n_layers', 'decoder layers', spec.layers)
  const g3n = spec.gemma3n !== undefined
  const pli = hasPerLayerInputs(spec)
  const part = (symbol: string, doc: string, step: Evaluated | null, count?: SumTerm['count']) => ({steps: [step], term: step ? {symbol, doc, value: step.result, count} : undefined})

  const projected = spec.embeddings.projectionDim !== undefined
  // Weight-shared blocks (Zamba2): attention, MLP and norms once per block; adapters and output projection per invocation.
  const sb = spec.sharedBlocks
  const nBlocks = sb ? layers('n_blocks', 'shared blocks', sb.blocks) : null
  const nInvocations = sb ? layers('n_invocations', 'shared-block invocations', sb.invokedAt.length) : null
  const sharedPart = (symbol: string, doc: string, f: Formula<string, [ModelSpec]>, count: SumTerm['count']) => (sb ? [part(symbol, doc, on(f, spec), count)] : [])

  const embedding = component('embedding', [part('embedding', 'embedding parameters (params)', on(projected ? projectedEmbeddingParams : embeddingParams, spec))])
  const perLayerEmbedding = component('perLayerEmbedding', spec.embeddings.perLayer ? [part('perLayerEmbedding', 'per-layer embedding parameters (params)', on(perLayerEmbeddingParams, spec))] : [])
  const lmHead = component('lmHead', [
    part('lmHead', 'LM head parameters (params)', on(lmHeadParams, spec)),
    ...(spec.embeddings.lmHeadBias ? [part('lmHeadBias', 'LM head bias (params)', on(lmHeadBiasParams, spec))] : []),
  ])

  const attentionNorms = na > 0 ? attentionNormStep(spec) : null
  // GLM-5 IndexShare: attention layers without an indexer of their own (no indexer matrices, no k_norm).
  const nNoIndexer = spec.attention.indexer ? spec.layerGroups.reduce((n, g) => n + (g.mixer !== 'linear' && g.mixer !== 'none' && g.indexer === false ? g.count : 0), 0) : 0
  const nIndexer = nNoIndexer > 0 ? layers('n_indexer', 'attention layers with their own DSA indexer', na - nNoIndexer) : nAttention
  const noIndexerNorms = nNoIndexer > 0 ? attentionNormStep(withoutIndexer(spec)) : null
  // Cross-layer attention (Hunyuan use_cla): layers that reuse another layer's KV without k/v projections of their own.
  // Gemma 4: full-attention layers with heads of their own are counted apart.
  const fa = hasOwnFullShape(spec)
  const countGroups = (test: (g: LayerGroup) => boolean) => spec.layerGroups.reduce((n, g) => n + (g.mixer !== 'linear' && g.mixer !== 'none' && test(g) ? g.count : 0), 0)
  const isGlobal = (g: LayerGroup) => fa && isFullAttentionGroup(g)
  const nGlobalKv = countGroups((g) => isGlobal(g) && g.kvProjections !== false)
  const nGlobalNoKv = countGroups((g) => isGlobal(g) && g.kvProjections === false)
  const nGlobal = nGlobalKv + nGlobalNoKv
  const nNoKv = spec.layerGroups.reduce((n, g) => n + (g.mixer !== 'linear' && g.kvProjections === false ? g.count : 0), 0) - nGlobalNoKv
  const nWithKv = nNoKv > 0 || nGlobal > 0 ? layers('n_attention_kv', 'attention layers with their own k/v projections', na - nNoKv - nGlobal) : nAttention
  const nFullLayers = layers('n_full', 'full-attention layers with their own heads', nGlobal)
  const globalSpec = fullAttentionSpec(spec)
  const globalNorms = nGlobal > 0 ? attentionNormStep(globalSpec) : null
  // Runs with their own query heads (Step 3.5/3.7 sliding layers): their projections and gates counted apart.
  const heads = layersByOwnHeads(spec, 'heads')
  const nOwnHeads = [...heads.values()].reduce((a, b) => a + b, 0)
  if (fa && nOwnHeads > 0) throw new Error('full-attention heads of their own with per-run query heads are not modelled')
  // Sliding layers with an attention shape of their own (MiMo-V2-Flash swa_*): projections and QK-norms apart.
  const nOwnShape = hasOwnShape(spec, 'sliding') ? spec.layerGroups.reduce((n, g) => n + (g.mixer === 'sliding' ? g.count : 0), 0) : 0
  if (nOwnShape > 0 && (fa || nOwnHeads > 0)) throw new Error('a sliding-layer attention shape with a full-layer one or per-run query heads is not modelled')
  const slidingSpec = nOwnShape > 0 ? slidingAttentionSpec(spec) : null
  const nOwn = layers('n_sliding', 'sliding-window layers with their own attention shape', nOwnShape)
  // Runs with their own KV heads (DeciLM / Nemotron-NAS blocks): their projections counted apart.
  const kvOwn = layersByOwnHeads(spec, 'kvHeads')
  const nOwnKv = [...kvOwn.values()].reduce((a, b) => a + b, 0)
  if (nOwnKv > 0 && (nOwnHeads > 0 || nOwnShape > 0 || fa || nNoKv > 0)) throw new Error('per-run KV heads with per-run query heads, a full- or sliding-layer attention shape or kv-sharing layers are not modelled')
  // DeciLM / Nemotron-NAS replace_with_linear: a hidden x hidden linear in place of attention.
  const nLinearMixer = spec.layerGroups.reduce((n, g) => n + (g.linearMixer ? g.count : 0), 0)
  const nSpecHeads = nOwnHeads > 0 ? layers('n_attention_h', `attention layers with ${spec.attention.heads} query heads`, na - nOwnHeads) : null
  const attention = component('attention', [
    ...(na - nNoKv - nGlobal - nOwnHeads - nOwnShape - nOwnKv > 0
      ? [part('attention', 'attention projections of one layer (params)', attentionProjectionStep(spec), nOwnKv > 0 ? layers(`n_attention_kv${spec.attention.kvHeads}`, `attention layers with ${spec.attention.kvHeads} KV heads`, na - nOwnKv) : nOwnShape > 0 ? layers('n_full', 'attention layers with the main attention shape', na - nNoKv - nOwnShape) : nOwnHeads === 0 ? nWithKv : layers('n_attention_h', `attention layers with their own k/v and ${spec.attention.heads} query heads`, na - nNoKv - nOwnHeads))]
      : []),
    ...[...heads].map(([H, count]) => part(`attentionH${H}`, `attention projections of one layer with ${H} query heads (params)`, attentionProjectionStep(withHeads(spec, H)), layers(`n_attention_h${H}`, `attention layers with ${H} query heads`, count))),
    ...[...kvOwn].map(([Hkv, count]) => part(`attentionKv${Hkv}`, `attention projections of one layer with ${Hkv} KV heads (params)`, attentionProjectionStep(withKvHeads(spec, Hkv)), layers(`n_attention_kv${Hkv}`, `attention layers with ${Hkv} KV heads`, count))),
    ...(nLinearMixer > 0 ? [part('linearReplacement', 'hidden x hidden linear in place of attention, one layer (params)', on(linearMixerParams, spec), layers('n_linear_replacement', 'layers whose attention is one hidden x hidden linear (replace_with_linear)', nLinearMixer))] : []),
    ...(slidingSpec ? [part('attentionSliding', 'attention projections of one sliding-window layer (params)', attentionProjectionStep(slidingSpec), nOwn)] : []),
    ...(na > 0 && mlaGateStep(spec) ? [part('outputGate', 'MLA output gate of one attention layer (params)', mlaGateStep(spec), nAttention)] : []),
    ...(nNoKv > 0 ? [part('attentionNoKv', 'attention projections of one layer without k/v (params)', on(gqaNoKvAttentionParams, spec), layers('n_cross', 'layers reusing an earlier layer\'s KV without k/v projections', nNoKv))] : []),
    ...(nGlobalKv > 0 ? [part('attentionFull', 'attention projections of one full-attention layer (params)', fullAttentionProjectionStep(spec, true), layers('n_full_kv', 'full-attention layers with their own heads and k projection', nGlobalKv))] : []),
    ...(nGlobalNoKv > 0 ? [part('attentionFullNoKv', 'attention projections of one full-attention layer without k/v (params)', fullAttentionProjectionStep(spec, false), layers('n_full_shared', 'full-attention layers reusing an earlier layer\'s KV', nGlobalNoKv))] : []),
    // Step 3.5/3.7 head-wise gate (g_proj) in every attention layer.
    ...(na - nOwnHeads > 0 && spec.attention.headGate ? [part('headGate', 'head-wise gate of one attention layer (params)', on(headGateParams, spec), nSpecHeads ?? nAttention)] : []),
    ...(spec.attention.headGate ? [...heads].map(([H, count]) => part(`headGateH${H}`, `head-wise gate of one attention layer with ${H} query heads (params)`, on(headGateParams, withHeads(spec, H)), layers(`n_attention_h${H}`, `attention layers with ${H} query heads`, count))) : []),
    ...(nl > 0 ? [part('linear', 'linear-attention mixer of one layer (params)', linearMixerStep(spec), nLinear)] : []),
    ...sharedPart('sharedAttention', 'attention projections of one shared block (params)', sharedBlockAttentionParams, nBlocks!),
  ])

  const dense = component('denseFfn', [
    ...plan.denseWidths.map(({intermediateSize, layers: n}, i) => {
      const suffix = plan.denseWidths.length > 1 ? String(i + 1) : ''
      const name = `dense MLP, one layer${suffix ? ` of width ${intermediateSize}` : ''}`
      return part(`dense${suffix}`, `MLP of one dense layer, width ${intermediateSize} (params)`, ffnStep(spec, intermediateSize, spec.ffn.bias, name), layers(`n_dense${suffix}`, `dense layers of width ${intermediateSize}`, n))
    }),
    // A learnable activation (xIELU) adds its scalars to every dense MLP.
    ...(spec.ffn.activationParams
      ? [part('activation', 'learnable activation scalars of one dense MLP (params)', on(activationParams, spec), layers('n_dense_all', 'dense layers', plan.denseWidths.reduce((n, w) => n + w.layers, 0)))]
      : []),
    ...sharedPart('sharedMlp', 'MLP of one shared block (params)', sharedBlockMlpParams, nBlocks!),
  ])

  const moe = spec.moe && nm > 0 ? spec.moe : null
  const expert = moe ? expertStep(spec, 'one routed expert MLP') : null
  const latent = moe ? latentStep(spec) : null
  const latentPart = latent ? [part('latent', 'latent MoE projections of one MoE layer (params)', latent, nMoe)] : []
  const routed = moe ? apply(routedExpertParams, {E: moe.routedExperts, F: expert!.result}) : null
  const routedActive = moe ? apply(activeRoutedExpertParams, {k: moe.topK, F: expert!.result}) : null
  const routedExperts = component('routedExperts', moe ? [{steps: [expert]}, part('routed', 'routed experts of one MoE layer (params)', routed, nMoe), ...latentPart] : [])
  const activeRoutedExperts = component(
    'routedExperts',
    moe ? [{steps: [expert]}, part('routedActive', 'routed experts a token runs, one MoE layer (params)', routedActive, nMoe), ...latentPart] : [],
    'routed experts a token runs, all MoE layers',
  )
  const sharedMlpStep = moe ? sharedMlp(spec) : null
  const shared = moe && (sharedMlpStep || moe.sharedExpertGate) ? apply(sharedExpertParams, sharedExpertParams.read!(spec, sharedMlpStep?.result ?? 0)) : null
  const sharedExperts = component('sharedExperts', shared ? [{steps: [sharedMlpStep]}, part('shared', 'shared experts of one MoE layer (params)', shared, nMoe)] : [])
  const router = component('router', moe ? [part('router', 'router of one MoE layer (params)', on(routerParams, spec), nMoe), ...(moe.routerScales ? [part('routerScales', 'router scales of one MoE layer (params)', on(routerScaleParams, spec), nMoe)] : [])] : [])
  if (fa && spec.attention.indexer) throw new Error('full-attention heads of their own with a DSA indexer are not modelled')
  // Gemma 4 kv-shared layers build q_norm but no k_norm (kNorm false): their norms are counted apart.
  const nNoKNormLocal = countGroups((g) => g.kNorm === false && !isGlobal(g))
  const nNoKNormGlobal = countGroups((g) => g.kNorm === false && isGlobal(g))
  if ((nNoKNormLocal > 0 || nNoKNormGlobal > 0) && spec.attention.indexer) throw new Error('kNorm false with a DSA indexer is not modelled')
  const noKNormNorms = (s: ModelSpec, name: string) => layerNormStep(s, on(queryNormParams, s).result, name)
  const nOtherAttention = nGlobal > 0 || nNoKNormLocal > 0 ? layers('n_other_attention', 'attention layers with the common heads and both QK-norms', na - nGlobal - nNoKNormLocal) : nIndexer
  const nFullNorms = nNoKNormGlobal > 0 ? layers('n_full_knorm', 'full-attention layers with their own heads and both QK-norms', nGlobal - nNoKNormGlobal) : nFullLayers

  // DeepSeek-V4: its own attention, norms, routers and the compressors, indexers and hyper-connections under other.
  if (spec.deepseekV4) {
    const v = deepseekV4Components(spec, part)
    const components = {embedding, perLayerEmbedding, attention: v.attention, denseFfn: dense, routedExperts, sharedExperts, router: v.router, norms: v.norms, lmHead, other: v.other}
    const breakdown = Object.fromEntries(paramComponents.map((c) => [c, components[c].total.result])) as ParamBreakdown
    const activeBreakdown = {...breakdown, routedExperts: activeRoutedExperts.total.result}
    return {components, activeRoutedExperts, total: apply(totalFormula, totalFormula.read!(breakdown)), active: apply(totalFormula, totalFormula.read!(activeBreakdown))}
  }

  // Runs that state their own norm count (DeciLM no_op sublayers) are counted apart from the perLayer ones.
  const over = normOverrides(spec)
  const overAttention = [...over.attention.values()].reduce((a, b) => a + b, 0)
  const overNoMixer = [...over.noMixer.values()].reduce((a, b) => a + b, 0)
  if (overAttention > 0 && nNoIndexer > 0) throw new Error('per-run norm counts with DSA indexer sharing are not modelled')
  // Attention layers with the spec's heads, both QK-norms and norms.perLayer norms.
  const nCommonNorms = na - nNoIndexer - nGlobal - nNoKNormLocal - overAttention - nOwnShape
  const nCommonNormsTerm =
    overAttention > 0
      ? layers('n_attention_norms', 'attention layers with norms.perLayer norms', nCommonNorms)
      : nGlobal > 0 || nNoKNormLocal > 0
        ? nOtherAttention
        : nOwnShape > 0
          ? layers('n_full', 'attention layers with the main attention shape', nCommonNorms)
          : nIndexer
  const slidingNorms = slidingSpec ? attentionNormStep(slidingSpec) : null
  const norms = component('norms', [
    ...(nCommonNorms > 0 ? [{steps: [attentionNorms]}, part('attention', 'norm weights of one attention layer (params)', layerNormStep(spec, attentionNorms?.result ?? 0, 'norm weights, one attention layer'), nCommonNormsTerm)] : []),
    ...[...over.attention].map(([n, count]) =>
      part(`attentionNorms${n}`, `norm weights of one attention layer with ${n} hidden-size norms (params)`, layerNormOverrideStep(spec, attentionNorms?.result ?? 0, n, `norm weights, one attention layer with ${n} hidden-size norms`), layers(`n_attention_norms${n}`, `attention layers with ${n} hidden-size norms`, count)),
    ),
    ...(slidingSpec ? [{steps: [slidingNorms]}, part('attentionSliding', 'norm weights of one sliding-window layer (params)', layerNormStep(slidingSpec, slidingNorms?.result ?? 0, 'norm weights, one sliding-window layer'), nOwn)] : []),
    ...(nGlobal - nNoKNormGlobal > 0 ? [{steps: [globalNorms]}, part('attentionFull', 'norm weights of one full-attention layer (params)', layerNormStep(globalSpec, globalNorms?.result ?? 0, 'norm weights, one full-attention layer'), nFullNorms)] : []),
    ...(nNoKNormLocal > 0 ? [{steps: [on(queryNormParams, spec)]}, part('attentionNoKNorm', 'norm weights of one kv-shared layer without k_norm (params)', noKNormNorms(spec, 'norm weights, one kv-shared layer'), layers('n_no_knorm', 'kv-shared layers with q_norm only', nNoKNormLocal))] : []),
    ...(nNoKNormGlobal > 0 ? [{steps: [on(queryNormParams, globalSpec)]}, part('attentionFullNoKNorm', 'norm weights of one kv-shared full-attention layer without k_norm (params)', noKNormNorms(globalSpec, 'norm weights, one kv-shared full-attention layer'), layers('n_full_no_knorm', 'kv-shared full-attention layers with q_norm only', nNoKNormGlobal))] : []),
    ...(nNoIndexer > 0
      ? [{steps: [noIndexerNorms]}, part('attentionNoIndexer', 'norm weights of one attention layer without an indexer (params)', layerNormStep(spec, noIndexerNorms?.result ?? 0, 'norm weights, one attention layer without an indexer'), layers('n_no_indexer', 'attention layers reusing an earlier layer\'s top-k, without an indexer', nNoIndexer))]
      : []),
    ...(nl - np > 0 && isSsm(spec) ? [{steps: [on(ssmNormParams, spec)]}] : []),
    ...(nl - np > 0 ? [part('linear', 'norm weights of one linear-attention layer (params)', layerNormStep(spec, linearNorms(spec), 'norm weights, one linear-attention layer (m: its gated output norm)'), np > 0 ? nLinearOnly : nLinear)] : []),
    ...(np > 0 && linearNorms(spec) > 0 ? [part('parallelMixer', 'norm weights inside the linear mixer of one parallel layer (params)', on(ssmNormParams, spec), nParallel)] : []),
    ...(plan.noMixerLayers - overNoMixer > 0 ? [part('ffnOnly', 'norm weights of one FFN-only block (params)', layerNormStep(spec, 0, 'norm weights, one FFN-only block'), overNoMixer > 0 ? layers('n_ffn_only_norms', 'FFN-only blocks with norms.perLayer norms', plan.noMixerLayers - overNoMixer) : nNoMixer)] : []),
    ...[...over.noMixer].filter(([n]) => n > 0).map(([n, count]) =>
      part(`ffnOnlyNorms${n}`, `norm weights of one FFN-only block with ${n} hidden-size norms (params)`, layerNormOverrideStep(spec, 0, n, `norm weights, one FFN-only block with ${n} hidden-size norms`), layers(`n_ffn_only_norms${n}`, `FFN-only blocks with ${n} hidden-size norms`, count)),
    ),
    ...(g3n ? [part('gemma3n', 'Gemma 3n extra norms of one layer (params)', on(gemma3nLayerNormParams, spec), nLayers)] : []),
    ...(pli ? [part('perLayerInput', 'per-layer input norm of one layer (params)', on(perLayerInputLayerNormParams, spec), nLayers)] : []),
    ...sharedPart('sharedBlock', 'norm weights of one shared block (params)', sharedBlockNormParams, nBlocks!),
    ...(moe && latentNormStep(spec) ? [part('latentNorm', 'latent MoE norm of one MoE layer (params)', latentNormStep(spec), nMoe)] : []),
    ...(spec.norms.layerScalar ? [part('layerScalar', 'layer output scalars (params)', on(layerScalarParams, spec))] : []),
    ...(spec.norms.final ? [part('final', 'final norm (params)', on(finalNormParams, spec))] : []),
    ...(spec.attnResiduals ? [part('attnResOutputNorm', 'attention-residual output norm (params)', on(attnResOutputNormParams, spec))] : []),
    ...(spec.norms.embedding ? [part('embeddingNorm', 'embedding norm (params)', on(embeddingNormParams, spec))] : []),
    ...(g3n ? [part('gemma3nModel', 'Gemma 3n per-layer projection norm (params)', on(gemma3nModelNormParams, spec))] : []),
    ...(pli ? [part('perLayerInputModel', 'per-layer projection norm (params)', on(perLayerInputModelNormParams, spec))] : []),
  ])

  const other = component('other', [
    ...(na - nNoIndexer > 0 && spec.attention.indexer ? [part('indexer', `${hasMsa(spec) ? 'MSA' : 'DSA'} indexer of one attention layer (params)`, indexerStep(spec), nIndexer)] : []),
    ...(g3n ? [part('gemma3n', 'Gemma 3n AltUp, LAuReL and per-layer projections of one layer (params)', on(gemma3nLayerParams, spec), nLayers)] : []),
    ...(g3n ? [part('gemma3nModel', 'Gemma 3n model-level projections (params)', on(gemma3nModelParams, spec))] : []),
    ...(pli ? [part('perLayerInput', 'per-layer input gate and projection of one layer (params)', on(perLayerInputLayerParams, spec), nLayers)] : []),
    ...(pli ? [part('perLayerInputModel', 'per-layer model projection (params)', on(perLayerInputModelParams, spec))] : []),
    ...(spec.attnResiduals ? [part('attnRes', 'attention-residual pseudo-queries of one layer (params)', attnResStep(spec), nLayers)] : []),
    ...(spec.attnResiduals ? [part('attnResOutput', 'attention-residual output pseudo-query (params)', on(attnResOutputParams, spec))] : []),
    ...(spec.rope.storedInvFreq ? [part('ropeBuffer', 'rotary inv_freq buffer saved in the checkpoint (params)', on(storedRopeParams, spec))] : []),
    ...(projected ? [part('projections', 'embedding projections in and out (params)', on(embeddingProjectionParams, spec))] : []),
    ...sharedPart('sharedAdapters', 'adapters and output projection of one shared-block invocation (params)', sharedBlockAdapterParams, nInvocations!),
  ])

  const components = {embedding, perLayerEmbedding, attention, denseFfn: dense, routedExperts, sharedExperts, router, norms, lmHead, other}
  const breakdown = Object.fromEntries(paramComponents.map((c) => [c, components[c].total.result])) as ParamBreakdown
  const activeBreakdown = {...breakdown, routedExperts: activeRoutedExperts.total.result}
  return {
    components,
    activeRoutedExperts,
    total: apply(totalFormula, totalFormula.read!(breakdown)),
    active: apply(totalFormula, totalFormula.read!(activeBreakdown)),
  }
}

type Part = (symbol: string, doc: string, step: Evaluated | null, count?: SumTerm['count']) => {steps: (Evaluated | null)[]; term: SumTerm | undefined}

/** Layers of a DeepSeek-V4 spec by compressor (none: plain sliding window) and by routing. */
export function deepseekV4LayerCounts(spec: ModelSpec): {csa: number; hca: number; none: number; hash: number; learned: number} {
  const n = {csa: 0, hca: 0, none: 0, hash: 0, learned: 0}
  for (const g of spec.layerGroups) {
    n[g.compressor ?? 'none'] += g.count
    if (g.ffn === 'moe') n[g.hashRouting ? 'hash' : 'learned'] += g.count
  }
  return n
}

/**
 * DeepSeek-V4 (transformers modeling_deepseek_v4.py DeepseekV4DecoderLayer): attention projections and sinks in every
 * layer; norms by layer kind (the compressor's and indexer's kv_norm); routers by routing (hash: gate + tid2eid;
 * learned: gate + e_score_correction_bias); under other the compressors, the CSA indexers, the per-layer
 * hyper-connections and the hyper-connection head.
 */
function deepseekV4Components(spec: ModelSpec, part: Part): {attention: ComponentDerivation; norms: ComponentDerivation; router: ComponentDerivation; other: ComponentDerivation} {
  const n = deepseekV4LayerCounts(spec)
  const count = (symbol: string, doc: string, value: number) => layers(symbol, doc, value)
  const kinds = (['csa', 'hca', 'none'] as const).filter((k) => n[k] > 0)
  const kindDoc = {csa: 'CSA layers (sliding window + compressed sparse attention)', hca: 'HCA layers (sliding window + heavily compressed attention)', none: 'plain sliding-window layers'}
  const attention = component('attention', [part('attention', 'DeepSeek-V4 attention of one layer (params)', on(v4AttentionParams, spec), count('n_layers', 'decoder layers', spec.layers))])
  const norms = component('norms', [
    ...kinds.map((k) => part(`norms_${k}`, `norm weights of one ${k === 'none' ? 'sliding' : k.toUpperCase()} layer (params)`, apply(v4LayerNormParams, v4LayerNormParams.read!(spec, k)), count(`n_${k}`, kindDoc[k], n[k]))),
    ...(spec.norms.final ? [part('final', 'final norm (params)', on(finalNormParams, spec))] : []),
  ])
  const router = component('router', [
    ...(n.learned > 0 ? [part('router', 'router of one learned-routing MoE layer (params)', on(routerParams, spec), count('n_learned', 'MoE layers with learned routing', n.learned))] : []),
    ...(n.hash > 0 ? [part('hashRouter', 'hash router of one hash-routed MoE layer (params)', on(hashRouterParams, spec), count('n_hash', 'hash-routed MoE layers', n.hash))] : []),
  ])
  const other = component('other', [
    ...(['csa', 'hca'] as const).filter((k) => n[k] > 0).map((k) => part(`compressor_${k}`, `KV compressor of one ${k.toUpperCase()} layer (params)`, apply(v4CompressorParams, v4CompressorParams.read!(spec, k)), count(`n_${k}`, kindDoc[k], n[k]))),
    ...(n.csa > 0 ? [part('indexer', 'lightning indexer of one CSA layer (params)', on(v4IndexerParams, spec), count('n_csa', kindDoc.csa, n.csa))] : []),
    part('hyperConnections', 'hyper-connections of one layer (params)', on(hyperConnectionParams, spec), count('n_layers', 'decoder layers', spec.layers)),
    part('hyperHead', 'hyper-connection head (params)', on(hyperHeadParams, spec)),
  ], 'other matrices (compressors, indexers, hyper-connections), all layers')
  return {attention, norms, router, other}
}

/** One DeepSeek-V4 decoder layer with the given compressor and routing, all its parameters (the MTP block's layer). */
export function deepseekV4LayerTotal(spec: ModelSpec, compressor: 'csa' | 'hca' | 'none', hash: boolean): number {
  const moe = spec.moe!
  const expert = expertStep(spec).result
  const compressorParams = compressor === 'none' ? 0 : v4CompressorParams.evaluate(v4CompressorParams.read!(spec, compressor))
  const indexer = compressor === 'csa' ? on(v4IndexerParams, spec).result : 0
  return (
    on(v4AttentionParams, spec).result +
    v4LayerNormParams.evaluate(v4LayerNormParams.read!(spec, compressor)) +
    routedExpertParams.evaluate({E: moe.routedExperts, F: expert}) +
    sharedExpertParams.evaluate(sharedExpertParams.read!(spec, sharedMlp(spec)?.result ?? 0)) +
    (hash ? on(hashRouterParams, spec).result : on(routerParams, spec).result) +
    compressorParams +
    indexer +
    on(hyperConnectionParams, spec).result
  )
}

/** The registry entries behind every count of a spec, computed once per spec object. */
export const paramDerivation = perSpec(derive)

/** Every parameter count of a spec, computed once per spec object and frozen. */
export const paramCounts = perSpec((spec): ParamCounts => {
  const counts = computeParamCounts(spec)
  Object.freeze(counts.breakdown)
  Object.freeze(counts.activeBreakdown)
  return Object.freeze(counts)
})

function computeParamCounts(spec: ModelSpec): ParamCounts {
  const d = paramDerivation(spec)
  const breakdown = {...(d.total.values as ParamBreakdown)}
  const activeBreakdown = {...(d.active.values as ParamBreakdown)}
  const totalParams = assertSafeInteger(d.total.result, 'totalParams')
  const embeddingParams = breakdown.embedding + breakdown.perLayerEmbedding
  return {
    totalParams,
    activeParams: assertSafeInteger(d.active.result, 'activeParams'),
    embeddingParams,
    nonEmbeddingParams: totalParams - embeddingParams,
    effectiveParams: totalParams - breakdown.perLayerEmbedding,
    mtpParams: mtpParams(spec),
    encoderParams: totalEncoderParams(spec.encoders),
    breakdown,
    activeBreakdown,
  }
}

/**
 * Multi-token-prediction module as shipped in the checkpoint: one full-attention MoE decoder layer plus two input
 * norms, a (2h, h) fusing projection and an output norm (DeepSeek-V3 model.layers.61: enorm, hnorm, eh_proj,
 * shared_head.norm, tech report §2.2; Qwen3-Next mtp.*: pre_fc_norm_embedding/hidden, fc, norm, vLLM
 * qwen3_next_mtp.py). Its embedding and head share the main model's, so they are not counted again.
 */
export function mtpParams(spec: ModelSpec): number {
  if (spec.mtpLayers === 0) return 0
  // Nemotron-H: the module is a run of blocks of the main model's kinds (vLLM nemotron_h_mtp.py NemotronHMultiTokenPredictor).
  if (spec.mtpLayerGroups) {
    const blocks = spec.mtpLayerGroups.reduce((sum, g) => sum + g.count * layerTotal(layerParams(spec, g)), 0)
    return mtpFormula.evaluate(mtpFormula.read!(spec, blocks))
  }
  // DeepSeek-V4 MTPBlock (inference/model.py): a learned-routing Block with compress_ratios[num_hidden_layers]'s compressor.
  const v4 = spec.deepseekV4
  if (v4) return v4MtpParams.evaluate(v4MtpParams.read!(spec, deepseekV4LayerTotal(spec, v4.mtpCompressor, false), on(hyperHeadParams, spec).result))
  const moeGroup =
    spec.layerGroups.find((g) => g.ffn === 'moe' && g.mixer === 'full') ??
    spec.layerGroups.find((g) => g.ffn === 'moe') ??
    spec.layerGroups[spec.layerGroups.length - 1]!
  // The MTP layer builds its own DSA indexer (GLM-5.2's checkpoint holds model.layers.78.self_attn.indexer.*).
  return mtpFormula.evaluate(mtpFormula.read!(spec, layerTotal(layerParams(spec, {...moeGroup, indexer: undefined}))))
}

const layerTotal = (layer: LayerParams): number =>
  layer.attention + layer.norms + layer.denseFfn + layer.routedExperts + layer.sharedExperts + layer.router + layer.other
