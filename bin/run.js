#!/usr/bin/env node
// A command runs straight from its definition (dist/cli/execute.js), without loading oclif; help, the command
// list, completion and anything that is not a command go to oclif, whose command classes are generated from
// the same definitions and run the same execute(). ARCHCOST_NO_FAST=1 sends everything through oclif.
const [id, ...rest] = process.argv.slice(2)
const {isCommand, loadCommand} = await import('../dist/cli/registry.js')
const toOclif = process.env.ARCHCOST_NO_FAST || !isCommand(id) || rest.some((token) => token === '--help' || token === '-h')
if (toOclif) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
} else {
  const [{execute}, {processIo}] = await Promise.all([import('../dist/cli/execute.js'), import('../dist/cli/present.js')])
  process.exitCode = await execute(await loadCommand(id), rest, processIo)
}
