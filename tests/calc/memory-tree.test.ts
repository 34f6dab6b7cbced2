// The memory tree: every total is exactly the sum of its leaves, for the deployment and per device, with and
// without an engine, for every preset; the one KV leaf is what the deployment holds.
import {scenarioInput} from '../../src/schema/scenario-fields.js'
import {readdirSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {engineNames, type EngineName} from '../../src/calc/engines.js'
import {isMoe} from '../../src/calc/layers.js'
import {defaultScenario, memoryEstimate, sumOfLeaves, type MemoryEstimate, type MemoryScenario} from '../../src/calc/memory.js'
import {defaultLayout} from '../../src/calc/parallel.js'
import {loadModel} from '../../src/presets/load.js'
import {memoryResult} from '../../src/report/memory.js'
import {memoryLeafPaths} from '../../src/schema/results/memory.js'

const ids = readdirSync('presets/models')
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort()
const engines: (EngineName | null)[] = [null, ...engineNames]

const sum = (leaves: {bytes: number}[]) => leaves.reduce((a, l) => a + l.bytes, 0)

/** Every invariant of one estimate; returns the failures as text so one run reports them all. */
function treeProblems(m: MemoryEstimate, engine: EngineName | null, where: string): string[] {
  const problems: string[] = []
  const check = (ok: boolean, what: string) => ok || problems.push(`${where}: ${what}`)
  for (const [name, tree, total] of [
    ['deployment', m.leaves, m.totalBytes],
    ['per device', m.perDevice.leaves, m.perDevice.totalBytes],
  ] as const) {
    check(total === sum(tree), `${name} total ${total} != sum of leaves ${sum(tree)}`)
    check(
      tree.every((l) => Number.isSafeInteger(l.bytes) && l.bytes >= 0),
      `${name} leaves not whole non-negative bytes: ${JSON.stringify(tree)}`,
    )
    const kvLeaves = tree.filter((l) => l.path.startsWith('kv/'))
    check(kvLeaves.length === 1 && kvLeaves[0]!.path === (engine ? 'kv/engine-reserved' : 'kv/theoretical'), `${name} KV leaves ${JSON.stringify(kvLeaves)}`)
    const expectedOrder = memoryLeafPaths.filter((p) => tree.some((l) => l.path === p))
    check(JSON.stringify(tree.map((l) => l.path)) === JSON.stringify(expectedOrder), `${name} leaves out of order`)
  }
  check(m.weightsBytes === sumOfLeaves(m.leaves, 'weights'), 'weightsBytes != weights/* leaves')
  check(m.activationBytes + m.overheadBytes === sumOfLeaves(m.leaves, 'activations') + sumOfLeaves(m.leaves, 'overhead'), 'activations/overhead')
  check(m.totalBytes === m.weightsBytes + (m.engineKvBytes ?? m.kvBytes) + m.activationBytes + m.overheadBytes, 'named terms do not add up to the total')
  const d = m.perDevice
  check(d.totalBytes === d.weightsBytes + d.kvBytes + d.activationBytes + d.overheadBytes, 'per-device named terms do not add up')
  check(sumOfLeaves(m.leaves, 'kv') === (engine ? m.engineKvBytes : m.kvBytes), 'the KV leaf is not the KV the deployment holds')
  return problems
}

function layoutsFor(moe: boolean) {
  return [defaultLayout(1, moe), defaultLayout(2, moe), defaultLayout(8, moe), defaultLayout(16, moe)]
}

const settings = scenarioInput({}).engineSettings

describe('memory total = sum of leaves', () => {
  it.each(ids)('%s: every engine, context, batch and layout', (id) => {
    const spec = loadModel(id)
    const base = defaultScenario(spec)
    const contexts = [...new Set([1, 4096, 32768, spec.maxContextTokens])]
    const problems: string[] = []
    for (const engine of engines)
      for (const contextTokens of contexts)
        for (const batch of [1, 7])
          for (const layout of layoutsFor(isMoe(spec))) {
            const s: MemoryScenario = {...base, engine, contextTokens, batch, layout}
            problems.push(...treeProblems(memoryEstimate(spec, s), engine, `${id} ${engine ?? 'no engine'} L=${contextTokens} B=${batch} tp${layout.tp} pp${layout.pp}`))
          }
    expect(problems.slice(0, 10)).toEqual([])
  })

  it('holds with fractional byte widths (int4 groups, MXFP4, q4_k, int8 KV) and offloaded per-layer embeddings', () => {
    const problems: string[] = []
    for (const id of ['gpt-oss-120b', 'gemma-3n-e4b-it', 'llama-3.1-8b', 'deepseek-v3', 'qwen3-next-80b-a3b-thinking']) {
      const spec = loadModel(id)
      for (const engine of engines)
        for (const weightFormats of [{}, {linear: 'int4', experts: 'mxfp4'}, {embeddings: 'q4_k', linear: 'q5_k', unquantized: 'fp32'}] as const)
          for (const offloadPerLayerEmbeddings of [false, true]) {
            const s: MemoryScenario = {...defaultScenario(spec), engine, weightFormats, offloadPerLayerEmbeddings, kvFormat: 'int8', int4GroupSize: 32, contextTokens: 12345, batch: 3, layout: defaultLayout(4, isMoe(spec))}
            problems.push(...treeProblems(memoryEstimate(spec, s), engine, `${id} ${engine} ${JSON.stringify(weightFormats)} offload=${offloadPerLayerEmbeddings}`))
          }
    }
    expect(problems.slice(0, 10)).toEqual([])
  })

  it('the memory result carries the tree, and its totals are the sums (with and without --engine)', () => {
    for (const engine of engines) {
      const spec = loadModel('gemma-3-27b-it')
      const r = memoryResult(spec, {...defaultScenario(spec), engine, contextTokens: 32768, layout: defaultLayout(2, false)}, null, 0.9, settings)
      expect(r.totalBytes).toBe(sum(r.leaves))
      expect(r.perDeviceBytes).toBe(sum(r.perDevice.leaves))
      expect(r.perDevice.weightsBytes + r.perDevice.kvBytes + r.perDevice.activationBytes + r.perDevice.overheadBytes).toBe(r.perDeviceBytes)
    }
  })
})

describe('memory tree, worked by hand', () => {
  it('Llama 3.1 8B, bf16, 8k context, batch 1, one device, no engine', () => {
    const spec = loadModel('llama-3.1-8b')
    const m = memoryEstimate(spec, {...defaultScenario(spec), contextTokens: 8192, batch: 1})
    // Weights, by class (bf16 = 2 bytes per parameter):
    const embeddings = 2 * 128256 * 4096 // input embedding + untied LM head, vocab x hidden
    const perLayer = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336 // q, o; k, v (8 KV heads x 128); gate, up, down
    const linear = 32 * perLayer
    const norms = 32 * 2 * 4096 + 4096 // two RMSNorms per layer + the final one
    expect(embeddings + linear + norms).toBe(8_030_261_248)
    // KV: (K, V) x layers x KV heads x head dim x bf16 bytes x tokens = exactly 1 GiB
    const kv = 2 * 32 * 8 * 128 * 2 * 8192
    expect(kv).toBe(2 ** 30)
    // Activations of one 2048-token prefill chunk: C x (2h + max(q + k + v + o widths, 2 x FFN width)) x 2 bytes, plus fp32 logits
    const activations = 2048 * (2 * 4096 + Math.max(32 * 128 + 2 * 8 * 128 + 32 * 128, 2 * 14336)) * 2 + 1 * 128256 * 4
    expect(activations).toBe(151_507_968)
    const overhead = 2 ** 30
    expect(m.leaves).toEqual([
      {path: 'weights/embeddings', bytes: embeddings * 2},
      {path: 'weights/linear', bytes: linear * 2},
      {path: 'weights/experts', bytes: 0},
      {path: 'weights/unquantized', bytes: norms * 2},
      {path: 'kv/theoretical', bytes: kv},
      {path: 'activations', bytes: activations},
      {path: 'overhead', bytes: overhead},
    ])
    expect(m.totalBytes).toBe(16_060_522_496 + 1_073_741_824 + 151_507_968 + 1_073_741_824)
    expect(m.totalBytes).toBe(18_359_514_112)
    expect(m.perDevice.leaves).toEqual(m.leaves)
    expect(m.perDevice.totalBytes).toBe(m.totalBytes)
  })

  it('Gemma 3 27B with vLLM at 32k: the KV leaf is what vLLM reserves, 6.8 MB above the theoretical cache, which is not summed', () => {
    const spec = loadModel('gemma-3-27b-it')
    const m = memoryEstimate(spec, {...defaultScenario(spec), contextTokens: 32768, engine: 'vllm'})
    // 52 sliding-window layers (window 1024) each hold 16 more tokens under vLLM (the window plus one block):
    // 52 x 16 tokens x (K, V) x 16 KV heads x 128 head dim x 2 bytes
    const slack = 52 * 16 * 2 * 16 * 128 * 2
    expect(slack).toBe(6_815_744)
    expect(m.engineKvBytes! - m.kvBytes).toBe(slack)
    expect(m.leaves.filter((l) => l.path.startsWith('kv/'))).toEqual([{path: 'kv/engine-reserved', bytes: m.engineKvBytes}])
    expect(m.totalBytes).toBe(m.weightsBytes + m.engineKvBytes! + m.activationBytes + m.overheadBytes)
    expect(m.totalBytes - (m.weightsBytes + m.kvBytes + m.activationBytes + m.overheadBytes)).toBe(slack)
    expect(m.perDevice.kvBytes).toBe(m.engineKvBytes)
  })
})
