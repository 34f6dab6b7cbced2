// Where the published JSON Schemas live, relative to the package root (no zod here: `archcost schema` reads them).
export type SchemaKind = 'model' | 'hardware' | 'scenario' | 'result'

export const schemaFile = (kind: SchemaKind, command?: string) => (kind === 'result' ? `schemas/results/${command}.schema.json` : `schemas/${kind}.schema.json`)
