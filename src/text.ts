// Text that came from a file or an argument, made safe to print: control characters (C0 but tab and newline,
// DEL, C1) and the bidirectional overrides and isolates are shown as \xNN / \uNNNN escapes, so that a config, a
// preset name, GGUF metadata or a JSON error cannot move the cursor, retitle the terminal, ring the bell or
// reverse the text around it. One function for the error path, the renderers and the CI formats.

// C0 except \t and \n, DEL and C1; ALM, LRM, RLM; the bidi embeddings/overrides and isolates.
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const unsafeOrNewline = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

const escape = (c: string): string => {
  const code = c.charCodeAt(0)
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** The text with every unsafe character escaped; tabs and newlines kept unless `oneLine`. */
export function printable(text: string, oneLine = true): string {
  return text.replace(oneLine ? unsafeOrNewline : unsafe, escape)
}

/** JSON text with the characters JSON.stringify leaves raw (C1, bidi controls) written as \u escapes: still the same JSON. */
export const jsonSafe = (json: string): string => json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
