import {BaseCommand} from '../cli/base-command.js'
import {runFit} from '../handlers/fit.js'
import {scenarioFlags} from '../flags/index.js'

export default class Fit extends BaseCommand {
  static override summary = 'Fewest devices that hold a model, the longest context that fits, and how many sequences at once'
  static override examples = [
    '<%= config.bin %> fit deepseek-v3 --hardware h100 --context 128k',
    '<%= config.bin %> fit qwen3-32b --hardware h100,h200,mi300x,rtx4090 --context 32k --batch 8',
    '<%= config.bin %> fit gpt-oss-120b --hardware 1xh100 --engine vllm --memory-utilization 0.9 --json',
  ]
  static override strict = false
  static override flags = scenarioFlags

  async run() {
    const {argv, flags} = await this.parse(Fit)
    return runFit(argv as string[], flags, this.io())
  }
}
