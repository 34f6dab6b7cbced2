// FLOP counts per model at a context: forward per token, prefill, one decode step, training per token and per run.
import {decodeFlopsPerToken, matmulParamsPerToken, prefillFlops, trainFlopsPerToken, type FlopsOptions} from '../calc/flops.js'
import type {TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {FlopsResult} from '../schema/results/flops.js'

export type {FlopsResult} from '../schema/results/flops.js'

export function flopsResult(spec: ModelSpec, contextTokens: number, o: FlopsOptions, trainTokens: number | null): FlopsResult {
  const matmulParams = matmulParamsPerToken(spec)
  const train = trainFlopsPerToken(spec, contextTokens)
  return {
    id: spec.id,
    contextTokens,
    matmulParams,
    forwardFlopsPerTokenNoAttention: 2 * matmulParams,
    prefillFlops: prefillFlops(spec, contextTokens, o),
    decodeFlopsPerToken: decodeFlopsPerToken(spec, contextTokens, o),
    trainFlopsPerToken: train,
    trainFlopsPerTokenRecompute: trainFlopsPerToken(spec, contextTokens, true),
    trainRunFlops: trainTokens === null ? null : train * trainTokens,
    trainTokens,
  }
}

export function flopsView(results: FlopsResult[], notes: string[]): TableView {
  const run = results.some((r) => r.trainRunFlops !== null)
  return {
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'matmulParams', header: 'Params multiplied', kind: 'count', unit: 'params'},
      {key: 'forwardFlopsPerTokenNoAttention', header: '2N per token', kind: 'flops', unit: 'flops'},
      {key: 'decodeFlopsPerToken', header: 'Decode per token', kind: 'flops', unit: 'flops'},
      {key: 'prefillFlops', header: 'Prefill', kind: 'flops', unit: 'flops'},
      {key: 'trainFlopsPerToken', header: 'Train per token', kind: 'flops', unit: 'flops'},
      {key: 'trainFlopsPerTokenRecompute', header: 'Train (recompute)', kind: 'flops', unit: 'flops'},
      ...(run ? [{key: 'trainRunFlops', header: 'Training run', kind: 'flops' as const, unit: 'flops'}] : []),
    ],
    rows: results.map((r) => ({...r})),
    notes,
    transpose: results.length <= 4,
  }
}
