// The formula registry: every formula archcost computes, each with its id, expression text, symbols, unit, source
// and the function the calculators call. calc evaluates the entries; explain shows them; mathjs checks them.
import {bytesPerElement, int4BitsPerElement} from './dtype.js'
import {deepseekV4Formulas} from './deepseek-v4.js'
import {flopsFormulas} from './flops.js'
import type {Formula} from './formula.js'
import {kvFormulas} from './kv.js'
import {memoryFormulas} from './memory.js'
import {paramFormulas} from './params.js'
import {perfFormulas} from './perf.js'
import {servingFormulas} from './serving.js'
import {trainingFormulas} from './training.js'

export type {Formula, SumTerm, Unit, Values} from './formula.js'
export {sumOf, sumSource} from './formula.js'

/** Every static entry (sums, whose text depends on the model's parts, are built by sumOf). */
export const formulaRegistry: readonly Formula<string, never>[] = [
  bytesPerElement,
  int4BitsPerElement,
  ...paramFormulas,
  ...kvFormulas,
  ...flopsFormulas,
  ...memoryFormulas,
  ...perfFormulas,
  ...servingFormulas,
  ...trainingFormulas,
  ...deepseekV4Formulas,
] as unknown as readonly Formula<string, never>[]
