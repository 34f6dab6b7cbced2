import {compareReported} from '../calc/reported.js'
import {paramCounts} from '../calc/params.js'
import {checkFormats, checksCiText, checksFailureText, checksOutput, checksPresentation} from '../cli/checks.js'
import {defineCommand} from '../cli/definition.js'
import {UserError} from '../errors.js'
import {idFromPath, importConfig, isHfConfig, readJsonFile, withQuantFile} from '../presets/load.js'
import type {CheckLine} from '../report/checks.js'
import {modelSpecObject, modelSpecSchema, type ModelSpec} from '../schema/model.js'

const pathText = (path: PropertyKey[]) => (path.length ? path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(top level)')

/** Every rule for one file: readable JSON, schema, consistency rules, vendor figures. */
function validateFile(file: string): CheckLine[] {
  const line = (rule: string, status: CheckLine['status'], message: string, measured: number | null = null): CheckLine =>
    ({subject: file, rule, status, message, measured, limit: null, unit: measured === null ? null : 'params', file})
  let raw: unknown
  try {
    raw = readJsonFile(file)
  } catch (error) {
    return [line('readable JSON', 'error', (error as Error).message)]
  }
  let spec: ModelSpec
  if (isHfConfig(raw)) {
    try {
      const {_provenance: _ignored, ...config} = raw
      const imported = modelSpecSchema.safeParse(importConfig(withQuantFile(config, file), {id: idFromPath(file), configPath: file}).spec)
      if (!imported.success) return imported.error.issues.map((i) => line('consistency', 'fail', `${pathText(i.path)}: ${i.message}`))
      spec = imported.data
    } catch (error) {
      if (error instanceof UserError) return [line('import', 'fail', error.message)]
      throw error
    }
  } else {
    const shape = modelSpecObject.safeParse(raw)
    if (!shape.success) return shape.error.issues.map((i) => line('schema', 'fail', `${pathText(i.path)}: ${i.message}`))
    const rules = modelSpecSchema.safeParse(raw)
    if (!rules.success) return rules.error.issues.map((i) => line('consistency', 'fail', `${pathText(i.path)}: ${i.message}`))
    spec = rules.data
  }
  const lines = [line('schema and consistency', 'pass', isHfConfig(raw) ? 'imports as a valid preset' : 'valid preset')]
  for (const r of compareReported(spec, paramCounts(spec)))
    lines.push(line(`reported ${r.field}`, r.agrees ? 'pass' : 'fail', `vendor figure ${r.published} ${r.agrees ? 'agrees with' : 'does not agree with'} the computed count (${r.definition})`, r.computedParams))
  return lines
}

const title = 'archcost validate'

export default defineCommand({
  id: 'validate',
  summary: 'Check preset files (or config.json files): schema, consistency rules, vendor figures. Exit 0 good, 1 a rule failed, 2 unusable input',
  examples: ['<%= config.bin %> validate presets/models/*.json', '<%= config.bin %> validate my-model.json --format github'],
  usage: 'validate FILE...',
  args: [{name: 'files', description: 'preset or config.json files', required: true}],
  variadic: true,
  flags: {},
  extraFormats: checkFormats,
  input: (raw) => ({files: raw.argv}),
  run: ({files}) => checksOutput(files.flatMap(validateFile)),
  present: (result) => checksPresentation(title, result),
  presentExtra: (result, format) => checksCiText(title, result, format),
  presentFailure: (message, format) => checksFailureText(title, message, format),
  exitCode: (result) => result.exitCode,
})
