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
