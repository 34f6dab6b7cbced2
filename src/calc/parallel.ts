// Sharding policy: how weights and KV split over tensor (tp), expert (ep) and pipeline (pp) parallel ranks, and
// how many data-parallel (dp) replicas of that there are. Applied to per-model quantities, never buried inside
// their formulas. Which layouts a model allows: layout-rules.ts; which one archcost picks: deployment.ts.
import type {ModelSpec} from '../schema/model.js'
import type {ParamBreakdown} from './params.js'
import {runHeadCounts, runKvHeads} from './attention-shape.js'

export interface Layout {
  tp: number
  ep: number
  pp: number
  /**
   * Data-parallel replicas, each holding the whole model on tp x pp devices (absent = 1). Per-device memory is
   * the replica's; throughput and price scale with dp. With ep = tp x dp (vLLM --data-parallel-size with
   * --enable-expert-parallel) the replicas share the routed experts instead, each rank holding 1/ep of them.
   */
  dp?: number
}

export const dpOf = (layout: Layout) => layout.dp ?? 1

/** Devices of one replica: tp x pp. */
export const replicaDevicesOf = (layout: Layout) => layout.tp * layout.pp

/** Every device of the deployment: tp x pp x dp. */
export const devicesOf = (layout: Layout) => layout.tp * layout.pp * dpOf(layout)

/** A layout with dp written only when there is more than one replica (the shape JSON results have without dp). */
export const makeLayout = (tp: number, pp: number, dp: number, ep: number): Layout => (dp > 1 ? {tp, ep, pp, dp} : {tp, ep, pp})

/** "tp8 ep8 pp2 dp2": degrees above 1 after tp. */
export const layoutText = (l: Layout) => `tp${l.tp}${l.ep > 1 ? ` ep${l.ep}` : ''}${l.pp > 1 ? ` pp${l.pp}` : ''}${dpOf(l) > 1 ? ` dp${dpOf(l)}` : ''}`

/**
 * A shape of N devices as archcost assumed it before layouts were checked against the model: tensor parallel
 * within a node of up to 8, pipeline across nodes; for MoE, routed experts split over the tensor-parallel group.
 * It knows nothing of the model, so it can be illegal (tp8 for 4 heads) or absurd (pp past the layer count):
 * choose layouts with deployment.ts layoutFor / layoutOn / fewestDevices instead.
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
  if (runHeadCounts(spec).kvHeads.length > 0) return ownKvHeadsShare(spec, tp) / pp
  const kvHeads = spec.attention.kvHeads
  const headsPerRank = Math.max(1, Math.ceil(kvHeads / tp))
  return headsPerRank / kvHeads / pp
}

/** Fraction of one layer's KV heads a tensor-parallel rank holds: its share of the split, or one replicated head. */
export const kvHeadShare = (kvHeads: number, tp: number): number => Math.max(1, Math.ceil(kvHeads / tp)) / kvHeads

/**
 * DeciLM / Nemotron-NAS: each attention layer splits or replicates its own KV heads (a run's kvHeads), so the share one
 * rank holds is the mean of the layers' shares weighted by their KV heads (the layers' head widths are the same).
 */
function ownKvHeadsShare(spec: ModelSpec, tp: number): number {
  let all = 0
  let held = 0
  for (const g of spec.layerGroups) {
    if (g.mixer === 'linear' || g.mixer === 'none' || g.kvSourceLayer !== undefined) continue
    const kvHeads = runKvHeads(g) ?? spec.attention.kvHeads
    all += g.count * kvHeads
    held += g.count * kvHeads * kvHeadShare(kvHeads, tp)
  }
  return all === 0 ? 1 / tp : held / all
}

/** True when KV heads are replicated because there are fewer of them than tensor-parallel ranks (in any layer, when layers state their own). */
export function kvReplicated(spec: ModelSpec, layout: Layout): boolean {
  if (spec.attention.mla !== undefined) return layout.tp > 1
  return Math.min(spec.attention.kvHeads, ...runHeadCounts(spec).kvHeads) < layout.tp
}
