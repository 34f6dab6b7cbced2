// The architecture card of one model (the kind the seed articles draw), as labelled text fields.
import {layerCounts, mixerPattern} from '../calc/layers.js'
import {fullAttentionSpec, fullValueFromKey, hasOwnFullShape, hasOwnShape, layersByOwnHeads, slidingAttentionSpec} from '../calc/attention-shape.js'
import {encoderParams} from '../calc/encoders.js'
import {paramCounts} from '../calc/params.js'
import {compareReported} from '../calc/reported.js'
import {formatCount, formatInteger} from '../render/format.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'

export interface CardField {
  field: string
  value: string
}

export function architectureCard(spec: ModelSpec): CardField[] {
  const att = spec.attention
  const counts = layerCounts(spec)
  const params = paramCounts(spec)
  const fields: CardField[] = []
  const add = (field: string, value: string) => fields.push({field, value})
  add('Model', `${spec.name} (${spec.source.hfRepo})`)
  add('Family / type', `${spec.family} / ${spec.source.modelType}`)
  add('Parameters', `${formatCount(params.totalParams)} total, ${formatCount(params.activeParams)} active (${formatInteger(params.totalParams)})`)
  add('Layers', String(spec.layers))
  add('Hidden size', String(spec.hiddenSize))
  const sb = spec.sharedBlocks
  const attentionLayers = counts.full + counts.sliding + counts.chunked + (sb?.invokedAt.length ?? 0)
  if (attentionLayers === 0) {
    add('Attention', 'none (attention-free)')
  } else if (att.mla) {
    const m = att.mla
    add('Attention', `MLA, ${att.heads} heads; q rank ${m.qLoraRank ?? 'full'}, kv latent ${m.kvLoraRank}, head dims nope ${m.qkNopeHeadDim} + rope ${m.qkRopeHeadDim}, v ${m.vHeadDim}`)
  } else if (spec.deepseekV4) {
    const v4 = spec.deepseekV4
    add('Attention', `MQA, ${att.heads} heads, 1 shared K=V head of ${att.headDim} (rope ${v4.ropeHeadDim}); q rank ${v4.qLoraRank}, grouped output ${v4.oGroups} x rank ${v4.oLoraRank}`)
  } else {
    add('Attention', `${att.kind.toUpperCase()}, ${att.heads} heads${ownHeadsText(spec, 'heads')}, ${att.kvHeads} KV heads${ownHeadsText(spec, 'kvHeads')}, head dim ${att.headDim}${att.valueHeadDim !== att.headDim ? ` (v ${att.valueHeadDim})` : ''}${sb ? ' (in the shared blocks)' : ''}`)
    // Gemma 4 global layers: heads of their own, values from the key projection with attention_k_eq_v.
    if (hasOwnFullShape(spec)) {
      const fa = fullAttentionSpec(spec).attention
      add('Full-attention layers', `${fa.heads} heads, ${fa.kvHeads} KV heads, head dim ${fa.headDim}${fullValueFromKey(spec) ? '; no v_proj (values from k_proj, cached apart)' : ''}`)
    }
  }
  if (hasOwnShape(spec, 'sliding')) {
    // MiMo-V2-Flash: the sliding-window layers' own attention shape.
    const sl = slidingAttentionSpec(spec).attention
    add('Sliding-layer attention', `${sl.heads} heads, ${sl.kvHeads} KV heads, head dim ${sl.headDim}${sl.valueHeadDim !== sl.headDim ? ` (v ${sl.valueHeadDim})` : ''}${sl.sinks ? ', attention sinks' : ''}`)
  }
  if (sb) {
    const adapters = [sb.mlpAdapters ? 'the MLP' : '', sb.attentionAdapters ? 'q, k and v' : ''].filter(Boolean).join(' and ')
    add(
      'Shared blocks',
      `${sb.blocks} shared attention + MLP block${sb.blocks > 1 ? 's' : ''} (${att.heads} heads x ${att.headDim} over ${sb.inputWidth} inputs, MLP ${sb.intermediateSize}) run at ${sb.invokedAt.length} layers (${sb.invokedAt.join(', ')})${adapters ? `, adapters of rank ${sb.adapterRank} on ${adapters}` : ''}${sb.outputProjection ? '; each invocation has its own output projection and KV cache' : '; each invocation has its own KV cache'}`,
    )
  }
  const extras = [
    att.qkvBias ? 'qkv bias' : '',
    att.outputBias ? 'output bias' : '',
    att.qkNorm !== 'none' ? `QK-norm (${att.qkNorm}${att.qkNormBias ? ', with bias' : ''})` : '',
    att.sinks ? 'attention sinks' : '',
    att.outputGate ? 'gated output' : '',
    att.mla?.outputGate ? 'gated output (g_proj, sigmoid before o_proj)' : '',
    att.headGate ? 'head-wise output gate (g_proj)' : '',
  ].filter(Boolean)
  if (extras.length) add('Attention extras', extras.join(', '))
  if (att.indexer) {
    // GLM-5 IndexShare: layers marked indexer: false reuse an earlier layer's top-k and have no indexer weights.
    const withIndexer = spec.layerGroups.reduce((n, g) => n + (g.mixer !== 'linear' && g.mixer !== 'none' && g.indexer !== false ? g.count : 0), 0)
    const shared = attentionLayers - withIndexer
    const csa = spec.layerGroups.reduce((n, g) => n + (g.compressor === 'csa' ? g.count : 0), 0)
    if (spec.deepseekV4) add('Sparse attention', `DSA lightning indexer (${att.indexer.heads} heads x ${att.indexer.headDim}) on the ${csa} CSA layers, top-${att.indexer.topK} compressed entries per query`)
    if (att.indexer.kind === 'msa')
      add('Sparse attention', `MiniMax Sparse Attention on ${withIndexer} layers: an indexer (${att.indexer.heads} heads x ${att.indexer.headDim}, one cached key of ${att.indexer.headDim}) picks each query's top ${att.indexer.topK / att.indexer.blockSize!} blocks of ${att.indexer.blockSize} keys (${att.indexer.topK} keys)${shared > 0 ? `; the other ${shared} layers attend densely` : ''}`)
    else add('Sparse attention', `DSA lightning indexer (${att.indexer.heads} heads x ${att.indexer.headDim}), top-${att.indexer.topK} keys per query${shared > 0 ? `; indexers on ${withIndexer} layers, the other ${shared} reuse an earlier layer's top-k` : ''}`)
  }
  add('Layer pattern', mixerPattern(spec))
  if (spec.deepseekV4) {
    const hash = spec.layerGroups.reduce((n, g) => n + (g.hashRouting ? g.count : 0), 0)
    add('Residual', `${spec.deepseekV4.hcMult} hyper-connection streams (mHC) mixed in every layer${hash ? `; ${hash} hash-routed MoE layers (token-id table, no correction bias)` : ''}`)
  }
  if (spec.linearAttention) {
    const la = spec.linearAttention
    add(...linearAttentionField(la))
  }
  const crossLayer = spec.layerGroups.reduce((n, g) => n + (g.kvProjections === false ? g.count : 0), 0)
  if (counts.kvShared) add('KV sharing', `${counts.kvShared} layers reuse an earlier layer's KV${crossLayer ? `, ${crossLayer} of them without k/v projections (cross-layer attention)` : ''}`)
  // DeciLM / Nemotron-NAS: identity layers (attention and FFN no_op) and attention replaced by one linear are apart.
  const identity = spec.layerGroups.reduce((n, g) => n + (g.mixer === 'none' && g.ffn === 'none' ? g.count : 0), 0)
  const linearMixer = spec.layerGroups.reduce((n, g) => n + (g.linearMixer ? g.count : 0), 0)
  const ffnOnly = counts.noMixer - identity - linearMixer
  const mixerOnly = counts.noFfn - identity
  if (ffnOnly || mixerOnly || identity || linearMixer)
    add(
      'Block kinds',
      [
        mixerOnly ? `${mixerOnly} mixer-only` : '',
        ffnOnly ? `${ffnOnly} FFN-only` : '',
        linearMixer ? `${linearMixer} with a hidden x hidden linear in place of attention` : '',
        identity ? `${identity} identity (no weights)` : '',
      ]
        .filter(Boolean)
        .join(', '),
    )
  const ffn = spec.ffn
  const ffnKind = `${ffn.gated ? 'gated' : 'plain'} ${ffn.activation}`
  if (spec.moe) {
    const moe = spec.moe
    add('FFN', `${counts.moe} MoE + ${counts.dense} dense layers (${ffnKind})`)
    add('Experts', `${moe.routedExperts} routed, top-${moe.topK}, width ${moe.expertIntermediateSize}${moe.latentSize ? ` in a ${moe.latentSize}-wide latent (projections in and out${moe.latentNorm ? ', RMSNorm before the up-projection' : ''})` : ''}${moe.sharedExperts ? `; ${moe.sharedExperts} shared (width ${moe.sharedIntermediateSize}${moe.sharedExpertGate ? ', gated' : ''}${moe.sharedExpertBias ? ', with biases' : ''})` : '; no shared expert'}${moe.routerScales ? '; router input and per-expert scales' : ''}`)
    if (counts.dense) add('Dense FFN width', String(ffn.intermediateSize))
  } else if (counts.dense === 0) {
    add('FFN', sb ? `none in the layers; the shared blocks' MLP is ${ffnKind}, width ${sb.intermediateSize}` : 'none (mixer-only blocks)')
  } else {
    add('FFN', `dense ${ffnKind}, width ${ffn.intermediateSize}${spec.layerGroups.some((g) => g.ffnIntermediateSize) ? ' (varies by layer)' : ''}${ffn.activationParams ? `; ${ffn.activationParams} learnable activation scalars per MLP` : ''}`)
  }
  const norms = spec.norms
  add(
    'Norms',
    `${norms.kind}${norms.parametric === false ? ' without weights' : norms.bias ? ' with bias' : ''}, ${norms.placement}, ${norms.perLayer} per layer${spec.layerGroups.some((g) => g.norms !== undefined) ? ` (${normOverrideText(spec)})` : ''}${norms.final ? ' + final' : ''}${norms.embedding ? ' + embedding norm' : ''}${norms.layerScalar ? '; a stored layer_scalar per layer' : ''}`,
  )
  // Kimi K3: two of the per-layer norms above belong to the attention residuals.
  if (spec.attnResiduals)
    add('Residuals', `block attention residuals: snapshots every ${spec.attnResiduals.blockSize} layers, mixed before attention and before the MLP by learned pseudo-queries (2 per layer, each with its norm) and once more before the final norm`)
  const rope = spec.rope
  const learned = spec.embeddings.learnedPositions
  if (att.alibi) add('Positions', `ALiBi (no rotary embedding)${learned ? `; learned table of ${learned} rows` : ''}`)
  else if (learned && counts.nope === spec.layers) add('Positions', `learned absolute, ${learned} rows`)
  else add(
    'Positions',
    attentionLayers === 0 || (sb && !sb.rope)
      ? sb ? 'none (the shared attention has no position embedding)' : 'none (no attention layers)'
      : `RoPE theta ${rope.theta}${rope.localTheta ? ` (local ${rope.localTheta})` : ''}${rope.scaling ? `, ${rope.scaling} scaling${rope.scalingFactor ? ` x${rope.scalingFactor}` : ''}` : ''}${rope.partialRotaryFactor < 1 ? `, on ${rope.partialRotaryFactor * 100}% of dims` : ''}${counts.nope ? `; NoPE in ${counts.nope} layers` : ''}${rope.storedInvFreq ? `; inv_freq (${rope.storedInvFreq}) saved in the checkpoint` : ''}`,
  )
  const emb = spec.embeddings
  add('Vocabulary', `${emb.vocabSize}, ${emb.tied ? 'tied' : 'untied'} LM head${emb.lmHeadBias ? ' with bias' : ''}${emb.projectionDim ? `; embedding width ${emb.projectionDim}, projected to and from the hidden size` : ''}${emb.perLayer ? `; per-layer embeddings ${emb.perLayer.vocabSize} x ${spec.layers} x ${emb.perLayer.dim}` : ''}${emb.perLayer && !spec.gemma3n ? ` (Gemma 4: a per-layer input gate and projection of ${spec.hiddenSize} x ${emb.perLayer.dim} and a norm in each layer, no AltUp or LAuReL)` : ''}`)
  add('Context', `${spec.maxContextTokens} tokens`)
  add('Dtype', spec.dtype)
  if (spec.mtpLayers) add('Not run by default', `${spec.mtpLayers} multi-token-prediction layer(s), ${formatCount(params.mtpParams)} params`)
  if (spec.encoders.length) add('Encoders (apart)', spec.encoders.map((e) => `${e.name} ${e.kind} ${formatCount(encoderParams(e))}`).join('; '))
  for (const row of compareReported(spec, params)) {
    add(`Vendor ${row.field.replace('Params', '')}`, `${row.published} published; computed ${formatCount(row.computedParams)} (${row.definition}): ${row.agrees ? 'agrees' : 'DISAGREES'}`)
  }
  if (spec.reported) add('Vendor source', `${spec.reported.source} (${spec.reported.basis})`)
  return fields
}

export function cardView(spec: ModelSpec): TableView {
  return {
    title: spec.id,
    columns: [
      {key: 'field', header: 'Field', kind: 'text'},
      {key: 'value', header: 'Value', kind: 'text', keep: true},
    ],
    rows: architectureCard(spec).map((f) => ({...f})),
    notes: spec.notes ?? [],
  }
}

/** The card line of a linear-attention or state-space mixer, in its own terms. */
function linearAttentionField(la: NonNullable<ModelSpec['linearAttention']>): [string, string] {
  const extras = [la.convBias ? 'conv bias' : '', la.projectionBias ? 'projection biases' : ''].filter(Boolean).join(', ')
  const tail = extras ? `; ${extras}` : ''
  switch (la.kind) {
    case 'mamba':
      return ['State-space mixer', `Mamba: d_inner ${la.valueHeads}, d_state ${la.keyHeadDim}, dt rank ${la.dtRank}, conv ${la.convKernel}${la.dtBcNorms ? ', dt/B/C norms' : ''}${tail}`]
    case 'mamba2':
      return [
        'State-space mixer',
        `Mamba-2: ${la.valueHeads} heads x ${la.valueHeadDim}, ${la.keyHeads} B/C groups, d_state ${la.keyHeadDim}, conv ${la.convKernel}${la.outputNorm === false ? ', no output norm' : ''}${tail}`,
      ]
    case 'short-conv':
      return ['Short convolution', `gated depthwise conv: ${la.valueHeads} channels, kernel ${la.convKernel}${tail}`]
    default:
      return ['Linear attention', `${la.kind}: ${la.keyHeads} key heads x ${la.keyHeadDim}, ${la.valueHeads} value heads x ${la.valueHeadDim}, conv ${la.convKernel}${la.fullRankGate ? ', full-rank output gate' : ''}`]
  }
}

// Runs that state their own norm count (DeciLM no_op sublayers): "1 in 31 layers".
function normOverrideText(spec: ModelSpec): string {
  const byCount = new Map<number, number>()
  for (const g of spec.layerGroups) if (g.norms !== undefined) byCount.set(g.norms, (byCount.get(g.norms) ?? 0) + g.count)
  return [...byCount].map(([n, layers]) => `${n} in ${layers} layer${layers === 1 ? '' : 's'}`).join(', ')
}

// Runs with their own query or KV heads (Step 3.5/3.7 sliding layers, Nemotron-NAS blocks): " (96 in 33 layers)".
function ownHeadsText(spec: ModelSpec, which: 'heads' | 'kvHeads'): string {
  const byHeads = layersByOwnHeads(spec, which)
  return byHeads.size ? ` (${[...byHeads].map(([h, n]) => `${h} in ${n} layer${n === 1 ? '' : 's'}`).join(', ')})` : ''
}
