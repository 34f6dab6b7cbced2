import {Args, Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {readCheckpoint} from '../checkpoint/read.js'
import {CheckFailed} from '../errors.js'
import {loadModel} from '../presets/load.js'
import {formatInteger} from '../render/format.js'
import {render} from '../render/render.js'
import type {TableView} from '../render/view.js'
import {verifyApartView, verifyComponentsView, verifyDtypesView, verifyGgufView, verifyResult} from '../report/verify.js'

export default class Verify extends BaseCommand {
  static override summary = "Compare a model's calculated parameter count with a checkpoint's, read from its headers alone (safetensors or GGUF)"
  static override description =
    'Reads only headers: a .safetensors file, a model.safetensors.index.json and its shards, a .gguf file, or a folder holding one. ' +
    'Compares the text-model total and each component the tensor names allow; MTP layers and encoders are counted apart. ' +
    'Exit 0 when the totals match exactly, 1 when they differ, 2 when a file cannot be read.'
  static override examples = [
    '<%= config.bin %> verify llama-3.2-1b-instruct --checkpoint ./Llama-3.2-1B-Instruct/model.safetensors',
    '<%= config.bin %> verify deepseek-v3 --checkpoint ./DeepSeek-V3/model.safetensors.index.json --json',
    '<%= config.bin %> verify qwen3-8b --checkpoint ./Qwen3-8B-Q4_K_M.gguf',
  ]
  static override args = {
    model: Args.string({description: 'preset id, preset file or config.json', required: true}),
  }
  static override flags = {
    checkpoint: Flags.string({description: 'A .safetensors file, a model.safetensors.index.json, a .gguf file, or a folder holding one', required: true}),
  }

  async run() {
    const {args, flags} = await this.parse(Verify)
    const spec = loadModel(args.model)
    const checkpoint = readCheckpoint(flags.checkpoint)
    const result = verifyResult(spec, checkpoint, flags.checkpoint)
    const gguf = verifyGgufView(result)
    const views: TableView[] = [verifyComponentsView(result), verifyDtypesView(result), verifyApartView(result), ...(gguf ? [gguf] : [])]
    this.print(render(this.outputFormat(flags), {views, data: result}))
    if (!result.matches) {
      const difference = result.checkpointTotalParams - result.calculatedTotalParams
      throw new CheckFailed(
        `${result.id}: the checkpoint has ${formatInteger(result.checkpointTotalParams)} text-model parameters, the calculation ${formatInteger(result.calculatedTotalParams)} (difference ${difference > 0 ? '+' : ''}${formatInteger(difference)})`,
      )
    }
    return result
  }
}
