import { isObjectType } from 'graphql';
import { Classification, classificationOf } from '../../src/read-kit/fields/classification';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';

/** Added by Apollo Federation, not by the hub: they carry no agency data. */
const FEDERATION_FIELDS = new Set(['Query._entities', 'Query._service', '_Service.sdl']);

describe('field classifications', () => {
  it('every field of every object type declares one', async () => {
    const schema = await buildHubSchema(HUB_PARTS);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        if (!FEDERATION_FIELDS.has(name) && !classificationOf(field)) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });

  it('follows the sharing classes of shared/reference/agencies.md', async () => {
    const schema = await buildHubSchema(HUB_PARTS);
    const level = (type: string, field: string) => {
      const t = schema.getType(type);
      if (!isObjectType(t)) throw new Error(type);
      return classificationOf(t.getFields()[field]);
    };
    expect(level('Practitioner', 'idNumber')).toBe(Classification.SENSITIVE_PERSONAL);
    expect(level('Practitioner', 'name')).toBe(Classification.PERSONAL);
    expect(level('Enterprise', 'legalRepresentative')).toBe(Classification.PERSONAL);
    expect(level('Enterprise', 'name')).toBe(Classification.PUBLIC);
    expect(level('Vehicle', 'plateNumber')).toBe(Classification.PUBLIC);
    expect(level('Vehicle', 'captures')).toBe(Classification.POLICE_RESTRICTED);
    expect(level('CheckpointCapture', 'capturedAt')).toBe(Classification.POLICE_RESTRICTED);
    expect(level('Query', 'checkpointCaptures')).toBe(Classification.POLICE_RESTRICTED);
    expect(level('Checkpoint', 'latitude')).toBe(Classification.PUBLIC);
    expect(level('EnforcementCase', 'summary')).toBe(Classification.INTERNAL);
    expect(level('Weighing', 'overloadKg')).toBe(Classification.INTERNAL);
    expect(level('CreditRating', 'grade')).toBe(Classification.INTERNAL);
  });
});
