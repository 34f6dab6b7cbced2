// Small hand-written specs for tests of features no shipped preset has (GPT-2 style, plain MLPs).
import {parseModelSpec} from '../../src/presets/load.js'
import type {ModelSpec} from '../../src/schema/model.js'

/** GPT-2 124M (Radford et al. 2019; transformers GPT2Config defaults): h 768, 12 layers, 12 heads, vocab 50257, 1024 positions. */
export function gpt2Small(overrides: Partial<ModelSpec> = {}): ModelSpec {
  return parseModelSpec(
    {
      id: 'gpt2',
      name: 'GPT-2 small',
      family: 'gpt2',
      source: {hfRepo: 'openai-community/gpt2', modelType: 'gpt2', config: 'tests/helpers/spec.ts'},
      dtype: 'fp32',
      checkpointWeights: {embeddings: 'fp32', linear: 'fp32', experts: 'fp32', unquantized: 'fp32'},
      hiddenSize: 768,
      layers: 12,
      maxContextTokens: 1024,
      embeddings: {vocabSize: 50257, tied: true, learnedPositions: 1024, perLayer: null},
      attention: {kind: 'mha', heads: 12, kvHeads: 12, headDim: 64, valueHeadDim: 64, qkvBias: true, outputBias: true, qkNorm: 'none', sinks: false, outputGate: false},
      ffn: {gated: false, activation: 'gelu_new', intermediateSize: 3072, bias: true},
      norms: {kind: 'layernorm', bias: true, placement: 'pre', perLayer: 2, final: true},
      rope: {theta: 10000, scaling: null, partialRotaryFactor: 1},
      layerGroups: [{count: 12, mixer: 'full', rope: false, ffn: 'dense'}],
      mtpLayers: 0,
      encoders: [],
      ...overrides,
    },
    'gpt2 test spec',
  )
}

/** GPT-2 small with 11 Kimi Delta Attention layers and 1 full-attention layer (12 KDA heads x 64, conv 4). */
export function kdaHybrid(): ModelSpec {
  return gpt2Small({
    linearAttention: {kind: 'kda', keyHeads: 12, valueHeads: 12, keyHeadDim: 64, valueHeadDim: 64, convKernel: 4},
    layerGroups: [
      {count: 11, mixer: 'linear', rope: false, ffn: 'dense'},
      {count: 1, mixer: 'full', rope: false, ffn: 'dense'},
    ],
  })
}
