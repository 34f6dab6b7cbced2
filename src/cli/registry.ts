// Every command by id, loaded on demand: a run imports only the command it runs.
import type {CommandDefinition} from './definition.js'

type Loader = () => Promise<{default: CommandDefinition}>

const loaders = {
  check: () => import('../commands/check.js'),
  compare: () => import('../commands/compare.js'),
  completion: () => import('../commands/completion.js'),
  diff: () => import('../commands/diff.js'),
  explain: () => import('../commands/explain.js'),
  fit: () => import('../commands/fit.js'),
  flops: () => import('../commands/flops.js'),
  import: () => import('../commands/import.js'),
  kv: () => import('../commands/kv.js'),
  memory: () => import('../commands/memory.js'),
  params: () => import('../commands/params.js'),
  perf: () => import('../commands/perf.js'),
  plan: () => import('../commands/plan.js'),
  presets: () => import('../commands/presets.js'),
  schema: () => import('../commands/schema.js'),
  show: () => import('../commands/show.js'),
  sweep: () => import('../commands/sweep.js'),
  train: () => import('../commands/train.js'),
  validate: () => import('../commands/validate.js'),
  verify: () => import('../commands/verify.js'),
} as unknown as Record<string, Loader>

export const commandIds = Object.keys(loaders)

export const isCommand = (id: string | undefined): id is string => id !== undefined && Object.hasOwn(loaders, id)

/** What oclif itself serves: help, the command list, the version, shell completion (its plugin). */
export const oclifServes = (id: string | undefined) => id === undefined || id.startsWith('-') || id === 'help' || id === 'autocomplete'

export async function loadCommand(id: string): Promise<CommandDefinition> {
  return (await loaders[id]!()).default
}
