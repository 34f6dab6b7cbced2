// The key audit: each config.json key is used by the importer, known to change no cost archcost computes
// (ignored: token ids, dropout, initialisation, numerics such as norm epsilons, routing-score details, training
// losses, hub metadata), or never seen (unknown). Each model_type's table lives with its family
// (families/<family>.ts); the keys every configuration class shares are here.
import type {Json} from './config.js'
import {keyTables, wrapperTextTypes} from './families/index.js'
import type {KeyTable} from './family.js'

export {wrapperTextTypes}

export interface KeyAudit {
  used: string[]
  ignored: string[]
  unknown: string[]
}

// PretrainedConfig's own attributes and hub metadata: shared by every configuration class, none changes the
// architecture (generation defaults, label maps, output switches, export flags, file bookkeeping).
const pretrainedConfigIgnored = [
  '_provenance', // archcost's own note on where an assembled file came from
  '_name_or_path',
  '_commit_hash',
  '_attn_implementation',
  '_attn_implementation_autoset',
  '_attn_implementation_internal',
  'transformers_version',
  'architectures',
  'auto_map',
  'custom_pipelines',
  'return_dict',
  'output_hidden_states',
  'output_attentions',
  'torchscript',
  'use_bfloat16',
  'tf_legacy_loss',
  'chunk_size_feed_forward', // chunks the FFN over the sequence: same FLOPs, less activation memory
  'is_encoder_decoder',
  'is_decoder',
  'cross_attention_hidden_size',
  'tie_encoder_decoder',
  'finetuning_task',
  'id2label',
  'label2id',
  'num_labels',
  'task_specific_params',
  'problem_type',
  'tokenizer_class',
  'prefix',
  'bos_token_id',
  'pad_token_id',
  'eos_token_id',
  'sep_token_id',
  'decoder_start_token_id',
  'max_length',
  'min_length',
  'do_sample',
  'early_stopping',
  'num_beams',
  'num_beam_groups',
  'diversity_penalty',
  'temperature',
  'top_k',
  'top_p',
  'typical_p',
  'repetition_penalty',
  'length_penalty',
  'no_repeat_ngram_size',
  'encoder_no_repeat_ngram_size',
  'bad_words_ids',
  'num_return_sequences',
  'output_scores',
  'return_dict_in_generate',
  'forced_bos_token_id',
  'forced_eos_token_id',
  'remove_invalid_values',
  'exponential_decay_length_penalty',
  'suppress_tokens',
  'begin_suppress_tokens',
  'gradient_checkpointing',
] as const

/**
 * Read by every importer: the type, the checkpoint dtype and quantization, and two PretrainedConfig keys that
 * would add or remove weights (pruned_heads, add_cross_attention), which the importer refuses unless empty/false.
 */
const pretrainedConfigUsed = ['model_type', 'torch_dtype', 'dtype', 'quantization_config', 'pruned_heads', 'add_cross_attention'] as const

/** model_types the key tables cover (every type the importer supports). */
export const auditedModelTypes = Object.keys(keyTables).sort()

function auditObject(raw: Json, table: KeyTable | undefined, prefix: string, out: KeyAudit): void {
  const used = new Set<string>([...pretrainedConfigUsed, ...(table?.used ?? [])])
  const ignored = new Set<string>([...pretrainedConfigIgnored, ...(table?.ignored ?? [])])
  for (const key of Object.keys(raw)) {
    const name = prefix + key
    if (used.has(key)) out.used.push(name)
    else if (ignored.has(key)) out.ignored.push(name)
    else out.unknown.push(name)
    const section = table?.sections?.[key]
    if (!section) continue
    const value = raw[key]
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) auditObject(value as Json, section, `${name}.`, out)
  }
}

/**
 * Classifies every top-level key of a Hugging Face config.json (and, for multimodal wrappers, every key of
 * text_config, reported as "text_config.<key>") as used by the importer, ignored as cost-free, or unknown.
 */
export function auditConfigKeys(raw: Json, modelType: string): KeyAudit {
  const out: KeyAudit = {used: [], ignored: [], unknown: []}
  auditObject(raw, keyTables[modelType], '', out)
  const textDefault = wrapperTextTypes[modelType]
  const text = raw.text_config
  if (textDefault && text !== null && typeof text === 'object' && !Array.isArray(text)) {
    const textType = typeof (text as Json).model_type === 'string' ? ((text as Json).model_type as string) : textDefault
    auditObject(text as Json, keyTables[textType], 'text_config.', out)
  }
  return out
}
