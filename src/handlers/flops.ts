// The logic of `archcost flops`, free of oclif so that the fast start-up path can run it (src/cli/fast.ts).
import {resolveModels} from '../cli/models.js'
import {defaultFlopsOptions, type MlaAttentionForm} from '../calc/flops.js'
import {parseTokenCount, parseTrainTokens} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {flopsResult, flopsView} from '../report/flops.js'
import {outputFormat, type Io} from '../cli/output.js'

/** Parsed flag values, as oclif or the fast path (src/cli/fast.ts) gives them. */
type Flags = Record<string, any>

export async function runFlopsCommand(argv: string[], flags: Flags, io: Io): Promise<unknown> {
  const specs = resolveModels(argv)
  const form = flags['mla-attention'] as MlaAttentionForm | undefined
  const o = form ? {mlaPrefill: form, mlaDecode: form} : defaultFlopsOptions
  const trainTokens = flags['train-tokens'] === undefined ? null : parseTrainTokens(flags['train-tokens'], 'train-tokens')
  const results = specs.map((spec) => {
    const contextTokens = flags.context === undefined ? Math.min(8192, spec.maxContextTokens) : parseTokenCount(flags.context, 'context')
    if (contextTokens > spec.maxContextTokens) process.stderr.write(`warning: ${spec.id}: context ${contextTokens} is past the model's maximum of ${spec.maxContextTokens} tokens\n`)
    return flopsResult(spec, contextTokens, o, trainTokens)
  })
  const notes = [
    `context ${results[0]!.contextTokens} tokens; forward = 2 x parameters multiplied + 2 x heads x (qk + v head dims) per key seen (sliding: window, chunked: position in chunk) + linear-attention state updates`,
    'prefill counts the causal half only (position i sees i + 1 keys) and the LM head at every position; decode is one token with the context in the cache',
    `MLA: ${o.mlaPrefill} form in prefill, ${o.mlaDecode} in decode; training = 3 x forward (4 x with recomputation); FLOP = one multiply or add`,
  ]
  io.print(render(outputFormat(flags), {views: [flopsView(results, notes)], data: results}))
  return results
}

