// Nemotron-NAS (Llama-3.3-Nemotron-Super/Ultra, Llama-3.1-Nemotron-51B): DeciLMConfig (configuration_decilm.py) and
// DeciLMForCausalLM (modeling_decilm.py), remote code shipped in the model repositories; vLLM builds the same modules
// in vllm/model_executor/models/nemotron_nas.py (DeciLMDecoderLayer). A Llama decoder whose layers differ one by one:
// block_configs[i] says whether layer i has attention (and its KV heads, heads / n_heads_in_group) and how wide its
// MLP is (ffn_mult), and a no_op sublayer has neither its module nor the norm in front of it. A replace_with_linear
// attention is one hidden x hidden Linear without bias (DeciLMLinearAttention) behind its input_layernorm
// (Llama-3.1-Nemotron-51B); a block with both sublayers no_op is an identity layer without weights (Ultra-253B).
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {Config, type ImportOptions, type Json} from '../config.js'
import {core, decoderIgnored, type Family} from '../family.js'
import {groupLayers, type LayerSpec} from '../layers.js'
import {base, rmsNorms, ropeOf, standardAttention, tokenEmbeddings} from '../pieces.js'

// DeciLMConfig extends LlamaConfig: its defaults (configuration_llama.py) for the keys a file leaves out.
const deciDefaults: Json = {vocab_size: 32000, hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, max_position_embeddings: 2048, hidden_act: 'silu'}

/**
 * _ffn_mult_to_intermediate_size (modeling_decilm.py; vLLM nemotron_nas.py): int(2 * ffn_mult * hidden / 3), rounded
 * up to a multiple of 256 (_find_multiple).
 */
export function ffnMultToIntermediateSize(ffnMult: number, hidden: number): number {
  const size = Math.trunc((2 * ffnMult * hidden) / 3)
  return size % 256 === 0 ? size : size + 256 - (size % 256)
}

// block_configs[i].attention / .ffn keys (AttentionConfig / FFNConfig of block_config.py); the rest are refused.
const attentionKeys = ['n_heads_in_group', 'no_op', 'replace_with_linear', 'window_length', 'num_sink_tokens', 'sparsify', 'unshifted_sink', 'use_prefill_window_in_sink_attention']
const ffnKeys = ['ffn_mult', 'intermediate_size', 'no_op', 'replace_with_linear', 'sparsify', 'hidden_act']

function subBlock(block: Config, key: 'attention' | 'ffn', known: string[]): Config {
  const sub = block.sub(key)
  const unknown = Object.keys(sub.raw).filter((k) => !known.includes(k))
  if (unknown.length) throw new UserError(`${sub.where}: key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')} not modelled for nemotron-nas (known: ${known.join(', ')})`)
  return sub
}

interface DeciLayer {
  layer: LayerSpec
  /** KV heads of an attention layer (heads / n_heads_in_group); null without attention (no_op or replace_with_linear). */
  kvHeads: number | null
}

function deciLayer(raw: unknown, i: number, cfg: Config, heads: number, hidden: number): DeciLayer {
  const where = `${cfg.where}.block_configs[${i}]`
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${where}: must be an object with "attention" and "ffn"`)
  const block = new Config(raw as Json, where)
  const att = subBlock(block, 'attention', attentionKeys)
  const ffn = subBlock(block, 'ffn', ffnKeys)
  // DeciLMLinearMLP (a hidden x hidden Linear in place of the MLP): no published config uses it.
  if (ffn.bool('replace_with_linear', false))
    throw new UserError(`${ffn.where}: "replace_with_linear" (a hidden x hidden linear in place of the MLP) is not modelled; only an attention replaced by a linear is (Llama-3.1-Nemotron-51B)`)
  if (att.has('num_sink_tokens') || att.has('sparsify') || ffn.has('sparsify'))
    throw new UserError(`${where}: sink-token attention ("num_sink_tokens") and "sparsify" are not modelled; archcost takes the dense DeciLM blocks only`)
  const noAttention = att.bool('no_op', false)
  // DeciLMLinearAttention (modeling_decilm.py): self_attn.linear_attn, Linear(hidden, hidden, bias=False), no KV, no rope.
  const linearAttention = !noAttention && att.bool('replace_with_linear', false)
  const noFfn = ffn.bool('no_op', false)
  let kvHeads: number | null = null
  if (!noAttention && !linearAttention) {
    const group = att.int('n_heads_in_group')
    if (group < 1 || heads % group !== 0) throw new UserError(`${att.where}: "n_heads_in_group" (${group}) must divide num_attention_heads (${heads})`)
    kvHeads = heads / group
  }
  const window = kvHeads === null || !att.has('window_length') ? undefined : att.int('window_length')
  const mixer: LayerSpec['mixer'] = kvHeads === null ? 'none' : window === undefined ? 'full' : 'sliding'
  // DeciLMMLP width: from ffn_mult (the released configs), else a stated intermediate_size (vLLM reads either).
  const width = noFfn ? undefined : ffn.has('ffn_mult') ? ffnMultToIntermediateSize(ffn.num('ffn_mult'), hidden) : ffn.int('intermediate_size')
  // input_layernorm only before a real (or linear) attention, post_attention_layernorm only before a real MLP; a
  // layer without attention states its count even when it is 2 (its perLayer default is the attention layers').
  const norms = (noAttention ? 0 : 1) + (noFfn ? 0 : 1)
  const layer: LayerSpec = {
    mixer,
    ...(window === undefined ? {} : {windowTokens: window}),
    rope: kvHeads !== null,
    ffn: noFfn ? 'none' : 'dense',
    ffnIntermediateSize: width,
    ...(linearAttention ? {linearMixer: true} : {}),
    ...(norms === 2 && mixer !== 'none' ? {} : {norms}),
  }
  return {layer, kvHeads}
}

function nemotronNasSpec(raw: Config, o: ImportOptions): ModelSpec {
  const cfg = raw.withDefaults(deciDefaults)
  const layers = cfg.int('num_hidden_layers')
  const heads = cfg.int('num_attention_heads')
  const hidden = cfg.int('hidden_size')
  const blocks = cfg.raw.block_configs
  if (!Array.isArray(blocks)) throw new UserError(`${cfg.where}: "block_configs" (one entry per layer) is required for nemotron-nas`)
  if (blocks.length !== layers) throw new UserError(`${cfg.where}: block_configs has ${blocks.length} entries for ${layers} layers (num_hidden_layers)`)
  const perLayer = blocks.map((b, i) => deciLayer(b, i, cfg, heads, hidden))
  // The most common KV head count is attention.kvHeads; layers with another state theirs (Llama-3.1-Nemotron-51B: 8, 4, 2, 1).
  const kvCounts = perLayer.flatMap((l) => (l.kvHeads === null ? [] : [l.kvHeads]))
  const kvHeads = kvCounts.length ? mode(kvCounts) : null
  // The most common width is the spec's ffn.intermediateSize; the other layers state theirs.
  const widths = perLayer.flatMap((l) => (l.layer.ffnIntermediateSize === undefined ? [] : [l.layer.ffnIntermediateSize]))
  const width = widths.length ? mode(widths) : ffnMultToIntermediateSize(1, hidden)
  const layerSpecs = perLayer.map(({layer, kvHeads: own}): LayerSpec => ({
    ...layer,
    ffnIntermediateSize: layer.ffnIntermediateSize === width ? undefined : layer.ffnIntermediateSize,
    ...(own !== null && own !== kvHeads ? {attention: {kvHeads: own}} : {}),
  }))
  const attention = standardAttention(cfg, {biasKey: 'attention_bias', kvHeadsDefault: kvHeads ?? heads})
  if (cfg.bool('mlp_bias', false)) throw new UserError(`${cfg.where}: "mlp_bias": true is not modelled for nemotron-nas`)
  const spec: ModelSpec = {
    ...base(cfg, o, 'nemotron-nas', 'nemotron-nas'),
    maxContextTokens: cfg.int('max_position_embeddings'),
    embeddings: tokenEmbeddings(cfg, false),
    attention,
    // intermediate_size is null at the top level: every MLP's width comes from its block.
    ffn: {gated: true, activation: cfg.str('hidden_act', 'silu'), intermediateSize: width, bias: false},
    norms: rmsNorms('pre', 2),
    rope: ropeOf(cfg, 10000),
    layerGroups: groupLayers(layerSpecs),
  }
  return spec
}

/** The most frequent value (the first of equals). */
function mode(values: number[]): number {
  const counts = new Map<number, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].reduce((best, e) => (e[1] > best[1] ? e : best))[0]
}

export const deci: Family = {
  'nemotron-nas': {
    keys: {
      // num_key_value_heads and intermediate_size are null in these files: the blocks give both per layer.
      used: [...core, 'attention_bias', 'mlp_bias', 'block_configs'],
      ignored: [...decoderIgnored],
    },
    build: (cfg, o) => nemotronNasSpec(cfg, o),
  },
}
