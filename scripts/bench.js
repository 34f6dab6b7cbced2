#!/usr/bin/env node
// npm run bench: the speed figures against their targets, on this machine.
//   1. cold start of every command (a typical line each), as a ratio to a bare `node -e 0` (median of runs;
//      target 2.5x); and what each dependency adds to start-up on its own;
//   2. calculator throughput: full estimates of one model at one context and hardware, in-process, per second;
//   3. a sweep of every preset x 1,000 context lengths x every hardware profile, end to end in-process.
// `--write` also rewrites BENCHMARKS.md. Run after `npm run build` (npm run bench does).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const wall = (args, runs) =>
  median(
    Array.from({length: runs}, () => {
      const t = performance.now()
      const r = spawnSync(process.execPath, args, {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
      if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} failed: ${r.stderr}`)
      return performance.now() - t
    }),
  )

// 1. Cold start of every command. verify reads a real (empty) safetensors header.
const tmp = mkdtempSync(join(tmpdir(), 'archcost-bench-'))
const header = Buffer.from('{}')
const checkpoint = join(tmp, 'model.safetensors')
writeFileSync(checkpoint, Buffer.concat([Buffer.from(new BigUint64Array([BigInt(header.length)]).buffer), header]))
const commandLines = {
  check: ['check', 'qwen3-8b', '--max-total', '10B', '--fits', '1xh100'],
  compare: ['compare'],
  completion: ['completion', 'fish'],
  diff: ['diff', 'deepseek-v3', 'kimi-k2-instruct'],
  explain: ['explain', 'qwen3-8b', 'kv'],
  fit: ['fit', 'deepseek-v3', '--hardware', 'h100,h200', '--context', '128k'],
  flops: ['flops', 'qwen3-8b'],
  import: ['import', 'presets/sources/qwen3-8b.config.json'],
  kv: ['kv', 'qwen3-8b'],
  memory: ['memory', 'qwen3-8b'],
  params: ['params', 'qwen3-8b'],
  perf: ['perf', 'llama-3.1-8b', '--hardware', 'h100'],
  presets: ['presets'],
  schema: ['schema', 'result', 'fit'],
  show: ['show', 'qwen3-8b'],
  sweep: ['sweep', 'qwen3-8b', '--over', 'context=1k..128k'],
  validate: ['validate', 'presets/models/qwen3-8b.json'],
  verify: ['verify', 'qwen3-8b', '--checkpoint', checkpoint],
}
const runs = 11
wall(['bin/run.js', 'compare'], 2) // warm the file cache
// Each command is timed interleaved with `node -e 0`, so that a machine slowing down or speeding up during
// the run moves both alike: the ratio is of the two medians of the same stretch of time.
const startups = Object.entries(commandLines).map(([id, args]) => {
  const command = []
  const bare = []
  for (let i = 0; i < runs; i++) {
    bare.push(wall(['-e', '0'], 1))
    command.push(wall(['bin/run.js', ...args], 1))
  }
  return {id, args, ms: median(command), nodeMs: median(bare)}
})
const nodeMs = median(startups.map((s) => s.nodeMs))
// plan computes rather than starts: every priced profile x devices x layouts x loads, end to end (issue 14: well under a second).
const planLines = {
  'qwen3-30b-a3b': ['plan', 'qwen3-30b-a3b', '--isl', '2k', '--osl', '512', '--ttft', '2s', '--tpot', '50ms', '--throughput', '5000'],
  'deepseek-v3': ['plan', 'deepseek-v3', '--ttft', '2s', '--tpot', '50ms', '--users', '500'],
}
const plans = Object.entries(planLines).map(([id, args]) => ({id, args, ms: wall(['bin/run.js', ...args], 5)}))
rmSync(tmp, {recursive: true, force: true})
const startTarget = 2.5
const deps = ['@oclif/core', 'zod', 'chalk', 'mathjs'].map((dep) => ({
  dep,
  ms: Math.max(0, wall(['--input-type=module', '-e', `await import(${JSON.stringify(dep)})`], 5) - nodeMs),
}))

// 2. Throughput
const {loadModel, loadHardware, loadAllModels, listHardwareIds} = await import('../dist/presets/load.js')
const {paramCounts} = await import('../dist/calc/params.js')
const {kvCache} = await import('../dist/calc/kv.js')
const {decodeFlopsPerToken, prefillFlops} = await import('../dist/calc/flops.js')
const {defaultScenario, memoryEstimate} = await import('../dist/calc/memory.js')
const {decodeStepTime, prefillTime, defaultPerfOptions} = await import('../dist/calc/perf.js')
const {fewestDevices} = await import('../dist/calc/deployment.js')

function fullEstimate(spec, s, hw, context) {
  const kv = {kvFormat: s.kvFormat, mlaCache: s.mlaCache}
  return (
    paramCounts(spec).totalParams +
    kvCache(spec, context, s.batch, kv).totalBytes +
    decodeFlopsPerToken(spec, context) +
    prefillFlops(spec, context) +
    memoryEstimate(spec, {...s, contextTokens: context}).totalBytes +
    prefillTime(spec, {...s, promptTokens: context}, hw, defaultPerfOptions).seconds +
    decodeStepTime(spec, s, hw, context, defaultPerfOptions).seconds
  )
}
const spec = loadModel('llama-3.1-8b')
const h100 = loadHardware('h100')
const scenario = {...defaultScenario(spec), promptTokens: 2048, outputTokens: 512}
let sink = 0
const timed = (ms) => {
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < ms) for (let i = 0; i < 1000; i++, n++) sink += fullEstimate(spec, scenario, h100, 1024 + (n & 4095))
  return n / ((performance.now() - t0) / 1000)
}
timed(500) // warm-up: let the JIT compile the kernel
const perSecond = timed(2000)

// 3. Sweep
const t0 = performance.now()
const models = loadAllModels()
const hardware = listHardwareIds().map((id) => loadHardware(id))
let points = 0
for (const model of models) {
  const base = defaultScenario(model)
  const contexts = Array.from({length: 1000}, (_, i) => Math.max(1, Math.round(Math.exp(Math.log(1024) + ((Math.log(model.maxContextTokens) - Math.log(1024)) * i) / 999))))
  for (const hw of hardware) {
    const layout = fewestDevices(model, {...base, contextTokens: 8192}, hw, 0.9)
    if (!layout) continue
    const s = {...base, layout}
    for (const context of contexts) {
      sink += decodeStepTime(model, s, hw, context, defaultPerfOptions).seconds + kvCache(model, context, 1, {kvFormat: s.kvFormat, mlaCache: s.mlaCache}).totalBytes
      points++
    }
  }
}
const sweepMs = performance.now() - t0
if (!(sink > 0)) throw new Error('benchmark result unused')

const rows = [
  ...startups.map(({id, args, ms, nodeMs: bare}) => ({figure: `cold start: \`archcost ${args.join(' ').replace(tmp, '<tmp>')}\` / \`node -e 0\``, measured: `${(ms / bare).toFixed(2)}x (${ms.toFixed(0)} ms / ${bare.toFixed(0)} ms)`, target: `<= ${startTarget}x`, met: ms / bare <= startTarget, id})),
  ...plans.map(({args, ms}) => ({figure: `plan, every priced profile, end to end: \`archcost ${args.join(' ')}\``, measured: `${ms.toFixed(0)} ms`, target: '< 1,000 ms', met: ms < 1000})),
  {figure: 'full estimates per second (params, KV, FLOPs, memory, prefill and decode time; one model, one context, H100)', measured: `${Math.round(perSecond).toLocaleString('en-US')}/s`, target: '>= 1,000,000/s', met: perSecond >= 1e6},
  {figure: `sweep: ${models.length} presets x 1,000 contexts x ${hardware.length} hardware (${points.toLocaleString('en-US')} points: decode time + KV), end to end`, measured: `${sweepMs.toFixed(0)} ms`, target: '< 1,000 ms', met: sweepMs < 1000},
]
const pad = (s, n) => s + ' '.repeat(Math.max(0, n - s.length))
const width = Math.max(...rows.map((r) => r.figure.length))
console.log(`${pad('figure', width)}  ${pad('measured', 28)}  ${pad('target', 16)}  met`)
for (const r of rows) console.log(`${pad(r.figure, width)}  ${pad(r.measured, 28)}  ${pad(r.target, 16)}  ${r.met ? 'yes' : 'NO'}`)
console.log('\nwhat each dependency adds to start-up on its own (import in a fresh process, minus node -e 0):')
for (const d of deps) console.log(`  ${pad(d.dep, 12)} ${d.ms.toFixed(0)} ms`)

if (process.argv.includes('--write')) {
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  const text = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench -- --write\` on ${machine}. Timings vary from run to run by 10-30%; the start-up target (every command within ${startTarget}x a bare \`node -e 0\`) is issue 12's, the throughput targets issue 8's.`,
    '',
    '| figure | measured | target | met |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.measured} | ${r.target} | ${r.met ? 'yes' : 'no'} |`),
    '',
    'Start-up cost of each dependency on its own (a fresh `node` importing it, minus `node -e 0`):',
    '',
    '| dependency | ms |',
    '|---|--:|',
    ...deps.map((d) => `| ${d.dep} | ${d.ms.toFixed(0)} |`),
    '',
  ].join('\n')
  // The hand-written reading of the figures below the tables is kept across runs.
  const previous = existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : ''
  const notes = previous.includes('## Reading the figures') ? previous.slice(previous.indexOf('## Reading the figures')) : ''
  writeFileSync('BENCHMARKS.md', notes ? `${text}\n${notes}` : text)
  console.log('\nwrote BENCHMARKS.md')
}
