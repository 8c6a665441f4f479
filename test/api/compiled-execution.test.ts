import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  buildSchema,
  execute,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLScalarType,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFieldResolver,
} from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { CompiledExecution } from '../../src/graphql/compiled-execution';
import { createErrorFormatter } from '../../src/graphql/format-error';
import { InvalidInputError } from '../../src/errors';
import { RequestOperation } from '../../src/read-kit/operation/request-operation';
import { testLogger } from '../support/test-logger';

/**
 * Queries run compiled by graphql-jit (src/graphql/compiled-execution.ts). What must hold: the
 * answer (data and errors, as a client reads them) is graphql-js's for the same operation, typed
 * errors keep their code through Apollo's formatting, a repeated query is compiled once, and
 * mutations stay on graphql-js.
 */
const typeDefs = /* GraphQL */ `
  scalar DateTime
  enum Colour {
    BLUE
    YELLOW
  }
  interface Record {
    id: ID!
  }
  type Vehicle implements Record {
    id: ID!
    plate: String!
    colour: Colour!
    seen: DateTime
    owner: Owner
  }
  type Owner implements Record {
    id: ID!
    name: String!
  }
  type Page {
    total: Int!
    plates(prefix: String): [String!]!
  }
  type Cell {
    key: String!
    count: Int
  }
  input Filter {
    stream: String
    includeReleased: Boolean! = false
  }
  type Query {
    echo(text: String): String
    filtered(filter: Filter): String
    _entities: [String]
    page: Page!
    vehicles(first: Int!, colour: Colour): [Vehicle!]!
    record(id: ID!): Record
    refused(from: DateTime!): Int
    broken: [Vehicle]
    brokenStrict: [Vehicle!]
    cells: [Cell!]!
  }
  type Mutation {
    touch: Int!
  }
`;

let touches = 0;
/** How often a DateTime variable was parsed: once by each coercion a request runs. */
let dateTimesParsed = 0;
const vehicles = [
  { id: 'v1', plate: '苏E12345', colour: 'BLUE', seen: new Date('2026-11-02T01:00:00Z'), ownerId: 'o1' },
  { id: 'v2', plate: '苏E67890', colour: 'YELLOW', seen: null, ownerId: null },
  { id: 'v3', plate: '沪A00001', colour: 'BLUE', seen: new Date('2026-11-03T02:30:00Z'), ownerId: 'bad' },
];
/** A fresh schema per server: Apollo's plugins may wrap a schema's resolvers in place, which must not hide what the compiler does with fields that have none. */
function makeSchema() {
  const schema = buildSchema(typeDefs);
  Object.assign(schema.getType('DateTime') as GraphQLScalarType, {
    serialize: DateTimeResolver.serialize,
    parseValue: (value: unknown) => {
      dateTimesParsed += 1;
      return DateTimeResolver.parseValue(value);
    },
    parseLiteral: DateTimeResolver.parseLiteral,
  });
  (schema.getType('Record') as GraphQLInterfaceType).resolveType = (r: { plate?: string }) => (r.plate ? 'Vehicle' : 'Owner');
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<any, unknown, any>>> = {
    Vehicle: {
      owner: async (v: { ownerId: string | null }) => {
        if (v.ownerId === 'bad') throw new Error('driver said no');
        return v.ownerId ? { id: v.ownerId, name: '张三' } : null;
      },
    },
    Query: {
      vehicles: async (_: unknown, args: { first: number; colour?: string }) =>
        vehicles.filter((v) => !args.colour || v.colour === args.colour).slice(0, args.first),
      record: (_: unknown, { id }: { id: string }) => vehicles.find((v) => v.id === id) ?? (id === 'o1' ? { id: 'o1', name: '张三' } : null),
      refused: (_: unknown, { from }: { from: Date }) => {
        if (!(from instanceof Date)) throw new Error('not parsed');
        throw new InvalidInputError('from', 'must start a month');
      },
      echo: (_: unknown, { text }: { text?: string }) => text ?? null,
      filtered: (_: unknown, { filter }: { filter?: unknown }) => JSON.stringify(filter),
      // A promise per item, the second failing first (as @apollo/subgraph's _entities can be).
      _entities: () => [new Promise((resolve) => setTimeout(() => resolve('a'), 20)), Promise.reject(new Error('refused'))],
      // Values the default resolver calls: a count run only when selected, as a connection's totalCount.
      page: () => ({
        total: async () => vehicles.length,
        plates: ({ prefix }: { prefix?: string }) => vehicles.map((v) => v.plate).filter((p) => !prefix || p.startsWith(prefix)),
      }),
      broken: () => [vehicles[0], { id: 'x' }],
      brokenStrict: () => [vehicles[0], null],
      cells: () => [
        { key: '2026-11', count: 7 },
        { key: '2026-12', count: null },
      ],
    },
    Mutation: { touch: () => (touches += 1) },
  };
  for (const [type, fields] of Object.entries(resolvers)) {
    const object = schema.getType(type) as GraphQLObjectType;
    for (const [name, resolve] of Object.entries(fields)) object.getFields()[name].resolve = resolve;
  }
  return schema;
}

const OPERATIONS: Array<[string, Record<string, unknown>]> = [
  ['{ vehicles(first: 3) { id plate colour seen owner { id name } } }', {}],
  ['query($c: Colour) { vehicles(first: 2, colour: $c) { plate colour } }', { c: 'BLUE' }],
  ['query($c: Colour) { vehicles(first: 2, colour: $c) { plate } }', { c: 'GREEN' }],
  ['query($n: Int!) { vehicles(first: $n) { plate } }', { n: 'three' }],
  ['{ record(id: "v1") { __typename id ... on Vehicle { plate } ... on Owner { name } } }', {}],
  ['{ record(id: "o1") { __typename id ... on Owner { name } } }', {}],
  ['{ a: record(id: "zz") { id } b: vehicles(first: 1) { p: plate } }', {}],
  ['query($from: DateTime!) { refused(from: $from) }', { from: '2026-11-03T00:00:00+08:00' }],
  ['query($from: DateTime!) { refused(from: $from) }', { from: 'yesterday' }],
  ['{ broken { id plate } }', {}],
  ['{ brokenStrict { id } vehicles(first: 1) { id } }', {}],
  ['{ vehicles(first: 1) { id } @include(if: false) plate: __typename }', {}],
  ['query($skip: Boolean!) { vehicles(first: 2) { id plate @skip(if: $skip) } }', { skip: true }],
  ['query($from: DateTime = "2026-11-03T00:00:00+08:00") { refused(from: $from) }', {}],
  ['query($c: Colour = YELLOW, $n: Int = 5) { vehicles(first: $n, colour: $c) { plate seen } }', {}],
  ['{ page { total plates(prefix: "苏") all: plates } }', {}],
  ['query($f: Filter) { filtered(filter: $f) }', { f: {} }],
  ['query($f: Filter) { filtered(filter: $f) }', { f: { stream: 'vehicles', includeReleased: true } }],
  ['query($r: Boolean, $s: String) { filtered(filter: { includeReleased: $r, stream: $s }) }', {}],
  ['query($r: Boolean, $s: String) { filtered(filter: { includeReleased: $r, stream: $s }) }', { s: 'vehicles' }],
  ['query($r: Boolean, $s: String) { filtered(filter: { includeReleased: $r, stream: $s }) }', { r: true, s: 'vehicles' }],
  ['query($s: String) { filtered(filter: { stream: $s }) }', { s: null }],
  ['query($skip: Boolean!) { page { total @skip(if: $skip) plates } }', { skip: true }],
  ['{ page { total @include(if: false) plates } }', {}],
  ['{ _entities }', {}],
  ['{ a: echo(text: "__MAGIC_NAN__57f286b9_4c20_487f_b409_79804ddcb4f8") b: echo(text: "x") }', {}],
  ['{ __schema { queryType { name } types { name kind } } }', {}],
  ['{ __type(name: "Vehicle") { fields { name args { name } type { kind name ofType { kind name } } } } }', {}],
];

/** An answer as plain data, a key holding no value kept visible: such a key is a difference (an export's columns come from the keys). */
const plain = (answer: unknown): unknown => JSON.parse(JSON.stringify(answer, (_key, value: unknown) => (value === undefined ? '(no value)' : value)));

interface Context {
  operation: RequestOperation;
}

/** As the hub's operation plugin: the request's operation resolved, its variables read by the checks before execution. */
const resolvingOperation = (schema: ReturnType<typeof makeSchema>): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      async didResolveOperation({ document, operation, contextValue, request }) {
        contextValue.operation.resolve(schema, document, operation!, request.variables);
        void contextValue.operation.variables;
      },
    };
  },
});

async function hub(compiled: boolean) {
  const schema = makeSchema();
  // What the hub's metrics are told of each compilation: tests count them to see the cache answer.
  const compilations = { count: 0 };
  const execution = new CompiledExecution(schema, true, { operationCompiled: () => void (compilations.count += 1) });
  const server = new ApolloServer<Context>({
    ...(compiled ? { gateway: execution.gateway() } : { schema }),
    formatError: createErrorFormatter(testLogger().logger),
    // As the hub's: cache hints would wrap every resolver of the schema (see src/app.ts).
    plugins: [ApolloServerPluginCacheControlDisabled(), resolvingOperation(schema)],
    includeStacktraceInErrorResponses: false,
  });
  await server.start();
  const run = async (query: string, variables: Record<string, unknown> = {}, operationName?: string) => {
    const response = await server.executeOperation({ query, variables, operationName }, { contextValue: { operation: new RequestOperation() } });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status ?? 200, ...response.body.singleResult };
  };
  return { server, compilations, run };
}

describe('compiled execution of queries', () => {
  let compiled: Awaited<ReturnType<typeof hub>>;
  let interpreted: Awaited<ReturnType<typeof hub>>;
  beforeAll(async () => {
    [compiled, interpreted] = await Promise.all([hub(true), hub(false)]);
  });
  afterAll(async () => {
    await Promise.all([compiled.server.stop(), interpreted.server.stop()]);
  });

  it.each(OPERATIONS)('answers %s as graphql-js does, data and errors', async (query, variables) => {
    const [mine, theirs] = await Promise.all([compiled.run(query, variables), interpreted.run(query, variables)]);
    expect(plain(mine)).toEqual(plain(theirs));
  });

  it('never runs a string literal as code (graphql-jit writes literal arguments into the code it generates)', async () => {
    const marker = 'xtCompiledExecutionRan';
    const payload = `__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d0), x: (globalThis.${marker} = 1), y: (0`;
    const query = `{ echo(text: ${JSON.stringify(payload)}) }`;
    const [mine, theirs] = [await compiled.run(query), await interpreted.run(query)];
    expect((globalThis as Record<string, unknown>)[marker]).toBeUndefined();
    expect(plain(mine)).toEqual(plain(theirs));
    expect(mine.data).toEqual({ echo: payload });
  });

  it("keeps a resolver's typed error: its code and details, not an internal error", async () => {
    const answer = await compiled.run('query($from: DateTime!) { refused(from: $from) }', { from: '2026-11-03T00:00:00+08:00' });
    expect(answer.errors?.[0]).toMatchObject({
      message: 'Invalid value for "from": must start a month',
      path: ['refused'],
      locations: [{ line: 1, column: 27 }],
      extensions: { code: 'BAD_USER_INPUT', argument: 'from', reason: 'must start a month' },
    });
  });

  it('masks an untyped error as graphql-js does: no message of the driver reaches the client', async () => {
    const answer = await compiled.run('{ vehicles(first: 3) { owner { id } } }');
    expect(JSON.stringify(answer.errors)).not.toContain('driver said no');
    expect(answer.errors?.[0]).toMatchObject({ path: ['vehicles', 2, 'owner'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('compiles a query once however often it is asked, and each operation of a document apart', async () => {
    const document = 'query A { vehicles(first: 1) { id } } query B { vehicles(first: 2) { plate } }';
    const before = compiled.compilations.count;
    for (let i = 0; i < 5; i += 1) expect((await compiled.run(document, {}, 'A')).data).toEqual({ vehicles: [{ id: 'v1' }] });
    expect(compiled.compilations.count).toBe(before + 1);
    expect((await compiled.run(document, {}, 'B')).data).toEqual({ vehicles: [{ plate: '苏E12345' }, { plate: '苏E67890' }] });
    expect(compiled.compilations.count).toBe(before + 2);
  });

  it("checks the variables with the request's own coercion: graphql-js's once, then graphql-jit's", async () => {
    const before = dateTimesParsed;
    const answer = await compiled.run('query($from: DateTime!) { refused(from: $from) }', { from: '2026-11-03T00:00:00+08:00' });
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from' });
    // By graphql-js for the checks before execution and the executor alike, then by the compiled query.
    expect(dateTimesParsed - before).toBe(2);
  });

  it('runs mutations on graphql-js, not compiled', async () => {
    const before = compiled.compilations.count;
    const answer = await compiled.run('mutation { a: touch b: touch }');
    expect(answer.data).toEqual({ a: touches - 1, b: touches });
    expect(compiled.compilations.count).toBe(before);
  });

  /** The executor as Apollo calls it, for a document of one operation, with no variables and no context. */
  const executeAlone = (execution: CompiledExecution, document: DocumentNode) =>
    execution.executor({
      document,
      operation: document.definitions[0],
      operationName: null,
      request: { variables: {} },
      context: {},
    } as unknown as Parameters<CompiledExecution['executor']>[0]);

  it("reads a plain type's fields off its objects, with no resolver, and answers as graphql-js does", async () => {
    const schema = makeSchema();
    const execution = new CompiledExecution(schema, true, null, new Set(['Cell']));
    const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name];
    // Only the plain type's fields are left without graphql-js's default resolver.
    expect(field('Cell', 'key').resolve).toBeUndefined();
    expect(field('Cell', 'count').resolve).toBeUndefined();
    expect(field('Vehicle', 'plate').resolve).toBeDefined();
    const document = parse('{ cells { key n: count } }');
    const mine = await executeAlone(execution, document);
    expect(mine).toEqual(await execute({ schema, document }));
    expect(mine.data).toEqual({
      cells: [
        { key: '2026-11', n: 7 },
        { key: '2026-12', n: null },
      ],
    });
  });

  it('is the executor graphql-js would be for the same document (in process, without Apollo)', async () => {
    const document = parse('{ vehicles(first: 3) { plate seen owner { name } } }');
    const schema = makeSchema();
    const execution = new CompiledExecution(schema);
    const theirs = (await execute({ schema, document })) as ExecutionResult;
    const mine = await executeAlone(execution, document);
    expect(JSON.parse(JSON.stringify(mine))).toEqual(JSON.parse(JSON.stringify(theirs)));
    expect(mine.errors?.every((e) => e instanceof GraphQLError && e.constructor === GraphQLError)).toBe(true);
  });
});
