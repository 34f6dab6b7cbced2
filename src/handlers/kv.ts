// The logic of `archcost kv`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {scenarioFor} from '../flags/scenario.js'
import {parseTokenCount} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {defaultContexts, kvResult, kvView} from '../report/kv.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runKv(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  const specs = resolveModels(argv)
  const given = (flags.contexts as string | undefined)?.split(',').map((c: string) => parseTokenCount(c, 'contexts'))
  const results = specs.map((spec) => kvResult(spec, scenarioFor(spec, flags).scenario, given ?? defaultContexts(spec)))
  const first = results[0]!
  const notes = [
    `KV in ${first.kvFormat}, batch ${first.batch}; sliding and chunked layers hold at most their window, KV-sharing layers nothing, linear-attention layers a fixed state`,
    'context k = 1024 tokens; bytes in binary units',
  ]
  io.print(render(outputFormat(flags), {views: [kvView(results, notes)], data: results}))
  return results
}

