#!/usr/bin/env node
// A command runs straight from its definition (dist/cli/execute.js), without loading oclif; help, the command
// list, the version and completion go to oclif, whose command classes are generated from the same definitions
// and run the same execute(). ARCHCOST_NO_FAST=1 sends everything through oclif.
const [id, ...rest] = process.argv.slice(2)
const {isCommand, loadCommand, oclifServes} = await import('../dist/cli/registry.js')
if (process.env.ARCHCOST_NO_FAST || oclifServes(id) || (isCommand(id) && rest.some((token) => token === '--help' || token === '-h'))) {
  const {execute} = await import('@oclif/core')
  // `archcost help fit` is `archcost fit --help`, as most CLIs take it.
  await execute({dir: import.meta.url, ...(id === 'help' && {args: [...rest, '--help']})})
} else if (!isCommand(id)) {
  const {unknownCommand} = await import('../dist/cli/unknown.js')
  process.stderr.write(`${unknownCommand(id)}\n`)
  process.exitCode = 2
} else {
  const [{execute}, {processIo}] = await Promise.all([import('../dist/cli/execute.js'), import('../dist/cli/present.js')])
  process.exitCode = await execute(await loadCommand(id), rest, processIo)
}
