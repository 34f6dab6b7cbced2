import {memoryScenarioFor, perfOptionsOf, speedScenarioFor, withLayoutFlags} from '../calc/deployment.js'
import {isMoe} from '../calc/layers.js'
import {paramCounts} from '../calc/params.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels, withDraftModel} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseOneHardware} from '../flags/hardware.js'
import {parseParamCount} from '../flags/quantity.js'
import {compareColumns, compareRow, compareSpeed, compareView, type CompareRow} from '../report/compare.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

function columnKey(name: string, flag: string, hardware: boolean): keyof CompareRow {
  const wanted = name.trim().toLowerCase()
  // hasOwn: a name such as "constructor" is not a column, however Object.prototype spells it
  const column = Object.hasOwn(compareColumns, wanted) ? compareColumns[wanted] : undefined
  if (!column) throw new UserError(`${flag}: unknown column "${name}"; use one of ${Object.keys(compareColumns).join(', ')}`)
  if (column.needsHardware && !hardware) throw new UserError(`${flag}: the column "${name}" needs --hardware (e.g. --hardware h100)`)
  return column.key
}

function pickColumns(text: string | undefined, hardware: boolean): (keyof CompareRow)[] | null {
  if (text === undefined) return null
  const keys = text.split(',').filter((name) => name.trim() !== '').map((name) => columnKey(name, '--columns', hardware))
  if (keys.length === 0) throw new UserError('--columns is empty; name at least one column, e.g. --columns params,active,kv')
  return keys
}

function sortRows(rows: CompareRow[], key: keyof CompareRow, descending: boolean): void {
  rows.sort((a, b) => {
    const x = a[key]
    const y = b[key]
    const order = x === null ? 1 : y === null ? -1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en')
    return descending && x !== null && y !== null ? -order : order
  })
}

export default defineCommand({
  id: 'compare',
  summary: 'Models side by side (all presets when none are named): parameters, KV and FLOPs per token; memory and speed with --hardware',
  examples: [
    '<%= config.bin %> compare',
    '<%= config.bin %> compare gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --context 32k',
    '<%= config.bin %> compare qwen3-30b-a3b gpt-oss-20b --hardware h100 --batch 16',
  ],
  usage: 'compare [MODEL...] [--context 32k] [--hardware h100] [--columns ...] [--sort col --desc]',
  args: [],
  variadic: true,
  flags: {
    ...scenarioFlags,
    columns: {kind: 'option', description: `Columns to show, in order: ${Object.keys(compareColumns).join(',')}`},
    sort: {kind: 'option', description: 'Sort by a column (same names as --columns), ascending'},
    desc: {kind: 'boolean', description: 'Sort descending'},
    family: {kind: 'option', description: 'Only these families, comma-separated (e.g. qwen3,gemma3)'},
    moe: {kind: 'boolean', description: 'Only mixture-of-experts models'},
    dense: {kind: 'boolean', description: 'Only dense models'},
    'max-active': {kind: 'option', description: 'Only models with at most this many active parameters (e.g. 20B, 500M)'},
    'max-total': {kind: 'option', description: 'Only models with at most this many parameters in total'},
  },
  input: (raw) => {
    const f = raw.flags
    if (f.moe && f.dense) throw new UserError('--moe and --dense exclude each other; give one')
    const hardware = f.hardware !== undefined
    const columns = pickColumns(f.columns, hardware)
    const sortKey = f.sort === undefined ? null : columnKey(f.sort, '--sort', hardware)
    const families = f.family?.split(',').map((family) => family.trim().toLowerCase()) ?? null
    const maxActive = f['max-active'] === undefined ? null : parseParamCount(f['max-active'], 'max-active')
    const maxTotal = f['max-total'] === undefined ? null : parseParamCount(f['max-total'], 'max-total')
    const specs = resolveModels(raw.argv).filter((spec) => {
      if (families && !families.includes(spec.family.toLowerCase())) return false
      if ((f.moe && !isMoe(spec)) || (f.dense && isMoe(spec))) return false
      const p = maxActive !== null || maxTotal !== null ? paramCounts(spec) : null
      return !(maxActive !== null && p!.activeParams > maxActive) && !(maxTotal !== null && p!.totalParams > maxTotal)
    })
    if (specs.length === 0) throw new UserError('no model matches the filters (--family, --moe/--dense, --max-active, --max-total); loosen them')
    const choice = parseOneHardware(f.hardware, 'in `compare` (e.g. --hardware 8xh100); use `archcost perf` to compare hardware')
    return {specs, scenario: withDraftModel(scenarioInput(f)), choice, columns, sortKey, descending: f.desc, contextGiven: f.context !== undefined}
  },
  run: ({specs, scenario, choice, sortKey, descending}): {rows: CompareRow[]; warnings: string[]} => {
    const warnings: string[] = []
    const rows = specs.map((spec) => {
      const sizing = memoryScenarioFor(spec, scenario)
      warnings.push(...sizing.warnings)
      if (!choice) return compareRow(spec, sizing.scenario, null)
      const speed = speedScenarioFor(spec, scenario)
      return compareRow(spec, sizing.scenario, compareSpeed(spec, speed.scenario, withLayoutFlags(choice, scenario), speed.memoryUtilization, perfOptionsOf(scenario)))
    })
    if (sortKey) sortRows(rows, sortKey, descending)
    return {rows, warnings}
  },
  present: ({rows}, _format, {scenario, choice, columns, contextGiven}) => {
    const notes = [
      `context ${contextGiven ? rows[0]!.contextTokens : '32k (or the model maximum)'} tokens, batch ${scenario.batch}; KV/token: bytes one more token adds to the cache; FLOPs/token: one decode step at the context`,
      'parameters of the text model; encoders and MTP modules apart (see `archcost params`)',
    ]
    if (choice) notes.push(`on ${choice.devices ? `${choice.devices}x ` : ''}${choice.hardware.id}: the fewest devices that fit (or as given); speed as \`archcost perf\` (prompt: --prompt, else --context, else 2k; ${scenario.outputTokens} output tokens)`)
    return {views: [compareView(rows, notes, columns ?? undefined)]}
  },
})
