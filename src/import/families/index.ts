// The model families. A model_type is found here: its builder, its key table, or (a multimodal wrapper) the text
// model_type inside it. Adding a model_type means adding it to its family's file (or a new family to this list).
import type {Importer, KeyTable} from '../family.js'
import {deepseek} from './deepseek.js'
import {falconH1} from './falcon-h1.js'
import {gemma} from './gemma.js'
import {glm} from './glm.js'
import {jamba} from './jamba.js'
import {gpt2} from './gpt2.js'
import {gptOss} from './gpt-oss.js'
import {graniteHybrid} from './granite-hybrid.js'
import {kimi} from './kimi.js'
import {lfm2} from './lfm2.js'
import {llama} from './llama.js'
import {llama4} from './llama4.js'
import {mamba} from './mamba.js'
import {minimax} from './minimax.js'
import {mistral} from './mistral.js'
import {nemotronH} from './nemotron-h.js'
import {olmo} from './olmo.js'
import {qwen} from './qwen.js'
import {smollm3} from './smollm3.js'

export const families = [llama, llama4, mistral, qwen, olmo, smollm3, gemma, gptOss, deepseek, kimi, glm, minimax, gpt2, mamba, jamba, nemotronH, graniteHybrid, lfm2, falconH1]

const types = families.flatMap((family) => Object.entries(family))

/** Builders by model_type. */
// Without a prototype, so that a model_type such as "toString" is simply not supported.
const table = <T>(entries: [string, T][]): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(entries))

export const importers: Record<string, Importer> = table(types.flatMap(([type, t]) => ('build' in t ? [[type, t.build]] : [])))

/** Multimodal wrappers whose language model lives in text_config, with the text model_type when text_config names none. */
export const wrapperTextTypes: Record<string, string> = table(types.flatMap(([type, t]) => ('textType' in t ? [[type, t.textType]] : [])))

/** Key tables by model_type. */
export const keyTables: Record<string, KeyTable> = table(types.map(([type, t]) => [type, t.keys]))
