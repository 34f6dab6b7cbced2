import {readCheckpoint} from '../checkpoint/read.js'
import {UserError} from '../errors.js'
import {defineCommand} from '../cli/definition.js'
import {loadModel} from '../presets/load.js'
import {formatInteger} from '../render/format.js'
import {verifyApartView, verifyComponentsView, verifyDtypesView, verifyGgufView, verifyResult, type VerifyResult} from '../report/verify.js'

export default defineCommand({
  id: 'verify',
  summary: "Compare a model's calculated parameter count with a checkpoint's, read from its headers alone (safetensors or GGUF)",
  description:
    'Reads only headers: a .safetensors file, a model.safetensors.index.json and its shards, a .gguf file, or a folder holding one. ' +
    'Compares the text-model total and each component the tensor names allow; MTP layers and encoders are counted apart. ' +
    'Exit 0 when the totals match exactly, 1 when they differ, 2 when a file cannot be read.',
  examples: [
    '<%= config.bin %> verify llama-3.2-1b-instruct --checkpoint ./Llama-3.2-1B-Instruct/model.safetensors',
    '<%= config.bin %> verify deepseek-v3 --checkpoint ./DeepSeek-V3/model.safetensors.index.json --json',
    '<%= config.bin %> verify qwen3-8b --checkpoint ./Qwen3-8B-Q4_K_M.gguf',
  ],
  args: [{name: 'model', description: 'preset id, preset file or config.json', required: true}],
  flags: {
    checkpoint: {kind: 'option', description: 'A .safetensors file, a model.safetensors.index.json, a .gguf file, or a folder holding one'},
  },
  input: (raw) => {
    if (raw.flags.checkpoint === undefined) throw new UserError('verify needs --checkpoint, e.g. --checkpoint ./model.safetensors')
    return {spec: loadModel(raw.args.model!), checkpoint: raw.flags.checkpoint}
  },
  run: ({spec, checkpoint}): VerifyResult & {warnings: string[]} => ({...verifyResult(spec, readCheckpoint(checkpoint), checkpoint), warnings: []}),
  present: (result) => {
    const gguf = verifyGgufView(result)
    return {views: [verifyComponentsView(result), verifyDtypesView(result), verifyApartView(result), ...(gguf ? [gguf] : [])]}
  },
  messages: (result) => {
    const difference = result.checkpointTotalParams - result.calculatedTotalParams
    const sign = difference > 0 ? '+' : ''
    return result.matches
      ? []
      : [`archcost: ${result.id}: the checkpoint has ${formatInteger(result.checkpointTotalParams)} text-model parameters, the calculation ${formatInteger(result.calculatedTotalParams)} (difference ${sign}${formatInteger(difference)})`]
  },
  exitCode: (result) => (result.matches ? 0 : 1),
})
