// The one display-width function and the one wrap function, for tables, the terminal chart and notes.
//
// Width is what a terminal gives the text: escape codes take no room; East Asian Wide and Fullwidth characters
// (CJK, fullwidth forms) and emoji take two columns, however they are built (ZWJ sequences, flags, keycaps, skin
// tones, a text symbol made emoji by variation selector 16); combining marks, joiners, variation selectors and
// other format and control characters take none. The East Asian Width table is get-east-asian-width's (the one
// string-width uses); the grapheme rules are the few above, written here with Unicode property escapes: string-width
// itself segments with Intl.Segmenter and matches the RGI_Emoji set, which cost about 11 ms at import and 18 ms
// more on the first text that is not ASCII (measured, Node 20), against about 5 ms for this file and its table.
import {eastAsianWidth} from 'get-east-asian-width'

/** CSI sequences (colours and the rest) and OSC sequences (hyperlinks, titles). */
const ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g
const PRINTABLE_ASCII = /^[\u0020-\u007e]*$/

/** The text without escape codes. */
export const stripAnsi = (text: string) => (text.includes('\u001b') ? text.replace(ESCAPE, '') : text)

/** Unicode property tests, built on the first text that is not plain ASCII (building them costs about a millisecond). */
let unicode: {zeroWidth: RegExp; spacingMark: RegExp; pictographic: RegExp; emojiPresentation: RegExp; modifier: RegExp; modifierBase: RegExp} | null = null
const properties = () =>
  (unicode ??= {
    zeroWidth: /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}\p{Zl}\p{Zp}]$/u,
    spacingMark: /^\p{Mc}$/u,
    pictographic: /^\p{Extended_Pictographic}$/u,
    emojiPresentation: /^\p{Emoji_Presentation}$/u,
    modifier: /^\p{Emoji_Modifier}$/u,
    modifierBase: /^\p{Emoji_Modifier_Base}$/u,
  })
const KEYCAP_BASE = /^[0-9#*]$/
const isRegional = (cp: number) => cp >= 0x1f1e6 && cp <= 0x1f1ff
/** Hangul medial vowels and final consonants: they join the leading consonant's two columns. */
const isHangulJoining = (cp: number) => (cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff)

/** One user-perceived character (a base and what joins it) and the columns it takes. */
export interface Cluster {
  text: string
  width: number
}

function baseWidth(ch: string, cp: number): number {
  const p = properties()
  if (p.zeroWidth.test(ch) || isHangulJoining(cp)) return 0
  if (p.emojiPresentation.test(ch)) return 2
  return eastAsianWidth(cp)
}

/** Splits plain text (no escape codes) into clusters with their widths. */
export function clusters(text: string): Cluster[] {
  if (PRINTABLE_ASCII.test(text)) return Array.from(text, (ch) => ({text: ch, width: 1}))
  const {zeroWidth, spacingMark, pictographic, modifier, modifierBase} = properties()
  const out: Cluster[] = []
  let current = ''
  let width = 0
  let base = ''
  let joiner = false
  let regional = 0
  const flush = () => {
    if (current) out.push({text: current, width})
  }
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (current) {
      const pictographicBase = pictographic.test(base)
      if (joiner && pictographic.test(ch) && pictographicBase) {
        current += ch
        joiner = false
        width = 2
        continue
      }
      joiner = false
      if (cp === 0x200d) {
        current += ch
        joiner = true
        continue
      }
      if (cp === 0xfe0f) {
        current += ch
        if (pictographicBase || KEYCAP_BASE.test(base)) width = 2
        continue
      }
      if (cp === 0x20e3) {
        current += ch
        if (KEYCAP_BASE.test(base)) width = 2
        continue
      }
      if (modifier.test(ch) && modifierBase.test(base)) {
        current += ch
        width = 2
        continue
      }
      if (isRegional(cp) && regional === 1) {
        current += ch
        regional = 2
        width = 2
        continue
      }
      if (zeroWidth.test(ch) || isHangulJoining(cp)) {
        current += ch
        continue
      }
      if (spacingMark.test(ch)) {
        current += ch
        width += eastAsianWidth(cp)
        continue
      }
    }
    flush()
    current = ch
    base = ch
    width = baseWidth(ch, cp)
    regional = isRegional(cp) ? 1 : 0
  }
  flush()
  return out
}

/** Columns the text takes in a terminal (one line: a newline takes none). */
export function displayWidth(text: string): number {
  const plain = stripAnsi(text)
  if (PRINTABLE_ASCII.test(plain)) return plain.length
  let width = 0
  for (const c of clusters(plain)) width += c.width
  return width
}

/** Columns of the widest cluster (0 for no text): how narrow a column holding the text can be. */
export function widestCluster(text: string): number {
  const plain = stripAnsi(text)
  if (PRINTABLE_ASCII.test(plain)) return plain ? 1 : 0
  return Math.max(0, ...clusters(plain).map((c) => c.width))
}

/** Pads with spaces to `width` columns (never cuts). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'right' ? fill + text : text + fill
}

// ---------------------------------------------------------------------------------------------- colour state

/** SGR attributes: the parameter that opens each, and the one that closes it. */
const CLOSE: Record<string, string> = {bold: '22', dim: '22', italic: '23', underline: '24', blink: '25', inverse: '27', hidden: '28', strike: '29', overline: '55', fg: '39', bg: '49'}

/** The SGR attributes in force after the escape codes seen so far, to close at a line's end and reopen on the next. */
class SgrState {
  private open = new Map<string, string>()

  apply(sequence: string): void {
    if (!sequence.startsWith('\u001b[') || !sequence.endsWith('m')) return
    const params = sequence.slice(2, -1).split(/[;:]/)
    for (let i = 0; i < params.length; i++) {
      const code = params[i] === '' ? 0 : Number(params[i])
      const set = (name: string, value: string) => {
        this.open.delete(name)
        this.open.set(name, value)
      }
      if (code === 0) this.open.clear()
      else if (code === 1) set('bold', '1')
      else if (code === 2) set('dim', '2')
      else if (code === 3) set('italic', '3')
      else if (code === 4 || code === 21) set('underline', String(code))
      else if (code === 5 || code === 6) set('blink', String(code))
      else if (code === 7) set('inverse', '7')
      else if (code === 8) set('hidden', '8')
      else if (code === 9) set('strike', '9')
      else if (code === 53) set('overline', '53')
      else if (code === 22) {
        this.open.delete('bold')
        this.open.delete('dim')
      } else if (code === 39) this.open.delete('fg')
      else if (code === 49) this.open.delete('bg')
      else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) set('fg', String(code))
      else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) set('bg', String(code))
      else if (code === 38 || code === 48) {
        const take = params[i + 1] === '5' ? 2 : params[i + 1] === '2' ? 4 : 0
        set(code === 38 ? 'fg' : 'bg', params.slice(i, i + 1 + take).join(';'))
        i += take
      } else {
        const closer = Object.entries(CLOSE).find(([, c]) => c === String(code))
        if (closer) this.open.delete(closer[0])
      }
    }
  }

  /** Escape codes that turn the attributes in force back on. */
  reopen(): string {
    return [...this.open.values()].map((p) => `\u001b[${p}m`).join('')
  }

  /** Escape codes that turn them off, last opened first. */
  close(): string {
    return [...new Set([...this.open.keys()].reverse().map((name) => CLOSE[name]!))].map((c) => `\u001b[${c}m`).join('')
  }
}

// ---------------------------------------------------------------------------------------------- wrapping

type Token = {kind: 'escape'; text: string} | {kind: 'char'; text: string; width: number}
/** A word, the spaces between words, a newline in the text, or the end of a line that the next piece may not share. */
type Piece = {kind: 'word'; tokens: Token[]; width: number} | {kind: 'space'; text: string} | {kind: 'break'} | {kind: 'end'}

const ESCAPE_AT = new RegExp(ESCAPE.source, 'y')

/** Escape codes and clusters, in order; `spaces` and newlines as their own pieces unless `unbroken`. */
function pieces(text: string, unbroken: boolean): Piece[] {
  const out: Piece[] = []
  let word: Token[] = []
  let width = 0
  const endWord = () => {
    if (word.length) out.push({kind: 'word', tokens: word, width})
    word = []
    width = 0
  }
  let plain = ''
  const flushPlain = () => {
    for (const c of clusters(plain)) {
      if (!unbroken && c.text === ' ') {
        endWord()
        const last = out[out.length - 1]
        if (last?.kind === 'space') last.text += ' '
        else out.push({kind: 'space', text: ' '})
      } else if (!unbroken && c.text === '\n') {
        endWord()
        out.push({kind: 'break'})
      } else {
        word.push({kind: 'char', text: c.text, width: c.width})
        width += c.width
      }
    }
    plain = ''
  }
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\u001b') {
      ESCAPE_AT.lastIndex = i
      const m = ESCAPE_AT.exec(text)
      if (m) {
        flushPlain()
        word.push({kind: 'escape', text: m[0]})
        i += m[0].length
        continue
      }
    }
    if (text[i] === '\n' || text[i] === ' ') {
      // a newline or space never joins a cluster: split here so that a mark after it stays its own
      flushPlain()
      plain = text[i]!
      flushPlain()
      i++
      continue
    }
    plain += text[i]
    i++
  }
  flushPlain()
  endWord()
  return out
}

export interface WrapOptions {
  /** Put before every line after the first: a hanging indent. Its width counts. */
  indent?: string
  /** Put before the first line. */
  firstIndent?: string
}

/** Lays pieces out greedily in lines of at most `width` columns. */
function layout(input: Piece[], width: number, options: WrapOptions): string[] {
  const indent = options.indent ?? ''
  const indentWidth = displayWidth(indent)
  const lines: string[] = []
  const state = new SgrState()
  let line = options.firstIndent ?? ''
  let used = displayWidth(line)
  let content = false // something visible is on this line
  let hardStart = true // the line starts the text or follows a newline: leading spaces are kept
  let space = ''
  const newLine = (hard: boolean) => {
    lines.push(line + state.close())
    line = indent + state.reopen()
    used = indentWidth
    content = false
    hardStart = hard
    space = ''
  }
  const put = (token: Token) => {
    line += token.text
    if (token.kind === 'escape') state.apply(token.text)
    else {
      used += token.width
      content = true
    }
  }
  for (const piece of input) {
    if (piece.kind === 'break') newLine(true)
    else if (piece.kind === 'end') {
      if (content) newLine(false)
    }
    else if (piece.kind === 'space') {
      if (content || hardStart) space += piece.text
    } else if (piece.width === 0) piece.tokens.forEach(put)
    else {
      const spaceWidth = displayWidth(space)
      if (used + spaceWidth + piece.width <= width) {
        line += space
        used += spaceWidth
        space = ''
        piece.tokens.forEach(put)
        continue
      }
      if (piece.width <= width - indentWidth || used + spaceWidth >= width) {
        if (content) newLine(false)
      } else {
        // Longer than any line: it starts here, after the space, and fills the lines it needs.
        line += space
        used += spaceWidth
      }
      space = ''
      if (used + piece.width <= width) {
        piece.tokens.forEach(put)
        continue
      }
      // Split between clusters, never inside one.
      for (const token of piece.tokens) {
        if (token.kind === 'char' && content && used + token.width > width) newLine(false)
        put(token)
      }
    }
  }
  lines.push(line)
  return lines
}

/**
 * Greedy word wrap by display width. Words longer than a line are split between characters (never inside a
 * wide character or a cluster); a newline in the text is a hard break; colours are closed at the end of each
 * line and reopened on the next, so a coloured text keeps its colour on every line. Spaces at a break are
 * dropped; `width` counts the indents. With an infinite width only newlines break.
 */
export function wrap(text: string, width: number, options: WrapOptions = {}): string[] {
  const first = options.firstIndent ?? ''
  if (!text.includes('\n') && displayWidth(first) + displayWidth(text) <= width) return [first + text]
  return layout(pieces(text, false), width, options)
}

/**
 * Wraps items that break only between each other (joined by `gap`), such as a chart's legend entries. An item
 * too long for a line has lines of its own, wrapped as text.
 */
export function wrapItems(items: string[], width: number, options: WrapOptions & {gap?: string} = {}): string[] {
  const gap = options.gap ?? ' '
  const room = width - Math.max(displayWidth(options.firstIndent ?? ''), displayWidth(options.indent ?? ''))
  const input: Piece[] = []
  items.forEach((item, i) => {
    if (i > 0) input.push({kind: 'space', text: gap})
    if (displayWidth(item) <= room) input.push(...pieces(item, true))
    else input.push({kind: 'end'}, ...pieces(item, false), {kind: 'end'})
  })
  if (input.length === 0) return []
  return layout(input, width, options)
}
