// LoRA adapters (Hu et al. 2021): rank-r A and B beside each target matrix, trained in fp32 while the base is frozen.
// Targets name the modules as peft's target_modules do (q_proj, ..., down_proj), matched against the spec's tensors
// (gguf-mix.ts tensorsOf, GGUF names: attn_q, ..., ffn_down); "all-linear" is every matrix of the decoder layers but
// the routers and the routed experts (peft's all-linear on transformers' fused 3-D expert weights), "experts" adds
// an adapter per routed expert matrix.
import {UserError} from '../../errors.js'
import type {ModelSpec} from '../../schema/model.js'
import {adafactorFactoredElements, loraAdapterParams} from '../formulas/training.js'
import {tensorsOf} from '../gguf-mix.js'
import type {Optimizer} from './recipe.js'
import type {BaseQuantization} from './quantized-base.js'
import type {AdapterPrecision} from './options.js'

export {adapterPrecisions, type AdapterPrecision} from './options.js'

export const loraTargetNames = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj', 'experts', 'all-linear'] as const
export type LoraTarget = (typeof loraTargetNames)[number]


export interface LoraSetup {
  rank: number
  targets: readonly LoraTarget[]
  baseQuantization: BaseQuantization
  /** Absent: fp32 (PEFT). */
  adapterPrecision?: AdapterPrecision
}

/**
 * Bytes per adapter parameter of its weight and gradient, and the factor on fp32 optimizer states: torch.optim AdamW
 * and SGD keep their states in the parameter's dtype (AdamW._init_group: exp_avg = torch.zeros_like(p)), so bf16
 * adapters halve them; bitsandbytes' 8-bit states are 8-bit either way.
 */
export function adapterBytes(precision: AdapterPrecision, optimizer: Optimizer): {weight: number; gradient: number; optimizerFactor: number} {
  if (precision === 'fp32') return {weight: 4, gradient: 4, optimizerFactor: 1}
  return {weight: 2, gradient: 2, optimizerFactor: optimizer === 'adamw-8bit' ? 1 : 0.5}
}

/** QLoRA's recipe: every linear layer of the blocks (Dettmers et al. 2023 §4, "LoRA on all linear transformer block layers"). */
export const defaultLoraTargets: readonly LoraTarget[] = ['all-linear']

/** The peft module name each GGUF tensor of a layer answers to (MLA's latents count as q and as k/v; fused qkv as all three). */
const tensorTargets: Record<string, readonly LoraTarget[]> = {
  attn_q: ['q_proj'],
  attn_q_a: ['q_proj'],
  attn_q_b: ['q_proj'],
  attn_k: ['k_proj'],
  attn_v: ['v_proj'],
  attn_kv_a_mqa: ['k_proj', 'v_proj'],
  attn_kv_b: ['k_proj', 'v_proj'],
  attn_qkv: ['q_proj', 'k_proj', 'v_proj'],
  attn_output: ['o_proj'],
  ffn_gate: ['gate_proj'],
  ffn_up: ['up_proj'],
  ffn_down: ['down_proj'],
  ffn_gate_shexp: ['gate_proj'],
  ffn_up_shexp: ['up_proj'],
  ffn_down_shexp: ['down_proj'],
}

/** Parses --lora-targets: a comma list of module names. */
export function parseLoraTargets(text: string): LoraTarget[] {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean)
  for (const n of names)
    if (!(loraTargetNames as readonly string[]).includes(n)) throw new UserError(`--lora-targets "${n}" is not a target; use a comma list of ${loraTargetNames.join(', ')}`)
  if (names.length === 0) throw new UserError(`--lora-targets needs at least one of ${loraTargetNames.join(', ')}`)
  return names as LoraTarget[]
}

/** The GGUF tensor name without its block prefix and suffix: "blk.3.attn_q.weight" -> "attn_q". */
const moduleOf = (name: string) => name.replace(/^blk\.\d+\./, '').replace(/\.(weight|bias)$/, '')

/** Whether a tensor gets an adapter under these targets. */
function targeted(t: {name: string; ne: readonly number[]; cls: string}, targets: readonly LoraTarget[]): boolean {
  if (!t.name.startsWith('blk.') || t.ne.length < 2 || !t.name.endsWith('.weight')) return false
  if (t.cls === 'experts') return targets.includes('experts')
  const module = moduleOf(t.name)
  if (targets.includes('all-linear')) return t.cls === 'linear' && !module.includes('conv')
  return (tensorTargets[module] ?? []).some((m) => targets.includes(m))
}

export interface LoraAdapters {
  /** Trainable adapter parameters: Σ r x (in + out) over the targeted matrices (per expert for stacked experts). */
  params: number
  /** Optimizer-state bytes of the adapters (fp32 states). */
  optimizerStateBytes: number
  /** Target matrices adapted, over every layer (stacked experts count once per expert). */
  matrices: number
  /** Σ r over the matrices one token passes (top-k of stacked experts): elements of the A outputs it keeps (x A, B's input), all layers. */
  rankActivationsPerToken: number
}

export function loraAdapters(spec: ModelSpec, lora: Pick<LoraSetup, 'rank' | 'targets'>, optimizer: Optimizer): LoraAdapters {
  const r = lora.rank
  let params = 0
  let optimizerStateBytes = 0
  let matrices = 0
  let perToken = 0
  for (const t of tensorsOf(spec)) {
    if (!targeted(t, lora.targets)) continue
    const x = t.ne[2] ?? 1
    const [nin, nout] = [t.ne[0]!, t.ne[1]!]
    const p = loraAdapterParams.evaluate({x, r, nin, nout})
    params += p
    matrices += x
    // A token passes through the top-k of the stacked experts only.
    perToken += r * (t.cls === 'experts' ? spec.moe!.topK : 1)
    // A is (r, in), B is (out, r): Adafactor factors each; Muon keeps one buffer (both are matrices); the rest per parameter.
    optimizerStateBytes +=
      optimizer === 'adafactor'
        ? 4 * (adafactorFactoredElements.evaluate({x, r, c: nin}) + adafactorFactoredElements.evaluate({x, r: nout, c: r}))
        : p * {adamw: 8, 'adamw-8bit': 2 * (1 + 4 / 2048), sgd: 4, muon: 4}[optimizer]
  }
  if (matrices === 0) throw new UserError(`--lora-targets ${lora.targets.join(',')} matches no matrix of ${spec.name}`)
  return {params, optimizerStateBytes, matrices, rankActivationsPerToken: perToken}
}
