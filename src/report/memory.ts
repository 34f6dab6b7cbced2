// Memory results (memory command) and their views.
import {compressedKinds, kvBytesPerTokenAt} from '../calc/kv.js'
import {usableBytes} from '../calc/deployment.js'
import {devicesOf, kvReplicated, layoutText} from '../calc/parallel.js'
import {memoryEstimate, type MemoryScenario} from '../calc/memory.js'
import {weightFormatsFor} from '../calc/weights.js'
import {isMoe} from '../calc/layers.js'
import type {EngineName} from '../calc/engines.js'
import type {TableView} from '../render/view.js'
import type {HardwareSpec} from '../schema/hardware.js'
import type {ModelSpec} from '../schema/model.js'
import type {EngineSettings} from '../schema/scenario-fields.js'
import {engineBudget, engineFits} from '../calc/engine-budget.js'
import type {MemoryResult} from '../schema/results/memory.js'

export type {MemoryLeaf, MemoryResult} from '../schema/results/memory.js'

/** Storage format per component; dense models have no experts entry. */
function componentFormats(spec: ModelSpec, s: MemoryScenario): MemoryResult['weightFormats'] {
  const {experts, ...rest} = weightFormatsFor(spec, s.weightFormats)
  return isMoe(spec) ? {...rest, experts} : rest
}

export function memoryResult(spec: ModelSpec, s: MemoryScenario, hardware: HardwareSpec | null, memoryUtilization: number, settings: EngineSettings): MemoryResult {
  const m = memoryEstimate(spec, s)
  const budget = hardware && s.engine ? engineBudget(spec, s, hardware, settings, memoryUtilization) : null
  const usable = hardware ? usableBytes(hardware, memoryUtilization, settings.wiredLimitBytes) : null
  const {totalBytes: perDeviceBytes, ...perDevice} = m.perDevice
  return {
    id: spec.id,
    contextTokens: s.contextTokens,
    batch: s.batch,
    kvFormat: s.kvFormat,
    weightFormats: componentFormats(spec, s),
    engine: s.engine,
    hardware: hardware?.id ?? null,
    devices: devicesOf(s.layout),
    layout: s.layout,
    kvReplicated: kvReplicated(spec, s.layout),
    kvBytesPerToken: kvBytesPerTokenAt(spec, s.contextTokens, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}),
    kvBytes: m.kvBytes,
    engineKvBytes: m.engineKvBytes,
    weightsBytes: m.weightsBytes,
    offloadedWeightsBytes: m.offloadedWeightsBytes,
    activationBytes: m.activationBytes,
    overheadBytes: m.overheadBytes,
    totalBytes: m.totalBytes,
    leaves: m.leaves,
    perDeviceBytes,
    perDevice,
    deviceMemoryBytes: hardware?.memoryBytes ?? null,
    usableDeviceBytes: usable,
    fits: usable === null ? null : budget ? engineFits(budget, s.batch) : perDeviceBytes <= usable,
    engineBudget: budget,
    engineLog: budget?.engineLog ?? [],
  }
}

export function memoryView(results: MemoryResult[], notes: string[]): TableView {
  const anyEngine = results.some((r) => r.engineKvBytes !== null)
  const anyHardware = results.some((r) => r.hardware !== null)
  const anyOffload = results.some((r) => r.offloadedWeightsBytes > 0)
  return {
    transpose: true,
    columns: [
      {key: 'id', header: 'Model', kind: 'text'},
      {key: 'contextTokens', header: 'Context (tokens)', kind: 'integer', unit: 'tokens'},
      {key: 'batch', header: 'Batch', kind: 'integer'},
      {key: 'weightFormatText', header: 'Weights format', kind: 'text'},
      {key: 'weightsBytes', header: 'Weights', kind: 'bytes', unit: 'bytes'},
      ...(anyOffload ? [{key: 'offloadedWeightsBytes', header: 'Weights in host memory', kind: 'bytes' as const, unit: 'bytes'}] : []),
      {key: 'kvBytesPerToken', header: 'KV per next token', kind: 'bytes', unit: 'bytes', better: 'lower'},
      // With an engine, its reservation is the KV in the total; the theoretical cache is shown beside it, not summed.
      {key: 'kvBytes', header: anyEngine ? 'KV cache (theoretical, not in total)' : 'KV cache (theoretical)', kind: 'bytes', unit: 'bytes'},
      ...(anyEngine ? [{key: 'engineKvBytes', header: 'KV cache (engine reserves)', kind: 'bytes' as const, unit: 'bytes'}] : []),
      {key: 'activationBytes', header: 'Activations', kind: 'bytes', unit: 'bytes'},
      {key: 'overheadBytes', header: 'Runtime overhead', kind: 'bytes', unit: 'bytes'},
      {key: 'totalBytes', header: 'Total', kind: 'bytes', unit: 'bytes', better: 'lower'},
      ...(anyHardware
        ? [
            {key: 'layoutText', header: 'Devices (layout)', kind: 'text' as const},
            {key: 'perDeviceBytes', header: 'Per device', kind: 'bytes' as const, unit: 'bytes'},
            {key: 'usableDeviceBytes', header: 'Device memory usable', kind: 'bytes' as const, unit: 'bytes'},
            {key: 'fitText', header: 'Fits', kind: 'text' as const},
          ]
        : []),
    ],
    rows: results.map((r) => ({
      id: r.id,
      contextTokens: r.contextTokens,
      batch: r.batch,
      weightFormatText: weightFormatText(r),
      weightsBytes: r.weightsBytes,
      offloadedWeightsBytes: r.offloadedWeightsBytes,
      kvBytesPerToken: r.kvBytesPerToken,
      kvBytes: r.kvBytes,
      engineKvBytes: r.engineKvBytes,
      activationBytes: r.activationBytes,
      overheadBytes: r.overheadBytes,
      totalBytes: r.totalBytes,
      layoutText: `${r.devices}x ${r.hardware} (${layoutText(r.layout)})${r.kvReplicated ? ', KV replicated' : ''}`,
      perDeviceBytes: r.perDeviceBytes,
      usableDeviceBytes: r.usableDeviceBytes,
      fitText: r.fits === null ? '—' : r.fits ? 'fits' : 'DOES NOT FIT',
    })),
    notes,
  }
}

/** "fp8, embeddings bf16": the linear format first, then only the components stored differently. */
function weightFormatText(r: MemoryResult): string {
  const f = r.weightFormats
  const parts: string[] = [f.linear]
  if (f.experts !== undefined && f.experts !== f.linear) parts.push(`experts ${f.experts}`)
  if (f.embeddings !== f.linear) parts.push(`embeddings ${f.embeddings}`)
  return parts.join(', ')
}

export function scenarioNotes(s: MemoryScenario, memoryUtilization: number, engine: EngineName | null, anyMla = true, specs: ModelSpec[] = []): string[] {
  const mla = anyMla ? (s.mlaCache === 'expanded' ? ', MLA expanded per head' : ', MLA as latent + rope key') : ''
  // vLLM and SGLang store DeepSeek-V4's cache in their own fp8 layout whatever the KV dtype asked (src/calc/engine-dsv4.ts).
  const ownLayout = (engine === 'vllm' || engine === 'sglang') && specs.some((spec) => compressedKinds(spec).length > 0)
  return [
    `KV cache in ${s.kvFormat}${mla}; context k = 1024 tokens`,
    ...(ownLayout ? [`engine ${engine}: DeepSeek-V4's cache as the engine stores it, whatever --kv-dtype says: fp8 latents of 584 bytes (448 fp8 NoPE + 64 bf16 RoPE + scales), 132-byte fp8 index keys, fp32 compressor states`] : []),
    `activations: one prefill chunk of ${s.prefillChunkTokens} tokens; runtime overhead ${(s.overheadBytesPerDevice / 2 ** 30).toFixed(2)} GiB per device`,
    ...(engine ? [`engine ${engine}: reserves KV by its own rules (pages, windows, MLA layout); memory utilization ${memoryUtilization}`] : []),
    'bytes in binary units (GiB = 2^30 bytes)',
  ]
}
