// The logic of `archcost fit`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFor} from '../flags/scenario.js'
import {render} from '../render/render.js'
import {scenarioNotes} from '../report/memory.js'
import {fitResult, fitView} from '../report/fit.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runFit(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  if (!flags.hardware) throw new UserError('fit needs --hardware, e.g. --hardware h100 or --hardware h100,h200,mi300x')
  const choices = parseHardwareFlag(flags.hardware)
  const specs = resolveModels(argv)
  const results = []
  let notes: string[] = []
  for (const spec of specs) {
    const parsed = scenarioFor(spec, flags)
    for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`)
    notes = scenarioNotes(parsed.scenario, parsed.memoryUtilization, parsed.scenario.engine, Boolean(spec.attention.mla))
    for (const choice of choices) results.push(fitResult(spec, parsed.scenario, choice, parsed.memoryUtilization))
  }
  notes.push('devices: tensor parallel within 8 per node, pipeline beyond; MoE experts split over the tensor-parallel group')
  io.print(render(outputFormat(flags), {views: [fitView(results, notes)], data: results}))
  return results
}

