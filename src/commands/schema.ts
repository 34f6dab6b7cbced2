import {Args} from '@oclif/core'
import {BaseCommand} from '../cli/base-command.js'
import {hardwareJsonSchema, modelJsonSchema} from '../schema/json-schema.js'

export default class Schema extends BaseCommand {
  static override summary = 'Print the JSON Schema of model presets or hardware profiles (generated from the schema that validates them)'
  static override args = {
    kind: Args.string({description: 'which schema', options: ['model', 'hardware'], default: 'model'}),
  }
  static override examples = ['<%= config.bin %> schema > model.schema.json', '<%= config.bin %> schema hardware > hardware.schema.json']

  async run() {
    const {args} = await this.parse(Schema)
    const schema = args.kind === 'hardware' ? hardwareJsonSchema() : modelJsonSchema()
    this.print(JSON.stringify(schema, null, 2))
    return schema
  }
}
