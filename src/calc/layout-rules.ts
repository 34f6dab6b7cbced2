// Which parallel layouts a model can be served with: the checks the engines themselves make (vLLM, whose rules
// SGLang shares), so archcost never reports a layout the engine would refuse to start with.
import type {ModelSpec} from '../schema/model.js'
import {dpOf, type Layout} from './parallel.js'
import {runHeadCounts} from './attention-shape.js'

/** vLLM pads the vocabulary to a multiple of 64 rows, then splits the padded rows over tp (DEFAULT_VOCAB_PADDING_SIZE). */
export const vocabPadding = 64

/** vLLM pad_vocab_size: the vocabulary rounded up to whole padding blocks. */
export const paddedVocab = (vocab: number) => Math.ceil(vocab / vocabPadding) * vocabPadding

/** The dense-FFN widths the model's layers use (a pure MoE model has none). */
function denseFfnWidths(spec: ModelSpec): number[] {
  return [...new Set(spec.layerGroups.filter((g) => g.ffn === 'dense').map((g) => g.ffnIntermediateSize ?? spec.ffn.intermediateSize))]
}

/**
 * The first engine rule the layout breaks, in one line that names it, or null when the engines accept it.
 * Rules (vLLM sources):
 * - tp divides the attention heads: vllm/config/model.py ModelConfig.verify_with_parallel_config
 *   (total_num_attention_heads % tensor_parallel_size); MLA splits its heads the same way.
 * - tp divides the KV heads, or the KV heads divide tp and are replicated: vllm/model_executor/layers/linear.py
 *   QKVParallelLinear (divide(total_num_kv_heads, tp) when tp < kv heads, else divide(tp, total_num_kv_heads));
 *   each rank then caches max(1, kv_heads // tp) heads (ModelConfig.get_num_kv_heads).
 * - tp divides every dense/shared FFN width: linear.py MergedColumnParallelLinear / RowParallelLinear divide().
 * - tp divides the routed experts' width when they are tensor-split (ep = 1): fused_moe/layer.py FusedMoE
 *   (intermediate_size_per_partition = intermediate_size // tp).
 * - tp divides the linear-attention key and value heads: models/qwen3_next.py Qwen3NextGatedDeltaNet
 *   (divide(num_v_heads, tp), num_k_heads // tp); Kimi Linear's KDA splits its heads likewise.
 * - tp divides the padded vocabulary: vocab_parallel_embedding.py VocabParallelEmbedding pads to a multiple of 64
 *   (not of 64·tp) and then divide(num_embeddings_padded, tp). The padding rows (< 64) are not in archcost's weights.
 * - ep is 1, tp, or tp·dp: fused_moe/config.py FusedMoEParallelConfig.make (--enable-expert-parallel gives
 *   ep_size = tp_size x dp_size; one engine per replica gives ep = tp); it needs routed experts
 *   (ModelConfig._verify_with_expert_parallelism) and at least one expert per rank. Uneven counts are legal:
 *   fused_moe/layer.py determine_expert_map gives the first num_experts % ep ranks one expert more.
 * - pp at most the layer count: vllm/distributed/utils.py get_pp_indices splits num_hidden_layers into pp stages;
 *   more stages than layers leaves stages with nothing to run.
 * Not checked: quantization block sizes (fp8 block 128 of the per-rank width), encoder towers, and whether the
 * architecture implements SupportsPP.
 */
export function legalLayout(spec: ModelSpec, layout: Layout): string | null {
  const {tp, pp, ep} = layout
  const dp = dpOf(layout)
  const name = spec.name
  const att = spec.attention
  for (const [label, value] of [['tensor parallel', tp], ['pipeline parallel', pp], ['data parallel', dp], ['expert parallel', ep]] as const)
    if (!Number.isSafeInteger(value) || value < 1) return `${label} must be a whole number of devices (1 or more), got ${value}`
  // Every run's query heads split too (Step 3.5/3.7: 96 on the sliding layers).
  const ownHeads = runHeadCounts(spec).heads.find((heads) => heads % tp !== 0)
  if (ownHeads !== undefined) return `tensor parallel ${tp} does not divide the ${ownHeads} attention heads of some of ${name}'s layers`
  if (att.heads % tp !== 0)
    return `tensor parallel ${tp} does not divide ${name}'s ${att.heads} attention heads (vLLM requires num_attention_heads % tensor_parallel_size == 0)`
  if (!att.mla && (tp <= att.kvHeads ? att.kvHeads % tp !== 0 : tp % att.kvHeads !== 0))
    return `tensor parallel ${tp} neither divides ${name}'s ${att.kvHeads} KV heads nor is a multiple of them (vLLM QKVParallelLinear splits KV heads over tp, or replicates them when tp % num_kv_heads == 0)`
  // DeciLM / Nemotron-NAS: every run's own KV heads split or replicate too.
  const ownKv = att.mla ? undefined : runHeadCounts(spec).kvHeads.find((kv) => (tp <= kv ? kv % tp !== 0 : tp % kv !== 0))
  if (ownKv !== undefined) return `tensor parallel ${tp} neither divides the ${ownKv} KV heads of some of ${name}'s layers nor is a multiple of them (vLLM QKVParallelLinear splits KV heads over tp, or replicates them when tp % num_kv_heads == 0)`
  for (const width of denseFfnWidths(spec))
    if (width % tp !== 0) return `tensor parallel ${tp} does not divide ${name}'s FFN width ${width} (vLLM MergedColumnParallelLinear/RowParallelLinear require intermediate_size % tensor_parallel_size == 0)`
  const moe = spec.moe
  if (moe && moe.sharedIntermediateSize > 0 && moe.sharedIntermediateSize % tp !== 0)
    return `tensor parallel ${tp} does not divide ${name}'s shared-expert width ${moe.sharedIntermediateSize} (vLLM requires intermediate_size % tensor_parallel_size == 0)`
  const la = spec.linearAttention
  const ssm = la ? ssmSplitProblem(la, tp, name) : null
  if (ssm) return ssm
  if (la && (la.kind === 'gated-deltanet' || la.kind === 'kda') && (la.keyHeads % tp !== 0 || la.valueHeads % tp !== 0))
    return `tensor parallel ${tp} does not divide ${name}'s ${la.keyHeads} linear-attention key heads and ${la.valueHeads} value heads (vLLM's gated DeltaNet requires num_k_heads and num_v_heads % tensor_parallel_size == 0)`
  for (const vocab of [spec.embeddings.vocabSize, ...(spec.embeddings.perLayer ? [spec.embeddings.perLayer.vocabSize] : [])])
    if (paddedVocab(vocab) % tp !== 0)
      return `tensor parallel ${tp} does not divide ${name}'s vocabulary of ${vocab} padded to ${paddedVocab(vocab)} (vLLM VocabParallelEmbedding pads to a multiple of ${vocabPadding}, then requires padded % tensor_parallel_size == 0)`
  if (ep > 1) {
    if (!moe) return `expert parallel ${ep} needs routed experts; ${name} is a dense model (use --ep 1)`
    if (ep !== tp && ep !== tp * dp)
      return `expert parallel ${ep} must be 1 or the tensor-parallel degree ${tp}${dp > 1 ? ` (or tp x dp = ${tp * dp})` : ''} (vLLM --enable-expert-parallel makes ep_size = tensor_parallel_size x data_parallel_size)`
    if (ep > moe.routedExperts) return `expert parallel ${ep} exceeds ${name}'s ${moe.routedExperts} routed experts (each expert-parallel rank needs at least one expert)`
  } else if (moe && moe.expertIntermediateSize % tp !== 0)
    return `tensor parallel ${tp} does not divide ${name}'s expert width ${moe.expertIntermediateSize} (vLLM FusedMoE splits moe_intermediate_size over tp when expert parallel is off; use --ep ${tp})`
  if (pp > spec.layers)
    return `pipeline parallel ${pp} exceeds ${name}'s ${spec.layers} layers (vLLM get_pp_indices gives each stage at least one layer)`
  return null
}

/**
 * How vLLM splits a state-space mixer over tensor parallelism: MambaMixer shards d_inner, MambaMixer2 shards the
 * heads and the B/C groups (replicating groups when tp is a multiple of n_groups), ShortConv shards the hidden
 * channels (vllm/model_executor/layers/mamba/mamba_mixer.py, mamba_mixer2.py, short_conv.py).
 */
function ssmSplitProblem(la: NonNullable<ModelSpec['linearAttention']>, tp: number, name: string): string | null {
  if (la.kind === 'mamba' || la.kind === 'short-conv') {
    if (la.valueHeads % tp !== 0) return `tensor parallel ${tp} does not divide ${name}'s ${la.valueHeads} ${la.kind === 'mamba' ? 'Mamba inner' : 'short-conv'} channels (vLLM shards them over tensor-parallel ranks)`
  } else if (la.kind === 'mamba2') {
    if (la.valueHeads % tp !== 0 || (la.keyHeads % tp !== 0 && tp % la.keyHeads !== 0))
      return `tensor parallel ${tp} does not divide ${name}'s ${la.valueHeads} Mamba-2 heads and ${la.keyHeads} groups (vLLM MambaMixer2 needs num_heads % tp == 0 and n_groups % tp == 0, or tp a multiple of n_groups)`
  }
  return null
}
