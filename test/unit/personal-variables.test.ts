import 'reflect-metadata';
import { parse, type GraphQLSchema } from 'graphql';
import { personalVariablesOf } from '../../src/audit/personal-variables';
import { redactVariables } from '../../src/audit/redact-variables';
import { buildHubSchema } from '../../src/graphql/schema';

let schema: GraphQLSchema;
beforeAll(async () => { schema = await buildHubSchema(); });

describe('audit redaction follows the classifications', () => {
  it('redacts arguments of personal fields and filters testing personal fields, nothing else', () => {
    const plan = personalVariablesOf(schema, parse(`query($id: String!, $f: PractitionerFilterInput, $u: String!, $p: String, $from: DateTime!, $to: DateTime!, $s: PractitionerStatus) {
      practitioner(idNumber: $id) { status }
      practitioners(filter: $f) { totalCount }
      other: practitioners(filter: { status: $s }) { totalCount }
      enterprise(uscc: $u) { name }
      checkpointCaptures(filter: { from: $from, to: $to, plateNumber: $p }) { totalCount }
    }`));
    // `practitioners` is itself personal: every argument to it is.
    expect([...plan.whole].sort()).toEqual(['f', 'id', 's']);
    expect([...plan.keys.get('f')!].sort()).toEqual(['employerUscc', 'qualificationCategory', 'status']);
    const redacted = redactVariables({
      id: '320505199001011234', f: { employerUscc: '91320583MA2125D5XF' }, u: '91320583MA2125D5XF', p: '苏E12345',
      from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z', s: 'ACTIVE',
    }, plan, 'key');
    expect(redacted).toEqual({
      id: expect.stringMatching(/^\[redacted [0-9a-f]{16}\]$/), f: expect.stringMatching(/^\[redacted /),
      u: '91320583MA2125D5XF', p: '苏E12345', from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z', s: expect.stringMatching(/^\[redacted /),
    });
    expect(JSON.stringify(redacted)).not.toContain('320505199001011234');
  });

  it('redacts only the personal keys of a filter variable on a field that is not itself personal', () => {
    const plan = personalVariablesOf(schema, parse('query($f: EnforcementCaseFilterInput) { enforcementCases(filter: $f) { totalCount } }'));
    expect(plan.whole.size).toBe(0);
    // No enforcement-case filter tests a personal field: the whole filter stays readable.
    expect(plan.keys.get('f')).toBeUndefined();
    expect(redactVariables({ f: { plateNumber: '苏E12345', status: 'CLOSED' } }, plan, 'k')).toEqual({ f: { plateNumber: '苏E12345', status: 'CLOSED' } });
  });
});
