// Building blocks of the result schemas (`--json` of every command). Every number is a plain JSON number whose
// field name carries its unit (bytes, tokens, seconds, params, usd, flops) and whose description says it again;
// every object is strict, so a renamed, missing or extra key fails validation.
// Loaded only by the `schema` command and tests: runtime code imports these modules with `import type` alone.
import {z} from 'zod'
import {engineNames} from '../../calc/engines.js'
import {kvFormatNames, weightFormatNames} from '../../calc/dtype.js'

const joined = (what: string, unit: string) => `${what} [${unit}]`

/** Whole bytes (a size archcost rounds up once, where it is computed). */
export const bytesInt = (what: string) => z.number().int().nonnegative().describe(joined(what, 'bytes'))
/** Bytes that may be fractional (block formats: 34/32 bytes per element of q8_0). */
export const bytesNumber = (what: string) => z.number().nonnegative().describe(joined(what, 'bytes'))
export const tokensInt = (what: string) => z.number().int().nonnegative().describe(joined(what, 'tokens'))
export const paramsInt = (what: string) => z.number().int().nonnegative().describe(joined(what, 'parameters'))
export const seconds = (what: string) => z.number().nonnegative().describe(joined(what, 'seconds'))
export const flops = (what: string) => z.number().nonnegative().describe(joined(what, 'FLOP'))
export const usd = (what: string) => z.number().nonnegative().describe(joined(what, 'US dollars'))
/** A count of things (layers, devices, sequences); the unit is named in the description. */
export const countInt = (what: string, unit: string) => z.number().int().nonnegative().describe(joined(what, unit))
export const positiveInt = (what: string, unit: string) => z.number().int().positive().describe(joined(what, unit))

export const warningsSchema = z.array(z.string()).describe('Warnings about the input or the scenario (also printed on stderr); empty when none')

export const engineSchema = z.enum(engineNames).describe('Serving engine whose KV reservation rules apply (--engine)')
export const kvFormatSchema = z.enum(kvFormatNames as [(typeof kvFormatNames)[number], ...(typeof kvFormatNames)[number][]]).describe('KV-cache element format')
export const weightFormatSchema = z.enum(weightFormatNames as [(typeof weightFormatNames)[number], ...(typeof weightFormatNames)[number][]]).describe('Weight storage format')
export const mlaCacheSchema = z.enum(['latent', 'expanded']).describe('How MLA is cached: the latent + rope key, or expanded per head')

export const layoutSchema = z
  .strictObject({
    tp: positiveInt('Tensor-parallel ranks', 'devices'),
    ep: positiveInt('Expert-parallel ranks (routed experts split over them)', 'devices'),
    pp: positiveInt('Pipeline stages', 'devices'),
    dp: positiveInt('Data-parallel replicas (absent = 1), each on tp x pp devices', 'replicas').optional(),
  })
  .describe('Parallel layout: devices = tp x pp x dp')

/** A command's whole JSON: its rows under `key`, and the warnings. */
export const listOutput = <K extends string, T extends z.ZodType>(key: K, row: T, what: string) =>
  z.strictObject({[key]: z.array(row).describe(what), warnings: warningsSchema} as {[P in K]: z.ZodArray<T>} & {warnings: typeof warningsSchema})
