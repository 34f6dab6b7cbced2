// --hardware text -> hardware profiles with an optional device count ("8xh100", "h100,h200").
import type {HardwareChoice} from '../calc/deployment.js'
import {UserError} from '../errors.js'
import {loadHardware} from '../presets/load.js'
import {parsePositiveInteger} from './quantity.js'

export function parseHardwareFlag(text: string, flag = 'hardware'): HardwareChoice[] {
  return text.split(',').map((part) => {
    const match = /^\s*(?:(\d+)\s*[x×]\s*)?([A-Za-z0-9._\/\-]+)\s*$/.exec(part)
    if (!match) throw new UserError(`--${flag} "${part}" is not a hardware id; use e.g. h100, 8xh100 or h100,h200`)
    const devices = match[1] === undefined ? null : parsePositiveInteger(match[1], flag)
    const id = match[2]!
    return {hardware: loadHardware(id.includes('/') || id.endsWith('.json') ? id : id.toLowerCase()), devices}
  })
}

/** At most one hardware entry, for the commands that cost one deployment. */
export function parseOneHardware(text: string | undefined, why: string, flag = 'hardware'): HardwareChoice | null {
  if (text === undefined) return null
  const choices = parseHardwareFlag(text, flag)
  if (choices.length > 1) throw new UserError(`--${flag} takes one profile ${why}`)
  return choices[0]!
}
