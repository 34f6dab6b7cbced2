// Tests parse preset and config files directly and render in colour, so what the CLI loads on demand
// (the zod-backed validator, chalk) is loaded up front.
import {loadValidator} from '../src/presets/load.js'
import {loadColour} from '../src/render/terminal.js'

await loadValidator()
await loadColour()
