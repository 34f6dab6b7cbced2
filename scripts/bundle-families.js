#!/usr/bin/env node
// Bundles the model families (dist/import/families/*.js, one module per family) into dist/import/families/index.js.
// Loading ~50 small ES modules costs about 20 ms of start-up on every command that reads a config.json; one file
// loads in a fraction of that (BENCHMARKS.md). Modules outside the folder (errors, config, pieces, layers) stay
// imports, so they are loaded once and shared, and classes such as UserError keep one identity.
import {renameSync} from 'node:fs'
import {dirname, relative, resolve} from 'node:path'
import {build} from 'esbuild'

const dir = resolve('dist/import/families')
const entry = resolve(dir, 'index.js')
const tmp = resolve(dir, 'index.bundle.tmp.js')
await build({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: tmp,
  logLevel: 'warning',
  plugins: [
    {
      name: 'keep-outside-imports',
      setup(b) {
        b.onResolve({filter: /^\./}, (args) => {
          const full = resolve(args.resolveDir, args.path)
          if (dirname(full) === dir) return undefined // a family: bundled
          const path = relative(dir, full)
          return {path: path.startsWith('.') ? path : `./${path}`, external: true}
        })
      },
    },
  ],
})
renameSync(tmp, entry)
console.log(`${relative('.', entry)}: the model families bundled into one module`)
