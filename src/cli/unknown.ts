// The one line for a command archcost does not have, with the nearest ones.
import {closestMatches} from '../presets/closest.js'
import {printable} from '../text.js'
import {commandIds} from './registry.js'

export function unknownCommand(id: string): string {
  const close = closestMatches(id, commandIds, 2)
  return `archcost: unknown command "${printable(id)}"${close.length ? `; did you mean ${close.map((c) => `\`archcost ${c}\``).join(' or ')}?` : ''} (run \`archcost --help\` for the list)`
}
