import {BaseCommand} from '../cli/base-command.js'
import {runMemory} from '../handlers/memory.js'
import {scenarioFlags} from '../flags/index.js'

export default class Memory extends BaseCommand {
  static override summary = 'Memory of each term (weights, KV cache, activations, overhead) and per device, marked fits / does not fit'
  static override examples = [
    '<%= config.bin %> memory deepseek-v3 --context 128k --hardware 8xh200',
    '<%= config.bin %> memory gemma-3-27b-it --context 32k --batch 8 --weights int4 --hardware h100',
    '<%= config.bin %> memory gpt-oss-120b --hardware h100 --engine vllm --json',
  ]
  static override strict = false
  static override flags = scenarioFlags

  async run() {
    const {argv, flags} = await this.parse(Memory)
    return runMemory(argv as string[], flags, this.io())
  }
}
