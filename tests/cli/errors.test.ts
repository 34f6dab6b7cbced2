import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from './run.js'

const oneLine = (text: string) => text.trim().split('\n').length === 1

describe('bad input: one line, exit 2, no stack trace', () => {
  it('unknown id suggests the closest ids', () => {
    const r = runCli(['params', 'qwen3-8', '--json'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('unknown model "qwen3-8"')
    expect(r.stderr).toContain('"qwen3-8b"')
    expect(oneLine(r.stderr)).toBe(true)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('a malformed preset names the file, the JSON path and the expectation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archcost-'))
    const preset = JSON.parse(readFileSync('presets/models/qwen3-8b.json', 'utf8'))
    preset.attention.kvHeads = -8
    const file = join(dir, 'broken.json')
    writeFileSync(file, JSON.stringify(preset))
    const r = runCli(['params', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(file)
    expect(r.stderr).toContain('attention.kvHeads')
    expect(r.stderr).toMatch(/expected|must|Too small/i)
    expect(oneLine(r.stderr)).toBe(true)
  })

  it('an unknown key in a preset is rejected', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archcost-'))
    const preset = JSON.parse(readFileSync('presets/models/qwen3-8b.json', 'utf8'))
    preset.attention.kvheads = 8
    const file = join(dir, 'typo.json')
    writeFileSync(file, JSON.stringify(preset))
    const r = runCli(['show', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('kvheads')
  })

  it('truncated JSON is a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archcost-'))
    const file = join(dir, 'cut.json')
    writeFileSync(file, '{"id": "x", "layers": ')
    const r = runCli(['show', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('not valid JSON')
  })

  it('an unknown flag names the flag', () => {
    const r = runCli(['params', 'qwen3-8b', '--bogus'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--bogus')
    expect(oneLine(r.stderr)).toBe(true)
  })

  it('--debug shows the stack', () => {
    const r = runCli(['params', 'nope', '--debug'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/\n\s+at /)
  })
})

describe('command-line mistakes: one line, exit 2, the nearest right thing', () => {
  it.each([
    [['fitt', 'qwen3-8b'], /^archcost: unknown command "fitt"; did you mean `archcost fit`/],
    [['kv', 'qwen3-8b', '--context', '8k'], /^archcost: unknown flag --context; did you mean --contexts\?/],
    [['kv', 'qwen3-8b', '--batch', '2', '--batch', '4'], /^archcost: --batch is given 2 times; give it once/],
    [['kv', 'qwen3-8b', '--batch'], /^archcost: --batch needs a value/],
    // A negative number after a flag is its value (parseArgs would read a flag), so its own check names the mistake.
    [['train', 'llama-3.1-8b', '--gpus', '1xh100', '--lora-rank', '-4'], /^archcost: --lora-rank must be a positive integer, got "-4"/],
    [['memory', 'qwen3-8b', '-c', '-4k'], /^archcost: --context "-4k" is not a token count/],
    [['kv', 'qwen3-8b', '--batch', '--json'], /^archcost: --batch needs a value/],
    [['kv', 'qwen3-8b', '--json=yes'], /^archcost: --json takes no value/],
    [['show'], /^archcost: missing model \(preset id or preset file\)/],
    [['show', 'qwen3-8b', 'llama-3.1-8b'], /^archcost: unexpected argument: llama-3.1-8b/],
    [['kv', 'qwen3-8b', '--engine', 'tgi'], /^archcost: --engine "tgi" is not one of vllm, sglang, tensorrt-llm, llama.cpp, transformers/],
    [['compare', '--moe', '--dense'], /^archcost: --moe and --dense exclude each other/],
  ])('%j', (args, message) => {
    const r = runCli(args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(oneLine(r.stderr)).toBe(true)
    expect(r.stderr).toMatch(message)
  })

  it('`archcost help fit` is `archcost fit --help`', () => {
    const r = runCli(['help', 'fit'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(runCli(['fit', '--help']).stdout)
    expect(r.stdout).toMatch(/--hardware/)
  })
})
