import {memoryScenarioFor} from '../calc/deployment.js'
import {defineCommand} from '../cli/definition.js'
import {resolveModels} from '../cli/models.js'
import {parseTokenCount} from '../flags/quantity.js'
import {defaultContexts, kvResult, kvView, type KvResult} from '../report/kv.js'
import {pick, scenarioFlags, scenarioInput} from '../schema/scenario-fields.js'

export default defineCommand({
  id: 'kv',
  summary: 'KV cache against context length at 1k, 8k, 32k, 128k and the maximum: theoretical, and what an engine reserves (vLLM unless --engine)',
  examples: [
    '<%= config.bin %> kv gemma-3-27b-it mistral-small-3.1-24b-instruct-2503',
    '<%= config.bin %> kv deepseek-v3 --mla-cache expanded --engine vllm',
    '<%= config.bin %> kv qwen3-0.6b llama-3.2-1b-instruct --contexts 4k,32k --batch 16',
  ],
  usage: 'kv [MODEL...] [--contexts 4k,32k] [--batch N] [--engine vllm]',
  args: [],
  variadic: true,
  flags: {
    contexts: {kind: 'option', description: 'Comma-separated contexts (k = 1024) [default: 1k,8k,32k,128k,max]'},
    ...pick('batch', 'kv-dtype', 'mla-cache'),
    engine: {...scenarioFlags.engine, default: 'vllm'},
  },
  input: (raw) => ({
    specs: resolveModels(raw.argv),
    scenario: scenarioInput(raw.flags),
    contexts: raw.flags.contexts?.split(',').map((c) => parseTokenCount(c, 'contexts')) ?? null,
  }),
  run: ({specs, scenario, contexts}): {models: KvResult[]; warnings: string[]} => ({
    models: specs.map((spec) => kvResult(spec, memoryScenarioFor(spec, scenario).scenario, contexts ?? defaultContexts(spec))),
    warnings: [],
  }),
  present: ({models}) => ({
    views: [
      kvView(models, [
        `KV in ${models[0]!.kvFormat}, batch ${models[0]!.batch}; sliding and chunked layers hold at most their window, KV-sharing layers nothing, linear-attention layers a fixed state`,
        'context k = 1024 tokens; bytes in binary units',
      ]),
    ],
  }),
})
