// Runs the built CLI (bin/run.js -> dist/) as a user would; `npm test` builds first.
import {spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  const result = spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...env}})
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}
