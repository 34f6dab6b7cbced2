import {BaseCommand} from '../cli/base-command.js'
import {resolveModels} from '../cli/models.js'
import {UserError} from '../errors.js'
import {parseHardwareFlag, scenarioFlags, scenarioFor} from '../flags/index.js'
import {render} from '../render/render.js'
import {memoryResult, memoryView, scenarioNotes} from '../report/memory.js'

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
    const choices = flags.hardware ? parseHardwareFlag(flags.hardware) : []
    if (choices.length > 1) throw new UserError('--hardware takes one profile in `memory`; use `archcost fit` to compare several')
    const choice = choices[0] ?? null
    const specs = resolveModels(argv as string[])
    const parsed = specs.map((spec) => ({spec, ...scenarioFor(spec, flags, choice?.devices ?? 1)}))
    for (const p of parsed) for (const w of p.warnings) process.stderr.write(`warning: ${w}\n`)
    const results = parsed.map((p) => memoryResult(p.spec, p.scenario, choice?.hardware ?? null, p.memoryUtilization))
    const first = parsed[0]!
    this.print(render(this.outputFormat(flags), {views: [memoryView(results, scenarioNotes(first.scenario, first.memoryUtilization, first.scenario.engine, specs.some((spec) => spec.attention.mla)))], data: results}))
    return results
  }
}
