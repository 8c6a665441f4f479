import 'reflect-metadata';
import path from 'node:path';
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  parse,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { AccessGrant } from '../../src/access/access-grant';
import { loadAgreements, type Agreement } from '../../src/access/agreements';
import { testedFieldOf } from '../../src/read-kit/fields/argument-tests';
import { checkOperation } from '../../src/access/check-operation';
import { projectRoot } from '../../src/config';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { analystAgreement } from '../support/analyst-agreement';

/** An argument that reveals a field: an ordering value sorting by it, or a filter key testing it. */
interface Revealing {
  type: string;
  field: string;
  argument: string;
  literal: string;
  label: string;
  reveals: string;
}

let schema: GraphQLSchema;
let agreements: Agreement[];
beforeAll(async () => {
  schema = await buildHubSchema(HUB_PARTS);
  agreements = loadAgreements(path.join(projectRoot, 'schema/policy/agreements.json'), schema).agreements;
});

/** A literal of `type` that validation accepts, for required arguments along the way. */
function literalOf(type: GraphQLInputType): string {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return `[${literalOf(inner.ofType)}]`;
  if (isEnumType(inner)) return inner.getValues()[0].name;
  if (isInputObjectType(inner)) {
    const required = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type) && f.defaultValue === undefined);
    return `{ ${required.map((f) => `${f.name}: ${literalOf(f.type)}`).join(', ')} }`;
  }
  if (isScalarType(inner) && (inner.name === 'Int' || inner.name === 'Float')) return '1';
  if (isScalarType(inner) && inner.name === 'Boolean') return 'true';
  if (isScalarType(inner) && inner.name === 'DateTime') return '"2026-10-25T00:00:00+08:00"';
  return '"x"';
}

const requiredArgs = (field: { args: ReadonlyArray<{ name: string; type: GraphQLInputType; defaultValue: unknown }> }, except: string) =>
  field.args.filter((a) => a.name !== except && isNonNullType(a.type) && a.defaultValue === undefined).map((a) => `${a.name}: ${literalOf(a.type)}`);

/** Every argument of the schema that reveals a field's values, with how to send it literally. */
function revealingArguments(): Revealing[] {
  const found: Revealing[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const arg of field.args) {
        const named = getNamedType(arg.type);
        if (isEnumType(named)) {
          // What each ordering sorts by, as the schema build wrote it from the domain's declaration.
          for (const value of named.getValues()) {
            for (const reveals of (value.extensions?.sortsBy ?? []) as string[]) {
              found.push({
                type: type.name,
                field: field.name,
                argument: `${arg.name}: ${value.name}`,
                literal: value.name,
                label: `${arg.name}:${value.name}`,
                reveals,
              });
            }
          }
        } else if (isInputObjectType(named)) {
          for (const input of Object.values(named.getFields())) {
            const reveals = testedFieldOf(input);
            if (!reveals) continue;
            const others = Object.values(named.getFields())
              .filter((f) => f !== input && isNonNullType(f.type))
              .map((f) => `${f.name}: ${literalOf(f.type)}`);
            found.push({
              type: type.name,
              field: field.name,
              argument: `${arg.name}: { ${[...others, `${input.name}: ${literalOf(input.type)}`].join(', ')} }`,
              literal: '',
              label: `${arg.name}.${input.name}`,
              reveals,
            });
          }
        }
      }
    }
  }
  return found;
}

/** The shortest selection from the root reaching a field of `target` (`{ a(…) { b { HOLE } } }`). */
function pathTo(target: string): ((hole: string) => string) | null {
  const query = schema.getQueryType()!;
  const queue: Array<{ type: GraphQLObjectType; wrap: (hole: string) => string }> = [{ type: query, wrap: (hole) => `{ ${hole} }` }];
  const seen = new Set<string>([query.name]);
  while (queue.length) {
    const { type, wrap } = queue.shift()!;
    if (type.name === target) return wrap;
    for (const field of Object.values(type.getFields())) {
      const next = getNamedType(field.type);
      if (!isObjectType(next) || seen.has(next.name)) continue;
      seen.add(next.name);
      const args = requiredArgs(field, '');
      queue.push({ type: next, wrap: (hole) => wrap(`${field.name}${args.length ? `(${args.join(', ')})` : ''} { ${hole} }`) });
    }
  }
  return null;
}

describe('ordering, filtering and keyset paging never reveal a masked value', () => {
  it('for every agreement and every field it grants masked, every ordering and filter exposing that field is refused, naming the argument', () => {
    const revealing = revealingArguments();
    let cases = 0;
    const problems: string[] = [];
    for (const agreement of agreements) {
      const grant = new AccessGrant({ agency: agreement.consumer.agency, subject: 's', roles: agreement.consumer.roles, divisions: [] }, [agreement]);
      for (const [typeName, fields] of agreement.fields) {
        for (const [fieldName, mode] of fields) {
          if (mode.kind !== 'masked') continue;
          for (const r of revealing.filter((x) => x.reveals === `${typeName}.${fieldName}`)) {
            const wrap = pathTo(r.type);
            if (!wrap) continue;
            const field = (schema.getType(r.type) as GraphQLObjectType).getFields()[r.field];
            const args = [...requiredArgs(field, r.argument.split(':')[0]), r.argument];
            const sub = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
            const source = wrap(`${r.field}(${args.join(', ')})${sub}`);
            const document = parse(source);
            const denied = checkOperation(schema, document, getOperationAST(document)!, grant).deniedPaths;
            cases += 1;
            if (!denied.some((p) => p.endsWith(`${r.field}(${r.label})`))) {
              // Refused anyway when the path to the field is not granted; otherwise the argument must be named.
              if (denied.length === 0)
                problems.push(`${agreement.id}: ${typeName}.${fieldName} (masked) revealed through ${r.type}.${r.field}(${r.label}): ${source}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // The analyst's certificate-number order at least (the attack review's 6,441 rebuilt numbers).
    expect(cases).toBeGreaterThanOrEqual(2);
  });

  it('refuses an ordering by a masked field sent in a variable or left to a default, and allows the opaque default', () => {
    const agreement = agreements.find((a) => a.consumer.agency === 'suzhou-transport' && a.consumer.roles.includes('analyst'))!;
    const grant = new AccessGrant({ agency: 'suzhou-transport', subject: 's', roles: ['analyst'], divisions: [] }, [agreement]);
    const check = (source: string, variables: Record<string, unknown> = {}) => {
      const document = parse(source);
      return checkOperation(schema, document, getOperationAST(document)!, grant, variables).deniedPaths;
    };
    expect(check('query($o: PractitionerOrder!) { practitioners(orderBy: $o) { totalCount } }', { o: 'CERTIFICATE_NUMBER_ASC' })).toEqual([
      'practitioners(orderBy:CERTIFICATE_NUMBER_ASC)',
    ]);
    expect(check('{ practitioners(first: 5) { edges { cursor node { name } } } }')).toEqual([]);
    expect(check('{ practitioners(orderBy: RECORD_HASH) { totalCount } }')).toEqual([]);
  });

  it('refuses a filter on a field granted masked, literal or in a variable: a filter would confirm guesses of the value', () => {
    const agreement = analystAgreement(schema, {
      Query: { practitioners: 'full' },
      PractitionerConnection: { '*': 'full' },
      Practitioner: { status: 'full', employerUscc: 'masked:REDACT' },
    });
    const grant = new AccessGrant({ agency: 'suzhou-amr', subject: 's', roles: ['analyst'], divisions: [] }, [agreement]);
    const check = (source: string, variables: Record<string, unknown> = {}) => {
      const document = parse(source);
      return checkOperation(schema, document, getOperationAST(document)!, grant, variables).deniedPaths;
    };
    expect(check('{ practitioners(filter: { employerUscc: "91320583MA2125D5XF" }) { totalCount } }')).toEqual(['practitioners(filter.employerUscc)']);
    expect(check('query($f: PractitionerFilterInput) { practitioners(filter: $f) { totalCount } }', { f: { employerUscc: 'x' } })).toEqual([
      'practitioners(filter.employerUscc)',
    ]);
    expect(check('{ practitioners(filter: { status: ACTIVE }) { totalCount } }')).toEqual([]);
  });
});
