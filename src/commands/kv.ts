import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {scenarioFlags, scenarioFor} from '../flags/index.js'
import {parseTokenCount} from '../flags/quantity.js'
import {render} from '../render/render.js'
import {defaultContexts, kvResult, kvView} from '../report/kv.js'

export default class Kv extends BaseCommand {
  static override summary = 'KV cache against context length at 1k, 8k, 32k, 128k and the maximum: theoretical, and what an engine reserves (vLLM unless --engine)'
  static override examples = [
    '<%= config.bin %> kv gemma-3-27b-it mistral-small-3.1-24b-instruct-2503',
    '<%= config.bin %> kv deepseek-v3 --mla-cache expanded --engine vllm',
    '<%= config.bin %> kv qwen3-0.6b llama-3.2-1b-instruct --contexts 4k,32k --batch 16',
  ]
  static override strict = false
  static override flags = {
    contexts: Flags.string({description: 'Comma-separated contexts (k = 1024) [default: 1k,8k,32k,128k,max]'}),
    batch: scenarioFlags.batch,
    'kv-dtype': scenarioFlags['kv-dtype'],
    'mla-cache': scenarioFlags['mla-cache'],
    engine: {...scenarioFlags.engine, default: 'vllm'},
  }

  async run() {
    const {argv, flags} = await this.parse(Kv)
    const specs = resolveModels(argv as string[])
    const given = flags.contexts?.split(',').map((c) => parseTokenCount(c, 'contexts'))
    const results = specs.map((spec) => kvResult(spec, scenarioFor(spec, flags).scenario, given ?? defaultContexts(spec)))
    const first = results[0]!
    const notes = [
      `KV in ${first.kvFormat}, batch ${first.batch}; sliding and chunked layers hold at most their window, KV-sharing layers nothing, linear-attention layers a fixed state`,
      'context k = 1024 tokens; bytes in binary units',
    ]
    this.print(render(this.outputFormat(flags), {views: [kvView(results, notes)], data: results}))
    return results
  }
}
