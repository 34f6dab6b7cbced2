// Sharding policy: how weights and KV split over tensor (tp), expert (ep) and pipeline (pp) parallel ranks.
// Applied to per-model quantities, never buried inside their formulas.
import type {ModelSpec} from '../schema/model.js'
import type {ParamBreakdown} from './params.js'

export interface Layout {
  tp: number
  ep: number
  pp: number
}

export const devicesOf = (layout: Layout) => layout.tp * layout.pp

/**
 * The layout archcost assumes for N devices: tensor parallel within a node of up to 8, pipeline across nodes;
 * for MoE, routed experts are split over the tensor-parallel group (expert parallel, vLLM --enable-expert-parallel).
 */
export function defaultLayout(devices: number, moe: boolean, devicesPerNode = 8): Layout {
  const tp = Math.min(devices, devicesPerNode)
  const pp = Math.ceil(devices / tp)
  return {tp, ep: moe ? tp : 1, pp}
}

/**
 * Parameters one device holds. Megatron-LM tensor parallelism (Shoeybi et al. 2019) splits attention heads,
 * FFN columns/rows and the vocabulary (embedding and LM head); norms and routers are replicated; routed experts
 * split over ep (or are column/row split over tp when ep = 1); pipeline stages split the layers, and the worst
 * stage also holds the larger of the embedding and the LM head.
 */
export function paramsPerDevice(breakdown: ParamBreakdown, layout: Layout): ParamBreakdown {
  const {tp, ep, pp} = layout
  const perLayer = (value: number, split: number) => value / pp / split
  // With pipeline stages, the first holds the input embeddings and the last the LM head: count the larger.
  const embeddingsHere = pp === 1 || breakdown.embedding + breakdown.perLayerEmbedding >= breakdown.lmHead
  const headHere = pp === 1 || !embeddingsHere
  return {
    embedding: embeddingsHere ? breakdown.embedding / tp : 0,
    perLayerEmbedding: embeddingsHere ? breakdown.perLayerEmbedding / tp : 0,
    lmHead: headHere ? breakdown.lmHead / tp : 0,
    attention: perLayer(breakdown.attention, tp),
    denseFfn: perLayer(breakdown.denseFfn, tp),
    sharedExperts: perLayer(breakdown.sharedExperts, tp),
    other: perLayer(breakdown.other, tp),
    routedExperts: perLayer(breakdown.routedExperts, ep > 1 ? ep : tp),
    norms: perLayer(breakdown.norms, 1),
    router: perLayer(breakdown.router, 1),
  }
}

/**
 * Fraction of the model's KV cache one device holds. GQA/MHA/MQA: KV heads split over tp, at least one head per
 * rank, so when kvHeads < tp each rank holds one replicated head (vLLM's num_kv_heads // tp, min 1). MLA: the
 * latent has no head axis and is replicated on every tp rank. Pipeline stages split the layers.
 */
export function kvShareOfDevice(spec: ModelSpec, layout: Layout): number {
  const {tp, pp} = layout
  if (spec.attention.mla) return 1 / pp
  const kvHeads = spec.attention.kvHeads
  const headsPerRank = Math.max(1, Math.ceil(kvHeads / tp))
  return headsPerRank / kvHeads / pp
}

/** True when KV heads are replicated because there are fewer of them than tensor-parallel ranks. */
export function kvReplicated(spec: ModelSpec, layout: Layout): boolean {
  return spec.attention.mla !== undefined ? layout.tp > 1 : spec.attention.kvHeads < layout.tp
}
