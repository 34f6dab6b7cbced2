// The logic of `archcost show`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {render} from '../render/render.js'
import {cardView} from '../report/card.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runShow(_argv: string[], flags: Flags, args: Record<string, string | undefined>, io: Io): Promise<unknown> {
  const [spec] = resolveModels([args.model!])
  io.print(render(outputFormat(flags), {views: [cardView(spec!)], data: spec}))
  return spec
}

