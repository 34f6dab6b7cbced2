// archcost preset -> Hugging Face config.json, for the model types whose configs it can write back exactly
// (llama, mixtral). The inverse of the importer on those types: import(export(spec)) gives spec again.
import {UserError} from '../errors.js'
import type {ModelSpec} from '../schema/model.js'

const torchDtype: Record<string, string> = {fp32: 'float32', bf16: 'bfloat16', fp16: 'float16'}

export const exportableModelTypes = ['llama', 'mixtral'] as const

export function exportHfConfig(spec: ModelSpec): Record<string, unknown> {
  const type = spec.source.modelType
  if (!(exportableModelTypes as readonly string[]).includes(type))
    throw new UserError(`${spec.id}: export writes ${exportableModelTypes.join(' and ')} configs; this preset is ${type}`)
  const att = spec.attention
  const dtype = torchDtype[spec.dtype]
  if (!dtype) throw new UserError(`${spec.id}: dtype ${spec.dtype} has no torch_dtype to export`)
  const common: Record<string, unknown> = {
    model_type: type,
    architectures: [type === 'llama' ? 'LlamaForCausalLM' : 'MixtralForCausalLM'],
    hidden_size: spec.hiddenSize,
    num_hidden_layers: spec.layers,
    num_attention_heads: att.heads,
    num_key_value_heads: att.kvHeads,
    head_dim: att.headDim,
    intermediate_size: type === 'mixtral' ? spec.moe!.expertIntermediateSize : spec.ffn.intermediateSize,
    vocab_size: spec.embeddings.vocabSize,
    max_position_embeddings: spec.maxContextTokens,
    tie_word_embeddings: spec.embeddings.tied,
    hidden_act: spec.ffn.activation,
    rope_theta: spec.rope.theta,
    torch_dtype: dtype,
  }
  if (spec.rope.scaling) common.rope_scaling = {rope_type: spec.rope.scaling, ...(spec.rope.scalingFactor !== undefined && {factor: spec.rope.scalingFactor})}
  if (type === 'llama') return {...common, attention_bias: att.qkvBias, mlp_bias: spec.ffn.bias}
  const window = spec.layerGroups[0]!.mixer === 'sliding' ? spec.layerGroups[0]!.windowTokens : null
  return {...common, num_local_experts: spec.moe!.routedExperts, num_experts_per_tok: spec.moe!.topK, sliding_window: window ?? null}
}
