import { buildSchema, getIntrospectionQuery, Kind, parse, specifiedRules, validate } from 'graphql';
import { enforceQueryLimits, QueryLimitError } from './enforce-limits';
import { analysisOf, countAliases, DEFAULT_QUERY_LIMITS, estimateCost, measureDepth, type QueryLimits } from './query-limits';

// Shaped like the hub's schema: Relay connections, an unpaged list, and a plain list with `last`.
const schema = buildSchema(`
  type Query {
    enterprise(uscc: String!): Enterprise
    enterprises(first: Int, after: String): EnterpriseConnection!
    node(id: ID!): Node
  }
  interface Node { id: ID! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type EnterpriseConnection { edges: [EnterpriseEdge!]! pageInfo: PageInfo! totalCount: Int! }
  type EnterpriseEdge { cursor: String! node: Enterprise! }
  type Enterprise implements Node {
    id: ID!
    name: String!
    parent: Enterprise
    vehicles: [Vehicle!]!
    fleet(first: Int, after: String): VehicleConnection!
  }
  type VehicleConnection { edges: [VehicleEdge!]! pageInfo: PageInfo! }
  type VehicleEdge { cursor: String! node: Vehicle! }
  type Vehicle implements Node {
    id: ID!
    plateNumber: String!
    owner: Enterprise
    weighings(last: Int! = 20): [Weighing!]!
  }
  type Weighing { id: ID! grossKg: Int! }
`);

interface Refusal {
  message: string;
  extensions: Record<string, unknown>;
}

/**
 * What the hub does with a document: graphql-js validation, then, per operation, the limits as
 * `enforceQueryLimits` applies them (the first limit exceeded refuses the operation).
 */
function check(source: string, limits: QueryLimits = DEFAULT_QUERY_LIMITS, variables?: Record<string, unknown>): Refusal[] {
  const document = parse(source);
  const invalid = validate(schema, document, specifiedRules);
  if (invalid.length) return invalid.map((e) => ({ message: e.message, extensions: { ...e.extensions } }));
  const refusals: Refusal[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    try {
      enforceQueryLimits(analysisOf(schema, document, definition.name?.value), variables, limits);
    } catch (error) {
      if (!(error instanceof QueryLimitError)) throw error;
      refusals.push({ message: error.message, extensions: { code: error.code, ...error.details } });
    }
  }
  return refusals;
}

const extensionsOf = (refusals: readonly Refusal[]) => refusals.map((r) => r.extensions);

/** `enterprise { parent { … { name } } }`, exactly `depth` field levels deep. */
function nested(depth: number): string {
  return `enterprise(uscc: "x") { ${'parent { '.repeat(depth - 2)}name${' }'.repeat(depth - 2)} }`;
}

const FULL_PAGE_OF_FLEETS = `{
  enterprises(first: 500) { edges { node { fleet(first: 500) { edges { node { plateNumber } } } } } }
}`;
// fleet edges: 1 + 500 × (node 1 + plateNumber 1) = 1001; fleet 1002; node 1003;
// enterprise edges 1 + 500 × 1003 = 501,501; enterprises 501,502.
const FULL_PAGE_OF_FLEETS_COST = 501_502;

describe('query limits', () => {
  it('passes an ordinary query, with a full page of enterprises and their vehicles', () => {
    const query = `{
      enterprises(first: 500) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id name vehicles { plateNumber } } }
      }
    }`;
    expect(check(query)).toEqual([]);
    // edges: 1 + 500 × (cursor 1 + node (1 + id 1 + name 1 + vehicles (1 + 50 × 1))) = 27,501;
    // pageInfo and totalCount are not multiplied by the page size.
    expect(estimateCost(schema, parse(query))).toBe(1 + 1 + (1 + 2) + 27_501);
  });

  it('passes the GraphiQL introspection query under the default limits', () => {
    const document = parse(getIntrospectionQuery(), { maxTokens: DEFAULT_QUERY_LIMITS.maxTokens });
    expect(check(getIntrospectionQuery())).toEqual([]);
    expect(measureDepth(schema, document)).toBe(0);
    expect(estimateCost(schema, document)).toBe(0);
  });

  it('leaves abusive introspection to graphql-js MaxIntrospectionDepthRule', () => {
    const errors = check('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions.code).toBeUndefined();
    expect(errors[0].message).toMatch(/Maximum introspection depth exceeded/);
  });

  describe('depth', () => {
    it('refuses nested fields beyond maxDepth and allows exactly maxDepth', () => {
      expect(measureDepth(schema, parse(`{ ${nested(14)} }`))).toBe(14);
      expect(check(`{ ${nested(10)} }`)).toEqual([]);
      const errors = check(`{ ${nested(14)} }`);
      expect(extensionsOf(errors)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxDepth', max: 10, actual: 14 }]);
      expect(errors[0].message).toBe('Query depth 14 exceeds the limit of 10 (maxDepth)');
    });

    it('follows named fragments and inline fragments', () => {
      const query = `
        { enterprise(uscc: "x") { ...A } }
        fragment A on Enterprise { parent { ...B } }
        fragment B on Enterprise { parent { ... on Enterprise { parent { ...C } } } }
        fragment C on Enterprise { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } }
      `;
      expect(extensionsOf(check(query))).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxDepth', max: 10, actual: 12 }]);
    });

    it('does not count __typename', () => {
      expect(measureDepth(schema, parse(`{ enterprise(uscc: "x") { __typename } }`))).toBe(1);
    });

    it('terminates on fragment cycles, which the standard rules reject', () => {
      const query = `
        { enterprise(uscc: "x") { ...A } }
        fragment A on Enterprise { parent { ...B } }
        fragment B on Enterprise { parent { ...A } }
      `;
      expect(measureDepth(schema, parse(query))).toBe(3);
      expect(countAliases(schema, parse(query))).toBe(0);
      expect(estimateCost(schema, parse(query))).toBe(3);
      const errors = check(query);
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/Cannot spread fragment "A" within itself/)]);
    });
  });

  describe('aliases', () => {
    const aliased = (n: number, prefix = 'a') => Array.from({ length: n }, (_, i) => `${prefix}${i}: enterprise(uscc: "${i}") { id }`).join('\n');

    it('refuses an alias bomb and allows exactly maxAliases', () => {
      expect(check(`{ ${aliased(30)} }`)).toEqual([]);
      const errors = check(`{ ${aliased(31)} }`);
      expect(extensionsOf(errors)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxAliases', max: 30, actual: 31 }]);
      expect(errors[0].message).toBe('Alias count 31 exceeds the limit of 30 (maxAliases)');
    });

    it('counts a fragment each time it is spread', () => {
      const fields = Array.from({ length: 16 }, (_, i) => `n${i}: name`).join(' ');
      const query = `
        { x: enterprise(uscc: "1") { ...Names } y: enterprise(uscc: "2") { ... on Enterprise { ...Names } } }
        fragment Names on Enterprise { ${fields} }
      `;
      expect(countAliases(schema, parse(query))).toBe(34);
      expect(extensionsOf(check(query))).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxAliases', max: 30, actual: 34 }]);
    });

    it('measures a fragment fan-out without walking every path', () => {
      // Each fragment spreads the next twice: 2^31 - 2 aliases from a ~60-line document.
      const levels = 30;
      const fragments = Array.from(
        { length: levels },
        (_, i) =>
          `fragment F${i} on Enterprise { a: parent { ${i + 1 < levels ? `...F${i + 1}` : 'id'} } b: parent { ${i + 1 < levels ? `...F${i + 1}` : 'id'} } }`,
      );
      const document = parse(`{ enterprise(uscc: "x") { ...F0 } }\n${fragments.join('\n')}`);
      const started = Date.now();
      const measured = [measureDepth(schema, document), countAliases(schema, document), estimateCost(schema, document)];
      expect(Date.now() - started).toBeLessThan(1000);
      // 1 + C(F0), C(F29) = 4, C(Fi) = 2 × (1 + C(Fi+1))
      expect(measured).toEqual([32, 2 ** 31 - 2, 3 * 2 ** 30 - 1]);
      expect(() => enforceQueryLimits(analysisOf(schema, document), undefined, DEFAULT_QUERY_LIMITS)).toThrow(QueryLimitError);
    });
  });

  describe('tokens', () => {
    it('are counted by the parser itself (Apollo parseOptions.maxTokens; the formatter names the limit)', () => {
      const huge = `{ ${'enterprise(uscc: "x") { id } '.repeat(500)} }`; // ~4,000 tokens
      expect(() => parse(huge, { maxTokens: DEFAULT_QUERY_LIMITS.maxTokens })).toThrow(/Document contains more tha[tn] 2000 tokens/);
      expect(parse('{ a }', { maxTokens: 3 }).definitions).toHaveLength(1);
    });
  });

  describe('cost', () => {
    it('refuses nested full pages, whose sizes multiply', () => {
      const errors = check(FULL_PAGE_OF_FLEETS);
      expect(extensionsOf(errors)).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost', max: 50_000, actual: FULL_PAGE_OF_FLEETS_COST }]);
      expect(errors[0].message).toBe(`Estimated cost ${FULL_PAGE_OF_FLEETS_COST} exceeds the limit of 50000 (maxCost)`);
    });

    it('sizes unpaged lists at 50 and `last` lists by their argument or schema default', () => {
      const cost = (weighings: string) => estimateCost(schema, parse(`{ enterprise(uscc: "x") { vehicles { ${weighings} { grossKg } } } }`));
      expect(cost('weighings')).toBe(1 + (1 + 50 * (1 + 20 * 1))); // last defaults to 20
      expect(cost('weighings(last: 5)')).toBe(1 + (1 + 50 * (1 + 5 * 1)));
      // Beyond MAX_PAGE_SIZE the resolver refuses the page, so it costs no more than 500.
      expect(cost('weighings(last: 100000)')).toBe(1 + (1 + 50 * (1 + 500 * 1)));
    });

    it('sizes an unpaged connection at DEFAULT_PAGE_SIZE', () => {
      expect(estimateCost(schema, parse('{ enterprises { edges { node { name } } } }'))).toBe(1 + (1 + 50 * (1 + 1)));
    });

    it('takes `first` from the request variables, else the variable default, else the page default', () => {
      const query = `query Q($n: Int = 10) {
        enterprises(first: $n) { edges { node { fleet(first: $n) { edges { node { plateNumber } } } } } }
      }`;
      const document = parse(query);
      expect(estimateCost(schema, document, 'Q', { n: 500 })).toBe(FULL_PAGE_OF_FLEETS_COST);
      expect(estimateCost(schema, document, 'Q')).toBe(1 + (1 + 10 * (1 + (1 + (1 + 10 * 2)))));
      expect(estimateCost(schema, document, 'Q', { n: null })).toBe(1 + (1 + 50 * (1 + (1 + (1 + 50 * 2)))));
      expect(estimateCost(schema, parse(query.replace(' = 10', '')), 'Q', {})).toBe(1 + (1 + 50 * (1 + (1 + (1 + 50 * 2)))));

      expect(check(query, DEFAULT_QUERY_LIMITS, { n: 10 })).toEqual([]);
      expect(extensionsOf(check(query, DEFAULT_QUERY_LIMITS, { n: 500 }))).toEqual([
        { code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost', max: 50_000, actual: FULL_PAGE_OF_FLEETS_COST },
      ]);
    });

    it('carries a connection page size through inline fragments and named fragments', () => {
      const query = `
        { node(id: "1") { ... on Enterprise { fleet(first: 500) { ...Edges } } } }
        fragment Edges on VehicleConnection { ... on VehicleConnection { edges { node { weighings(last: 500) { grossKg } } } } }
      `;
      // weighings 1 + 500; node 502; edges 1 + 500 × 502 = 251,001; fleet 251,002; node 251,003.
      expect(extensionsOf(check(query))).toEqual([{ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost', max: 50_000, actual: 251_003 }]);
    });
  });

  it('measures each operation of a document separately', () => {
    const aliases = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}: enterprise(uscc: "${i}") { id }`).join(' ');
    const document = parse(`
      query Shallow { ${aliases('a')} }
      query Wide { ${aliases('b')} }
      query Deep { ${nested(12)} }
      query Costly ${FULL_PAGE_OF_FLEETS}
    `);
    expect(measureDepth(schema, document, 'Shallow')).toBe(2);
    expect(countAliases(schema, document, 'Wide')).toBe(20);
    const errors = check(document.loc!.source.body);
    expect(errors.map((e) => [e.extensions.limit, e.extensions.actual])).toEqual([
      ['maxDepth', 12],
      ['maxCost', FULL_PAGE_OF_FLEETS_COST],
    ]);
    expect(() => measureDepth(schema, document)).toThrow(/exactly one operation/);
  });
});
