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
}

/** PretrainedConfig keys that would add or remove weights: refused unless empty/false. */
function refuseWeightEditors(cfg: Config): void {
  const pruned = cfg.raw.pruned_heads
  if (pruned !== undefined && pruned !== null && (typeof pruned !== 'object' || Object.keys(pruned).length > 0))
    throw new UserError(`${cfg.where}: "pruned_heads" removes attention heads, which archcost does not model; import the unpruned config`)
  if (cfg.bool('add_cross_attention', false)) throw new UserError(`${cfg.where}: "add_cross_attention" adds cross-attention layers, which archcost does not model`)
}

/** Imports a config.json and says which of its keys were read and which were set aside as cost-free. */
export function importHfConfigReport(raw: unknown, o: ImportOptions): ImportReport {
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
  if (audit.unknown.length) {
    const keys = audit.unknown.map((k) => `"${k}"`).join(', ')
    throw new UserError(
      `${outer.where}: ${audit.unknown.length === 1 ? 'key' : 'keys'} ${keys} of model_type "${type}" ${audit.unknown.length === 1 ? 'is' : 'are'} unknown to the importer, which does not know whether ${audit.unknown.length === 1 ? 'it changes' : 'they change'} the parameter count, KV cache or FLOPs; remove ${audit.unknown.length === 1 ? 'it' : 'them'} if not`,
    )
  }
  refuseWeightEditors(outer)
  if (cfg !== outer) refuseWeightEditors(cfg)
  const spec = importer(cfg, o, outer)
  spec.source.modelType = modelType
  const imported = encodersFromHfConfig(outer, modelType)
  spec.encoders = imported.encoders
  if (imported.notes.length) spec.notes = [...(spec.notes ?? []), ...imported.notes]
  return {spec, used: audit.used, ignored: audit.ignored}
}

export function importHfConfig(raw: unknown, o: ImportOptions): ModelSpec {
  return importHfConfigReport(raw, o).spec
}
