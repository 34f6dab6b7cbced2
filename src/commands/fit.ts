import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor} from '../flags/index.js'
import {render} from '../render/render.js'
import {scenarioNotes} from '../report/memory.js'
import {fitResult, fitView} from '../report/fit.js'

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
    if (!flags.hardware) throw new UserError('fit needs --hardware, e.g. --hardware h100 or --hardware h100,h200,mi300x')
    const choices = parseHardwareFlag(flags.hardware)
    const specs = resolveModels(argv as string[])
    const results = []
    let notes: string[] = []
    for (const spec of specs) {
      const parsed = scenarioFor(spec, flags)
      for (const w of parsed.warnings) process.stderr.write(`warning: ${w}\n`)
      notes = scenarioNotes(parsed.scenario, parsed.memoryUtilization, parsed.scenario.engine, Boolean(spec.attention.mla))
      for (const choice of choices) results.push(fitResult(spec, parsed.scenario, choice, parsed.memoryUtilization))
    }
    notes.push('devices: tensor parallel within 8 per node, pipeline beyond; MoE experts split over the tensor-parallel group')
    this.print(render(this.outputFormat(flags), {views: [fitView(results, notes)], data: results}))
    return results
  }
}
