import {defaultContextTokens, pastMaximum} from '../calc/deployment.js'
import {defaultFlopsOptions, type MlaAttentionForm} from '../calc/flops.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {parseTokenCount, parseTrainTokens} from '../flags/quantity.js'
import {flopsResult, flopsView, type FlopsResult} from '../report/flops.js'
import {scenarioDefaults} from '../schema/scenario-fields.js'

export default defineCommand({
  id: 'flops',
  summary: 'FLOPs per token: forward, prefill of the context, one decode step, training per token and per run',
  examples: [
    '<%= config.bin %> flops deepseek-v3 llama-4-maverick-17b-128e-instruct --context 8k',
    '<%= config.bin %> flops qwen3-8b --context 4k --train-tokens 36T --json',
  ],
  usage: 'flops [MODEL...] [--context 8k] [--train-tokens 15T]',
  args: [],
  variadic: true,
  flags: {
    context: {kind: 'option', char: 'c', description: `Context length (prefill length, decode position, training sequence length) [default: ${scenarioDefaults.flopsContextTokens / 1024}k or the model maximum]`},
    'train-tokens': {kind: 'option', description: 'Training tokens for a whole-run total, e.g. 15T, 36T, 2e12'},
    'mla-attention': {kind: 'option', description: 'MLA attention form for both prefill and decode [default: expanded for prefill, absorbed for decode, as vLLM]', options: ['absorbed', 'expanded']},
  },
  input: (raw) => {
    const form = raw.flags['mla-attention'] as MlaAttentionForm | undefined
    return {
      specs: resolveModels(raw.argv),
      contextTokens: raw.flags.context === undefined ? null : parseTokenCount(raw.flags.context, 'context'),
      trainTokens: raw.flags['train-tokens'] === undefined ? null : parseTrainTokens(raw.flags['train-tokens'], 'train-tokens'),
      options: form ? {mlaPrefill: form, mlaDecode: form} : defaultFlopsOptions,
    }
  },
  run: ({specs, contextTokens, trainTokens, options}): {models: FlopsResult[]; warnings: string[]} => {
    const contexts = specs.map((spec) => contextTokens ?? defaultContextTokens(spec, scenarioDefaults.flopsContextTokens))
    return {
      models: specs.map((spec, i) => flopsResult(spec, contexts[i]!, options, trainTokens)),
      warnings: specs.flatMap((spec, i) => (contexts[i]! > spec.maxContextTokens ? [pastMaximum(spec, contexts[i]!)] : [])),
    }
  },
  present: ({models}, _format, {options}) => ({
    views: [
      flopsView(models, [
        `context ${models[0]!.contextTokens} tokens; forward = 2 x parameters multiplied + 2 x heads x (qk + v head dims) per key seen (sliding: window, chunked: position in chunk) + linear-attention state updates`,
        'prefill counts the causal half only (position i sees i + 1 keys) and the LM head at every position; decode is one token with the context in the cache',
        `MLA: ${options.mlaPrefill} form in prefill, ${options.mlaDecode} in decode; training = 3 x forward (4 x with recomputation); FLOP = one multiply or add`,
      ]),
    ],
  }),
})
