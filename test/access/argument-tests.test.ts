import 'reflect-metadata';
import { isInputObjectType, isObjectType } from 'graphql';
import { testedFieldOf } from '../../src/read-kit/fields/argument-tests';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';

describe('filters declare the field they test', () => {
  it('every field of every filter input names an existing Type.field', async () => {
    const schema = await buildHubSchema(HUB_PARTS);
    const filters = Object.values(schema.getTypeMap()).filter((t) => isInputObjectType(t) && t.name.endsWith('FilterInput'));
    expect(filters.length).toBeGreaterThanOrEqual(8);
    const problems: string[] = [];
    for (const input of filters) {
      if (!isInputObjectType(input)) continue;
      for (const field of Object.values(input.getFields())) {
        const tested = testedFieldOf(field);
        const [typeName, fieldName] = tested?.split('.') ?? [];
        const type = typeName ? schema.getType(typeName) : undefined;
        if (!tested || !isObjectType(type) || !type.getFields()[fieldName]) problems.push(`${input.name}.${field.name} → ${tested}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
