// Quantized Hugging Face checkpoints store a Linear as packed integers plus scales, zero points and indexes. Here each
// stored tensor gets the parameters it represents: a packed weight counts the weights it unpacks to, everything
// else beside it (scales, zero points, g_idx, bitsandbytes statistics) counts none. Only tensor names and header
// shapes are read; the layouts are the ones src/calc/quantized.ts costs (sources named there).
import {dirname, join} from 'node:path'
import {readJson} from '../files.js'

export interface HeaderEntry {
  dtype: string
  shape: number[]
}

export interface PackedParams {
  params: number
  /** The dtype the parameters have once unpacked (INT4, NF4, NVFP4, ...), when it is not the stored one. */
  logicalDtype?: string
  note: string
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1)
const none = (note: string): PackedParams => ({params: 0, note})

/** The module path and the last name of a tensor (model.layers.0.self_attn.q_proj.qweight -> [...q_proj, qweight]). */
function split(name: string, suffix: string): string | null {
  return name.endsWith(`.${suffix}`) ? name.slice(0, -suffix.length - 1) : null
}

/**
 * Bits of compressed-tensors pack-quantized weights, from the config.json beside the checkpoint (quantization_config
 * config_groups.*.weights.num_bits): an int32 weight_packed [out, in / (32 / bits)] does not show its bits. Cached per folder.
 */
const packBitsCache = new Map<string, number | null>()
export function packBitsBeside(file: string): number | null {
  const dir = dirname(file)
  if (packBitsCache.has(dir)) return packBitsCache.get(dir)!
  let bits: number | null = null
  try {
    const config = join(dir, 'config.json')
    {
      // Through the bounded reader: a regular file of at most 4 MiB, nested at most 64 deep (src/files.ts).
      const q = (readJson(config, 'config.json') as {quantization_config?: {config_groups?: unknown; bits?: unknown; w_bit?: unknown}} | null)?.quantization_config
      const groups = q?.config_groups
      const first = groups && typeof groups === 'object' ? Object.values(groups)[0] : undefined
      // compressed-tensors config_groups.*.weights.num_bits; GPTQ/AWQ bits (AutoAWQ's own w_bit)
      const n = (first as {weights?: {num_bits?: unknown}} | undefined)?.weights?.num_bits ?? q?.bits ?? q?.w_bit
      if (typeof n === 'number' && [2, 4, 8].includes(n)) bits = n
    }
  } catch {
    bits = null // no config.json, or not readable JSON: the default below applies
  }
  packBitsCache.set(dir, bits)
  return bits
}

/**
 * The parameters a stored tensor represents when it belongs to a quantized Linear; undefined for any other tensor.
 * `byName` holds every tensor of the same file (a module's pieces are saved together).
 */
export function packedParams(name: string, entry: HeaderEntry, byName: ReadonlyMap<string, HeaderEntry>, file: string): PackedParams | undefined {
  const elements = product(entry.shape)
  // GPTQ (AutoGPTQ QuantLinear): qweight int32 [in*bits/32, out], g_idx [in]. AWQ (WQLinear_GEMM): qweight [in, out*bits/32], scales [in/g, out].
  const q = split(name, 'qweight')
  if (q !== null) {
    const gIdx = byName.get(`${q}.g_idx`)
    const scales = byName.get(`${q}.scales`)
    const [rows = 0, cols = 0] = entry.shape
    if (gIdx && gIdx.shape.length === 1 && rows > 0) {
      const inF = gIdx.shape[0]!
      return {params: inF * cols, logicalDtype: `INT${(32 * rows) / inF}`, note: `GPTQ packed: ${(32 * rows) / inF}-bit weights, int32 [in x bits / 32, out]`}
    }
    if (scales && scales.shape.length === 2 && cols > 0) {
      const outF = scales.shape[1]!
      return {params: rows * outF, logicalDtype: `INT${(32 * cols) / outF}`, note: `AWQ packed: ${(32 * cols) / outF}-bit weights, int32 [in, out x bits / 32]`}
    }
    // Its g_idx or scales in another shard: the bits from config.json, else 4; either layout packs 32 / bits weights per int32.
    const bits = packBitsBeside(file)
    return {params: elements * (32 / (bits ?? 4)), logicalDtype: `INT${bits ?? 4}`, note: `packed int32 weights, ${bits ?? 4}-bit${bits === null ? ' assumed (no config.json beside the checkpoint)' : ' (config.json)'}`}
  }
  for (const part of ['qzeros', 'scales', 'g_idx']) {
    const module = split(name, part)
    if (module !== null && byName.has(`${module}.qweight`)) return none(`GPTQ/AWQ ${part} (not parameters)`)
  }

  // bitsandbytes 4-bit (Params4bit): weight uint8 [ceil(n/2), 1] holds two 4-bit codes per byte; its quant state beside
  // it (or in another shard: the [n, 1] column shape alone marks it).
  const w = split(name, 'weight')
  if (w !== null && entry.dtype === 'U8' && (byName.has(`${name}.absmax`) || (entry.shape.length === 2 && entry.shape[1] === 1))) {
    const type = byName.has(`${name}.quant_state.bitsandbytes__fp4`) ? 'FP4' : 'NF4'
    return {params: elements * 2, logicalDtype: type, note: `bitsandbytes ${type}: 2 values per byte`}
  }
  if (/\.weight\.(absmax|quant_map|nested_absmax|nested_quant_map|quant_state\.bitsandbytes__\w+)$/.test(name)) return none('bitsandbytes 4-bit quant state (not parameters)')
  // bitsandbytes 8-bit (Linear8bitLt): the int8 weight counts as it is; SCB and weight_format are its row scales and layout tag.
  if (/\.(SCB|weight_format)$/.test(name)) return none('bitsandbytes 8-bit row scales (not parameters)')

  // ModelOpt NVFP4: weight uint8 [out, in/2], fp8 weight_scale per 16, fp32 weight_scale_2. Unquantized checkpoints store
  // no uint8 weight matrices, so one whose scales sit in another shard is still 2 values a byte (ModelOpt INT4 packs so too).
  if (w !== null && entry.dtype === 'U8' && entry.shape.length === 2) {
    const nvfp4 = byName.has(`${w}.weight_scale_2`)
    return {params: elements * 2, logicalDtype: nvfp4 ? 'NVFP4' : 'U8 pairs', note: `${nvfp4 ? 'NVFP4' : '4-bit'} packed: 2 values per byte`}
  }
  if (/\.weight_scale_2$/.test(name)) return none('NVFP4 per-tensor scale (not a parameter)')

  // compressed-tensors: weight_packed int32 (pack-quantized) or uint8 pairs (nvfp4-pack-quantized).
  const packed = split(name, 'weight_packed')
  if (packed !== null) {
    if (entry.dtype === 'U8') return {params: elements * 2, logicalDtype: 'NVFP4', note: 'NVFP4 packed: 2 FP4 values per byte'}
    const bits = packBitsBeside(file)
    const perInt = 32 / (bits ?? 4)
    return {params: elements * perInt, logicalDtype: `INT${bits ?? 4}`, note: `pack-quantized: ${perInt} ${bits ?? 4}-bit weights per int32${bits === null ? ' (4-bit assumed: no config.json beside the checkpoint)' : ''}`}
  }
  if (/\.(weight_shape|weight_zero_point|weight_g_idx|weight_global_scale|input_global_scale|input_zero_point)$/.test(name)) return none('compressed-tensors quantization metadata (not parameters)')
  // FP8 block scales (DeepSeek-V3 weight_scale_inv), per-tensor/channel/group scales (AutoFP8, compressed-tensors, ModelOpt).
  if (/\.(weight_scale_inv|weight_scale|input_scale)$/.test(name)) return none('quantization scales (not parameters)')
  // FP8 KV cache scales (vLLM k_scale / v_scale, ModelOpt k_proj.k_scale).
  if (/\.(k_scale|v_scale)$/.test(name)) return none('KV cache scale (not a parameter)')
  return undefined
}
