import {Flags} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {runKv} from '../handlers/kv.js'
import {scenarioFlags} from '../flags/index.js'

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
    return runKv(argv as string[], flags, this.io())
  }
}
