// A preset's calculated parameter counts against a checkpoint's headers: the total, each component the tensor
// names allow, the dtypes found, and what is counted apart (MTP layers, encoders, tensors of no known component).
import {componentHeaders} from './params.js'
import {ggufDroppedParams} from '../calc/gguf-mix.js'
import {paramComponents, paramCounts} from '../calc/params.js'
import {mapComponents} from '../checkpoint/components.js'
import {checkpointEntries, namingScheme, paramsByDtype, type Checkpoint} from '../checkpoint/read.js'
import type {GgufValue} from '../checkpoint/gguf.js'
import {formatInteger} from '../render/format.js'
import type {Cell, TableView} from '../render/view.js'
import type {ModelSpec} from '../schema/model.js'
import type {VerifyComponent, VerifyResult} from '../schema/results/verify.js'
import {mismatchCauses, type ModelSource} from './verify-causes.js'

export type {VerifyApartCount, VerifyComponent, VerifyResult} from '../schema/results/verify.js'

export function verifyResult(spec: ModelSpec, checkpoint: Checkpoint, path: string, source: ModelSource = 'preset'): VerifyResult {
  const counts = paramCounts(spec)
  const entries = checkpointEntries(checkpoint)
  const mapping = mapComponents(namingScheme(checkpoint), entries, {textLayers: spec.layers, mtpLayers: spec.mtpLayers})
  // A GGUF file lacks what llama.cpp's converter keeps out of its tensor table (ChatGLM inv_freq, Apertus xIELU scalars).
  const dropped: Partial<Record<string, number>> = checkpoint.format === 'gguf' ? ggufDroppedParams(spec) : {}
  const expected = (key: (typeof paramComponents)[number]) => counts.breakdown[key] - (dropped[key] ?? 0)
  const components: VerifyComponent[] = paramComponents
    .filter((key) => expected(key) > 0 || (mapping.breakdown[key] ?? 0) > 0)
    .map((key) => {
      const calculated = expected(key)
      const fromCheckpoint = mapping.breakdown[key] ?? 0
      return {component: key, calculated, checkpoint: fromCheckpoint, matches: calculated === fromCheckpoint}
    })

  const notes: string[] = [
    'checkpoint = its text-model tensors, from the headers alone; MTP layers, vision/audio encoders, quantization scales and buffers are left out',
    'difference = checkpoint - calculated',
  ]
  const tensors = checkpoint.tensors as {name: string; params: number; note?: string}[]
  const skipped = tensors.filter((t) => t.params === 0 && t.note)
  if (skipped.length) notes.push(`${skipped.length} tensor${skipped.length > 1 ? 's' : ''} not counted as parameters: ${[...new Set(skipped.map((t) => t.note))].join('; ')}`)
  const packed = tensors.filter((t) => t.params > 0 && t.note)
  if (packed.length) notes.push(`${packed.length} packed tensor${packed.length > 1 ? 's' : ''} counted unpacked: ${[...new Set(packed.map((t) => t.note))].join('; ')}`)
  if (mapping.unmapped.tensors.length)
    notes.push(`${mapping.unmapped.tensors.length} tensor${mapping.unmapped.tensors.length > 1 ? 's' : ''} of no known component (${formatInteger(mapping.unmapped.params)} params) count in the total but in no row: ${preview(mapping.unmapped.tensors)}`)
  if (tensors.some((t) => /\.(qweight|qzeros|g_idx)$/.test(t.name)))
    notes.push('GPTQ/AWQ packed integer tensors (qweight, qzeros) are counted as stored, not unpacked: expect a difference')
  if (spec.embeddings.tied && (mapping.breakdown.lmHead ?? 0) > 0)
    notes.push('the preset ties the LM head to the input embedding, but the checkpoint stores an LM head of its own')
  if (spec.mtpLayers > 0 && mapping.mtp.params !== counts.mtpParams && mapping.mtp.params > 0)
    notes.push('MTP counted apart differs: a checkpoint MTP layer may carry its own copies of the embedding and LM head (DeepSeek-V3 embed_tokens, shared_head.head), which the preset does not count again')

  const ggufInfo =
    checkpoint.format === 'gguf'
      ? {architecture: checkpoint.architecture, name: checkpoint.name, fileType: checkpoint.fileType, metadata: checkpoint.modelMetadata}
      : null
  const droppedTotal = (dropped.other ?? 0) + (dropped.denseFfn ?? 0)
  if (droppedTotal > 0) notes.push(`${formatInteger(droppedTotal)} params the Hugging Face checkpoint saves are not tensors of a GGUF file (llama.cpp's converter drops ChatGLM's inv_freq and moves Apertus's xIELU scalars into metadata): the calculation leaves them out here`)
  const calculatedTotal = counts.totalParams - droppedTotal
  return {
    id: spec.id,
    checkpoint: path,
    format: checkpoint.format,
    files: checkpoint.files,
    calculatedTotalParams: calculatedTotal,
    checkpointTotalParams: mapping.textParams,
    matches: calculatedTotal === mapping.textParams,
    components,
    paramsByDtype: paramsByDtype(checkpoint),
    apart: {
      mtp: {calculated: counts.mtpParams, checkpoint: mapping.mtp.params, tensors: mapping.mtp.tensors},
      encoders: {calculated: counts.encoderParams, checkpoint: mapping.encoders.params, tensors: mapping.encoders.tensors},
      unmapped: mapping.unmapped,
    },
    gguf: ggufInfo,
    causes: calculatedTotal === mapping.textParams ? [] : mismatchCauses(spec, namingScheme(checkpoint), checkpoint.tensors, source),
    notes,
  }
}


const preview = (names: string[], n = 3) => `${names.slice(0, n).join(', ')}${names.length > n ? `, ... (${names.length - n} more)` : ''}`
const verdict = (ok: boolean) => (ok ? 'agrees' : 'DISAGREES')

export function verifyComponentsView(r: VerifyResult): TableView {
  const rows: Record<string, Cell>[] = r.components.map((c) => ({
    component: componentHeaders[c.component],
    calculated: c.calculated,
    checkpoint: c.checkpoint,
    difference: c.checkpoint - c.calculated,
    ok: verdict(c.matches),
  }))
  rows.push({
    component: 'Total',
    calculated: r.calculatedTotalParams,
    checkpoint: r.checkpointTotalParams,
    difference: r.checkpointTotalParams - r.calculatedTotalParams,
    ok: verdict(r.matches),
  })
  return {
    title: `${r.id} against ${r.checkpoint} (${r.format}${r.files.length > 1 ? `, ${r.files.length} files` : ''})`,
    columns: [
      {key: 'component', header: 'Component', kind: 'text'},
      {key: 'calculated', header: 'Calculated', kind: 'integer', unit: 'params'},
      {key: 'checkpoint', header: 'Checkpoint', kind: 'integer', unit: 'params'},
      {key: 'difference', header: 'Difference', kind: 'integer', unit: 'params'},
      {key: 'ok', header: 'OK', kind: 'text'},
    ],
    rows,
    notes: [...r.causes.map((cause) => `cause: ${cause}`), ...r.notes],
  }
}

export function verifyDtypesView(r: VerifyResult): TableView {
  const total = Object.values(r.paramsByDtype).reduce((a, b) => a + b, 0)
  return {
    title: 'Dtypes found',
    columns: [
      {key: 'dtype', header: 'Dtype', kind: 'text'},
      {key: 'params', header: 'Params', kind: 'integer', unit: 'params'},
      {key: 'share', header: 'Share', kind: 'percent'},
    ],
    rows: Object.entries(r.paramsByDtype)
      .sort((a, b) => b[1] - a[1])
      .map(([dtype, params]) => ({dtype, params, share: total > 0 ? params / total : 0})),
    notes: ['every parameter tensor of the checkpoint, MTP and encoders included'],
  }
}

export function verifyApartView(r: VerifyResult): TableView {
  const {mtp, encoders, unmapped} = r.apart
  return {
    title: 'Counted apart',
    columns: [
      {key: 'what', header: 'What', kind: 'text'},
      {key: 'calculated', header: 'Calculated', kind: 'integer', unit: 'params'},
      {key: 'checkpoint', header: 'Checkpoint', kind: 'integer', unit: 'params'},
      {key: 'tensors', header: 'Tensors', kind: 'integer'},
    ],
    rows: [
      {what: 'MTP layers', calculated: mtp.calculated, checkpoint: mtp.checkpoint, tensors: mtp.tensors.length},
      {what: 'Encoders', calculated: encoders.calculated, checkpoint: encoders.checkpoint, tensors: encoders.tensors.length},
      {what: 'No known component (in the total)', calculated: null, checkpoint: unmapped.params, tensors: unmapped.tensors.length},
    ],
    notes: [],
  }
}

const showValue = (value: GgufValue): string =>
  Array.isArray(value) ? `[${value.map(showValue).join(', ')}]` : typeof value === 'object' ? `${value.arrayOf}[${value.length}]` : String(value)

export function verifyGgufView(r: VerifyResult): TableView | null {
  if (!r.gguf) return null
  const rows: Record<string, Cell>[] = [
    {key: 'general.architecture', value: r.gguf.architecture ?? '—'},
    {key: 'general.name', value: r.gguf.name ?? '—'},
    {key: 'general.file_type', value: r.gguf.fileType ? `${r.gguf.fileType.name} (${r.gguf.fileType.id})` : '—'},
    ...Object.entries(r.gguf.metadata).map(([key, value]) => ({key: `${r.gguf!.architecture}.${key}`, value: showValue(value)})),
  ]
  return {
    title: 'GGUF metadata',
    columns: [
      {key: 'key', header: 'Key', kind: 'text'},
      {key: 'value', header: 'Value', kind: 'text'},
    ],
    rows,
    notes: [],
  }
}
