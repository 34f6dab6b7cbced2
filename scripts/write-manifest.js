#!/usr/bin/env node
// Writes oclif.manifest.json (the commands' flags and args) so that start-up reads one JSON file instead of
// importing every command module; oclif uses it when its version matches package.json. Run after the build.
import {rmSync, writeFileSync} from 'node:fs'
import {Config} from '@oclif/core'

rmSync('oclif.manifest.json', {force: true}) // oclif would read the old one back instead of the commands
const config = await Config.load({root: process.cwd()})
const manifest = config.getPluginsList().find((p) => p.root === config.root)?.manifest
if (!manifest || Object.keys(manifest.commands).length === 0) throw new Error('no commands found: build first')
writeFileSync('oclif.manifest.json', `${JSON.stringify(manifest, null, 2)}\n`)
console.log(`oclif.manifest.json: ${Object.keys(manifest.commands).length} commands`)
