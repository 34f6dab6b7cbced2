// The logic of `archcost params`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {render} from '../render/render.js'
import {paramsResult, paramsView} from '../report/params.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runParams(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  const results = resolveModels(argv).map(paramsResult)
  io.print(render(outputFormat(flags), {views: [paramsView(results)], data: results}))
  return results
}

