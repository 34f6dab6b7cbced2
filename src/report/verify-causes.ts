// Why a checkpoint's count differs from the model's: what its tensor names and shapes say against the model's
// dimensions. A small set of checks that are certainly right when they fire: the number of decoder layers, the
// embedding's rows, an LM head present or missing, the routed experts per layer, k/v projections stored for layers
// that build none, the final norm's width.
import {placeTensor, type NamingScheme} from '../checkpoint/components.js'
import type {ModelSpec} from '../schema/model.js'

/** A tensor as the checks read it: name and shape (safetensors [out, in]; GGUF ne[0] first). */
export interface ShapedTensor {
  name: string
  shape: readonly number[]
}

/** Whether the model came from a config.json (its keys are named) or a preset (its fields are). */
export type ModelSource = 'config' | 'preset'

const keyOf = {
  layers: {config: 'num_hidden_layers', preset: 'layers'},
  vocab: {config: 'vocab_size', preset: 'embeddings.vocabSize'},
  tied: {config: 'tie_word_embeddings', preset: 'embeddings.tied'},
  hidden: {config: 'hidden_size', preset: 'hiddenSize'},
} as const

// transformers names: model.layers.N., model.language_model.layers.N., transformer.h.N.; llama.cpp: blk.N.
const hfLayerIndex = /(?:^|\.)(?:layers|h|blocks)\.(\d+)\./
const ggufLayerIndex = /^blk\.(\d+)\./
const hfExpert = /(?:^|\.)(?:layers|h|blocks)\.(\d+)\.(?:mlp|block_sparse_moe|feed_forward|ffn)\.experts\.(\d+)\./
const hfFinalNorm = /^(?:model\.(?:language_model\.)?|language_model\.model\.|transformer\.)?(?:norm|ln_f|final_layernorm)\.weight$/

/** The one value every item has, or null when they disagree or there are none. */
function single(values: number[]): number | null {
  const distinct = [...new Set(values)]
  return distinct.length === 1 ? distinct[0]! : null
}

/** Lines naming what disagrees; empty when none of the checks finds anything. */
export function mismatchCauses(spec: ModelSpec, scheme: NamingScheme, tensors: readonly ShapedTensor[], source: ModelSource): string[] {
  const options = {textLayers: spec.layers, mtpLayers: spec.mtpLayers}
  // Text-model tensors only: encoders and MTP layers have layers and norms of their own.
  const text = tensors.filter((t) => placeTensor(scheme, t.name, options).kind === 'component')
  const causes: string[] = []
  const gguf = scheme === 'gguf'

  const layerIndex = gguf ? ggufLayerIndex : hfLayerIndex
  const layers = new Set(text.flatMap((t) => layerIndex.exec(t.name)?.[1] ?? []))
  if (layers.size > 0 && layers.size !== spec.layers) causes.push(`${spec.layers} layers in the ${source} (${keyOf.layers[source]}), ${layers.size} in the checkpoint`)

  // nn.Embedding(vocab_size, hidden_size): [vocab, hidden]; GGUF token_embd ne = [hidden, vocab].
  // The token embedding and the LM head as the component mapping places them (any naming: embed_tokens, wte,
  // word_embeddings, embed_in, backbone.embeddings; lm_head, output_layer, embed_out, output), positions and biases aside.
  const componentOf = (name: string) => {
    const place = placeTensor(scheme, name, options)
    return place.kind === 'component' ? place.component : null
  }
  const weight2d = (t: ShapedTensor) => t.shape.length === 2 && /weight$/.test(t.name) && !/pos|wpe|position/.test(t.name)
  const embedding = text.find((t) => weight2d(t) && componentOf(t.name) === 'embedding')
  const rows = embedding && embedding.shape.length === 2 ? embedding.shape[gguf ? 1 : 0]! : null
  if (embedding && rows !== null && rows !== spec.embeddings.vocabSize)
    causes.push(`${keyOf.vocab[source]} ${spec.embeddings.vocabSize} in the ${source}, ${embedding.name} has ${rows} rows`)

  const headName = gguf ? 'output.weight' : 'lm_head.weight'
  const hasHead = text.some((t) => weight2d(t) && componentOf(t.name) === 'lmHead')
  if (!spec.embeddings.tied && !hasHead && embedding) causes.push(`${keyOf.tied[source]} is false but the checkpoint has no ${headName}`)
  if (spec.embeddings.tied && hasHead) causes.push(`${keyOf.tied[source]} is true but the checkpoint stores ${headName} of its own`)

  if (spec.moe) {
    // transformers: one module per expert (experts.E.); llama.cpp: the experts stacked, ne = [in, out, experts].
    let experts: number | null
    if (gguf) experts = single(text.filter((t) => /^blk\.\d+\.ffn_up_exps\.weight$/.test(t.name) && t.shape.length === 3).map((t) => t.shape[2]!))
    else {
      const perLayer = new Map<string, Set<string>>()
      for (const t of text) {
        const m = hfExpert.exec(t.name)
        if (m) perLayer.set(m[1]!, (perLayer.get(m[1]!) ?? new Set()).add(m[2]!))
      }
      experts = single([...perLayer.values()].map((s) => s.size))
    }
    if (experts !== null && experts !== spec.moe.routedExperts) causes.push(`${spec.moe.routedExperts} routed experts in the ${source}${source === 'preset' ? ' (moe.routedExperts)' : ''}, ${experts} per MoE layer in the checkpoint`)
  }

  // Layers that reuse an earlier layer's KV without k/v projections (Gemma 4 num_kv_shared_layers, Hunyuan CLA):
  // Gemma 4's released files still store k_proj and v_proj there, which transformers drops on load.
  const noKv = new Set<number>()
  let start = 0
  for (const g of spec.layerGroups) {
    if (g.kvProjections === false) for (let i = start; i < start + g.count; i++) noKv.add(i)
    start += g.count
  }
  const kvWeight = gguf ? /^blk\.\d+\.attn_[kv]\.weight$/ : /\.self_attn\.[kv]_proj\.weight$/
  const storedKv = new Set(text.flatMap((t) => (kvWeight.test(t.name) && noKv.has(Number(layerIndex.exec(t.name)?.[1] ?? -1)) ? [layerIndex.exec(t.name)![1]!] : [])))
  if (storedKv.size > 0)
    causes.push(`${noKv.size} layers reuse an earlier layer's KV and build no k/v projections (${source === 'config' ? 'num_kv_shared_layers' : 'layerGroups kvProjections'}); the checkpoint stores them in ${storedKv.size} of those layers (transformers drops them on load)`)

  // The final norm's weight is [hidden_size] (RMSNorm and LayerNorm alike).
  const norm = text.find((t) => (gguf ? t.name === 'output_norm.weight' : hfFinalNorm.test(t.name)))
  if (norm && norm.shape.length === 1 && norm.shape[0] !== spec.hiddenSize)
    causes.push(`${keyOf.hidden[source]} ${spec.hiddenSize} in the ${source}, ${norm.name} has ${norm.shape[0]}`)
  return causes
}
