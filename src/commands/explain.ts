import {layoutOn, perfOptionsOf, speedScenarioFor, withLayoutFlags} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {withDraftModel} from '../cli/models.js'
import {UserError} from '../errors.js'
import {explain, explainQuantities, isTrainQuantity, trainQuantities, type ExplainQuantity, type Explanation} from '../explain/steps.js'
import {substitute} from '../explain/substitute.js'
import {parseOneHardware} from '../flags/hardware.js'
import {parseTokenCount} from '../flags/quantity.js'
import {trainRecipeFlags} from '../flags/train-flags.js'
import {loadModel} from '../presets/load.js'
import {formatBytes, formatCount, formatFlops, formatInteger, formatRate, formatSeconds, formatUsd} from '../render/format.js'
import {memoryScenarioFor} from '../calc/deployment.js'
import {scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

/** A step's result for people, by its unit; the exact integer beside counts and bytes. */
function formatResult(value: number, unit: string): string {
  switch (unit) {
    case 'params':
      return `${formatCount(value)} (${formatInteger(value)})`
    case 'bytes':
      return `${formatBytes(value)} (${formatInteger(value)} B)`
    case 'FLOP':
      return formatFlops(value)
    case 's':
      return formatSeconds(value)
    case 'h':
      return `${formatRate(value)} h`
    case 'USD':
      return formatUsd(value)
    default:
      // tokens, elements, experts, bits, tokens/s, USD/s, tokens/USD, J, FLOP/key, bytes/element
      return `${Number.isInteger(value) ? formatInteger(value) : formatRate(value)} ${unit}`
  }
}

const speedQuantities: readonly ExplainQuantity[] = ['ttft', 'tpot', 'tps', 'cost']

export default defineCommand({
  id: 'explain',
  summary: "How a figure is computed: the formula, the same formula with the model's values, each intermediate, and the source",
  description: `Quantities: ${explainQuantities.join(', ')}. Every figure is the one the tables print, computed by the same formula registry the calculators call; --verify also evaluates each formula with mathjs and requires it to agree.`,
  examples: [
    '<%= config.bin %> explain deepseek-v3 kv --context 128k',
    '<%= config.bin %> explain qwen3-30b-a3b active',
    '<%= config.bin %> explain llama-3.1-8b tpot --hardware h100 --batch 8',
    '<%= config.bin %> explain llama-3.1-405b train-hours --hardware 16384xh100 --tokens 15.6T --mfu 0.4',
    '<%= config.bin %> explain qwen3-32b train-memory --hardware 1xl40s --lora-rank 16 --quantize-base 4bit --seq 2k',
  ],
  args: [
    {name: 'model', description: 'preset id or preset file', required: true},
    {name: 'quantity', description: 'what to explain', required: true, options: explainQuantities},
  ],
  flags: {
    ...scenarioFlags,
    // No declared default: serving quantities fall back to the prefill MFU, training ones to the training default.
    mfu: {kind: 'option', description: `Achievable share of peak FLOP/s: in prefill [default: ${scenarioFlags.mfu.default}], or of a training run (train-hours, train-cost) [default: as \`archcost train\`]`},
    ...trainRecipeFlags,
    tokens: {kind: 'option', description: 'train-hours, train-cost: training tokens of the run, e.g. 15.6T'},
    verify: {kind: 'boolean', description: 'Also evaluate every formula with mathjs and require it to equal the calculator (slower: loads mathjs)'},
  },
  input: async (raw) => {
    const spec = loadModel(raw.args.model!)
    const quantity = raw.args.quantity as ExplainQuantity
    const choice = parseOneHardware(raw.flags.hardware, '(e.g. --hardware 8xh100)')
    const trainFlag = [...Object.keys(trainRecipeFlags), 'tokens'].find((name) => raw.flags[name as keyof typeof raw.flags] !== undefined)
    if (!isTrainQuantity(quantity) && trainFlag) throw new UserError(`--${trainFlag} is a training flag; it applies to explain ${trainQuantities.join(', ')}`)
    if (isTrainQuantity(quantity)) {
      if (!choice) throw new UserError(`explain ${quantity} needs --hardware with the device count of the run, e.g. --hardware 1024xh100`)
      if (raw.flags.context !== undefined) throw new UserError(`--context sizes serving; the training sequence length is --seq, e.g. --seq 8k`)
      // The training calculators load only when a training figure is explained.
      const [{trainScenarioFor, trainSetup}, {explainTrain}] = await Promise.all([import('../flags/train.js'), import('../explain/train-steps.js')])
      const setup = trainSetup(raw.flags)
      if (quantity !== 'train-memory' && setup.tokens === null) throw new UserError(`explain ${quantity} needs the run's --tokens, e.g. --tokens 15T`)
      const train = trainScenarioFor(spec, {...setup, hardware: choice.hardware, devices: choice.devices ?? 1}, raw.flags.seq === undefined ? null : parseTokenCount(raw.flags.seq, 'seq'))
      if (quantity === 'train-cost' && train.hardware.pricePerHourUsd === null) throw new UserError(`${train.hardware.id} has no hourly price in its profile, so a training run has no cost; explain train-hours instead`)
      return {explainIt: () => explainTrain(spec, quantity, train), verify: raw.flags.verify, warnings: [] as string[]}
    }
    const needsHardware = speedQuantities.includes(quantity)
    if (needsHardware && !choice) throw new UserError(`explain ${quantity} needs --hardware, e.g. --hardware h100`)
    const input = withDraftModel(scenarioInput(raw.flags))
    // A benchmark's mean TTFT (and the throughput it implies) averages a start-up burst: no single formula gives it.
    if ((quantity === 'ttft' || quantity === 'cost') && input.serving.numPrompts)
      throw new UserError(`explain ${quantity} shows the steady state; --num-prompts reports a benchmark's mean over its start-up burst, which \`archcost perf\` prints: drop --num-prompts here`)
    const warnings: string[] = []
    if (quantity === 'memory' && input.engine) {
      // The engines' page and window rules are not in the formula registry yet: explain the theoretical cache.
      warnings.push(`explain memory shows the theoretical KV cache; \`archcost memory --engine ${input.engine}\` adds what ${input.engine} reserves`)
      input.engine = null
    }
    const costed = needsHardware ? speedScenarioFor(spec, input) : memoryScenarioFor(spec, input)
    const speed = speedScenarioFor(spec, input).scenario
    let scenario = {...costed.scenario, promptTokens: speed.promptTokens, outputTokens: speed.outputTokens}
    if (choice) {
      const layout = layoutOn(spec, scenario, withLayoutFlags(choice, input), costed.memoryUtilization)
      if (!layout) throw new UserError(`${spec.id} does not fit on up to 1024 ${choice.hardware.id} devices at this context and batch`)
      scenario = {...scenario, layout}
    }
    if (quantity === 'cost' && input.pricePerHourUsd === null && choice!.hardware.pricePerHourUsd === null)
      throw new UserError(`${choice!.hardware.id} has no hourly price in its profile; give one with --price-per-hour`)
    const context = {scenario, hardware: choice?.hardware ?? null, perf: perfOptionsOf(input), price: input.pricePerHourUsd}
    return {explainIt: () => explain(spec, quantity, context), verify: raw.flags.verify, warnings: [...warnings, ...costed.warnings]}
  },
  run: async ({explainIt, verify, warnings}): Promise<Explanation & {verified: boolean; warnings: string[]}> => {
    const explanation = explainIt()
    if (verify) await (await import('../explain/check.js')).verifyExplanation(explanation)
    return {...explanation, verified: verify, warnings}
  },
  present: (result) => ({
    views: [
      {
        title: `${result.id}: ${result.quantity} = ${formatResult(result.result, result.unit)}`,
        list: true,
        columns: [
          {key: 'name', header: 'Step', kind: 'text'},
          {key: 'formula', header: '', kind: 'text'},
          {key: 'substituted', header: '=', kind: 'text'},
          {key: 'resultText', header: '=', kind: 'text', align: 'right'},
        ],
        rows: result.steps.map((s) => ({name: s.name, formula: s.formula, substituted: substitute(s.formula, s.values), resultText: formatResult(s.result, s.unit)})),
        notes: [
          ...new Set(result.steps.map((s) => `source: ${s.source}`)),
          result.verified
            ? 'every result is the calculator\'s own; each formula was evaluated with mathjs and agrees with it'
            : "every result is the calculator's own, from the formula shown (its registry entry); --verify evaluates each formula with mathjs as well",
        ],
      },
    ],
  }),
})
