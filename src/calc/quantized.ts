// Exact bytes of a quantized Hugging Face checkpoint, tensor by tensor. The weight tensors are gguf-mix.ts's
// enumeration of the spec (tensorsOf: one per matrix and vector, with its shape); each quantized Linear is replaced by
// the tensors its library stores (quantizedLinear below, one layout per library, source named beside it), every other
// tensor keeps the checkpoint's dtype. Sums per storage class feed weights.ts, so memory and fit of a model "as
// published" are the sum of its safetensors tensors.
// Which Linear layers stay unquantized: the router (never quantized here: AutoGPTQ/AutoAWQ quantize only the listed
// attention and MLP projections, DeepSeek/gpt-oss/GLM routers are not nn.Linear, and compressed-tensors and ModelOpt
// exports list MoE gates in ignore), the DeepSeek-V3.2 indexer's weights_proj, the token embeddings (nn.Embedding),
// the LM head unless `lmHead`, and whatever `exclude` matches. Experts are stored one Linear per expert (as quantized MoE checkpoints are), so a fused GGUF
// [h, I, E] tensor is E matrices of in h, out I.
import {UserError} from '../errors.js'
import type {CheckpointQuantization, ModelSpec} from '../schema/model.js'
import {mixClasses, tensorsOf, type MixClass} from './gguf-mix.js'
import {perSpec} from './per-spec.js'

/** Safetensors dtypes the quantized layouts store, with their bytes per element. */
export const storedDtypeBytes = {I64: 8, I32: 4, F32: 4, F16: 2, BF16: 2, F8_E4M3: 1, U8: 1, I8: 1} as const
export type StoredDtype = keyof typeof storedDtypeBytes

export interface StoredTensor {
  /** Name after the module path: qweight, weight.absmax, weight_scale_inv, ... */
  suffix: string
  dtype: StoredDtype
  shape: number[]
  bytes: number
}

const scaleDtypes: Record<CheckpointQuantization['scaleDtype'], StoredDtype> = {fp32: 'F32', bf16: 'BF16', fp16: 'F16', fp8: 'F8_E4M3', e8m0: 'U8'}
const plainDtypes: Record<string, StoredDtype> = {fp32: 'F32', bf16: 'BF16', fp16: 'F16'}
/** torch dtype names as bitsandbytes writes them into its quant_state (str(dtype).strip("torch.")). */
const torchDtypeNames: Record<string, string> = {fp32: 'float32', bf16: 'bfloat16', fp16: 'float16'}

const ceilDiv = (a: number, b: number) => Math.ceil(a / b)
const stored = (suffix: string, dtype: StoredDtype, shape: number[]): StoredTensor => ({suffix, dtype, shape, bytes: shape.reduce((a, b) => a * b, 1) * storedDtypeBytes[dtype]})

/** The safetensors dtype of the checkpoint's unquantized tensors (torch_dtype). */
export function plainStoredDtype(spec: ModelSpec): StoredDtype {
  const dtype = plainDtypes[spec.dtype]
  if (!dtype) throw new UserError(`${spec.id}: a quantized checkpoint needs torch_dtype float32, bfloat16 or float16 for its unquantized tensors, found ${spec.dtype}`)
  return dtype
}

/**
 * Characters of the nested_offset float in bitsandbytes' packed quant_state: Python's repr of an fp32 mean (absmax.mean()),
 * typically 0.0 followed by 17 significant digits ("0.021993160247802734"). The one figure not known from the config:
 * a real file's blob may differ by a few bytes per matrix.
 */
export const bnbNestedOffsetChars = 20

/** Bytes of bitsandbytes' packed quant_state: json.dumps of its non-tensor items (functional.py QuantState.as_dict(packed=True)). */
export function bnbQuantStateBytes(outF: number, inF: number, dtype: string, doubleQuant: boolean): number {
  const json = `{"quant_type": "nf4", "blocksize": 64, "dtype": "${torchDtypeNames[dtype] ?? dtype}", "shape": [${outF}, ${inF}]`
  const nested = `, "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": ${'0'.repeat(bnbNestedOffsetChars)}`
  return (json + (doubleQuant ? nested : '') + '}').length
}

// AutoAWQ awq/modules/linear/gemv.py calculate_zeros_width: groups per row, padded to whole int32 packs of 8, then to a multiple of 128/g.
function awqGemvZerosWidth(inF: number, group: number): number {
  const multiplier = group >= 128 ? 1 : group === 64 ? 2 : group === 32 ? 4 : 0
  if (multiplier === 0) throw new UserError(`awq gemv: group_size ${group} is not one AutoAWQ's GEMV kernel supports (32, 64, 128 or more)`)
  return ceilDiv(ceilDiv(Math.trunc(inF / group), 8), multiplier) * multiplier
}

/** Scale shape of a compressed-tensors weight [out, in] under its strategy (quantization/lifecycle/initialize.py). */
function ctScaleShape(q: CheckpointQuantization, inF: number, outF: number): number[] {
  if (q.tensorScale) return [1]
  if (q.blockSize) return [ceilDiv(outF, q.blockSize[0]), ceilDiv(inF, q.blockSize[1])]
  if (q.groupSize === null) return [outF, 1]
  return [outF, ceilDiv(inF, q.groupSize)]
}

/**
 * The tensors one quantized Linear of inF -> outF features stores, with `dtype` the checkpoint's torch dtype (bf16, fp16).
 * A bias, when the layer has one, is a tensor of its own in the enumeration and keeps `dtype`.
 */
export function quantizedLinear(q: CheckpointQuantization, inF: number, outF: number, dtype: string): StoredTensor[] {
  const b = q.bits
  const perInt32 = Math.trunc(32 / b) // pack_factor = 32 // bits (AutoAWQ, compressed-tensors)
  const g = q.groupSize ?? inF
  const scale = scaleDtypes[q.scaleDtype]
  switch (q.layout) {
    case 'gptq': // auto_gptq nn_modules/qlinear QuantLinear.__init__: qweight [in // 32 * bits, out], qzeros [ceil(in/g), out // 32 * bits], scales [ceil(in/g), out] fp16 (GPTQModel: the model's 16-bit dtype), g_idx [in]
      return [
        stored('qweight', 'I32', [Math.trunc(inF / 32) * b, outF]),
        stored('qzeros', 'I32', [ceilDiv(inF, g), Math.trunc(outF / 32) * b]),
        stored('scales', 'F16', [ceilDiv(inF, g), outF]),
        stored('g_idx', 'I32', [inF]),
      ]
    case 'awq-gemm': // AutoAWQ awq/modules/linear/gemm.py WQLinear_GEMM.__init__: qweight [in, out/(32/bits)], qzeros [in/g, out/(32/bits)], fp16 scales [in/g, out]
      return [
        stored('qweight', 'I32', [inF, Math.trunc(outF / perInt32)]),
        stored('qzeros', 'I32', [Math.trunc(inF / g), Math.trunc(outF / perInt32)]),
        stored('scales', 'F16', [Math.trunc(inF / g), outF]),
      ]
    case 'awq-gemv': {
      // AutoAWQ awq/modules/linear/gemv.py WQLinear_GEMV.__init__: qweight [out, in/(32/bits)], qzeros [out, zeros width], scales [out, zeros width x 8]
      const width = awqGemvZerosWidth(inF, g)
      return [stored('qweight', 'I32', [outF, Math.trunc(inF / perInt32)]), stored('qzeros', 'I32', [outF, width]), stored('scales', 'F16', [outF, width * perInt32])]
    }
    case 'bnb-4bit': {
      // bitsandbytes functional.py quantize_4bit: packed uint8 [(n+1)//2, 1], one absmax per block of 64; with
      // compress_statistics (double quant) the absmax is quantize_blockwise'd to uint8 in blocks of 256 (nested_absmax
      // fp32, nested_quant_map the 256-entry dynamic map). quant_map: the 16-value NF4/FP4 code. QuantState.as_dict(packed=True)
      // adds the non-tensor items as one uint8 JSON tensor, quant_state.bitsandbytes__nf4.
      const n = inF * outF
      const blocks = ceilDiv(n, 64)
      const stats = q.doubleQuant
        ? [stored('weight.absmax', 'U8', [blocks]), stored('weight.nested_absmax', 'F32', [ceilDiv(blocks, 256)]), stored('weight.nested_quant_map', 'F32', [256])]
        : [stored('weight.absmax', 'F32', [blocks])]
      return [
        stored('weight', 'U8', [Math.trunc((n + 1) / 2), 1]),
        ...stats,
        stored('weight.quant_map', 'F32', [16]),
        stored('weight.quant_state.bitsandbytes__nf4', 'U8', [bnbQuantStateBytes(outF, inF, dtype, q.doubleQuant ?? false)]),
      ]
    }
    case 'bnb-8bit': // bitsandbytes nn/modules.py Linear8bitLt._save_to_state_dict: int8 weight, SCB fp32 per row, weight_format uint8 scalar
      return [stored('weight', 'I8', [outF, inF]), stored('SCB', 'F32', [outF]), stored('weight_format', 'U8', [])]
    case 'fp8-block': {
      // transformers integrations/finegrained_fp8.py FP8Linear: weight_scale_inv fp32 [ceil(out/bn), ceil(in/bk)]
      const [bn, bk] = q.blockSize ?? [128, 128]
      return [stored('weight', 'F8_E4M3', [outF, inF]), stored('weight_scale_inv', 'F32', [ceilDiv(outF, bn), ceilDiv(inF, bk)])]
    }
    case 'fp8-tensor': // AutoFP8 FP8StaticLinear / FP8DynamicLinear: one fp32 weight_scale, input_scale when activation_scheme is static
      return [stored('weight', 'F8_E4M3', [outF, inF]), stored('weight_scale', 'F32', []), ...(q.inputScales ? [stored('input_scale', 'F32', [])] : [])]
    case 'ct-pack': {
      // compressed-tensors compressors/quantized_compressors/pack_quantized.py: pack_to_int32 along in (padded), weight_shape
      // int64 [2], zero points (asymmetric group/channel) packed along out; base.py drops symmetric zero points.
      const scaleShape = ctScaleShape(q, inF, outF)
      const zero = q.zeroPoints ? [scaleShape.length === 2 && !q.blockSize ? stored('weight_zero_point', 'I32', [ceilDiv(outF, perInt32), scaleShape[1]!]) : stored('weight_zero_point', 'I8', scaleShape)] : []
      const gIdx = q.gIdx ? [stored('weight_g_idx', 'I32', [inF])] : []
      return [stored('weight_packed', 'I32', [outF, ceilDiv(inF, perInt32)]), stored('weight_shape', 'I64', [2]), stored('weight_scale', scale, scaleShape), ...zero, ...gIdx]
    }
    case 'ct-int8': // compressed-tensors naive_quantized.py NaiveQuantizationCompressor: int8 weight, weight_scale, int8 zero points when asymmetric
    case 'ct-fp8': {
      // compressed-tensors float-quantized (same compressor, fp8 e4m3 weight): weight_scale; input_scale [1] for static activations
      const scaleShape = ctScaleShape(q, inF, outF)
      return [
        stored('weight', q.layout === 'ct-fp8' ? 'F8_E4M3' : 'I8', [outF, inF]),
        stored('weight_scale', scale, scaleShape),
        ...(q.zeroPoints ? [stored('weight_zero_point', 'I8', scaleShape)] : []),
        ...(q.inputScales ? [stored('input_scale', scale, [1])] : []),
      ]
    }
    case 'ct-nvfp4': // compressed-tensors fp4_quantized.py NVFP4PackedCompressor: uint8 pairs, fp8 scale per 16, fp32 global scales
      return [
        stored('weight_packed', 'U8', [outF, ceilDiv(inF, 2)]),
        stored('weight_scale', 'F8_E4M3', [outF, ceilDiv(inF, g)]),
        stored('weight_global_scale', 'F32', [1]),
        ...(q.inputScales ? [stored('input_global_scale', 'F32', [1])] : []),
      ]
    case 'ct-mxfp4': // compressed-tensors fp4_quantized.py MXFP4PackedCompressor: uint8 pairs, one E8M0 (uint8) scale per 32
      return [stored('weight_packed', 'U8', [outF, ceilDiv(inF, 2)]), stored('weight_scale', 'U8', [outF, ceilDiv(inF, g)])]
    case 'mxfp4': // transformers integrations/mxfp4.py Mxfp4GptOssExperts: *_blocks uint8 [.., in/32, 16], *_scales uint8 (E8M0) [.., in/32]
      return [stored('weight_blocks', 'U8', [outF, ceilDiv(inF, 32), 16]), stored('weight_scales', 'U8', [outF, ceilDiv(inF, 32)])]
    case 'nvfp4': // ModelOpt export (modelopt/torch/export/unified_export_hf.py): uint8 pairs, fp8 weight_scale per 16, fp32 weight_scale_2 and input_scale
      return [
        stored('weight', 'U8', [outF, ceilDiv(inF, 2)]),
        stored('weight_scale', 'F8_E4M3', [outF, ceilDiv(inF, g)]),
        stored('weight_scale_2', 'F32', []),
        ...(q.inputScales ? [stored('input_scale', 'F32', [])] : []),
      ]
    case 'modelopt-fp8': // ModelOpt FP8 export: fp8 weight, fp32 per-tensor weight_scale and input_scale
      return [stored('weight', 'F8_E4M3', [outF, inF]), stored('weight_scale', 'F32', []), ...(q.inputScales ? [stored('input_scale', 'F32', [])] : [])]
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Module names, for the exclusion lists: the Hugging Face module a GGUF-named tensor comes from (Llama/Qwen/DeepSeek
// naming, transformers modeling_*.py), enough for the entries configs use (lm_head, self_attn, mlp.gate, re:.*experts.*).

const blockModules: Record<string, string> = {
  attn_q: 'self_attn.q_proj',
  attn_k: 'self_attn.k_proj',
  attn_v: 'self_attn.v_proj',
  attn_qkv: 'self_attn.qkv_proj',
  attn_output: 'self_attn.o_proj',
  attn_q_a: 'self_attn.q_a_proj',
  attn_q_b: 'self_attn.q_b_proj',
  attn_kv_a_mqa: 'self_attn.kv_a_proj_with_mqa',
  attn_kv_b: 'self_attn.kv_b_proj',
  ffn_gate: 'mlp.gate_proj',
  ffn_up: 'mlp.up_proj',
  ffn_down: 'mlp.down_proj',
  ffn_gate_exps: 'mlp.experts.0.gate_proj',
  ffn_up_exps: 'mlp.experts.0.up_proj',
  ffn_down_exps: 'mlp.experts.0.down_proj',
  ffn_gate_shexp: 'mlp.shared_experts.gate_proj',
  ffn_up_shexp: 'mlp.shared_experts.up_proj',
  ffn_down_shexp: 'mlp.shared_experts.down_proj',
  ffn_gate_inp: 'mlp.gate',
  ffn_gate_inp_shexp: 'mlp.shared_expert_gate',
  'indexer.attn_q_b': 'self_attn.indexer.wq_b',
  'indexer.attn_k': 'self_attn.indexer.wk',
  'indexer.proj': 'self_attn.indexer.weights_proj',
}

/** The Hugging Face module of a GGUF tensor name (blk.3.attn_q.weight -> model.layers.3.self_attn.q_proj). */
export function hfModuleOf(ggufName: string): string {
  const stem = ggufName.replace(/\.(weight|bias)$/, '')
  if (stem === 'output') return 'lm_head'
  if (stem === 'token_embd') return 'model.embed_tokens'
  if (stem === 'output_norm') return 'model.norm'
  const block = /^blk\.(\d+)\.(.+)$/.exec(stem)
  if (!block) return `model.${stem}`
  return `model.layers.${block[1]}.${blockModules[block[2]!] ?? block[2]}`
}

/** Python-style pattern to a JS RegExp, or a one-line error naming the entry. */
const compiled = new Map<string, RegExp>()
function regexOf(pattern: string, where: string): RegExp {
  try {
    let re = compiled.get(pattern)
    if (!re) compiled.set(pattern, (re = new RegExp(pattern)))
    return re
  } catch {
    throw new UserError(`${where}: "${pattern}" is not a regular expression archcost can read`)
  }
}

// fnmatch's pattern as a RegExp body: * any run, ? one character, the rest literal.
const globBody = (glob: string): string => glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')

// A compressed-tensors ignore list, once per list: its exact names, and its "re:" entries as one alternation (each
// checked alone first, so a bad one is named).
const nameOrRegexLists = new WeakMap<readonly string[], {names: Set<string>; regex: RegExp | null}>()
function nameOrRegexList(entries: readonly string[]): {names: Set<string>; regex: RegExp | null} {
  let list = nameOrRegexLists.get(entries)
  if (!list) {
    const patterns = entries.filter((e) => e.startsWith('re:')).map((e) => `(?:${regexOf(e.slice(3), 'ignore').source})`)
    list = {names: new Set(entries.filter((e) => !e.startsWith('re:'))), regex: patterns.length ? new RegExp(`^(?:${patterns.join('|')})`) : null}
    nameOrRegexLists.set(entries, list)
  }
  return list
}

// A list of globs as one anchored alternation, compiled once per list.
const globLists = new WeakMap<readonly string[], RegExp>()
const globListRegex = (globs: readonly string[]): RegExp => {
  let re = globLists.get(globs)
  if (!re) globLists.set(globs, (re = globs.length ? new RegExp(`^(?:${globs.map(globBody).join('|')})$`) : /(?!)/))
  return re
}

/**
 * The names one module goes by: Llama 4 names the MLP feed_forward, and multimodal wrappers put the text model under
 * language_model. (Llama 4, older Gemma 3 / Mistral 3 files) or model.language_model. (transformers >= 4.52).
 */
export function moduleNames(module: string): string[] {
  const forms = new Set([module, module.replace('.mlp.', '.feed_forward.'), ...qwenNextNames(module)])
  for (const form of [...forms]) {
    forms.add(`language_model.${form}`)
    if (form.startsWith('model.')) forms.add(`model.language_model.${form.slice('model.'.length)}`)
  }
  return [...forms]
}

/**
 * Qwen3-Next / Qwen3.5 names (modeling_qwen3_next.py Qwen3NextGatedDeltaNet, Qwen3NextSparseMoeBlock): the Gated
 * DeltaNet's fused qkv (GGUF attn_qkv), z (attn_gate) and output (ssm_out) projections are linear_attn.in_proj_qkv,
 * in_proj_z and out_proj (GGUF's ssm_ba fuses in_proj_b and in_proj_a: named here for the linear_attn* entries), and
 * the one shared expert is mlp.shared_expert.
 */
function qwenNextNames(module: string): string[] {
  const layer = /^(model\.layers\.\d+)\.(.+)$/.exec(module)
  if (!layer) return []
  const deltaNet: Record<string, string> = {'self_attn.qkv_proj': 'linear_attn.in_proj_qkv', attn_gate: 'linear_attn.in_proj_z', ssm_out: 'linear_attn.out_proj', ssm_ba: 'linear_attn.in_proj_ba'}
  const rest = layer[2]!
  if (deltaNet[rest]) return [`${layer[1]}.${deltaNet[rest]}`]
  if (rest.startsWith('mlp.shared_experts.')) return [`${layer[1]}.mlp.shared_expert.${rest.slice('mlp.shared_experts.'.length)}`]
  return []
}

/** ModelOpt MIXED_PRECISION: the quantized_layers entry of a module (its own name, or a MoE experts block above it). */
export function mixedModule(q: CheckpointQuantization, module: string): NonNullable<CheckpointQuantization['modules']>[number] | undefined {
  const names = moduleNames(module)
  return q.modules?.find((m) => names.some((name) => name === m.name || name.startsWith(`${m.name}.`)))
}

/** Whether an exclusion entry keeps a module unquantized, under any of its names. */
export function excluded(q: CheckpointQuantization, module: string): boolean {
  return moduleNames(module).some((name) => excludedName(q, name))
}

function excludedName(q: CheckpointQuantization, module: string): boolean {
  // ModelOpt: fnmatch on the module name; the whole list as one alternation (hundreds of entries, every tensor's names).
  if (q.excludeMatch === 'glob') return globListRegex(q.exclude).test(module)
  if (q.excludeMatch === 'name-or-regex') {
    // compressed-tensors utils/match.py: "re:" entries re.match (anchored at the start), else the exact module name.
    const list = nameOrRegexList(q.exclude)
    return list.names.has(module) || (list.regex !== null && list.regex.test(module))
  }
  return q.exclude.some((entry) => {
    // transformers: a module whose name contains the entry (older should_convert_module), or matches it as a pattern (gpt-oss "model.layers.*.self_attn")
    return module.includes(entry) || (entry.includes('*') && regexOf(entry.replace(/\./g, '\\.').replace(/\*/g, '.*'), 'modules_to_not_convert').test(module))
  })
}

// ---------------------------------------------------------------------------------------------------------------

export interface QuantizedTensor {
  /** GGUF-style name of the weight (gguf-mix.ts tensorsOf). */
  name: string
  module: string
  cls: MixClass
  /** Parameters the tensor holds (all experts of a fused expert tensor). */
  elements: number
  quantized: boolean
  /** Stored tensors of one matrix (one expert for a fused expert tensor); a plain tensor is one entry. */
  stored: StoredTensor[]
  /** How many matrices share that layout: the experts of a fused tensor, else 1. */
  copies: number
  bytes: number
}

export interface QuantizedCheckpointBytes {
  tensors: QuantizedTensor[]
  /** k_scale and v_scale of the attention layers (FP8 KV cache), counted in the linear class. */
  kvScaleBytes: number
  bytes: Readonly<Record<MixClass, number>>
  params: Readonly<Record<MixClass, number>>
  /** bytes / params of each class; the plain dtype's for a class with no parameters. */
  bytesPerElement: Readonly<Record<MixClass, number>>
  /** Bytes per element of the matrix the LM head multiplies (lm_head, or the tied embeddings). */
  headBytesPerElement: number
  totalBytes: number
}

const isQuantizable = (t: ReturnType<typeof tensorsOf>[number], q: CheckpointQuantization, module: string): boolean => {
  if (!t.name.endsWith('.weight') || t.ne.length < 2 || t.source !== 'f16') return false // vectors, biases, convolutions, the router (F32 in the GGUF list)
  if (t.name === 'token_embd.weight' || t.name === 'per_layer_token_embd.weight') return false // nn.Embedding
  if (t.name === 'output.weight' && !q.lmHead) return false
  if (q.layout === 'mxfp4' && t.cls !== 'experts') return false // gpt-oss: only the expert tensors have a MXFP4 layout
  // Kimi K3's mxfp4-pack-quantized checkpoint holds only the routed experts in MXFP4: its latent projections (in the
  // experts class) and the attention-residual pseudo-queries stay bf16 though no ignore entry names them
  // (vllm-ascend kimi_k3 KimiK3MoE: "These projections are BF16 in the released compressed-tensors checkpoint").
  if (q.layout === 'ct-mxfp4' && !/_exps\.weight$/.test(t.name)) return false
  if (t.name.endsWith('indexer.proj.weight')) return false // DeepSeek-V3.2 inference/model.py Indexer: weights_proj in the default dtype, stored bf16
  if (q.modules && !mixedModule(q, module)) return false // MIXED_PRECISION: only the listed modules are quantized
  if (/compressor_(kv|gate)\.weight$/.test(t.name)) return false // DeepSeek-V4 Compressor wkv / wgate: stored bf16 (transformers _keep_in_fp32_modules)
  return !excluded(q, module)
}

function compute(spec: ModelSpec): QuantizedCheckpointBytes {
  const q = spec.checkpointQuantization
  if (!q) throw new Error(`${spec.id}: no checkpointQuantization`)
  const plain = plainStoredDtype(spec)
  const tensors = tensorsOf(spec).map((t): QuantizedTensor => {
    const elements = t.ne.reduce((a, b) => a * b, 1)
    const module = hfModuleOf(t.name)
    if (!isQuantizable(t, q, module)) {
      // DeepSeek-V4 keeps its hyper-connections and compressor position biases in fp32 (tid2eid, int32, is costed at the plain dtype with the routers).
      const one = stored(t.name.endsWith('.bias') ? 'bias' : 'weight', /(^|\.)(hc_(attn|ffn|head)_|attn_compressor_ape|indexer\.compressor_ape)/.test(t.name) ? 'F32' : plain, [elements])
      return {name: t.name, module, cls: t.cls, elements, quantized: false, stored: [one], copies: 1, bytes: one.bytes}
    }
    const [inF, outF, experts = 1] = t.ne as [number, number, number?]
    const own = q.modules ? mixedModule(q, module) : undefined
    const base = own ? {...q, ...own} : q
    // DeepSeek-V4 expert_dtype fp4: the routed experts are e2m1 with a ue8m0 scale per 32, the same bytes as MXFP4.
    const layout = quantizedLinear(t.cls === 'experts' && q.expertLayout ? {...base, layout: q.expertLayout, bits: 4, groupSize: 32, scaleDtype: 'e8m0'} : base, inF, outF, spec.dtype)
    return {name: t.name, module, cls: t.cls, elements, quantized: true, stored: layout, copies: experts, bytes: experts * layout.reduce((s, x) => s + x.bytes, 0)}
  })
  const zero = () => ({embeddings: 0, perLayerEmbeddings: 0, linear: 0, experts: 0, unquantized: 0})
  const bytes: Record<MixClass, number> = zero()
  const params: Record<MixClass, number> = zero()
  for (const t of tensors) {
    bytes[t.cls] += t.bytes
    params[t.cls] += t.elements
  }
  // k_scale, v_scale: one fp32 scalar each per attention layer (vLLM BaseKVCacheMethod; ModelOpt k_proj.k_scale / v_proj.v_scale).
  const attentionLayers = spec.layerGroups.filter((g) => g.mixer !== 'linear').reduce((s, g) => s + g.count, 0)
  const kvScaleBytes = q.kvScales ? attentionLayers * 2 * storedDtypeBytes.F32 : 0
  bytes.linear += kvScaleBytes
  const plainBytes = storedDtypeBytes[plain]
  const bytesPerElement = Object.fromEntries(mixClasses.map((c) => [c, params[c] > 0 ? bytes[c] / params[c] : plainBytes])) as Record<MixClass, number>
  const head = tensors.find((t) => t.name === (spec.embeddings.tied ? 'token_embd.weight' : 'output.weight'))
  return {
    tensors,
    kvScaleBytes,
    bytes,
    params,
    bytesPerElement,
    headBytesPerElement: head ? head.bytes / head.elements : plainBytes,
    totalBytes: mixClasses.reduce((s, c) => s + bytes[c], 0),
  }
}

const cache = perSpec((spec) => (spec.checkpointQuantization ? Object.freeze(compute(spec)) : null))

/** Exact bytes of the spec's quantized checkpoint per tensor and class, or null for a checkpoint with no quantization_config. */
export const quantizedCheckpointBytes = (spec: ModelSpec): QuantizedCheckpointBytes | null => cache(spec)
