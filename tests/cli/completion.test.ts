// Shell completion: bash and zsh through oclif's autocomplete plugin, fish from our own generator. Where the
// shell is installed (.ci/run installs fish and zsh when it can) the script is loaded into it and asked.
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {tempDir} from '../checkpoint/writers.js'
import {runCli} from './run.js'

const tmp = tempDir()
afterAll(() => tmp.remove())
const env = {HOME: tmp.dir, XDG_CACHE_HOME: join(tmp.dir, 'cache')}
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0

describe('bash and zsh (oclif autocomplete plugin)', () => {
  it.each(['bash', 'zsh'])('%s: the plugin writes a script naming every command and each command’s flags', (shell) => {
    const r = runCli(['autocomplete', shell], env)
    expect(r.code, r.stderr).toBe(0)
    const file = join(tmp.dir, 'cache', 'archcost', 'autocomplete', 'functions', shell, shell === 'bash' ? 'archcost.bash' : '_archcost')
    const script = readFileSync(file, 'utf8')
    for (const id of ['check', 'compare', 'completion', 'explain', 'fit', 'kv', 'sweep', 'verify']) expect(script).toContain(id)
    for (const flag of ['--hardware', '--context', '--engine', '--over']) expect(script).toContain(flag)
  })
  it.skipIf(!has('bash'))('bash: the script parses (bash -n)', () => {
    runCli(['autocomplete', 'bash'], env)
    expect(spawnSync('bash', ['-n', join(tmp.dir, 'cache', 'archcost', 'autocomplete', 'functions', 'bash', 'archcost.bash')]).status).toBe(0)
  })
  it.skipIf(!has('zsh'))('zsh: the script parses (zsh -n)', () => {
    runCli(['autocomplete', 'zsh'], env)
    expect(spawnSync('zsh', ['-n', join(tmp.dir, 'cache', 'archcost', 'autocomplete', 'functions', 'zsh', '_archcost')]).status).toBe(0)
  })
})

describe('fish (archcost completion fish)', () => {
  const r = runCli(['completion', 'fish'])
  const script = join(tmp.dir, 'archcost.fish')
  writeFileSync(script, r.stdout)
  const complete = (line: string) => spawnSync('fish', ['-c', `source ${script}; complete -C ${JSON.stringify(line)}`], {encoding: 'utf8'}).stdout.split('\n').map((l) => l.split('\t')[0]!).filter(Boolean)

  it('prints a script with every command, its flags and their options', () => {
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/-n __fish_use_subcommand -a fit -d 'Fewest devices/)
    expect(r.stdout).toMatch(/'__fish_seen_subcommand_from kv' -l engine -x -a 'vllm sglang tensorrt-llm llama.cpp transformers'/)
  })
  it.skipIf(!has('fish'))('completes commands, flags, option values, hardware and preset ids in fish', () => {
    expect(complete('archcost fi')).toEqual(['fit'])
    expect(complete('archcost kv --eng')).toEqual(['--engine'])
    expect(complete('archcost kv --engine ')).toEqual(['llama.cpp', 'sglang', 'tensorrt-llm', 'transformers', 'vllm'])
    expect(complete('archcost fit qwen3-8b --hardware h20')).toEqual(['h20', 'h200'])
    expect(complete('archcost show deepseek-v')).toEqual(['deepseek-v3', 'deepseek-v4-flash', 'deepseek-v4-pro'])
  })
  it.skipIf(has('fish'))('completes in fish (skipped: fish is not installed; .ci/run installs it when it can)', () => {})
})
