// The key audit: every config.json key is used by the importer, known to be cost-free, or unknown (a warning; refused with strict).
import {readFileSync, readdirSync} from 'node:fs'
import {basename, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {UserError} from '../../src/errors.js'
import {parseJsonText} from '../../src/import/config.js'
import {importHfConfig, importHfConfigReport, supportedModelTypes} from '../../src/import/hf-config.js'
import {auditConfigKeys, auditedModelTypes} from '../../src/import/keys.js'

type Json = Record<string, unknown>
const sourceDir = 'presets/sources'
const fixtureDir = 'tests/fixtures/hf'
const files = [
  ...readdirSync(sourceDir).filter((f) => f.endsWith('.config.json')).map((f) => join(sourceDir, f)),
  ...readdirSync(fixtureDir).filter((f) => f.endsWith('.json')).map((f) => join(fixtureDir, f)),
].sort()
const read = (file: string) => parseJsonText(readFileSync(file, 'utf8')) as Json // Python's json writes Infinity (Mamba-2 time_step_limit)
const idOf = (file: string) => basename(file).replace(/(\.config)?\.json$/, '')

/** A copy of a config whose reads of its own keys (top level, text_config, linear_attn_config) are recorded. */
function recording(raw: Json, reads: Set<string>, prefix = ''): Json {
  return new Proxy(raw, {
    get(target, key, receiver) {
      if (typeof key === 'string' && Object.hasOwn(target, key)) {
        reads.add(prefix + key)
        const value = target[key]
        if ((key === 'text_config' || key === 'linear_attn_config') && value !== null && typeof value === 'object' && !Array.isArray(value))
          return recording(value as Json, reads, `${prefix}${key}.`)
      }
      return Reflect.get(target, key, receiver)
    },
  })
}

function userError(fn: () => unknown): UserError {
  try {
    fn()
  } catch (error) {
    if (error instanceof UserError) return error
    throw error
  }
  throw new Error('expected a UserError')
}

describe('every supported model_type has a key table', () => {
  it('the audited types are the supported types', () => {
    expect(auditedModelTypes).toEqual(supportedModelTypes)
  })
})

describe.each(files)('%s', (file) => {
  it('imports, with every key used or ignored, and the importer reads only keys it lists as used', () => {
    const raw = read(file)
    const reads = new Set<string>()
    const report = importHfConfigReport(recording(raw, reads), {id: idOf(file)})
    const audit = auditConfigKeys(raw, raw.model_type as string)
    expect(audit.unknown).toEqual([])
    expect([...reads].filter((key) => !report.used.includes(key))).toEqual([])
    expect(report.spec).toEqual(importHfConfig(raw, {id: idOf(file)}))
    expect([...report.used, ...report.ignored].filter((k) => !k.includes('.')).sort()).toEqual(Object.keys(raw).sort())
  })
})

describe('unknown keys: a warning naming them, refused with strict', () => {
  const mixtral = () => read(join(sourceDir, 'mixtral-8x7b-v0.1.config.json'))
  const llama = () => read(join(sourceDir, 'llama-3.1-8b.config.json'))

  it('an invented top-level key on llama imports as without it, with one warning naming the file, key and type', () => {
    const report = importHfConfigReport({...llama(), my_custom_field: 1}, {id: 'llama', configPath: 'llama/config.json'})
    expect(report.spec).toEqual(importHfConfig(llama(), {id: 'llama', configPath: 'llama/config.json'}))
    expect(report.warnings).toEqual(['llama/config.json: key "my_custom_field" of model_type "llama" is unknown to the importer: assumed to change no cost; --strict refuses it'])
    expect(importHfConfigReport(llama(), {id: 'llama'}).warnings).toEqual([])
  })
  it('several, on one line (unsloth_fixed, and sliding_window, which LlamaConfig does not have)', () => {
    const report = importHfConfigReport({...llama(), unsloth_fixed: true, sliding_window: 4096}, {id: 'llama'})
    expect(report.warnings).toEqual(['llama: keys "unsloth_fixed", "sliding_window" of model_type "llama" are unknown to the importer: assumed to change no cost; --strict refuses them'])
  })
  it('strict: one line, exit 2, naming the key, the file and the type, and why', () => {
    const error = userError(() => importHfConfig({...mixtral(), magic_experts: 4}, {id: 'mixtral', configPath: 'mixtral/config.json'}, true))
    expect(error.exitCode).toBe(2)
    expect(error.message).not.toMatch(/\n/)
    expect(error.message).toMatch(/^mixtral\/config\.json: key "magic_experts" of model_type "mixtral" is unknown to the importer/)
    expect(error.message).toMatch(/does not know whether it changes the parameter count, KV cache or FLOPs/)
  })
  it('strict: several are named together', () => {
    expect(() => importHfConfig({...mixtral(), magic_experts: 4, warp_heads: 2}, {id: 'mixtral'}, true)).toThrow(/keys "magic_experts", "warp_heads"/)
  })
  it('inside text_config of a multimodal wrapper', () => {
    const raw = read(join(sourceDir, 'mistral-small-3.1-24b-instruct-2503.config.json'))
    const withKey = {...raw, text_config: {...(raw.text_config as Json), magic_experts: 4}}
    expect(importHfConfigReport(withKey, {id: 'mistral-small'}).warnings[0]).toMatch(/"text_config\.magic_experts" of model_type "mistral"/)
    expect(() => importHfConfig(withKey, {id: 'mistral-small'}, true)).toThrow(/"text_config\.magic_experts" of model_type "mistral"/)
  })
  it('a key another type uses is still unknown where its class does not have it (layer_types on Mistral)', () => {
    const raw = read(join(fixtureDir, 'mistral-7b-v0.1.json'))
    expect(() => importHfConfig({...raw, layer_types: Array(32).fill('full_attention')}, {id: 'm'}, true)).toThrow(/"layer_types"/)
  })
  it('keys that would change the cost and are not understood stay errors without strict', () => {
    expect(() => importHfConfig({...llama(), pruned_heads: {'0': [1]}}, {id: 'llama'})).toThrow(/pruned_heads/)
    expect(() => importHfConfig({...llama(), add_cross_attention: true}, {id: 'llama'})).toThrow(/add_cross_attention/)
  })
})

describe('no model_type', () => {
  it('is one line saying so', () => {
    const error = userError(() => importHfConfig({hidden_size: 8}, {id: 'x', configPath: 'x/config.json'}))
    expect(error.message).toBe('x/config.json: no "model_type" key; is this a Hugging Face config.json?')
  })
})

describe('known cost-free keys are listed as ignored', () => {
  it('bos_token_id, dropout, initializer_range, _provenance', () => {
    const raw = {...read(join(sourceDir, 'mixtral-8x7b-v0.1.config.json')), bos_token_id: 1, _provenance: {note: 'x'}, _name_or_path: 'here'}
    const report = importHfConfigReport(raw, {id: 'mixtral'})
    expect(report.ignored).toEqual(expect.arrayContaining(['bos_token_id', 'attention_dropout', 'initializer_range', 'rms_norm_eps', 'output_router_logits', 'router_aux_loss_coef', '_provenance', '_name_or_path', 'transformers_version', 'architectures']))
    expect(report.used).toEqual(expect.arrayContaining(['torch_dtype', 'hidden_size', 'num_local_experts', 'sliding_window']))
  })
  it('text_config keys of a wrapper are reported with their prefix', () => {
    const report = importHfConfigReport(read(join(sourceDir, 'gemma-3-27b-it.config.json')), {id: 'gemma'})
    expect(report.used).toEqual(expect.arrayContaining(['text_config', 'vision_config', 'text_config.sliding_window', 'text_config.rope_scaling']))
    expect(report.ignored).toEqual(expect.arrayContaining(['mm_tokens_per_image', 'text_config.query_pre_attn_scalar', 'text_config.final_logit_softcapping']))
  })
})

describe('keys that change a cost are used, never ignored', () => {
  const costly: [string, string[]][] = [
    ['qwen3', ['sliding_window', 'max_window_layers', 'use_sliding_window', 'rope_scaling', 'partial_rotary_factor', 'layer_types']],
    ['qwen2', ['sliding_window', 'max_window_layers', 'use_sliding_window']],
    ['qwen3_moe', ['sliding_window', 'max_window_layers', 'use_sliding_window', 'mlp_only_layers', 'decoder_sparse_step']],
    ['qwen3_next', ['partial_rotary_factor', 'full_attention_interval', 'use_sliding_window']],
    ['llama4_text', ['attention_chunk_size', 'no_rope_layers', 'moe_layers', 'interleave_moe_layer_step', 'rope_scaling']],
    ['smollm3', ['no_rope_layers', 'no_rope_layer_interval', 'sliding_window']],
    ['deepseek_v3', ['first_k_dense_replace', 'moe_layer_freq', 'topk_method', 'num_nextn_predict_layers', 'rope_scaling']],
    ['deepseek_v32', ['first_k_dense_replace', 'index_n_heads', 'index_head_dim', 'index_topk', 'mlp_layer_types']],
    ['glm4_moe', ['first_k_dense_replace', 'partial_rotary_factor', 'use_qk_norm', 'attention_bias']],
    ['minimax_m2', ['rotary_dim', 'use_qk_norm', 'attn_type_list', 'use_routing_bias']],
    ['kimi_linear', ['linear_attn_config', 'mla_use_nope', 'first_k_dense_replace']],
    ['gemma2', ['sliding_window', 'layer_types']],
    ['gemma3_text', ['sliding_window', 'sliding_window_pattern', 'rope_local_base_freq', 'rope_scaling']],
    ['gpt_oss', ['sliding_window', 'layer_types', 'experts_per_token']],
    ['mistral', ['sliding_window']],
  ]
  it.each(costly)('%s', (type, keys) => {
    const audit = auditConfigKeys(Object.fromEntries(keys.map((k) => [k, 1])), type)
    expect(audit.used.sort()).toEqual([...keys].sort())
  })
  it('pruned_heads is refused unless empty', () => {
    const raw = read(join(fixtureDir, 'gpt2.json'))
    expect(() => importHfConfig({...raw, pruned_heads: {'0': [1, 2]}}, {id: 'gpt2'})).toThrow(/pruned_heads/)
    expect(() => importHfConfig({...raw, pruned_heads: {}}, {id: 'gpt2'})).not.toThrow()
  })
})

describe('unsupported model_type', () => {
  it('is a UserError listing the supported types', () => {
    const error = userError(() => importHfConfig({model_type: 'bert'}, {id: 'bert'}))
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(/model_type "bert" is not supported; supported: /)
    for (const type of ['deepseek_v2', 'deepseek_v32', 'glm4_moe', 'gpt2', 'kimi_linear', 'minimax_m2', 'mistral', 'qwen2', 'qwen2_moe']) expect(error.message).toContain(type)
  })
})
