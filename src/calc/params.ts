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
  indexerParams as indexerFormula,
  msaIndexerParams,
  msaQkNormParams,
  kdaParams,
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
  mtpParams as mtpFormula,
  paramComponents,
  perHeadQkNormBiasParams,
  perHeadQkNormParams,
  perLayerEmbeddingParams,
  routedExpertParams,
  routerParams,
  latentProjectionParams,
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
import {attentionSpecFor, hasMsa, slidingAttentionSpec} from './attention-shape.js'

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
    la.kind === 'kda' ? kdaParams : la.kind === 'mamba' ? mambaParams : la.kind === 'mamba2' ? mamba2Params : la.kind === 'short-conv' ? shortConvParams : gatedDeltaNetParams
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
// One routed expert MLP: at the latent width when the MoE is latent (its up/down read L, not h).
const expertStep = (spec: ModelSpec, name?: string) => {
  const moe = spec.moe!
  return apply(ffnParams, {...ffnParams.read!(spec, moe.expertIntermediateSize, moe.expertBias), h: moe.latentSize ?? spec.hiddenSize}, name)
}
const latentStep = (spec: ModelSpec) => (spec.moe!.latentSize ? on(latentProjectionParams, spec) : null)
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

/** One decoder layer of a group. */
export function layerParams(full: ModelSpec, group: LayerGroup): LayerParams {
  // MiMo-V2-Flash: a sliding layer with its own heads, head dims and sinks (attention.sliding).
  const shaped = attentionSpecFor(full, group.mixer)
  const spec = group.indexer === false ? withoutIndexer(shaped) : shaped
  const isLinear = group.mixer === 'linear'
  const noMixer = group.mixer === 'none'
  const parallel = group.mixer === 'parallel' // attention and the linear mixer side by side (Falcon-H1)
  const mixerNorms = noMixer ? 0 : isLinear ? linearNorms(spec) : attentionNormParams(spec) + (parallel ? linearNorms(spec) : 0)
  const out: LayerParams = {
    attention: noMixer ? 0 : isLinear ? linearAttentionProjectionParams(spec) : (group.kvProjections === false ? on(gqaNoKvAttentionParams, spec).result : attentionProjectionParams(spec)) + (parallel ? linearAttentionProjectionParams(spec) : 0),
    norms: layerNormStep(spec, mixerNorms).result,
    denseFfn: 0,
    routedExperts: 0,
    routedExpertsActive: 0,
    sharedExperts: 0,
    router: 0,
    perLayerEmbedding: 0,
    other: isLinear || noMixer ? 0 : indexerParams(spec),
  }
  if (group.ffn === 'dense') {
    out.denseFfn = ffnStep(spec, group.ffnIntermediateSize ?? spec.ffn.intermediateSize, spec.ffn.bias).result + on(activationParams, spec).result
  } else if (group.ffn === 'moe') {
    const moe = spec.moe!
    const expert = expertStep(spec).result
    const latent = latentStep(spec)?.result ?? 0
    out.routedExperts = routedExpertParams.evaluate({E: moe.routedExperts, F: expert}) + latent
    out.routedExpertsActive = activeRoutedExpertParams.evaluate({k: moe.topK, F: expert}) + latent
    out.sharedExperts = sharedExpertParams.evaluate(sharedExpertParams.read!(spec, sharedMlp(spec)?.result ?? 0))
    out.router = on(routerParams, spec).result
  }
  if (spec.gemma3n) {
    out.other += on(gemma3nLayerParams, spec).result
    out.norms += on(gemma3nLayerNormParams, spec).result
  }
  return out
}

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
  other: 'other matrices (indexers, AltUp, LAuReL), all layers',
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
  const nNoKv = spec.layerGroups.reduce((n, g) => n + (g.mixer !== 'linear' && g.kvProjections === false ? g.count : 0), 0)
  const nWithKv = nNoKv > 0 ? layers('n_attention_kv', 'attention layers with their own k/v projections', na - nNoKv) : nAttention
  // Sliding layers with an attention shape of their own (MiMo-V2-Flash swa_*): projections and QK-norms apart.
  const nOwnShape = spec.attention.sliding ? spec.layerGroups.reduce((n, g) => n + (g.mixer === 'sliding' ? g.count : 0), 0) : 0
  const slidingSpec = nOwnShape > 0 ? slidingAttentionSpec(spec) : null
  const nOwn = layers('n_sliding', 'sliding-window layers with their own attention shape', nOwnShape)
  const nMain = nOwnShape > 0 ? layers('n_full', 'attention layers with the main attention shape', na - nNoKv - nOwnShape) : nWithKv
  const attention = component('attention', [
    ...(na - nNoKv - nOwnShape > 0 ? [part('attention', 'attention projections of one layer (params)', attentionProjectionStep(spec), nMain)] : []),
    ...(slidingSpec ? [part('attentionSliding', 'attention projections of one sliding-window layer (params)', attentionProjectionStep(slidingSpec), nOwn)] : []),
    ...(nNoKv > 0 ? [part('attentionNoKv', 'attention projections of one layer without k/v (params)', on(gqaNoKvAttentionParams, spec), layers('n_cross', 'layers reusing an earlier layer\'s KV without k/v projections', nNoKv))] : []),
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
  const router = component('router', moe ? [part('router', 'router of one MoE layer (params)', on(routerParams, spec), nMoe)] : [])

  const slidingNorms = slidingSpec ? attentionNormStep(slidingSpec) : null
  const nMainNorms = nOwnShape > 0 ? layers('n_full', 'attention layers with the main attention shape', na - nNoIndexer - nOwnShape) : nIndexer
  const norms = component('norms', [
    ...(na - nNoIndexer - nOwnShape > 0 ? [{steps: [attentionNorms]}, part('attention', 'norm weights of one attention layer (params)', layerNormStep(spec, attentionNorms?.result ?? 0, 'norm weights, one attention layer'), nMainNorms)] : []),
    ...(slidingSpec ? [{steps: [slidingNorms]}, part('attentionSliding', 'norm weights of one sliding-window layer (params)', layerNormStep(slidingSpec, slidingNorms?.result ?? 0, 'norm weights, one sliding-window layer'), nOwn)] : []),
    ...(nNoIndexer > 0
      ? [{steps: [noIndexerNorms]}, part('attentionNoIndexer', 'norm weights of one attention layer without an indexer (params)', layerNormStep(spec, noIndexerNorms?.result ?? 0, 'norm weights, one attention layer without an indexer'), layers('n_no_indexer', 'attention layers reusing an earlier layer\'s top-k, without an indexer', nNoIndexer))]
      : []),
    ...(nl - np > 0 && isSsm(spec) ? [{steps: [on(ssmNormParams, spec)]}] : []),
    ...(nl - np > 0 ? [part('linear', 'norm weights of one linear-attention layer (params)', layerNormStep(spec, linearNorms(spec), 'norm weights, one linear-attention layer (m: its gated output norm)'), np > 0 ? nLinearOnly : nLinear)] : []),
    ...(np > 0 && linearNorms(spec) > 0 ? [part('parallelMixer', 'norm weights inside the linear mixer of one parallel layer (params)', on(ssmNormParams, spec), nParallel)] : []),
    ...(plan.noMixerLayers > 0 ? [part('ffnOnly', 'norm weights of one FFN-only block (params)', layerNormStep(spec, 0, 'norm weights, one FFN-only block'), nNoMixer)] : []),
    ...(g3n ? [part('gemma3n', 'Gemma 3n extra norms of one layer (params)', on(gemma3nLayerNormParams, spec), nLayers)] : []),
    ...sharedPart('sharedBlock', 'norm weights of one shared block (params)', sharedBlockNormParams, nBlocks!),
    ...(spec.norms.final ? [part('final', 'final norm (params)', on(finalNormParams, spec))] : []),
    ...(spec.norms.embedding ? [part('embeddingNorm', 'embedding norm (params)', on(embeddingNormParams, spec))] : []),
    ...(g3n ? [part('gemma3nModel', 'Gemma 3n per-layer projection norm (params)', on(gemma3nModelNormParams, spec))] : []),
  ])

  const other = component('other', [
    ...(na - nNoIndexer > 0 && spec.attention.indexer ? [part('indexer', `${hasMsa(spec) ? 'MSA' : 'DSA'} indexer of one attention layer (params)`, indexerStep(spec), nIndexer)] : []),
    ...(g3n ? [part('gemma3n', 'Gemma 3n AltUp, LAuReL and per-layer projections of one layer (params)', on(gemma3nLayerParams, spec), nLayers)] : []),
    ...(g3n ? [part('gemma3nModel', 'Gemma 3n model-level projections (params)', on(gemma3nModelParams, spec))] : []),
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
  const moeGroup =
    spec.layerGroups.find((g) => g.ffn === 'moe' && g.mixer === 'full') ??
    spec.layerGroups.find((g) => g.ffn === 'moe') ??
    spec.layerGroups[spec.layerGroups.length - 1]!
  // The MTP layer builds its own DSA indexer (GLM-5.2's checkpoint holds model.layers.78.self_attn.indexer.*).
  const layer = layerParams(spec, {...moeGroup, indexer: undefined})
  const layerTotal = layer.attention + layer.norms + layer.denseFfn + layer.routedExperts + layer.sharedExperts + layer.router + layer.other
  return mtpFormula.evaluate(mtpFormula.read!(spec, layerTotal))
}
