// Durations as latency targets are typed: a number and its unit, in seconds.
import {describe, expect, it} from 'vitest'
import {UserError} from '../../src/errors.js'
import {parseDuration} from '../../src/flags/quantity.js'

describe('parseDuration', () => {
  it.each([
    ['2s', 2],
    ['50ms', 0.05],
    ['0.1ms', 0.0001],
    ['.5s', 0.5],
    ['500us', 0.0005],
    ['500µs', 0.0005],
    ['1.5min', 90],
    [' 20 MS ', 0.02],
  ])('%s is %f seconds', (text, seconds) => {
    expect(parseDuration(text, 'ttft')).toBeCloseTo(seconds, 12)
  })

  it('refuses a bare number: seconds or milliseconds?', () => {
    expect(() => parseDuration('50', 'tpot')).toThrow(UserError)
    expect(() => parseDuration('50', 'tpot')).toThrow('--tpot "50" needs a unit; use e.g. 2s, 500ms, 50ms or 200us')
  })

  it.each(['abc', '-1s', '1h', '2 s s', '', '1e3ms'])('refuses %j', (text) => {
    expect(() => parseDuration(text, 'ttft')).toThrow(/--ttft ".*" (is not a duration|needs a unit)/)
  })

  it('refuses zero', () => {
    expect(() => parseDuration('0ms', 'ttft')).toThrow('--ttft must be a duration above zero, got "0ms"')
  })
})
