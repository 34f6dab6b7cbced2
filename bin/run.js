#!/usr/bin/env node
// Everyday commands start without oclif (dist/cli/fast.js); everything else, and anything the fast parser
// is unsure of, goes to oclif. ARCHCOST_NO_FAST=1 sends everything to oclif.
import {runFast} from '../dist/cli/fast.js'

const code = process.env.ARCHCOST_NO_FAST ? null : await runFast(process.argv.slice(2))
if (code === null) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
} else process.exitCode = code
