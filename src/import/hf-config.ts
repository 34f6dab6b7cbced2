// Hugging Face config.json -> archcost model spec: reads model_type (and a multimodal wrapper's text_config),
// audits the keys, and hands the config to its family's builder (families/<family>.ts). Keys a file leaves out take
// the default of the transformers configuration class of its model_type (configuration_<type>.py).
import {UserError} from '../errors.js'
import type {ModelSpec} from '../schema/model.js'
import {Config, type ImportOptions, type Json} from './config.js'
import {encodersFromHfConfig} from './encoders.js'
import {importers, wrapperTextTypes} from './families/index.js'
import {auditConfigKeys} from './keys.js'

export type {ImportOptions}

export const supportedModelTypes = [...Object.keys(importers), ...Object.keys(wrapperTextTypes)].sort()

export interface ImportReport {
  spec: ModelSpec
  /** Config keys the importer read (text_config keys as "text_config.<key>"). */
  used: string[]
  /** Config keys known to change no parameter, KV entry or FLOP. */
  ignored: string[]
  /** Keys unknown to the importer, taken as changing no cost (refused instead with `strict`). One line each. */
  warnings: string[]
}

/**
 * The line for keys the importer does not know: a warning (they are assumed to change no cost), or with `strict`
 * the refusal. Keys that would change the cost and are not understood (pruned_heads, ...) are refused either way.
 */
function unknownKeysText(where: string, keys: string[], type: string, strict: boolean): string {
  const one = keys.length === 1
  const names = `${one ? 'key' : 'keys'} ${keys.map((k) => `"${k}"`).join(', ')} of model_type "${type}" ${one ? 'is' : 'are'} unknown to the importer`
  return strict
    ? `${where}: ${names}, which does not know whether ${one ? 'it changes' : 'they change'} the parameter count, KV cache or FLOPs; remove ${one ? 'it' : 'them'} if not (--strict refuses unknown keys)`
    : `${where}: ${names}: assumed to change no cost; --strict refuses ${one ? 'it' : 'them'}`
}

/** PretrainedConfig keys that would add or remove weights: refused unless empty/false. */
function refuseWeightEditors(cfg: Config): void {
  const pruned = cfg.raw.pruned_heads
  if (pruned !== undefined && pruned !== null && (typeof pruned !== 'object' || Object.keys(pruned).length > 0))
    throw new UserError(`${cfg.where}: "pruned_heads" removes attention heads, which archcost does not model; import the unpruned config`)
  if (cfg.bool('add_cross_attention', false)) throw new UserError(`${cfg.where}: "add_cross_attention" adds cross-attention layers, which archcost does not model`)
}

/**
 * Imports a config.json and says which of its keys were read and which were set aside as cost-free. A key unknown
 * to the importer is a warning, or with `strict` a refusal.
 */
export function importHfConfigReport(raw: unknown, o: ImportOptions, strict = false): ImportReport {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${o.configPath ?? o.id}: a config.json must hold a JSON object`)
  const outer = new Config(raw as Json, o.configPath ?? o.id)
  const modelType = outer.str('model_type', '')
  if (!modelType) throw new UserError(`${outer.where}: no "model_type" key; is this a Hugging Face config.json?`)
  const textType = wrapperTextTypes[modelType]
  const cfg = textType ? outer.sub('text_config') : outer
  const type = textType ? cfg.str('model_type', textType) : modelType
  const importer = importers[type]
  if (!importer) throw new UserError(`${outer.where}: model_type "${type}" is not supported; supported: ${supportedModelTypes.join(', ')}`)
  const audit = auditConfigKeys(raw as Json, modelType)
  if (audit.unknown.length && strict) throw new UserError(unknownKeysText(outer.where, audit.unknown, type, true))
  const warnings = audit.unknown.length ? [unknownKeysText(outer.where, audit.unknown, type, false)] : []
  refuseWeightEditors(outer)
  if (cfg !== outer) refuseWeightEditors(cfg)
  const spec = importer(cfg, o, outer)
  spec.source.modelType = modelType
  const imported = encodersFromHfConfig(outer, modelType)
  spec.encoders = imported.encoders
  if (imported.notes.length) spec.notes = [...(spec.notes ?? []), ...imported.notes]
  return {spec, used: audit.used, ignored: audit.ignored, warnings}
}

export function importHfConfig(raw: unknown, o: ImportOptions, strict = false): ModelSpec {
  return importHfConfigReport(raw, o, strict).spec
}
