// step3p7 / step3p5: Step 3.5 / 3.7 Flash. Reference: transformers' step3p7 (models/step3p7/modeling_step3p7.py:
// Step3p7TextConfig, Step3p7DecoderLayer, Step3p7Attention, Step3p7MoEMLP), the same modules as vLLM's Step3p5ForCausalLM
// (vllm/model_executor/models/step3p5.py). The preset step-3.7-flash is ai-dynamo/aiconfigurator's FLATTENED copy of
// stepfun-ai/Step-3.7-Flash's config (presets/sources/SOURCES.md): 45 layers (1 full : 3 sliding, window 512),
// h 4096, 64/8 heads x 128, 3 dense layers of 11264, 42 MoE layers of 288 experts x 1280 (top-8) with one share_expert of
// 1280 and a router_bias, vocab 128896 untied, 3 MTP layers. StepFun's README: "a 196B-parameter language backbone",
// "activates approximately 11B parameters per token". (The published checkpoint's sliding layers have 96 query heads
// and a g_proj gate, which this file does not state: 196,956,130,368 with them; see SOURCES.md.)
import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ggufMixNames} from '../../src/calc/dtype.js'
import {attentionFlopsAt} from '../../src/calc/flops.js'
import {ggufMixBytes} from '../../src/calc/gguf-mix.js'
import {engineBudget} from '../../src/calc/engine-budget.js'
import {memoryScenarioFor} from '../../src/calc/deployment.js'
import {kvCache} from '../../src/calc/kv.js'
import {paramCounts} from '../../src/calc/params.js'
import {weightClassValues, weightFormatsFor} from '../../src/calc/weights.js'
import {parseJsonText} from '../../src/files.js'
import {importHfConfig} from '../../src/import/hf-config.js'
import {loadHardware, loadModel, parseModelSpec} from '../../src/presets/load.js'
import {scenarioInput} from '../../src/schema/scenario-fields.js'

type Raw = Record<string, unknown>
const raw = () => parseJsonText(readFileSync('presets/sources/step-3.7-flash.config.json', 'utf8')) as Raw
const spec = (config: unknown) => parseModelSpec(importHfConfig(config, {id: 'step'}), 'step3p7')
const bf16 = {kvFormat: 'bf16', mlaCache: 'latent'} as const

// The same decoder in StepFun's own spelling: text_config (model_type step3p5) with num_attention_groups, moe_num_experts,
// moe_top_k, moe_layers_enum, and layer_types over the 45 layers plus the 3 MTP layers.
function stepfunSpelling(): Raw {
  const flat = raw()
  const layerTypes = flat.layer_types as string[]
  return {
    model_type: 'step3p7',
    architectures: ['Step3p7ForConditionalGeneration'],
    torch_dtype: 'bfloat16',
    text_config: {
      model_type: 'step3p5',
      hidden_size: 4096,
      num_hidden_layers: 45,
      num_attention_heads: 64,
      num_attention_groups: 8,
      head_dim: 128,
      vocab_size: 128896,
      max_position_embeddings: 65536,
      intermediate_size: 11264,
      sliding_window: 512,
      layer_types: [...layerTypes, 'sliding_attention', 'sliding_attention', 'sliding_attention'],
      moe_layers_enum: Array.from({length: 42}, (_, i) => i + 3).join(','),
      moe_num_experts: 288,
      moe_top_k: 8,
      moe_intermediate_size: 1280,
      share_expert_dim: 1280,
      use_moe_router_bias: true,
      moe_router_activation: 'sigmoid',
      moe_router_scaling_factor: 3.0,
      num_nextn_predict_layers: 3,
      rope_theta: layerTypes.map((t) => (t === 'full_attention' ? 5000000 : 10000)),
      partial_rotary_factors: layerTypes.map((t) => (t === 'full_attention' ? 0.5 : 1)),
    },
  }
}

describe('step3p7 (Step-3.7-Flash, aiconfigurator spelling)', () => {
  const h = 4096
  const attention = h * 64 * 128 + 2 * h * 8 * 128 + 64 * 128 * h // qkv_proj (q 64 x 128, k + v 8 x 128), o_proj
  const layerNorms = 2 * h + 2 * 128 // input + post-attention GemmaRMSNorm, q_norm + k_norm (head_dim)
  const dense = 3 * h * 11264 // Step3p5MLP gate, up, down
  const expert = 3 * h * 1280
  const moeFixed = expert /* share_expert (share_expert_dim 1280) */ + 288 * h /* gate */ + 288 /* router_bias */
  const total = 2 * 128896 * h + 45 * (attention + layerNorms) + h + 3 * dense + 42 * (288 * expert + moeFixed)
  const active = total - 42 * (288 - 8) * expert
  it('total and active (8 of 288 experts)', () => {
    const p = paramCounts(spec(raw()))
    expect(p.totalParams).toBe(total)
    expect(p.activeParams).toBe(active)
    expect(total).toBe(195_832_712_256) // "196B-parameter language backbone"
    expect(active).toBe(10_863_905_856) // "approximately 11B parameters per token"
  })
  it('the preset is this count', () => {
    const p = paramCounts(loadModel('step-3.7-flash'))
    expect([p.totalParams, p.activeParams]).toEqual([total, active])
  })
  // vLLM step3p5_mtp.py Step3p5AMultiTokenPredictorLayer: enorm, hnorm, eh_proj (2h -> h), shared_head (norm + its own
  // vocab x hidden head) and a dense Step3p5DecoderLayer (layer_types stops at 45 here: full attention).
  it('the 3 MTP layers are counted apart: a dense layer, eh_proj, 3 norms and an LM head of their own each', () => {
    const s = spec(raw())
    expect(s.mtpOwnHead).toBe(true)
    const module = attention + layerNorms + dense + 2 * h * h + 3 * h + 128896 * h
    expect(paramCounts(s).mtpParams).toBe(3 * module)
    expect(3 * module).toBe(2_326_328_064)
  })
  it('KV per token: 12 full layers grow with the context, 33 sliding layers hold at most 512 tokens', () => {
    const perLayerToken = 2 * 8 * 128 * 2 // (K + V) x KV heads x head dim x bf16 bytes = 4096
    expect(kvCache(spec(raw()), 100_000, 1, bf16).totalBytes).toBe(12 * 100_000 * perLayerToken + 33 * 512 * perLayerToken)
    expect(kvCache(spec(raw()), 300, 1, bf16).totalBytes).toBe(45 * 300 * perLayerToken)
  })
  it("StepFun's own spelling (text_config, moe_layers_enum, layer_types with the MTP layers) gives the same count", () => {
    const s = spec(stepfunSpelling())
    expect(paramCounts(s).totalParams).toBe(total)
    expect(s.rope.theta).toBe(5000000)
    expect(s.rope.localTheta).toBe(10000)
    expect(s.rope.partialRotaryFactor).toBe(0.5)
  })
  it('Step3p7TextConfig defaults: no router_bias unless use_moe_router_bias, MoE from layer 3, mlp_layer_types read', () => {
    const {use_moe_router_bias: _, first_k_dense_replace: __, ...rest} = raw()
    expect(paramCounts(spec(rest)).totalParams).toBe(total - 42 * 288) // router_bias (288 per MoE layer) gone, still 3 dense layers
    const types = Array.from({length: 45}, (_, i) => (i < 5 ? 'dense' : 'sparse'))
    expect(paramCounts(spec({...raw(), mlp_layer_types: types})).totalParams).toBe(total + 2 * dense - 2 * (288 * expert + moeFixed))
  })
  it('use_head_wise_attn_gate adds g_proj (hidden x heads) to every attention layer', () => {
    const s = spec({...raw(), use_head_wise_attn_gate: true})
    expect(paramCounts(s).totalParams).toBe(total + 45 * h * 64)
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'q4_k_m').params.linear).toBe(classes.linear.x)
  })
  it("the published checkpoint's shape: 96 query heads on the 33 sliding layers (attention_other_setting) and g_proj", () => {
    const published = stepfunSpelling()
    Object.assign(published.text_config as Raw, {attention_other_setting: {attention_type: 'sliding_attention', num_attention_heads: 96, num_attention_groups: 8, head_dim: 128}, use_head_wise_attn_gate: true})
    const s = spec(published)
    const sliding = h * 96 * 128 + 2 * h * 8 * 128 + 96 * 128 * h + h * 96 // q, k + v, o, g_proj (hidden x 96)
    const full = attention + h * 64
    const publishedTotal = total - 45 * attention + 12 * full + 33 * sliding
    const p = paramCounts(s)
    expect(p.totalParams).toBe(publishedTotal)
    expect(publishedTotal).toBe(196_956_130_368) // with the 1.8B vision encoder and the 3 MTP layers, HF's "201B"
    expect(p.activeParams).toBe(publishedTotal - 42 * (288 - 8) * expert)
    // KV is unchanged (8 KV heads everywhere); the sliding layers' scores cost 96 heads: 2 x 96 x (128 + 128) per key.
    expect(kvCache(s, 100_000, 1, bf16).totalBytes).toBe(kvCache(spec(raw()), 100_000, 1, bf16).totalBytes)
    const pos = 9999 // a query at position 9999 sees 10000 keys in a full layer, 512 in a sliding one
    expect(attentionFlopsAt(s, pos, 'expanded')).toBe(12 * 10_000 * 2 * 64 * 256 + 33 * 512 * 2 * 96 * 256)
    const classes = weightClassValues(p.breakdown, weightFormatsFor(s))
    expect(ggufMixBytes(s, 'q4_k_m').params.linear).toBe(classes.linear.x)
  })
  it("SGLang's pools: a step3p5 file (Step3p5ForCausalLM, in is_hybrid_swa_model) gets a sliding-window pool, a step3p7 one a single pool", () => {
    const preset = loadModel('step-3.7-flash')
    const input = scenarioInput({engine: 'sglang', context: '8192'})
    const run = (s: typeof preset) => {
      const costed = memoryScenarioFor(s, input, 8)
      return engineBudget(s, costed.scenario, loadHardware('h100'), input.engineSettings, costed.memoryUtilization)
    }
    const perLayer = 1 * 128 * 2 * 2 // 8 KV heads / tp 8 x head dim x (K, V) x bf16
    expect(run(preset).kvBytesPerTokenPerDevice).toBe(45 * perLayer)
    const step35 = run({...preset, source: {...preset.source, modelType: 'step3p5'}})
    expect(step35.kvBytesPerTokenPerDevice).toBeCloseTo(perLayer * (12 + 0.8 * 33), 6) // 12 full + swa_full_tokens_ratio 0.8 x 33 sliding
    expect(step35.engineLog.join(' ')).toContain('Use sliding window memory pool')
  })
  it('refuses what it does not model yet, in one line', () => {
    const wide = stepfunSpelling()
    ;(wide.text_config as Raw).attention_other_setting = {attention_type: 'sliding_attention', num_attention_heads: 96, num_attention_groups: 4, head_dim: 128}
    expect(() => spec(wide)).toThrow(/num_attention_groups 4 on the sliding_attention layers differs/)
    expect(() => spec({...raw(), n_shared_experts: 2})).toThrow(/exactly one share_expert/)
  })
  it('GGUF enumeration: every class adds up to the parameter breakdown', () => {
    const s = spec(raw())
    const classes = weightClassValues(paramCounts(s).breakdown, weightFormatsFor(s))
    const expected = {embeddings: classes.embeddings.x, perLayerEmbeddings: classes.perLayerEmbeddings.x, linear: classes.linear.x, experts: classes.experts.x, unquantized: classes.unquantized.x}
    for (const mix of ggufMixNames) expect(ggufMixBytes(s, mix).params).toEqual(expected)
  })
})
