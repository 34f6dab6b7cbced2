// The model families. A model_type is found here: its builder, its key table, or (a multimodal wrapper) the text
// model_type inside it. Adding a model_type means adding it to its family's file (or a new family to this list).
import type {Importer, KeyTable} from '../family.js'
import {alibi} from './alibi.js'
import {bigcode} from './bigcode.js'
import {cohere} from './cohere.js'
import {deepseek} from './deepseek.js'
import {eleuther} from './eleuther.js'
import {falcon} from './falcon.js'
import {gemma} from './gemma.js'
import {glm} from './glm.js'
import {gpt2} from './gpt2.js'
import {gptOss} from './gpt-oss.js'
import {kimi} from './kimi.js'
import {llama} from './llama.js'
import {llama4} from './llama4.js'
import {minimax} from './minimax.js'
import {mistral} from './mistral.js'
import {olmo} from './olmo.js'
import {opt} from './opt.js'
import {phi1} from './phi1.js'
import {qwen} from './qwen.js'
import {smollm3} from './smollm3.js'
import {stablelm} from './stablelm.js'

export const families = [llama, llama4, mistral, qwen, olmo, smollm3, gemma, gptOss, deepseek, kimi, glm, minimax, gpt2]
// The pre-Llama LayerNorm decoders and their descendants (issue #15).
families.push(eleuther, opt, alibi, falcon, bigcode, phi1, stablelm, cohere)

const types = families.flatMap((family) => Object.entries(family))

/** Builders by model_type. */
// Without a prototype, so that a model_type such as "toString" is simply not supported.
const table = <T>(entries: [string, T][]): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(entries))

export const importers: Record<string, Importer> = table(types.flatMap(([type, t]) => ('build' in t ? [[type, t.build]] : [])))

/** Multimodal wrappers whose language model lives in text_config, with the text model_type when text_config names none. */
export const wrapperTextTypes: Record<string, string> = table(types.flatMap(([type, t]) => ('textType' in t ? [[type, t.textType]] : [])))

/** Key tables by model_type. */
export const keyTables: Record<string, KeyTable> = table(types.map(([type, t]) => [type, t.keys]))
