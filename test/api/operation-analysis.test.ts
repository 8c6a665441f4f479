import 'reflect-metadata';
import { getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { AccessGrant } from '../../src/access/access-grant';
import { checkOperation } from '../../src/access/check-operation';
import { enforceQueryLimits, QueryLimitError } from '../../src/graphql/enforce-limits';
import { analyseOperation } from '../../src/read-kit/operation/operation-analysis';
import { DEFAULT_QUERY_LIMITS, operationCost } from '../../src/graphql/query-limits';
import { doublingChain } from '../support/fragment-chain';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { analystAgreement } from '../support/analyst-agreement';

describe('the selection of an analysed operation', () => {
  it('collects fields per type through aliases, fragments and inline fragments', async () => {
    const schema = await buildHubSchema(HUB_PARTS);
    const document = parse(`
      query Q($u: String!) {
        firm: enterprise(uscc: $u) { n: name ...Fleet }
        _entities(representations: []) { ... on Vehicle { vin } }
      }
      fragment Fleet on Enterprise { vehicles { plateNumber owner { provenance { system } } } }
    `);
    const { selection } = analyseOperation(schema, document, getOperationAST(document)!);
    expect([...selection.fieldsOf('Query')].sort()).toEqual(['_entities', 'enterprise']);
    expect([...selection.fieldsOf('Enterprise')].sort()).toEqual(['name', 'provenance', 'vehicles']);
    expect([...selection.fieldsOf('Vehicle')].sort()).toEqual(['owner', 'plateNumber', 'vin']);
    expect([...selection.fieldsOf('Provenance')]).toEqual(['system']);
    expect(selection.fieldsOf('Practitioner').size).toBe(0);
  });
});

describe('one linear analysis of a fragment chain', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildHubSchema(HUB_PARTS);
  });

  it('a 150-level chain stays under the token limit, is analysed in linear visits and refused by real limits', () => {
    const source = doublingChain(150);
    expect(() => parse(source, { maxTokens: DEFAULT_QUERY_LIMITS.maxTokens })).not.toThrow();
    const document = parse(source, { maxTokens: DEFAULT_QUERY_LIMITS.maxTokens });
    const started = performance.now();
    const analysis = analyseOperation(schema, document, getOperationAST(document)!);
    const cost = operationCost(analysis);
    expect(() => enforceQueryLimits(analysis, undefined, DEFAULT_QUERY_LIMITS)).toThrow(QueryLimitError);
    const elapsed = performance.now() - started;
    // Target < 50 ms; asserted loosely for a shared, noisy machine.
    expect(elapsed).toBeLessThan(500);
    // One visit per fragment: 150, not 2^150.
    expect(analysis.fragmentVisits).toBe(150);
    expect(analysis.units).toHaveLength(151);
    // The limits see the chain for what it is: 150 levels of nesting, 2^149 `__typename`s.
    expect(analysis.depth).toBe(150);
    expect(cost).toBe(2 ** 149);
  });

  it('fragment visits grow linearly with the levels', () => {
    const visits = [20, 40, 80].map((levels) => {
      const document = parse(doublingChain(levels));
      return analyseOperation(schema, document, getOperationAST(document)!).fragmentVisits;
    });
    expect(visits).toEqual([20, 40, 80]);
  });

  it('the access check of a chain is linear and names a refusal once, by response path', () => {
    const agreement = analystAgreement(schema, {
      Query: { vehicles: 'full' },
      VehicleConnection: { '*': 'full' },
      VehicleEdge: { '*': 'full' },
      Vehicle: { '*': 'full', ratedTotalMassKg: 'none' },
    });
    const grant = new AccessGrant({ agency: 'suzhou-amr', subject: 's', roles: ['analyst'], divisions: [] }, [agreement]);
    const document = parse(doublingChain(150, 'vehicles(first: 1) { edges { node { plateNumber ratedTotalMassKg } } }'));
    const started = performance.now();
    const access = checkOperation(schema, document, getOperationAST(document)!, grant);
    expect(performance.now() - started).toBeLessThan(500);
    expect(access.deniedPaths).toEqual(['vehicles.edges.node.ratedTotalMassKg']);
  });

  it('names refusals relative to their fragment when a fragment would be listed at too many paths', () => {
    const agreement = analystAgreement(schema, {
      Query: { enterprise: 'full' },
      Enterprise: { '*': 'full', vehicles: 'full' },
      Vehicle: { '*': 'full', owner: 'full' },
    });
    const grant = new AccessGrant({ agency: 'suzhou-amr', subject: 's', roles: ['analyst'], divisions: [] }, [agreement]);
    // Each level reaches the next under two different fields: 2^12 distinct response paths.
    const levels = 12;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i + 1 < levels
        ? `fragment E${i} on Enterprise { a: vehicles { owner { ...E${i + 1} } } b: vehicles { owner { ...E${i + 1} } } }`
        : `fragment E${i} on Enterprise { name legalRepresentative }`,
    );
    const document = parse(`{ enterprise(uscc: "x") { ...E0 } }\n${fragments.join('\n')}`);
    const access = checkOperation(schema, document, getOperationAST(document)!, grant);
    expect(access.deniedPaths).toEqual([`E${levels - 1}.legalRepresentative`]);
    // Few enough paths are named as sent.
    const small = parse(
      `{ enterprise(uscc: "x") { ...E0 } }\nfragment E0 on Enterprise { a: vehicles { owner { ...E1 } } b: vehicles { owner { ...E1 } } }\nfragment E1 on Enterprise { legalRepresentative }`,
    );
    expect(checkOperation(schema, small, getOperationAST(small)!, grant).deniedPaths).toEqual([
      'enterprise.a.owner.legalRepresentative',
      'enterprise.b.owner.legalRepresentative',
    ]);
  });
});
