import {BaseCommand} from '../cli/base-command.js'
import {modelJsonSchema} from '../schema/json-schema.js'

export default class Schema extends BaseCommand {
  static override summary = 'Print the JSON Schema of model presets (generated from the same schema that validates them)'
  static override examples = ['<%= config.bin %> schema > model.schema.json']

  async run() {
    await this.parse(Schema)
    const schema = modelJsonSchema()
    this.print(JSON.stringify(schema, null, 2))
    return schema
  }
}
