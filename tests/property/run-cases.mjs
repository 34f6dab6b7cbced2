// Runs command lines in one process, each through the CLI's own execute() (the built dist/, as bin/run.js runs
// it) with stdout and stderr captured: tests/property/bytes.test.ts spawns it once, under a heap limit, instead
// of spawning a node process per case. Prints {results, maxRssKb} as JSON.
import {readFileSync} from 'node:fs'

const {execute} = await import('../../dist/cli/execute.js')
const {loadCommand} = await import('../../dist/cli/registry.js')
const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const results = []
for (const args of cases) {
  const out = []
  const err = []
  const io = {out: (text) => out.push(text), err: (text) => err.push(text)}
  const started = performance.now()
  const code = await execute(await loadCommand(args[0]), args.slice(1), io, {NO_COLOR: '1'})
  results.push({args, code, ms: Math.round(performance.now() - started), stderr: err.join('\n'), stdoutBytes: out.join('').length})
}
process.stdout.write(JSON.stringify({results, maxRssKb: process.resourceUsage().maxRSS}))
