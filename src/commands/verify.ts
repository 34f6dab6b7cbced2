import {readCheckpoint} from '../checkpoint/read.js'
import {UserError} from '../errors.js'
import {checkFormats, checksCiText, checksFailureText, checksOutput} from '../cli/checks.js'
import {defineCommand} from '../cli/definition.js'
import {isHfConfig, loadModel, readJsonFile} from '../presets/load.js'
import {componentHeaders} from '../report/params.js'
import {formatInteger} from '../render/format.js'
import type {CheckLine} from '../report/checks.js'
import type {ModelSource} from '../report/verify-causes.js'
import {verifyApartView, verifyComponentsView, verifyDtypesView, verifyGgufView, verifyResult, type VerifyResult} from '../report/verify.js'

const title = 'archcost verify'

const signed = (n: number) => `${n > 0 ? '+' : ''}${formatInteger(n)}`

/** The mismatch in one line: both totals, the difference, and the causes found. */
function mismatchText(r: VerifyResult): string {
  const difference = r.checkpointTotalParams - r.calculatedTotalParams
  const causes = r.causes.length ? `: ${r.causes.join('; ')}` : ''
  return `${r.id}: the checkpoint has ${formatInteger(r.checkpointTotalParams)} text-model parameters, the calculation ${formatInteger(r.calculatedTotalParams)} (difference ${signed(difference)})${causes}`
}

/** For github/junit: one line per component and one for the total, annotated on the model's file when it is one. */
function verifyLines(r: VerifyResult, file: string | null): CheckLine[] {
  const line = (rule: string, ok: boolean, message: string): CheckLine => ({subject: r.id, rule, status: ok ? 'pass' : 'fail', measured: null, limit: null, unit: null, message, file})
  return [
    ...r.components.map((c) =>
      line(c.component, c.matches, `${componentHeaders[c.component]}: checkpoint ${formatInteger(c.checkpoint)}, calculated ${formatInteger(c.calculated)} (difference ${signed(c.checkpoint - c.calculated)})`),
    ),
    line('total', r.matches, r.matches ? `${r.id}: the checkpoint and the calculation agree: ${formatInteger(r.calculatedTotalParams)} text-model parameters` : mismatchText(r)),
  ]
}

const fileOf = (arg: string) => (arg.endsWith('.json') || arg.includes('/') ? arg : null)

export default defineCommand({
  id: 'verify',
  summary: "Compare a model's calculated parameter count with a checkpoint's, read from its headers alone (safetensors or GGUF)",
  description:
    'Reads only headers: a .safetensors file, a model.safetensors.index.json and its shards, a .gguf file, or a folder holding one. ' +
    'Compares the text-model total and each component the tensor names allow; MTP layers and encoders are counted apart. ' +
    'When the totals differ, names what the tensor names and shapes say against the model (layers, embedding rows, LM head, experts, hidden size). ' +
    'Exit 0 when the totals match exactly, 1 when they differ, 2 when a file cannot be read.',
  examples: [
    '<%= config.bin %> verify llama-3.2-1b-instruct --checkpoint ./Llama-3.2-1B-Instruct/model.safetensors',
    '<%= config.bin %> verify deepseek-v3 --checkpoint ./DeepSeek-V3/model.safetensors.index.json --json',
    '<%= config.bin %> verify qwen3-8b --checkpoint ./Qwen3-8B-Q4_K_M.gguf',
    '<%= config.bin %> verify ./config.json --checkpoint ./model.safetensors.index.json --format github',
  ],
  args: [{name: 'model', description: 'preset id, preset file or config.json', required: true}],
  extraFormats: checkFormats,
  flags: {
    checkpoint: {kind: 'option', description: 'A .safetensors file, a model.safetensors.index.json, a .gguf file, or a folder holding one'},
  },
  input: (raw) => {
    if (raw.flags.checkpoint === undefined) throw new UserError('verify needs --checkpoint, e.g. --checkpoint ./model.safetensors')
    const arg = raw.args.model!
    const spec = loadModel(arg)
    // The causes name config.json keys for a config, preset fields for a preset.
    const source: ModelSource = fileOf(arg) && isHfConfig(readJsonFile(arg)) ? 'config' : 'preset'
    return {spec, file: fileOf(arg), source, checkpoint: raw.flags.checkpoint}
  },
  run: ({spec, source, checkpoint}): VerifyResult & {warnings: string[]} => ({...verifyResult(spec, readCheckpoint(checkpoint), checkpoint, source), warnings: []}),
  present: (result) => {
    const gguf = verifyGgufView(result)
    return {views: [verifyComponentsView(result), verifyDtypesView(result), verifyApartView(result), ...(gguf ? [gguf] : [])]}
  },
  presentExtra: (result, format, {file}) => checksCiText(title, {...checksOutput(verifyLines(result, file)), warnings: result.warnings}, format),
  presentFailure: (message, format) => checksFailureText(title, message, format),
  messages: (result) => (result.matches ? [] : [`archcost: ${mismatchText(result)}`]),
  exitCode: (result) => (result.matches ? 0 : 1),
})
