// The one width function and the one wrap function: expectations worked out by hand from the Unicode data
// (East Asian Width W/F = 2 columns, emoji sequences = 2, combining marks and joiners = 0).
import {describe, expect, it} from 'vitest'
import {displayWidth, wrap, wrapItems} from '../../src/render/width.js'

const red = (text: string) => `\u001b[31m${text}\u001b[39m`
const redBold = (text: string) => `\u001b[31m\u001b[1m${text}\u001b[22m\u001b[39m`

describe('displayWidth', () => {
  it('CJK and fullwidth characters take two columns', () => {
    expect(displayWidth('通义千问')).toBe(8) // four ideographs, East Asian Wide
    expect(displayWidth('通义千问-8b')).toBe(11)
    expect(displayWidth('ＡＢ')).toBe(4) // fullwidth forms
    expect(displayWidth('한국어')).toBe(6) // precomposed Hangul syllables
    expect(displayWidth('\u1112\u1161\u11ab')).toBe(2) // the same 한 as three jamo: the vowel and final join the leading consonant
  })
  it('emoji take two columns however they are built', () => {
    expect(displayWidth('👩\u200d💻')).toBe(2) // woman + ZWJ + laptop: one glyph
    expect(displayWidth('👨\u200d👩\u200d👧\u200d👦')).toBe(2) // family: four people, three joiners
    expect(displayWidth('🇯🇵')).toBe(2) // a flag is two regional indicators
    expect(displayWidth('👍🏽')).toBe(2) // skin-tone modifier joins its base
    expect(displayWidth('❤\ufe0f')).toBe(2) // variation selector 16 makes the text heart an emoji
    expect(displayWidth('❤')).toBe(1) // without it, a narrow text symbol
    expect(displayWidth('1\ufe0f\u20e3')).toBe(2) // keycap
    expect(displayWidth('a👩\u200d💻b')).toBe(4)
  })
  it('combining marks, joiners and variation selectors take none', () => {
    expect(displayWidth('e\u0301')).toBe(1) // e + combining acute
    expect(displayWidth('cafe\u0301')).toBe(4)
    expect(displayWidth('a\u200bb')).toBe(2) // zero-width space
    expect(displayWidth('\ufe0f')).toBe(0)
  })
  it('escape codes take none', () => {
    expect(displayWidth(red('通义'))).toBe(4)
    expect(displayWidth('\u001b[32m10.0 ms\u001b[39m')).toBe(7)
    expect(displayWidth('\u001b]8;;https://example.com\u0007link\u001b]8;;\u0007')).toBe(4) // an OSC 8 hyperlink
  })
})

describe('wrap', () => {
  it('greedy at spaces; a word longer than the line is split, losing nothing', () => {
    expect(wrap('671B published; computed 671.03B', 12)).toEqual(['671B', 'published;', 'computed', '671.03B'])
    expect(wrap('https://github.com/deepseek-ai', 12)).toEqual(['https://gith', 'ub.com/deeps', 'eek-ai'])
  })
  it('by display width, never cutting a wide character or a cluster in half', () => {
    expect(wrap('通义千问', 5)).toEqual(['通义', '千问']) // 4 + 4 columns: a third ideograph would make 6
    expect(wrap('a通义千', 4)).toEqual(['a通', '义千']) // 3, then 4
    expect(wrap('👩\u200d💻👩\u200d💻👩\u200d💻', 4)).toEqual(['👩\u200d💻👩\u200d💻', '👩\u200d💻'])
    expect(wrap('cafe\u0301 cafe\u0301', 4)).toEqual(['cafe\u0301', 'cafe\u0301'])
    expect(wrap('e\u0301e\u0301e\u0301', 2)).toEqual(['e\u0301e\u0301', 'e\u0301']) // the mark stays with its e
  })
  it('a coloured text keeps its colour on every line: closed at each line end, reopened on the next', () => {
    expect(wrap(red('one two three'), 5)).toEqual([red('one'), red('two'), red('three')])
    expect(wrap(redBold('DOES NOT FIT'), 4)).toEqual([redBold('DOES'), redBold('NOT'), redBold('FIT')])
    // colour starting mid-line: only the coloured part is reopened
    expect(wrap(`ok ${red('bad one')}`, 6)).toEqual([`ok \u001b[31mbad\u001b[39m`, red('one')])
  })
  it('a newline is a hard break (an empty line stays); colour carries across it', () => {
    expect(wrap('a\n\nb c', 10)).toEqual(['a', '', 'b c'])
    expect(wrap(red('one\ntwo'), 10)).toEqual([red('one'), red('two')])
    expect(wrap('line one\nline two', Infinity)).toEqual(['line one', 'line two'])
  })
  it('a hanging indent counts toward the width', () => {
    expect(wrap('note: one two three four', 14, {indent: '      '})).toEqual(['note: one two', '      three', '      four'])
  })
  it('text that fits comes back as it is', () => {
    expect(wrap('  two  spaces ', 20)).toEqual(['  two  spaces '])
  })
})

describe('wrapItems', () => {
  it('breaks only between items', () => {
    const legend = {firstIndent: '  ', indent: '  ', gap: '   '}
    // "  A one   B two" is 15 columns; "   C three" would make 25
    expect(wrapItems(['A one', 'B two', 'C three'], 16, legend)).toEqual(['  A one   B two', '  C three'])
    expect(wrapItems([], 16, legend)).toEqual([])
  })
  it('an item longer than a line gets lines of its own, wrapped at its spaces', () => {
    expect(wrapItems(['A a', 'lower case: past the maximum', 'B b'], 16, {firstIndent: '  ', indent: '  ', gap: '   '})).toEqual(['  A a', '  lower case:', '  past the', '  maximum', '  B b'])
  })
})
