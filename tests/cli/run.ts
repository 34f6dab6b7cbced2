// Runs the built CLI (bin/run.js -> dist/) as a user would; `npm test` builds first.
import {spawn, spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {expect} from 'vitest'

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): RunResult {
  // A hang fails the test instead of blocking the run.
  const result = spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...env}, timeout: 60_000})
  return {code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** As runCli, without blocking the event loop: for tests that serve something to the CLI from this process. */
export function runCliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [bin, ...args], {env: {...process.env, NO_COLOR: '1', ...env}})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('close', (code) => resolvePromise({code: code ?? -1, stdout, stderr}))
  })
}

/** Bad input: exit 2, nothing on stdout, one line on stderr matching `message`. */
export function expectOneLineRefusal(r: RunResult, message: RegExp): void {
  expect(r.code).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr.trim().split('\n')).toHaveLength(1)
  expect(r.stderr).toMatch(message)
}
