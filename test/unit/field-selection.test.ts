import { parse } from 'graphql';
import { fieldSelectionOf } from '../../src/graphql/field-selection';
import { buildHubSchema } from '../../src/graphql/schema';

describe('fieldSelectionOf', () => {
  it('collects fields per type through aliases, fragments and inline fragments', async () => {
    const schema = await buildHubSchema();
    const selection = fieldSelectionOf(schema, parse(`
      query Q($u: String!) {
        firm: enterprise(uscc: $u) { n: name ...Fleet }
        _entities(representations: []) { ... on Vehicle { vin } }
      }
      fragment Fleet on Enterprise { vehicles { plateNumber owner { provenance { system } } } }
    `));
    expect([...selection.fieldsOf('Query')].sort()).toEqual(['_entities', 'enterprise']);
    expect([...selection.fieldsOf('Enterprise')].sort()).toEqual(['name', 'provenance', 'vehicles']);
    expect([...selection.fieldsOf('Vehicle')].sort()).toEqual(['owner', 'plateNumber', 'vin']);
    expect([...selection.fieldsOf('Provenance')]).toEqual(['system']);
    expect(selection.fieldsOf('Practitioner').size).toBe(0);
  });
});
