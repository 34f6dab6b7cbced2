// Zamba2: Zamba2Config (configuration_zamba2.py) and modular_zamba2.py / modeling_zamba2.py (with ZambaAttention,
// ZambaAttentionDecoderLayer, ZambaMambaDecoderLayer of modeling_zamba.py). Every layer is a Zamba2MambaDecoderLayer
// (one RMSNorm and a Mamba-2 mixer); a "hybrid" layer first runs one of num_mem_blocks shared
// Zamba2AttentionDecoderLayer (in turn: invocation i runs block i mod num_mem_blocks) on the hidden state concatenated
// with the input embeddings, then its own Linear(h, h), and adds the result to the Mamba layer's input.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import type {Config, ImportOptions} from '../config.js'
import {coreWithout, type Family} from '../family.js'
import {base, rmsNorms, tokenEmbeddings} from '../pieces.js'
import {attentionKindOf} from '../../schema/attention-kind.js'

// Zamba2Config defaults ("a Zamba2-2.7B style configuration"; intermediate_size None = 4 x hidden_size).
const zamba2Defaults = {
  vocab_size: 32000,
  max_position_embeddings: 4096,
  hidden_size: 2560,
  num_hidden_layers: 54,
  num_attention_heads: 32,
}

/** Zamba2Config's layers_block_type default: 54 entries, a shared block at 9 of them. */
function defaultBlockTypes(): string[] {
  const run = (n: number) => Array<string>(n).fill('mamba')
  return ['mamba', ...Array.from({length: 7}, () => [...run(5), 'hybrid']).flat(), ...run(4), 'hybrid', ...run(3), 'hybrid', ...run(2)]
}

function zamba2Spec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(zamba2Defaults)
  const h = cfg.int('hidden_size')
  const layers = cfg.int('num_hidden_layers')
  const types = cfg.strList('layers_block_type') ?? defaultBlockTypes()
  if (types.length !== layers) throw new UserError(`${cfg.where}: "layers_block_type" has ${types.length} entries for ${layers} layers (num_hidden_layers)`)
  const bad = types.find((t) => t !== 'mamba' && t !== 'hybrid')
  if (bad !== undefined) throw new UserError(`${cfg.where}: "layers_block_type" entry "${bad}" is neither "mamba" nor "hybrid"`)
  const invokedAt = types.flatMap((t, i) => (t === 'hybrid' ? [i] : []))
  if (invokedAt.length === 0) throw new UserError(`${cfg.where}: "layers_block_type" has no "hybrid" layer; Zamba2Model needs at least one (a pure Mamba-2 model is model_type "mamba2")`)
  const blocks = cfg.int('num_mem_blocks', 1)
  if (blocks > invokedAt.length) throw new UserError(`${cfg.where}: "num_mem_blocks" ${blocks} exceeds the ${invokedAt.length} hybrid layers: a block would never run`)

  // Zamba2MambaMixer: d_inner = int(mamba_expand x hidden_size), heads of mamba_headdim = d_inner // n_mamba_heads,
  // conv1d over d_inner + 2 x ngroups x d_state channels with a bias always (use_conv_bias is not read when building),
  // in_proj / out_proj biased with add_bias_linear, dt_bias, A_log, D, and a gated RMSNorm over d_inner.
  const inner = cfg.num('mamba_expand', 2) * h
  if (!Number.isInteger(inner)) throw new UserError(`${cfg.where}: mamba_expand x hidden_size = ${inner} is not a whole number of channels`)
  const ssmHeads = cfg.int('n_mamba_heads', 8)
  if (inner % ssmHeads !== 0) throw new UserError(`${cfg.where}: d_inner ${inner} (mamba_expand x hidden_size) is not a multiple of n_mamba_heads ${ssmHeads}`)
  const groups = cfg.int('mamba_ngroups', 1)
  if (ssmHeads % groups !== 0) throw new UserError(`${cfg.where}: n_mamba_heads ${ssmHeads} is not a multiple of mamba_ngroups ${groups}`)
  const bias = cfg.bool('add_bias_linear', false)

  // ZambaAttention: attention_hidden_size = 2h, head_dim = 2h / num_attention_heads (no head_dim key).
  const heads = cfg.int('num_attention_heads')
  const kvHeads = cfg.has('num_key_value_heads') ? cfg.int('num_key_value_heads') : heads
  if (heads % kvHeads !== 0) throw new UserError(`${cfg.where}: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`)
  const width = 2 * h
  const headDim = Math.floor(width / heads)
  if (headDim * heads !== width) throw new UserError(`${cfg.where}: 2 x hidden_size ${width} is not a multiple of num_attention_heads ${heads} (Zamba2's attention head_dim)`)
  const attentionAdapters = cfg.bool('use_shared_attention_adapter', false)
  // The q/k/v adapters add an output of attention_hidden_size to k_proj and v_proj: only equal widths add up.
  if (attentionAdapters && kvHeads !== heads)
    throw new UserError(`${cfg.where}: "use_shared_attention_adapter" needs num_key_value_heads = num_attention_heads (its k/v adapters output 2 x hidden_size)`)
  // use_mem_rope with use_long_context: rope_theta x 8^(d / (d - 2)) and 16384 positions (Zamba2Config.__init__).
  const rope = cfg.bool('use_mem_rope', false)
  const longContext = cfg.bool('use_long_context', false)
  const theta = cfg.num('rope_theta', 10000) * (rope && longContext ? 8 ** (headDim / (headDim - 2)) : 1)

  return {
    ...base(cfg, o, 'zamba2', 'zamba2'),
    maxContextTokens: longContext ? 16384 : cfg.int('max_position_embeddings'),
    // Zamba2Config leaves tie_word_embeddings to PretrainedConfig (tied by default).
    embeddings: tokenEmbeddings(cfg, true),
    attention: {kind: attentionKindOf(heads, kvHeads), heads, kvHeads, headDim, valueHeadDim: headDim, qkvBias: false, outputBias: false, qkNorm: 'none', sinks: false, outputGate: false},
    linearAttention: {
      kind: 'mamba2',
      keyHeads: groups,
      keyHeadDim: cfg.int('mamba_d_state', 64),
      valueHeads: ssmHeads,
      valueHeadDim: inner / ssmHeads,
      convKernel: cfg.int('mamba_d_conv', 4),
      convBias: true,
      projectionBias: bias,
    },
    // The shared block's MLP (Zamba2MLP: gate_up_proj of 2 x intermediate_size, GELU by default); no layer has a dense FFN of its own.
    ffn: {gated: true, activation: cfg.str('hidden_act', 'gelu'), intermediateSize: cfg.int('intermediate_size', 4 * h), bias},
    norms: rmsNorms('pre', 1),
    rope: {theta, scaling: null, partialRotaryFactor: 1},
    layerGroups: [{count: layers, mixer: 'linear', rope: false, ffn: 'none'}],
    sharedBlocks: {
      blocks,
      invokedAt,
      inputWidth: width,
      intermediateSize: cfg.int('intermediate_size', 4 * h),
      ffnBias: bias,
      adapterRank: cfg.int('adapter_rank', 128),
      mlpAdapters: true, // Zamba2MLP builds gate_up_proj_adapter_list whatever use_shared_mlp_adapter says
      attentionAdapters,
      outputProjection: true,
      rope,
    },
  }
}

export const zamba2: Family = {
  // Zamba2Config (configuration_zamba2.py); Zamba2Model, Zamba2ForCausalLM (modular_zamba2.py).
  zamba2: {
    keys: {
      used: [
        ...coreWithout('head_dim', 'rope_scaling', 'rope_parameters', 'partial_rotary_factor'),
        'layers_block_type',
        'mamba_d_state',
        'mamba_d_conv',
        'mamba_expand',
        'mamba_ngroups',
        'n_mamba_heads',
        'add_bias_linear',
        'num_mem_blocks',
        'use_shared_attention_adapter',
        'adapter_rank',
        'use_mem_rope',
        'use_long_context',
      ],
      ignored: [
        'initializer_range',
        'rms_norm_eps',
        'use_cache',
        'attention_dropout',
        'num_logits_to_keep', // how many positions get logits in generate
        'chunk_size', // the SSD scan's chunking
        'time_step_min', // dt initialisation
        'time_step_max',
        'time_step_floor',
        'time_step_limit', // dt clamping at run time
        'use_mem_eff_path', // kernel choice
        // Built whatever they say: Zamba2MambaMixer's conv1d always has a bias; Zamba2MLP always has its adapters.
        'use_conv_bias',
        'use_shared_mlp_adapter',
        // Derived attributes the class recomputes in __init__ (a saved config.json repeats them; its values are overwritten).
        'attention_hidden_size',
        'attention_head_dim',
        'mamba_headdim',
        'kv_channels',
        'num_query_groups',
        'hybrid_layer_ids',
      ],
    },
    build: zamba2Spec,
  },
}
