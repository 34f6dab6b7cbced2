// --over and --points as people type them, and every bad form naming the flag and a fix.
import {describe, expect, it} from 'vitest'
import {UserError} from '../../src/errors.js'
import {geometricPoints, parsePoints, parseSweepRange} from '../../src/flags/range.js'

describe('ranges', () => {
  it('context=1k..1M: both ends powers of two, so every power of two (11 points)', () => {
    const r = parseSweepRange('context=1k..1M')
    expect(r).toEqual({name: 'context', values: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].map((k) => k * 1024), geometric: true})
  })
  it('batch=1..64 and devices=1..8: powers of two, plain integers', () => {
    expect(parseSweepRange('batch=1..64').values).toEqual([1, 2, 4, 8, 16, 32, 64])
    expect(parseSweepRange('devices=1..8').values).toEqual([1, 2, 4, 8])
  })
  it('--points N: N geometric points a * (b/a)^(i/(N-1)), rounded to whole tokens', () => {
    // 1024 * 1024^(i/4): 1024, 1024 * 5.657 = 5793, 32768, 1024 * 181.02 = 185364, 1048576
    expect(parseSweepRange('context=1k..1M', 5).values).toEqual([1024, 5793, 32768, 185364, 1048576])
  })
  it('ends that are not both powers of two: 12 geometric points, the ends exact', () => {
    const values = parseSweepRange('context=1000..100000').values
    expect(values).toHaveLength(12)
    expect(values[0]).toBe(1000)
    expect(values[11]).toBe(100000)
    expect(values[1]).toBe(Math.round(1000 * 100 ** (1 / 11))) // 1520
    for (let i = 1; i < values.length; i++) expect(values[i]! / values[i - 1]!).toBeCloseTo(100 ** (1 / 11), 2)
  })
  it('integers too close for 12 distinct points: duplicates dropped', () => {
    expect(geometricPoints(1, 10)).toEqual([1, 2, 3, 4, 5, 7, 8, 10])
  })
  it('lists: sorted, duplicates dropped; geometric (log x) when they span 16x or more', () => {
    expect(parseSweepRange('context=32k,1k,8k,8k')).toEqual({name: 'context', values: [1024, 8192, 32768], geometric: true})
    expect(parseSweepRange('batch=1,2,3,4')).toEqual({name: 'batch', values: [1, 2, 3, 4], geometric: false})
    expect(parseSweepRange(' Context = 4096 , 128k ').values).toEqual([4096, 131072])
  })
  it('--points accepts 2 to 1000', () => {
    expect(parsePoints('2')).toBe(2)
    expect(parsePoints('1000')).toBe(1000)
  })
})

describe('bad ranges: a UserError naming --over (or --points) and a form that works', () => {
  it.each([
    ['1k..1M', /--over "1k..1M" names no axis; write axis=range, e.g. context=1k..1M/],
    ['tokens=1k..1M', /unknown axis "tokens"; use one of context, batch, devices/],
    ['context=', /gives no values/],
    ['context=1M..1k', /runs downwards; put the smaller end first \(context=1k..1M\)/],
    ['context=8k..8k', /both ends are 8192; a sweep needs two different ends/],
    ['context=1k..2k..4k', /a range has two ends/],
    ['context=1k..', /an empty value/],
    ['context=1k..lots', /--over context "lots" is not a token count; use an integer or a k\/M suffix/],
    ['context=0..1k', /--over context must be a positive whole number of tokens/],
    ['batch=1.5..8', /--over batch must be a positive integer, got "1.5"/],
    ['devices=0,8', /--over devices must be a positive integer/],
    ['context=1k..8k,32k', /use either a range a..b or a list a,b,c/],
    ['context=8k', /a sweep needs at least two different values/],
    ['batch=4,4', /a sweep needs at least two different values/],
  ])('%s', (text, message) => {
    expect(() => parseSweepRange(text)).toThrow(UserError)
    expect(() => parseSweepRange(text)).toThrow(message)
  })
  it('--points with a list', () => {
    expect(() => parseSweepRange('context=1k,8k', 5)).toThrow(/--points applies to a range a..b/)
  })
  it.each(['1', '0', '1001', 'many', '-3'])('--points %s', (text) => {
    expect(() => parsePoints(text)).toThrow(UserError)
    expect(() => parsePoints(text)).toThrow(/--points/)
  })
})
