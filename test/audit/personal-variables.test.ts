import 'reflect-metadata';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { auditedArguments } from '../../src/audit/audited-arguments';
import { personalVariablesOf } from '../../src/audit/personal-variables';
import { redactVariables, saltedDigest } from '../../src/audit/redact-variables';
import { analyseOperation } from '../../src/read-kit/operation/operation-analysis';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildHubSchema(HUB_PARTS);
});

const analysed = (source: string) => {
  const document = parse(source);
  return analyseOperation(schema, document, getOperationAST(document)!);
};

describe('audit redaction follows the classifications', () => {
  it('redacts arguments of personal fields, filters testing personal fields and the plate of a capture filter, nothing else', () => {
    const plan = personalVariablesOf(
      analysed(`query($id: String!, $f: PractitionerFilterInput, $u: String!, $p: String, $from: DateTime!, $to: DateTime!, $s: PractitionerStatus) {
      practitioner(idNumber: $id) { status }
      practitioners(filter: $f) { totalCount }
      other: practitioners(filter: { status: $s }) { totalCount }
      enterprise(uscc: $u) { name }
      checkpointCaptures(filter: { from: $from, to: $to, plateNumber: $p }) { totalCount }
    }`),
    );
    // `practitioners` is itself personal: every argument to it is.
    expect([...plan.whole].sort()).toEqual(['f', 'id', 'p', 's']);
    expect([...plan.keys.get('f')!].sort()).toEqual(['employerUscc', 'qualificationCategory', 'status']);
    const redacted = redactVariables(
      {
        id: '320505199001011234',
        f: { employerUscc: '91320583MA2125D5XF' },
        u: '91320583MA2125D5XF',
        p: '苏E12345',
        from: '2026-10-25T00:00:00Z',
        to: '2026-11-01T00:00:00Z',
        s: 'ACTIVE',
      },
      plan,
      saltedDigest('key', 'salt'),
    );
    expect(redacted).toEqual({
      id: expect.stringMatching(/^\[redacted [0-9a-f]{16}\]$/),
      f: expect.stringMatching(/^\[redacted /),
      u: '91320583MA2125D5XF',
      p: expect.stringMatching(/^\[redacted /),
      from: '2026-10-25T00:00:00Z',
      to: '2026-11-01T00:00:00Z',
      s: expect.stringMatching(/^\[redacted /),
    });
    expect(JSON.stringify(redacted)).not.toContain('320505199001011234');
  });

  it('redacts only the personal keys of a filter variable on a field that is not itself personal', () => {
    const plan = personalVariablesOf(analysed('query($f: EnforcementCaseFilterInput) { enforcementCases(filter: $f) { totalCount } }'));
    expect(plan.whole.size).toBe(0);
    // No enforcement-case filter tests a personal field: the whole filter stays readable.
    expect(plan.keys.get('f')).toBeUndefined();
    expect(redactVariables({ f: { plateNumber: '苏E12345', status: 'CLOSED' } }, plan, saltedDigest('k', 's'))).toEqual({
      f: { plateNumber: '苏E12345', status: 'CLOSED' },
    });
  });

  it('literal arguments are recorded like variables, personal values digested, and digests differ between events', () => {
    const analysis =
      analysed(`{ d1: checkpointCaptures(filter: { from: "2026-10-25T00:00:00+08:00", to: "2026-10-26T00:00:00+08:00", plateNumber: "苏E12345" }) { totalCount }
      practitioner(idNumber: "320505199001011234") { status } }`);
    const first = auditedArguments(analysis, {}, saltedDigest('key', 'salt-1'));
    expect(first).toEqual([
      {
        field: 'Query.checkpointCaptures',
        alias: 'd1',
        arguments: {
          filter: {
            from: '2026-10-25T00:00:00+08:00',
            to: '2026-10-26T00:00:00+08:00',
            plateNumber: expect.stringMatching(/^\[redacted [0-9a-f]{16}\]$/),
          },
        },
      },
      { field: 'Query.practitioner', arguments: { idNumber: expect.stringMatching(/^\[redacted [0-9a-f]{16}\]$/) } },
    ]);
    expect(JSON.stringify(first)).not.toMatch(/苏E12345|320505199001011234/);
    // The same value in another event (another salt) has another digest: it cannot be matched to a guess.
    const second = auditedArguments(analysis, {}, saltedDigest('key', 'salt-2'));
    expect(second[1].arguments.idNumber).not.toBe(first[1].arguments.idNumber);
    // A guess digested without the hub's key does not match either.
    expect(saltedDigest('guessed-key', 'salt-1')('320505199001011234')).not.toBe(first[1].arguments.idNumber);
  });
});
