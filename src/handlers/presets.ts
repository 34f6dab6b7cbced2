// The logic of `archcost presets`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {render} from '../render/render.js'
import {presetSummary, presetsView} from '../report/params.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runPresets(_argv: string[], flags: Flags, io: Io): Promise<unknown> {
  const rows = resolveModels([]).map(presetSummary)
  io.print(render(outputFormat(flags), {views: [presetsView(rows)], data: rows}))
  return rows
}

