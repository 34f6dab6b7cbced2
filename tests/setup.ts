// Tests parse preset and config files directly, so the zod-backed validator is loaded up front.
import {loadValidator} from '../src/presets/load.js'

await loadValidator()
