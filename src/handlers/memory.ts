// The logic of `archcost memory`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFor} from '../flags/scenario.js'
import {render} from '../render/render.js'
import {memoryResult, memoryView, scenarioNotes} from '../report/memory.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runMemory(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  const choices = flags.hardware ? parseHardwareFlag(flags.hardware) : []
  if (choices.length > 1) throw new UserError('--hardware takes one profile in `memory`; use `archcost fit` to compare several')
  const choice = choices[0] ?? null
  const specs = resolveModels(argv)
  const parsed = specs.map((spec) => ({spec, ...scenarioFor(spec, flags, choice?.devices ?? 1)}))
  for (const p of parsed) for (const w of p.warnings) process.stderr.write(`warning: ${w}\n`)
  const results = parsed.map((p) => memoryResult(p.spec, p.scenario, choice?.hardware ?? null, p.memoryUtilization))
  const first = parsed[0]!
  io.print(render(outputFormat(flags), {views: [memoryView(results, scenarioNotes(first.scenario, first.memoryUtilization, first.scenario.engine, specs.some((spec) => spec.attention.mla)))], data: results}))
  return results
}

