import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {defaultPerfOptions} from '../calc/perf.js'
import {memoryEstimate} from '../calc/memory.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor} from '../flags/index.js'
import {parseTokenCount} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {compareColumns, compareRow, compareView, type CompareRow} from '../report/compare.js'
import {isMoe} from '../calc/layers.js'
import {paramCounts} from '../calc/params.js'
import {parseParamCount} from '../flags/quantity.js'

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
import {perfResult} from '../report/perf.js'

export default class Compare extends BaseCommand {
  static override summary = 'Models side by side (all presets when none are named): parameters, KV and FLOPs per token; memory and speed with --hardware'
  static override examples = [
    '<%= config.bin %> compare',
    '<%= config.bin %> compare gemma-3-27b-it mistral-small-3.1-24b-instruct-2503 --context 32k',
    '<%= config.bin %> compare qwen3-30b-a3b gpt-oss-20b --hardware h100 --batch 16',
  ]
  static override strict = false
  static override flags = {
    ...scenarioFlags,
    output: Flags.string({description: 'Output tokens per sequence for the speed columns', default: '512'}),
    columns: Flags.string({description: `Columns to show, in order: ${Object.keys(compareColumns).join(',')}`}),
    sort: Flags.string({description: 'Sort by a column (same names as --columns), ascending'}),
    desc: Flags.boolean({description: 'Sort descending'}),
    family: Flags.string({description: 'Only these families, comma-separated (e.g. qwen3,gemma3)'}),
    moe: Flags.boolean({description: 'Only mixture-of-experts models', exclusive: ['dense']}),
    dense: Flags.boolean({description: 'Only dense models', exclusive: ['moe']}),
    'max-active': Flags.string({description: 'Only models with at most this many active parameters (e.g. 20B, 500M)'}),
    'max-total': Flags.string({description: 'Only models with at most this many parameters in total'}),
  }

  async run() {
    const {argv, flags} = await this.parse(Compare)
    const picked = pickColumns(flags.columns, flags.hardware !== undefined)
    const sortKey = flags.sort === undefined ? null : columnKey(flags.sort, '--sort', flags.hardware !== undefined)
    const families = flags.family?.split(',').map((f) => f.trim().toLowerCase())
    const maxActive = flags['max-active'] === undefined ? null : parseParamCount(flags['max-active'], 'max-active')
    const maxTotal = flags['max-total'] === undefined ? null : parseParamCount(flags['max-total'], 'max-total')
    const specs = resolveModels(argv as string[]).filter((spec) => {
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
      const value = (row: CompareRow) => row[sortKey]
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
    this.print(render(this.outputFormat(flags), {views: [compareView(rows, notes, picked)], data: rows}))
    return rows
  }
}
