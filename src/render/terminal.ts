// Where output goes: colour level and width, decided once per run by the command from flags, environment and TTY.
import type {ChalkInstance} from 'chalk'
export interface TerminalSettings {
  /** 0 = no colour; 1-3 = chalk levels (16, 256, truecolor). */
  colorLevel: 0 | 1 | 2 | 3
  /** Columns available, or null when output is not a terminal (then tables are never cut). */
  width: number | null
}

export const terminal: TerminalSettings = {colorLevel: 0, width: null}

/**
 * --no-color, then NO_COLOR (no-color.org: any non-empty value), then FORCE_COLOR (0/false off, 1-3 a level,
 * empty or true = 1), then colour only when stdout is a terminal.
 */
export function detectTerminal(argv: string[], env: NodeJS.ProcessEnv, stdout: {isTTY?: boolean; columns?: number}): TerminalSettings {
  const width = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : stdout.isTTY && stdout.columns ? stdout.columns : null
  if (argv.includes('--no-color') || (env.NO_COLOR ?? '') !== '') return {colorLevel: 0, width}
  const force = env.FORCE_COLOR
  if (force !== undefined) {
    if (force === '0' || force === 'false') return {colorLevel: 0, width}
    const level = Number(force)
    return {colorLevel: level === 2 || level === 3 ? level : 1, width}
  }
  return {colorLevel: stdout.isTTY ? 1 : 0, width}
}

/** chalk is loaded only when colour is on (loadColour), which keeps plain and piped runs from importing it. */
let ChalkClass: (new (options: {level: 0 | 1 | 2 | 3}) => ChalkInstance) | null = null

export async function loadColour(): Promise<void> {
  ChalkClass ??= (await import('chalk')).Chalk
}

/** A chalk instance at this level, or null for plain text (level 0, or chalk not loaded). */
export function colourFor(level: TerminalSettings['colorLevel']): ChalkInstance | null {
  return level > 0 && ChalkClass ? new ChalkClass({level}) : null
}
