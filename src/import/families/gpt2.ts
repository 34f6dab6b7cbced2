// GPT-2 (GPT2Config, configuration_gpt2.py).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {type Family, summaryHeadIgnored} from '../family.js'
import {base} from '../pieces.js'

function gpt2Spec(cfg: Config, o: ImportOptions): ModelSpec {
  // GPT2Config: n_embd 768, n_layer 12, n_head 12, n_positions 1024, n_inner None (= 4 n_embd), gelu_new, vocab
  // 50257, tied head; attribute_map aliases hidden_size, num_hidden_layers, num_attention_heads, max_position_embeddings.
  // GPT2Model: wte + wpe, per block ln_1, c_attn (h, 3h) + bias, c_proj (h, h) + bias, ln_2, c_fc (h, inner) + bias,
  // c_proj (inner, h) + bias (Conv1D: same weights as Linear), ln_f; LayerNorms with bias.
  const hidden = cfg.int(cfg.pick('n_embd', 'hidden_size'), 768)
  const layers = cfg.int(cfg.pick('n_layer', 'num_hidden_layers'), 12)
  const heads = cfg.int(cfg.pick('n_head', 'num_attention_heads'), 12)
  const positions = cfg.int(cfg.pick('n_positions', 'max_position_embeddings'), 1024)
  const inner = cfg.intOrNull('n_inner', null) ?? 4 * hidden
  const headDim = hidden / heads
  if (!Number.isInteger(headDim)) throw new UserError(`${cfg.where}: n_embd ${hidden} is not a multiple of n_head ${heads}`)
  return {
    // The original checkpoints are float32 and their config.json names no dtype.
    ...base(cfg, o, 'gpt2', 'gpt2', undefined, {hidden, layers, dtype: 'float32'}),
    maxContextTokens: positions,
    embeddings: {vocabSize: cfg.int('vocab_size', 50257), tied: cfg.bool('tie_word_embeddings', true), learnedPositions: positions, perLayer: null},
    attention: {kind: 'mha', heads, kvHeads: heads, headDim, valueHeadDim: headDim, qkvBias: true, outputBias: true, qkNorm: 'none', sinks: false, outputGate: false},
    ffn: {gated: false, activation: cfg.str('activation_function', 'gelu_new'), intermediateSize: inner, bias: true},
    norms: {kind: 'layernorm', bias: true, placement: 'pre', perLayer: 2, final: true},
    // No rotary embedding: the rope block is required by the schema and unused (every layer has rope: false).
    rope: {theta: 10000, scaling: null, partialRotaryFactor: 1},
    layerGroups: [{count: layers, mixer: 'full', rope: false, ffn: 'dense'}],
  }
}

export const gpt2: Family = {
  // GPT2Config; the attribute_map aliases (hidden_size, ...) are accepted too.
  gpt2: {
    keys: {
      used: [
        'vocab_size',
        'n_positions',
        'n_embd',
        'n_layer',
        'n_head',
        'n_inner',
        'activation_function',
        'tie_word_embeddings',
        'hidden_size',
        'max_position_embeddings',
        'num_attention_heads',
        'num_hidden_layers',
      ],
      ignored: [
        'resid_pdrop',
        'embd_pdrop',
        'attn_pdrop',
        'layer_norm_epsilon',
        'initializer_range',
        ...summaryHeadIgnored, // a classification head the causal LM does not build
        'scale_attn_weights',
        'scale_attn_by_inverse_layer_idx',
        'reorder_and_upcast_attn',
        'use_cache',
        'n_ctx', // legacy key of the original checkpoints; GPT2Config reads n_positions
      ],
    },
    build: gpt2Spec,
  },
}
