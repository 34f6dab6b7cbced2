// The family registry: each model_type is declared once, in one family file, with a key table and either a
// builder or (a multimodal wrapper) a text model_type that has one.
import {describe, expect, it} from 'vitest'
import {families, importers, keyTables, wrapperTextTypes} from '../../src/import/families/index.js'
import {importHfConfig, supportedModelTypes} from '../../src/import/hf-config.js'

describe('families', () => {
  const types = families.flatMap((family) => Object.keys(family))

  it('declare each model_type once', () => {
    expect(types.filter((type, i) => types.indexOf(type) !== i)).toEqual([])
  })
  it('cover exactly the supported types, each with a key table', () => {
    expect([...types].sort()).toEqual(supportedModelTypes)
    expect(Object.keys(keyTables).sort()).toEqual(supportedModelTypes)
  })
  it('give every wrapper a text model_type with a builder', () => {
    for (const [wrapper, text] of Object.entries(wrapperTextTypes)) {
      expect(importers, wrapper).not.toHaveProperty(wrapper)
      expect(Object.keys(importers), wrapper).toContain(text)
    }
  })
})

describe('a model_type named like an Object method', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('"%s" is not supported (one clear line), not a confusing error', (type) => {
    expect(() => importHfConfig({model_type: type, hidden_size: 64}, {id: 'x', configPath: 'config.json'})).toThrow(new RegExp(`model_type "${type.replace(/_/g, '_')}" is not supported`))
  })
})
