#!/usr/bin/env node
// Bundles zod into one minified file (dist/vendor/zod.js) and points the built modules at it. zod's ~70 ES
// modules take about 55 ms to load; the single file about 25 ms (BENCHMARKS.md), which is what keeps validate,
// import and verify within the start-up target. Types and tests still use the zod package itself.
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {build} from 'esbuild'

const out = 'dist/vendor/zod.js'
await build({stdin: {contents: "export * from 'zod'", resolveDir: process.cwd()}, bundle: true, format: 'esm', platform: 'node', minify: true, outfile: out, logLevel: 'warning'})

let rewritten = 0
for (const entry of readdirSync('dist', {recursive: true, withFileTypes: true})) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue
  const file = join(entry.parentPath, entry.name)
  if (file === out) continue
  const text = readFileSync(file, 'utf8')
  const target = relative(dirname(file), out).replaceAll('\\', '/')
  const next = text.replace(/from ['"]zod['"]/g, `from '${target.startsWith('.') ? target : `./${target}`}'`)
  if (next !== text) {
    writeFileSync(file, next)
    rewritten++
  }
}
console.log(`${out}: zod bundled; ${rewritten} modules point at it`)
