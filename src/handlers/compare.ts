// The logic of `archcost compare`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {defaultPerfOptions} from '../calc/perf.js'
import {memoryEstimate} from '../calc/memory.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFor} from '../flags/scenario.js'
import {parseTokenCount} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {compareColumns, compareRow, compareView, type CompareRow} from '../report/compare.js'
import {isMoe} from '../calc/layers.js'
import {paramCounts} from '../calc/params.js'
import {parseParamCount} from '../flags/quantity.js'
import {perfResult} from '../report/perf.js'
import {outputFormat, type Io} from '../cli/output.js'

function columnKey(name: string, flag: string, hardware: boolean): keyof CompareRow {
  const column = compareColumns[name.trim().toLowerCase()]
  if (!column) throw new UserError(`${flag}: unknown column "${name}"; use one of ${Object.keys(compareColumns).join(', ')}`)
  if (column.needsHardware && !hardware) throw new UserError(`${flag}: the column "${name}" needs --hardware (e.g. --hardware h100)`)
  return column.key
}

function pickColumns(text: string | undefined, hardware: boolean): (keyof CompareRow)[] | undefined {
  if (text === undefined) return undefined
  const keys = text.split(',').filter((name) => name.trim() !== '').map((name) => columnKey(name, '--columns', hardware))
  if (keys.length === 0) throw new UserError('--columns is empty; name at least one column, e.g. --columns params,active,kv')
  return keys
}

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runCompare(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  const picked = pickColumns(flags.columns, flags.hardware !== undefined)
  const sortKey = flags.sort === undefined ? null : columnKey(flags.sort, '--sort', flags.hardware !== undefined)
  const families = (flags.family as string | undefined)?.split(',').map((f) => f.trim().toLowerCase())
  const maxActive = flags['max-active'] === undefined ? null : parseParamCount(flags['max-active'], 'max-active')
  const maxTotal = flags['max-total'] === undefined ? null : parseParamCount(flags['max-total'], 'max-total')
  const specs = resolveModels(argv).filter((spec) => {
    if (families && !families.includes(spec.family.toLowerCase())) return false
    if (flags.moe && !isMoe(spec)) return false
    if (flags.dense && isMoe(spec)) return false
    const p = maxActive !== null || maxTotal !== null ? paramCounts(spec) : null
    if (maxActive !== null && p!.activeParams > maxActive) return false
    if (maxTotal !== null && p!.totalParams > maxTotal) return false
    return true
  })
  if (specs.length === 0) throw new UserError('no model matches the filters (--family, --moe/--dense, --max-active, --max-total); loosen them')
  const choices = flags.hardware ? parseHardwareFlag(flags.hardware) : []
  if (choices.length > 1) throw new UserError('compare takes one --hardware (e.g. --hardware 8xh100); use `archcost perf` to compare hardware')
  const outputTokens = parseTokenCount(flags.output, 'output')
  const rows = specs.map((spec) => {
    const {scenario, memoryUtilization} = scenarioFor(spec, flags)
    if (!choices[0]) return compareRow(spec, scenario, null)
    const s = {...scenario, contextTokens: scenario.contextTokens + outputTokens, promptTokens: scenario.contextTokens, outputTokens}
    const perf = perfResult(spec, s, choices[0], memoryUtilization, defaultPerfOptions, null)
    const perDeviceBytes = perf.layout ? memoryEstimate(spec, {...s, layout: perf.layout}).perDevice.totalBytes : null
    return compareRow(spec, scenario, {...perf, perDeviceBytes})
  })
  if (sortKey) {
    const value = (row: CompareRow) => row[sortKey as keyof CompareRow]
    rows.sort((a, b) => {
      const x = value(a)
      const y = value(b)
      const order = x === null ? 1 : y === null ? -1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'en')
      return flags.desc && x !== null && y !== null ? -order : order
    })
  }
  const first = rows[0]!
  const notes = [
    `context ${flags.context ? first.contextTokens : '32k (or the model maximum)'} tokens, batch ${flags.batch ?? 1}; KV/token: bytes one more token adds to the cache; FLOPs/token: one decode step at the context`,
    'parameters of the text model; encoders and MTP modules apart (see `archcost params`)',
  ]
  if (choices[0]) notes.push(`on ${flags.hardware}: the fewest devices that fit (or as given), prompt = context, ${outputTokens} output tokens; speed as \`archcost perf\``)
  io.print(render(outputFormat(flags), {views: [compareView(rows, notes, picked)], data: rows}))
  return rows
}

