// Activation options for the training tests: one sequence of 1,024 tokens, flash attention, no recomputation,
// bf16, 1F1B, nothing split; each test overrides what it works by hand.
import type {ActivationOptions} from '../../src/calc/training/activations.js'

export const activationOptions = (o: Partial<ActivationOptions>): ActivationOptions => ({
  sequenceTokens: 1024,
  microBatchSequences: 1,
  recompute: 'none',
  flashAttention: true,
  dropout: false,
  sequenceParallel: false,
  bytesPerElement: 2,
  schedule: '1f1b',
  chunksPerStage: 1,
  microBatchesPerStep: null,
  loraRankPerToken: 0,
  contextParallel: 1,
  ...o,
})
