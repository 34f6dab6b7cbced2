// The model families. A model_type is found here: its builder, its key table, or (a multimodal wrapper) the text
// model_type inside it. Adding a model_type means adding it to its family's file (or a new family to this list).
import type {Importer, KeyTable} from '../family.js'
import {alibi} from './alibi.js'
import {apertus} from './apertus.js'
import {arcee} from './arcee.js'
import {baichuan} from './baichuan.js'
import {bailing} from './bailing.js'
import {bigcode} from './bigcode.js'
import {cohere} from './cohere.js'
import {dbrx} from './dbrx.js'
import {deci} from './deci.js'
import {deepseek} from './deepseek.js'
import {deepseekV4} from './deepseek-v4.js'
import {dots} from './dots.js'
import {eleuther} from './eleuther.js'
import {ernieMoe} from './ernie-moe.js'
import {ernie} from './ernie.js'
import {exaone} from './exaone.js'
import {falconH1} from './falcon-h1.js'
import {falcon} from './falcon.js'
import {gemma} from './gemma.js'
import {glmDense} from './glm-dense.js'
import {glm} from './glm.js'
import {gptOss} from './gpt-oss.js'
import {gpt2} from './gpt2.js'
import {graniteHybrid} from './granite-hybrid.js'
import {graniteMoe} from './granite-moe.js'
import {granite} from './granite.js'
import {hunyuan} from './hunyuan.js'
import {internlm} from './internlm.js'
import {jamba} from './jamba.js'
import {kimi} from './kimi.js'
import {lfm2} from './lfm2.js'
import {llama} from './llama.js'
import {llama4} from './llama4.js'
import {mamba} from './mamba.js'
import {minicpm} from './minicpm.js'
import {mimo} from './mimo.js'
import {minimax} from './minimax.js'
import {mistral} from './mistral.js'
import {nemotronH} from './nemotron-h.js'
import {nemotron} from './nemotron.js'
import {olmo} from './olmo.js'
import {olmoe} from './olmoe.js'
import {opt} from './opt.js'
import {phi1} from './phi1.js'
import {phi3} from './phi3.js'
import {phimoe} from './phimoe.js'
import {qwenVl} from './qwen-vl.js'
import {qwen} from './qwen.js'
import {seedOss} from './seed-oss.js'
import {smollm3} from './smollm3.js'
import {stablelm} from './stablelm.js'
import {step} from './step.js'
import {zamba2} from './zamba2.js'

export const families = [
  // Llama-shaped dense decoders
  llama, mistral, qwen, olmo, smollm3, gemma, glmDense, phi3, internlm, baichuan, exaone, minicpm, granite, nemotron, ernie, seedOss, apertus, arcee,
  // Llama decoders whose layers differ one by one (Nemotron-NAS)
  deci,
  // LayerNorm-era decoders: GPT-2, GPT-NeoX, GPT-J, OPT, BLOOM, MPT, Falcon, StarCoder, Phi-1/2, StableLM, Command R
  gpt2, eleuther, opt, alibi, falcon, bigcode, phi1, stablelm, cohere,
  // Mixture of experts
  llama4, gptOss, deepseek, deepseekV4, kimi, glm, minimax, mimo, olmoe, phimoe, dbrx, graniteMoe, ernieMoe, dots, bailing, hunyuan, step,
  // State-space and convolution hybrids
  mamba, jamba, nemotronH, graniteHybrid, lfm2, falconH1, zamba2,
  // Multimodal wrappers of their own
  qwenVl,
]

const types = families.flatMap((family) => Object.entries(family))

/** Builders by model_type. */
// Without a prototype, so that a model_type such as "toString" is simply not supported.
const table = <T>(entries: [string, T][]): Record<string, T> => Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(entries))

export const importers: Record<string, Importer> = table(types.flatMap(([type, t]) => ('build' in t ? [[type, t.build]] : [])))

/** Multimodal wrappers whose language model lives in text_config, with the text model_type when text_config names none. */
export const wrapperTextTypes: Record<string, string> = table(types.flatMap(([type, t]) => ('textType' in t ? [[type, t.textType]] : [])))

/** Key tables by model_type. */
export const keyTables: Record<string, KeyTable> = table(types.map(([type, t]) => [type, t.keys]))
