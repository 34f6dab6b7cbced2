// What a family file (families/<family>.ts) declares for each of its model_types, and the key lists that several
// families' key tables share.
import type {ModelSpec} from '../schema/model.js'
import type {Config, ImportOptions} from './config.js'

/** Builds a spec from the text model's config; `outer` is the whole file (the wrapper, for multimodal types). */
export type Importer = (cfg: Config, o: ImportOptions, outer: Config) => ModelSpec

/**
 * The config.json keys a model_type reads (used) and those known to change no cost archcost computes (ignored).
 * A key is classified by reading the transformers configuration class of its model_type (configuration_<type>.py)
 * and the modeling file that consumes it: a key that can change the parameter count, the KV cache or the FLOPs
 * is never "ignored".
 */
export interface KeyTable {
  used: readonly string[]
  ignored: readonly string[]
  /** Nested objects whose keys are audited too, reported as "<section>.<key>". */
  sections?: Record<string, KeyTable>
}

/** A model_type: its key table and either a builder or, for a multimodal wrapper, the text model_type inside it. */
export type ModelType = {keys: KeyTable} & ({build: Importer} | {textType: string})

/** A family's model_types by name. */
export type Family = Record<string, ModelType>

// Training-time or numerical settings of decoder configuration classes: no parameter, KV entry or FLOP depends on them.
export const decoderIgnored = ['initializer_range', 'rms_norm_eps', 'use_cache', 'attention_dropout', 'pretraining_tp'] as const
// Router settings that change which experts are picked or how their outputs are weighted, not how many run.
export const routerIgnored = ['output_router_logits', 'router_aux_loss_coef', 'router_jitter_noise', 'norm_topk_prob'] as const
// summary_*: GPT-2-style configs describe a sequence-classification head the causal LM does not build.
export const summaryHeadIgnored = ['summary_type', 'summary_use_proj', 'summary_activation', 'summary_proj_to_labels', 'summary_first_dropout'] as const
// RoPE: the base and scaling are recorded; partial_rotary_factor changes the rotated width (FLOPs of the rotation).
export const ropeKeys = ['rope_theta', 'rope_scaling', 'rope_parameters', 'partial_rotary_factor'] as const
// The dimensions every Llama-shaped decoder reads.
export const core = ['vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'head_dim', 'hidden_act', 'max_position_embeddings', 'tie_word_embeddings', ...ropeKeys] as const
// The core keys but those a configuration class does not define (GPT-J has no head_dim, Jamba no RoPE keys).
export const coreWithout = (...absent: (typeof core)[number][]): string[] => core.filter((key) => !absent.includes(key))
